"""The executor seam: what a use case needs from wherever its stages run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, Self, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a per-document stage over batches. A document that overruns the time limit or
    crashes its worker comes back as the ``on_failure`` value for it, never as an exception."""

    def submit(self, items: Sequence[Any]) -> Callable[[], list[Any]]:
        """Start on ``items``; the returned call waits for their results, in order. The caller can
        do other work meanwhile (write the previous batch)."""
        ...

    def run(self, items: Sequence[Any]) -> list[Any]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...
