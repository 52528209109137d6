"""Search by meaning: the query embedded by the store's encoder (E5's ``query:`` side) and looked
up in the vector index the cluster writer keeps (a file beside the store, or the store's own
index where it has one: pgvector on a PostgreSQL server), so a query finds articles in any language and
script that say what it says, beside those that contain its words.

Vectors in the index are centered on their language's mean (crosswire.encode.centering); the
query is centered on the mean of the language it is detected in (the overall mean when too short
to tell), so its own language does not pull the results toward it.
"""

from __future__ import annotations

from pathlib import Path

from crosswire.cluster.ann import VectorIndex, file_version, settle, vector_index_path
from crosswire.encode import get_encoder
from crosswire.encode.centering import LanguageCentering
from crosswire.errors import CrosswireError, MissingDependency
from crosswire.service.common import encoder_spec
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import StoryFilter

# Centered cosine a result must reach: unrelated articles sit near 0 (99th percentile ~0.3 among
# WMT 2024 documents), a short query against an article that answers it around 0.3-0.5.
MIN_COSINE = 0.30
MIN_DETECT_CHARS = 20  # shorter queries are centered on the overall mean: too short to detect


def _query_language(query: str) -> str | None:
    if len(query) < MIN_DETECT_CHARS:
        return None
    from crosswire.lang import detect_language  # lazy: the detector is large

    return detect_language(query)


_INDEXES: dict[Path, tuple[tuple[int, int] | None, VectorIndex]] = {}


def _index(path: Path, ndim: int) -> VectorIndex:
    """The index file, loaded once per version of it (a server answers many queries between
    two ingests; loading 100,000 vectors takes longer than a search)."""
    settle(path)  # an ingest of this process still writing it
    version = file_version(path)
    cached = _INDEXES.get(path)
    if cached is not None and cached[0] == version and cached[1].ndim == ndim:
        return cached[1]
    index = VectorIndex(ndim, path)
    _INDEXES[path] = (version, index)
    return index


def meaning_matches(
    store: Store, settings: Settings, query: str, where: StoryFilter, limit: int
) -> list[tuple[str, float]]:
    """(article id, centered cosine) of the stored articles closest in meaning to ``query``,
    best first, those of ``where`` only; empty without an encoder or stored vectors."""
    spec = encoder_spec(settings)
    if spec is None or store.vector_count() == 0:
        return []
    try:
        encoder = get_encoder(spec)
    except (MissingDependency, CrosswireError):
        return []
    vector = encoder.encode([query])[0]
    sums = {k: v for k, v in store.language_vector_sums().items() if len(v[1]) == encoder.dimension}
    centering = LanguageCentering.for_encoder(spec, encoder.dimension, sums)
    centered = centering.center(vector[None, :], [_query_language(query)])[0]
    # The store's own index where it keeps one (pgvector on a shared PostgreSQL server: a reader
    # on another machine has no index file), else the file beside the store.
    nearest = store.nearest_vectors(centered, 4 * limit)
    if nearest is None:
        path = vector_index_path(Path(store.path)) if store.path else None
        if path is None or not path.is_file():
            return []
        try:
            nearest = _index(path, encoder.dimension).nearest(centered, 4 * limit)
        except (MissingDependency, CrosswireError):
            return []
    found = [(i, c) for i, c in nearest if c >= MIN_COSINE]
    if not found:
        return []
    briefs = store.article_briefs([i for i, _ in found])
    kept = []
    for article_id, cosine in found:
        brief = briefs.get(article_id)
        if brief is None or not _within(where, brief.language, brief.site, brief.published):
            continue
        kept.append((article_id, cosine))
    return kept[:limit]


def _within(where: StoryFilter, language: str | None, site: str | None, published: str | None) -> bool:
    if where.language and language != where.language:
        return False
    if where.site and site != where.site:
        return False
    day = published or ""
    if where.since and (not day or day < where.since):
        return False
    return not (where.until and (not day or day[: len(where.until)] > where.until))
