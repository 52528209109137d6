"""The local executor: a stage over a batch in this process (soft time limit) or in worker
processes (hard time limit).

pebble's pool kills a worker whose document overruns its time and starts another, which a
standard-library pool cannot do: a regular expression or a parser stuck in C code never returns
to Python, so only ending the process bounds it. Documents travel to workers in small chunks (one
round trip per chunk, not per document); a chunk that overruns one document's limit is run again
one document per task, so a slow document is still found and rejected alone.
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from types import FrameType
from typing import Any, Generic, Self, TypeVar

from pebble import ProcessExpired, ProcessPool

from crosswire.lang import configure

T = TypeVar("T")
R = TypeVar("R")
Failure = Callable[[T, str, str], R]  # (item, reason, detail) -> the result that stands for it
CHUNK = 8


class _Overrun(Exception):
    pass


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """A soft time limit for in-process work: interrupts Python code (not C code) after
    ``seconds``. Only the main thread receives signals; elsewhere it does nothing."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def overrun(signum: int, frame: FrameType | None) -> None:
        raise _Overrun

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _start_worker(languages: tuple[str, ...]) -> None:
    if languages:
        configure(languages)


# A worker's cyclic garbage collector runs after this many new container objects (Python's default
# is 700). An article allocates tens of thousands, nearly all freed by reference counting: at the
# default a worker spent 1.3 ms an article in collections (1,300 of them a thousand articles), at
# 10,000 0.3 ms (74). What the stages compute does not change.
WORKER_GC_THRESHOLD = (10_000, 10, 10)


def _in_worker() -> None:
    """Set up a freshly forked worker's collector: what it inherited (the models and tables
    loaded before the fork) lives as long as it does, so it is frozen out of every collection
    (a walk over it would also copy the pages it touches out of the memory the processes share)."""
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLD)


_relaxed_lock = threading.Lock()
_relaxed_users = 0
_relaxed_saved: tuple[int, int, int] | None = None


@contextmanager
def relaxed_collector() -> Iterator[None]:
    """The calling process's collector at ``WORKER_GC_THRESHOLD`` while the block runs, as it was
    after: a long job's writer allocates as a worker does (replaying 997 prepared pages, 545
    collections at the default against 27). Process-wide, so counted: the first of overlapping
    blocks (threads) sets it, the last one out puts the previous setting back."""
    global _relaxed_users, _relaxed_saved
    with _relaxed_lock:
        if _relaxed_users == 0:
            _relaxed_saved = gc.get_threshold()
            gc.set_threshold(*WORKER_GC_THRESHOLD)
        _relaxed_users += 1
    try:
        yield
    finally:
        with _relaxed_lock:
            _relaxed_users -= 1
            if _relaxed_users == 0 and _relaxed_saved is not None:
                gc.set_threshold(*_relaxed_saved)
                _relaxed_saved = None


def _run_chunk(
    stage: Callable[[Any], Any], finish: Callable[[list[Any]], list[Any]] | None, items: Sequence[Any]
) -> list[Any]:
    done = [stage(item) for item in items]
    return finish(done) if finish is not None else done


class LocalExecutor(Generic[T, R]):
    """Runs ``stage`` over batches, then ``finish`` (if any) over each chunk's results in the same
    process (a step that works best on many documents at once: dense encoding). ``workers`` = 0
    runs in this process; more runs in that many worker processes, started on first use.
    ``languages`` (ISO 639-1 codes) narrows language detection in every process that runs the
    stage; empty keeps the default set."""

    def __init__(
        self,
        stage: Callable[[T], R],
        on_failure: Failure[T, R],
        workers: int,
        timeout: float,
        languages: tuple[str, ...] = (),
        warm_up: Callable[[], object] | None = None,
        finish: Callable[[list[R]], list[R]] | None = None,
    ) -> None:
        self.stage = stage
        self.finish = finish
        self.warm_up = warm_up
        self.on_failure = on_failure
        self.workers = workers
        self.timeout = timeout
        self.languages = languages
        self._pool: ProcessPool | None = None
        if workers <= 0:
            _start_worker(languages)

    def run(self, items: Sequence[T]) -> list[R]:
        return self.submit(items)()

    def submit(self, items: Sequence[T]) -> Callable[[], list[R]]:
        items = list(items)
        if self.workers <= 0:
            return lambda: self._finish([self._in_process(item) for item in items])
        if self._pool is None:
            # Configure and load the stage's models and tables here, once, before forking: the
            # workers inherit them (copy-on-write) instead of each doing it again.
            _start_worker(self.languages)
            if self.warm_up is not None:
                self.warm_up()
            # fork: workers need neither to re-import the caller's main module (spawn and
            # forkserver do, and an unguarded script then fails) nor to reload the models. A
            # worker runs only the stage, so locks other threads held at the fork do not reach it.
            # A worker that replaces a killed one is forked from this process too.
            self._pool = ProcessPool(
                max_workers=self.workers, context=multiprocessing.get_context("fork"), initializer=_in_worker
            )
        size = max(1, min(CHUNK, math.ceil(len(items) / (self.workers * 4))))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        futures = [
            self._pool.schedule(_run_chunk, args=(self.stage, self.finish, chunk), timeout=self.timeout)
            for chunk in chunks
        ]
        return lambda: self._collect(chunks, futures)

    def _finish(self, done: list[R]) -> list[R]:
        return self.finish(done) if self.finish is not None else done

    def _in_process(self, item: T) -> R:
        try:
            with _alarm(self.timeout):
                return self.stage(item)
        except _Overrun:
            return self.on_failure(item, "timeout", f"took over {self.timeout:g} s")

    def _collect(self, chunks: Sequence[Sequence[T]], futures: Sequence[Any]) -> list[R]:
        results: list[R] = []
        for at, (chunk, future) in enumerate(zip(chunks, futures, strict=True)):
            try:
                results += future.result()
            except (FutureTimeout, ProcessExpired) as err:
                if len(chunk) > 1:  # find the document at fault: each alone, with its own limit
                    results += self._collect([[item] for item in chunk], self._schedule_each(chunk))
                elif isinstance(err, ProcessExpired):
                    results.append(self.on_failure(chunk[0], "crashed", f"worker died (exit {err.exitcode})"))
                else:
                    results.append(self.on_failure(chunk[0], "timeout", f"took over {self.timeout:g} s"))
            except Exception:  # the pool itself broke: finish this batch (and later ones) in-process
                if self._pool is not None:
                    self._pool.stop()
                self._pool, self.workers = None, 0
                rest = [item for later in chunks[at:] for item in later]
                return results + self._finish([self._in_process(item) for item in rest])
        return results

    def _schedule_each(self, chunk: Sequence[T]) -> list[Any]:
        assert self._pool is not None
        return [
            self._pool.schedule(_run_chunk, args=(self.stage, self.finish, [item]), timeout=self.timeout)
            for item in chunk
        ]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None and exc[0] is not None:
            self._pool.stop()
        self.close()
