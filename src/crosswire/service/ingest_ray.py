"""Ingest and re-clean with the prepare stage on a Ray cluster (crosswire.executors.ray_engine).

For an ingest the cluster also runs the steps after preparing (the site pass, weighing,
candidates and scores, batch by batch: crosswire.service.planned) and this machine only reads
what the store holds, decides, in input order, and loads the store, in runs of at most
``PLANNED_ARTICLES`` inputs, each going on from the one before. For a re-clean the ordinary use
case (crosswire.service.ingest) replays what the cluster prepared, in order, on this machine.
Either way every decision is the local path's own code."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from crosswire.errors import CrosswireError
from crosswire.executors.ray_engine import RayJob, Replayed, Stage, prepared_documents, prepared_paths
from crosswire.service.common import stage_context
from crosswire.service.ingest import IngestReport, RecleanReport, ReclusterReport, reclean
from crosswire.service.planned import ingest_prepared, recluster_planned
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import RawDocument

# Inputs a planned ingest or recluster holds at once (crosswire.service.planned): every task reads
# the whole prefix state, about 18 KiB an article, and the driver holds the prepared articles too.
PLANNED_ARTICLES = 20_000


def _stage(settings: Settings) -> Stage:
    return Stage(stage_context(settings), settings.document_timeout)


def ingest_paths_ray(
    store: Store,
    paths: Sequence[str | Path],
    settings: Settings,
    job: RayJob,
    on_item: Callable[[int], None] | None = None,
) -> IngestReport:
    """``ingest_paths`` with the inputs read and prepared on ``job``'s cluster. Every machine of
    the cluster must see ``paths`` at the same place (a shared or synced folder)."""
    urls = [str(path) for path in paths if "://" in str(path)]
    if urls:
        raise CrosswireError(f"--engine ray reads files, folders and web archives, not URLs ({urls[0]})")
    prepared = prepared_paths(job, paths, _stage(settings))
    return ingest_prepared(store, prepared, settings, job.map, on_item, PLANNED_ARTICLES)


def _stored_inputs(store: Store) -> Iterator[RawDocument]:
    # The order and the skipped ones as ``reclean`` reads them.
    for article_id in store.all_article_ids():
        raw = store.raw(article_id)
        if raw is not None:
            yield raw


def reclean_ray(
    store: Store, settings: Settings, job: RayJob, on_item: Callable[[int], None] | None = None
) -> RecleanReport:
    """``reclean`` with the stored inputs prepared again on ``job``'s cluster (sent from here)."""
    replayed = Replayed(prepared_documents(job, _stored_inputs(store), _stage(settings)))
    return reclean(store, settings, on_item, preparer=replayed)


def recluster_ray(
    store: Store, settings: Settings, job: RayJob, on_item: Callable[[int], None] | None = None
) -> ReclusterReport:
    """``recluster`` with each batch's weighing, candidates and scores run on ``job``'s cluster
    (crosswire.service.planned); the decisions and the store's writes stay here, in parts of
    ``PLANNED_ARTICLES`` articles, each going on from the parts before."""
    return recluster_planned(store, settings, job.map, on_item, PLANNED_ARTICLES)
