"""Evaluation on a user's data, scored exactly as the product scores (see crosswire.evaluate)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from crosswire.clean import article_id
from crosswire.errors import CrosswireError
from crosswire.evaluate import clusters as _clusters_eval
from crosswire.evaluate import pairs as _pairs_eval
from crosswire.evaluate import retrieval as _retrieval_eval
from crosswire.link import similarity
from crosswire.service.common import (
    CHUNK,
    batches,
    count_vectors,
    encoder_of,
    fusion_for,
    preparer_for,
    represent_prepared,
)
from crosswire.service.compare import compare_pairs
from crosswire.service.ingest import ingest
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import RawDocument, Rejection, Representation

# crosswire.evaluate holds the readers and metrics; the cleaning, analysis and scoring it
# measures are the ones `compare --pairs` uses, passed in from here.


def represent_documents(
    raws: Sequence[RawDocument], settings: Settings, on_item: Callable[[int], None] | None = None
) -> list[Representation | Rejection]:
    """Clean and analyse ``raws`` through the worker pipeline (each once), then represent them
    without a store; a document that cannot be cleaned comes back as its Rejection, in place."""
    results: list[Representation | Rejection] = []
    encoder = encoder_of(settings)
    with preparer_for(settings, raws) as preparer:
        for chunk in batches(raws, CHUNK):
            results += represent_prepared(preparer.run(chunk), encoder)
            if on_item:
                on_item(len(chunk))
    return results


def evaluate_pairs(
    path: Path,
    settings: Settings,
    *,
    native_only: bool = False,
    limit: int | None = None,
    on_item: Callable[[int], None] | None = None,
) -> _pairs_eval.PairsReport:
    """Pearson of the pair score against human judgements on a SemEval-2022 Task 8 CSV, scored as
    `compare --pairs` scores (see crosswire.evaluate.pairs)."""
    return _pairs_eval.evaluate_pairs(
        path, lambda lines: compare_pairs(lines, settings), native_only=native_only, limit=limit, on_item=on_item
    )


def evaluate_retrieval(
    path: Path,
    settings: Settings,
    *,
    pairs: Sequence[str] = (),
    all_pairs: bool = False,
    on_item: Callable[[int], None] | None = None,
) -> _retrieval_eval.RetrievalReport:
    """P@1 and MRR of finding each document's translation among all candidates, per language
    pair (``pairs`` as "ru-en"; default every other language to English) and per domain (see
    crosswire.evaluate.retrieval)."""
    if pairs and all_pairs:
        raise CrosswireError("give either --pairs or --all-pairs, not both")
    directions = [_retrieval_eval.Direction.parse(spec) for spec in pairs]
    fusion = fusion_for(settings)

    def represent_all(raws: Sequence[RawDocument]) -> list[Representation | Rejection]:
        reps = represent_documents(raws, settings, on_item)
        count_vectors(fusion, reps)  # the documents are the collection: centered on their means
        return reps

    return _retrieval_eval.evaluate_retrieval(
        path,
        represent_all,
        score=lambda a, b: similarity(a, b, with_reasons=False, fusion=fusion).score,
        directions=directions or None,
        all_pairs=all_pairs,
        on_item=on_item,
    )


def evaluate_clusters(
    store: Store,
    path: Path,
    settings: Settings,
    *,
    ingest_missing: bool = False,
    on_item: Callable[[int], None] | None = None,
) -> _clusters_eval.ClustersReport:
    """B-cubed of the store's stories and events against the gold groups in ``path`` (see
    crosswire.evaluate.clusters); with ``ingest_missing`` the gold texts not yet stored are
    ingested first, after whatever (distractors) the store already holds."""
    items, skipped = _clusters_eval.gold_items(path)
    if ingest_missing:
        ingest(store, [item.raw for item in items], settings, on_item)
    gold = {article_id(item.raw): item.group for item in items}
    placed = store.assignments(list(gold))
    return _clusters_eval.ClustersReport(
        stories=_clusters_eval.bcubed(gold, {i: a.story_id for i, a in placed.items()}),
        events=_clusters_eval.bcubed(gold, {i: a.event_id for i, a in placed.items()}),
        gold_items=len(gold),
        groups=len(set(gold.values())),
        missing=len(gold) - len(placed),
        skipped=skipped,
    )
