"""Plumbing the use cases share: batching, the worker pipeline, dense vectors."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import islice
from typing import Any

from crosswire.clean import require_extractor
from crosswire.encode import Encoder, encode_articles, get_encoder
from crosswire.pipeline import Prepared, Preparer
from crosswire.represent import represent
from crosswire.settings import Settings
from crosswire.stages import StageContext
from crosswire.types import Article, Rejection, Representation


def encoder_of(settings: Settings) -> Encoder | None:
    """The configured dense encoder, loaded once per process; None for lexical-only settings."""
    return get_encoder(settings.encoder) if settings.encoder else None


def with_vectors(
    reps: Sequence[Representation], articles: Sequence[Article], encoder: Encoder | None
) -> list[Representation]:
    """``reps`` with the dense vectors of their ``articles`` (one encoder call per batch)."""
    if encoder is None or not reps:
        return list(reps)
    vectors = encode_articles(encoder, articles)
    return [replace(rep, vector=vector) for rep, vector in zip(reps, vectors, strict=True)]


def batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def preparer_for(settings: Settings, first_batch: Sequence[Any]) -> Preparer:
    workers = settings.workers
    if workers < 0:  # auto: worker processes pay off only beyond one batch
        workers = (os.cpu_count() or 1) if len(first_batch) >= settings.batch_size else 0
    return Preparer(workers, settings.document_timeout, stage_context(settings))


def stage_context(settings: Settings) -> StageContext:
    """What the per-document stages take from the settings. Fails here, before any document,
    when the extractor's package is missing."""
    require_extractor(settings.extractor)
    return StageContext(
        languages=settings.language_codes, encoder=settings.encoder or None, extractor=settings.extractor
    )


CHUNK = 256


def represent_prepared(prepared: Sequence[Prepared], encoder: Encoder | None) -> list[Representation | Rejection]:
    """Representations (with vectors when an encoder is set) of prepared documents, without a
    store; a Rejection stays in its place."""
    done = [item for item in prepared if not isinstance(item, Rejection)]
    reps = iter(with_vectors([represent(d.analysis) for d in done], [d.article for d in done], encoder))
    return [item if isinstance(item, Rejection) else next(reps) for item in prepared]
