"""The prepare stage on the local executor: what ingest, compare and eval run their documents
through (see crosswire.stages and crosswire.executors)."""

from __future__ import annotations

from functools import partial

from crosswire import stages
from crosswire.executors.local import LocalExecutor
from crosswire.stages import DEFAULT_CONTEXT, Prepared, PreparedDocument, StageContext
from crosswire.types import RawDocument, Rejection

__all__ = ["Prepared", "PreparedDocument", "Preparer", "prepare"]


def prepare(raw: RawDocument, context: StageContext = DEFAULT_CONTEXT) -> Prepared:
    return stages.prepare(raw, context)


def _rejected(raw: RawDocument, reason: str, detail: str) -> Rejection:
    return Rejection(raw.source, reason, detail)


def _prepare_here(raw: RawDocument, context: StageContext = DEFAULT_CONTEXT) -> Prepared:
    # Looked up at call time, in whichever process runs it, so a test can stand in for it.
    return prepare(raw, context)


_WARM_UP = (
    "Talks in Geneva\n\nThe delegations of the United States and Russia met in Geneva on 10 January 2022.",
    "Переговоры в Женеве\n\nДелегации России и США встретились в Женеве 10 января 2022 года.",
    "Переговори в Женеві\n\nДелегації Росії та США зустрілися в Женеві 10 січня 2022 року.",
)


def _warm_up(context: StageContext) -> None:
    """Prepare (and encode) a few small documents: loads the extractors', analysers' and
    encoder's tables and weights."""
    stages.encode([stages.prepare(RawDocument(source="warm-up", body=body), context) for body in _WARM_UP], context)


class Preparer(LocalExecutor[RawDocument, Prepared]):
    """``prepare`` over batches, in this process (``workers`` = 0) or in worker processes."""

    def __init__(self, workers: int, timeout: float, context: StageContext | tuple[str, ...] = DEFAULT_CONTEXT) -> None:
        if isinstance(context, tuple):  # a language set alone
            context = StageContext(languages=context)
        stage = _prepare_here if context == DEFAULT_CONTEXT else partial(_prepare_here, context=context)
        finish = partial(stages.encode, context=context) if context.encoder is not None else None
        super().__init__(stage, _rejected, workers, timeout, context.languages, partial(_warm_up, context), finish)
