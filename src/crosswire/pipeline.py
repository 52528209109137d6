"""The prepare stage on the local executor: what ingest, compare and eval run their documents
through (see crosswire.stages and crosswire.executors)."""

from __future__ import annotations

from crosswire import stages
from crosswire.executors.local import LocalExecutor
from crosswire.stages import Prepared, PreparedDocument
from crosswire.types import RawDocument, Rejection

__all__ = ["Prepared", "PreparedDocument", "Preparer", "prepare"]


def prepare(raw: RawDocument) -> Prepared:
    return stages.prepare(raw)


def _rejected(raw: RawDocument, reason: str, detail: str) -> Rejection:
    return Rejection(raw.source, reason, detail)


def _prepare_here(raw: RawDocument) -> Prepared:
    # Looked up at call time, in whichever process runs it, so a test can stand in for it.
    return prepare(raw)


class Preparer(LocalExecutor[RawDocument, Prepared]):
    """``prepare`` over batches, in this process (``workers`` = 0) or in worker processes."""

    def __init__(self, workers: int, timeout: float, languages: tuple[str, ...] = ()) -> None:
        super().__init__(_prepare_here, _rejected, workers, timeout, languages)
