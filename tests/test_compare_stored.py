"""The comparison of two stored articles (the web compare page) shows the score clustering used,
not a fresh one computed without the store's document frequencies."""

from __future__ import annotations

from pathlib import Path

from crosswire.service import ingest_paths
from crosswire.service.articles import compare_stored
from crosswire.service.compare import compare_articles
from crosswire.settings import Settings
from crosswire.store import SQLiteStore


def _filler(i: int) -> str:
    # Other reports in the store change the document frequencies the writer weighs with.
    return (
        f"Match report {i}: the home side won the cup final 3-1 on Saturday after two late goals.\n\n"
        "The coach praised the defence and said the team would rest before the league resumes.\n"
    )


def test_the_compare_page_shows_the_score_clustering_used(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    for i in range(6):
        (tmp_path / f"filler{i}.txt").write_text(_filler(i), encoding="utf-8")
    store = SQLiteStore(db)
    settings = Settings(db=str(db), workers=0)
    ingest_paths(store, [tmp_path / f"filler{i}.txt" for i in range(6)], settings)
    ingest_paths(store, [seeds], settings)
    uk, ru = sorted(seeds.glob("*.txt"))
    ids = {a.source: a.id for a in store.articles(store.all_article_ids())}
    a, b = store.article(ids[str(uk)]), store.article(ids[str(ru)])
    assert a is not None and b is not None
    placed = store.assignments([b.id])[b.id]  # the Russian report came second and joined the first
    assert placed.score > 0 and store.assignments([a.id])[a.id].story_id == placed.story_id
    shown = compare_stored(store, a.id, b.id, settings).similarity
    assert shown.score == placed.score
    assert any(reason.key == "lvrv" for reason in shown.reasons)
    # Without the store's frequencies the same pair scores otherwise: what the page used to show.
    assert compare_articles(a, b, settings).score != placed.score
