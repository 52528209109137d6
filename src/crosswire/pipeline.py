"""The per-document stages (clean, then analyse) over a batch, in worker processes with a time
limit per document, or in this process for small inputs.

pebble's pool kills a worker whose document overruns its time and starts another, which a
standard-library pool cannot do: a regular expression or a parser stuck in C code never returns
to Python, so only ending the process bounds it.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from types import FrameType
from typing import Any

from pebble import ProcessExpired, ProcessPool

from crosswire.analyze import analyze
from crosswire.clean import clean
from crosswire.errors import InputError
from crosswire.lang import configure
from crosswire.types import Analysis, Article, RawDocument, Rejection

Prepared = tuple[Article, Analysis] | Rejection


def prepare(raw: RawDocument) -> Prepared:
    """Clean and analyse one document; any failure becomes a Rejection with a reason."""
    try:
        article = clean(raw)
        return article, analyze(article)
    except InputError as err:
        return Rejection(raw.source, err.reason, err.detail)
    except Exception as err:
        return Rejection(raw.source, "failed", f"{type(err).__name__}: {err}"[:300])


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


def _prepare_in_process(raw: RawDocument, timeout: float) -> Prepared:
    try:
        with _alarm(timeout):
            return prepare(raw)
    except _Overrun:
        return Rejection(raw.source, "timeout", f"took over {timeout:g} s")


def _start_worker(languages: tuple[str, ...]) -> None:
    if languages:
        configure(languages)


class Preparer:
    """Runs ``prepare`` over batches. ``workers`` = 0 runs in this process (soft time limit);
    more runs in that many worker processes, started on first use (hard time limit).
    ``languages`` (ISO 639-1 codes) narrows language detection; empty keeps the default set."""

    def __init__(self, workers: int, timeout: float, languages: tuple[str, ...] = ()) -> None:
        self.workers = workers
        self.timeout = timeout
        self.languages = languages
        self._pool: ProcessPool | None = None
        if workers <= 0:
            _start_worker(languages)

    def run(self, raws: Sequence[RawDocument]) -> list[Prepared]:
        return self.submit(raws)()

    def submit(self, raws: Sequence[RawDocument]) -> Callable[[], list[Prepared]]:
        """Start on ``raws`` and return the call that waits for their results: with workers, the
        caller can do other work (write the previous batch) meanwhile."""
        if self.workers <= 0:
            return lambda: [_prepare_in_process(raw, self.timeout) for raw in raws]
        if self._pool is None:
            # fork: workers need neither to re-import the caller's main module (spawn and
            # forkserver do, and an unguarded script then fails) nor to reload the models. A
            # worker runs only `prepare`, so locks other threads held at the fork do not reach it.
            self._pool = ProcessPool(
                max_workers=self.workers,
                context=multiprocessing.get_context("fork"),
                initializer=_start_worker,
                initargs=(self.languages,),
            )
        futures = [self._pool.schedule(prepare, args=(raw,), timeout=self.timeout) for raw in raws]
        return lambda: self._collect(raws, futures)

    def _collect(self, raws: Sequence[RawDocument], futures: Sequence[Any]) -> list[Prepared]:
        results: list[Prepared] = []
        for raw, future in zip(raws, futures, strict=True):
            try:
                results.append(future.result())
            except FutureTimeout:
                results.append(Rejection(raw.source, "timeout", f"took over {self.timeout:g} s"))
            except ProcessExpired as err:
                results.append(Rejection(raw.source, "crashed", f"worker died (exit {err.exitcode})"))
            except Exception:  # the pool itself broke: finish this batch (and later ones) in-process
                if self._pool is not None:
                    self._pool.stop()
                self._pool, self.workers = None, 0
                return results + [_prepare_in_process(rest, self.timeout) for rest in raws[len(results) :]]
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None and exc[0] is not None:
            self._pool.stop()
        self.close()
