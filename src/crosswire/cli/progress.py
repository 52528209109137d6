"""Feedback on long work: on a terminal, a bar with the count, the total once it is known, the
rate and the time left; anywhere, a closing summary with the rate."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import BarColumn, Progress, ProgressColumn, SpinnerColumn, Task, TaskID, TextColumn
from rich.text import Text

from crosswire.cli import render

if TYPE_CHECKING:
    from crosswire.store.base import Store

    pass


def _clock(seconds: float) -> str:
    return str(timedelta(seconds=int(seconds)))


class _Count(ProgressColumn):
    def __init__(self, noun: str) -> None:
        super().__init__()
        self.noun = noun

    def render(self, task: Task) -> Text:
        done = int(task.completed)
        if task.total is None:
            return Text(render.plural(done, self.noun))
        return Text(f"{done}/{render.plural(int(task.total), self.noun)}")


class _Rate(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f}/s" if speed else "", style="dim")


class _Times(ProgressColumn):
    """Time spent, and time left once the total is known (rich's own column would show -:--:--
    until then, as if something were wrong)."""

    def render(self, task: Task) -> Text:
        spent = _clock(task.finished_time if task.finished_time is not None else task.elapsed or 0)
        left = task.time_remaining if task.total is not None else None
        return Text(f"{spent} spent" if left is None else f"{spent} spent, {_clock(left)} left", style="dim")


class Meter:
    """Counts work as the service reports it (``meter(n)``); ``set_total`` may come later, from
    another thread (rich's progress takes a lock)."""

    def __init__(self, bar: Progress, task: TaskID, noun: str) -> None:
        self._bar = bar
        self._task = task
        self.noun = noun
        self.done = 0
        self.started = time.monotonic()

    def __call__(self, count: int) -> None:
        self.done += count
        self._bar.advance(self._task, count)

    def set_total(self, total: int | None) -> None:
        self._bar.update(self._task, total=total)

    @property
    def shown(self) -> bool:
        """Whether a bar is drawn (stderr is a terminal): work done only for the bar can be skipped."""
        return not self._bar.disable

    def summary(self) -> str:
        """'2 articles in 1.4 s, 1.4 articles/s'."""
        spent = time.monotonic() - self.started
        rate = f", {self.done / spent:.1f} {render.nouns(self.noun)}/s" if spent > 0 else ""
        return f"{render.plural(self.done, self.noun)} in {spent:.1f} s{rate}"


@contextmanager
def meter(label: str, noun: str, total: int | None = None) -> Iterator[Meter]:
    bar = Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        _Count(noun),
        _Rate(),
        _Times(),
        console=render.err,
        disable=not render.err.is_terminal,
        transient=True,
    )
    with bar:
        yield Meter(bar, bar.add_task(label, total=total), noun)


# -- how many items an ingest will report ---------------------------------------------------


def held_pages(store: Store) -> int:
    """Pages an earlier run fetched and did not see ingested: ingest takes them first."""

    return store.source_state().held_count()


def count_in_background(meter: Meter, inputs: Sequence[str], already: int = 0) -> None:
    """Count what ``inputs`` hold beside the ingest and give the bar its total when done. Files
    are counted at once; JSON Lines lines and web archive records take a pass over the file.
    Pages behind URLs cannot be counted before they are fetched: the bar then has no total."""

    def count() -> None:
        found = count_items(inputs)
        if found is not None:
            meter.set_total(already + found)

    threading.Thread(target=count, name="crosswire-count", daemon=True).start()


def count_items(inputs: Sequence[str]) -> int | None:
    """How many items (documents and rejections) ingest will report for ``inputs``, or None."""
    from crosswire.ingest.files import walk
    from crosswire.service.sources import is_url

    if any(is_url(entry) for entry in inputs):
        return None
    return sum(1 if not isinstance(found, Path) else _items_in(found) for found in walk(inputs))


def _items_in(path: Path) -> int:
    from crosswire.ingest.files import MAX_FILE_BYTES, PARQUET_SUFFIXES, WARC_SUFFIXES

    suffix = path.suffix.lower()
    try:
        if path.name.lower().endswith(WARC_SUFFIXES):
            from crosswire.sources.warc import count_pages

            return count_pages(path)
        if path.name.lower().endswith(PARQUET_SUFFIXES):
            from crosswire.ingest.parquet import count_rows

            return count_rows(path)
        if suffix in (".jsonl", ".ndjson"):
            with path.open("rb") as lines:
                return sum(1 for line in lines if line.strip())
        if suffix == ".json" and path.stat().st_size <= MAX_FILE_BYTES:
            value = json.loads(path.read_bytes())
            return len(value) if isinstance(value, list) else 1
    except (OSError, ValueError):  # the reader will reject the file: one item
        return 1
    return 1
