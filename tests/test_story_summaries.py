"""Story summaries: titles per language, counts, timeline, top names and places; kept in the store
by every writer and listed page by page without reading the stories' articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from crosswire import service
from crosswire.cluster.summary import summarize
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.store import sqlite as sqlite_store
from crosswire.types import StoryMember

UK = ROOT / "examples" / "000_a69a3fb0b83d7f83.txt"
RU = ROOT / "examples" / "002_0c491f7abdee406b.txt"
OTHERS = [  # unrelated reports: one story each
    {
        "title": "Cup final",
        "text": "The home side won the cup final 3-1 on Saturday in Manchester after two late goals, and the "
        "manager praised the young striker who scored twice in the last ten minutes.",
        "published": "2022-03-05",
        "site": "sport.example.com",
        "language": "en",
    },
    {
        "title": "Harvest",
        "text": "Farmers in the south expect a record wheat harvest this summer after a mild winter and steady "
        "spring rain, the agriculture ministry said on Tuesday in its monthly report.",
        "published": "2022-02-08",
        "site": "farm.example.com",
        "language": "en",
    },
    {
        "title": "Hochwasser an der Elbe sinkt",
        "text": "Der Pegel der Elbe in Dresden ist über Nacht um einen halben Meter gefallen, teilte das "
        "Umweltamt am Montag mit; die Sperrungen an den Ufern bleiben vorerst bestehen.",
        "published": "2022-01-10",
        "site": "zeitung.example.de",
        "language": "de",
    },
]


def _settings(db: Path) -> Settings:
    return Settings(db=str(db), workers=0)


def _ingest(store: SQLiteStore, db: Path, *paths: Path) -> None:
    service.ingest_paths(store, list(paths), _settings(db))


def _summary_rows(store: SQLiteStore) -> dict[str, int]:
    return dict(store.db.execute("SELECT story_id, articles FROM story_summaries").fetchall())


@pytest.fixture
def seeded(db: Path) -> SQLiteStore:
    store = SQLiteStore(db)
    _ingest(store, db, UK, RU)
    return store


def test_the_seeds_story_has_a_title_per_language_counts_and_their_names(seeded: SQLiteStore) -> None:
    (story,) = service.stories(seeded)
    assert story.article_count == 2 and len(story.articles) == 2
    assert dict(story.language_counts) == {"uk": 1, "ru": 1}
    titles = dict(story.titles)
    assert titles["ru"].startswith("Будет три раунда")  # a real title
    assert titles["uk"].startswith("Росія, зіткнувшись")  # no title: the first sentence
    assert story.title == titles["ru"]  # a real title beats a first sentence
    # Lavrov meets across Ukrainian and Russian under one key, with both forms shown.
    lavrov = next(m for m in story.entities if m.key == "lvrv")
    assert lavrov.kind == "person" and lavrov.articles == 2
    assert {"Лавров", "Лаврова"} <= set(lavrov.surfaces) and lavrov.surfaces[0] == "Лавров"
    assert story.entities[0].articles == 2 and any(m.key == "org:nato" for m in story.entities)
    places = {m.key: m for m in story.places}
    assert {"RU", "US", "UA"} <= set(places) and places["US"].articles == 2
    assert all(len(key) == 2 and key.isupper() for key in places)  # countries, not cities
    assert story.mention_sample == 2
    # The listing reads the same summary from its stored row, without the articles.
    (listed,) = service.stories(seeded, with_articles=False)
    assert listed.articles == () and listed.events[0].article_ids == ()
    assert (listed.titles, listed.entities, listed.places) == (story.titles, story.entities, story.places)
    assert service.story(seeded, story.id) == story


def _member(article_id: str, event: str, language: str, published: str | None, title: str | None) -> StoryMember:
    return StoryMember(
        article_id, event, language, f"{language}.example", published, title, title or f"Lead {article_id}."
    )


def test_timeline_is_by_date_with_undated_events_last_and_titles_prefer_real_ones() -> None:
    members = [
        _member("a4", "e-a4", "en", None, "Undated follow-up"),
        _member("a3", "e-a2", "de", "2022-01-14", "Gespräche in Genf"),
        _member("a2", "e-a2", "en", "2022-01-13T09:00:00+00:00", None),
        _member("a1", "e-a1", "en", "2022-01-10", None),
        _member("a5", "e-a1", "en", "2022-01-11", "Talks announced"),
    ]
    entities = {"a1": [("lavrov", "Lavrov", "person")] * 2, "a3": [("lavrov", "Lawrow", "person")], "a5": []}
    places = {"a3": [("CH", "Genf", "place"), ("geneva", "Genf", "place")]}
    story = summarize("s-a1", members, entities, places)
    assert [e.id for e in story.events] == ["e-a1", "e-a2", "e-a4"]
    first, second, undated = story.events
    assert (first.first_date, first.last_date, first.article_count) == ("2022-01-10", "2022-01-11", 2)
    assert first.title == "Talks announced"  # the earliest real title, not an earlier first sentence
    assert second.languages == ("de", "en") and second.title == "Gespräche in Genf"
    assert undated.first_date is None and undated.title == "Undated follow-up"
    assert story.title == "Talks announced"
    assert dict(story.titles) == {"en": "Talks announced", "de": "Gespräche in Genf"}
    assert story.language_counts == (("en", 4), ("de", 1)) and story.languages == ("en", "de")
    assert (story.first_date, story.last_date) == ("2022-01-10", "2022-01-14")
    assert story.entities[0].key == "lavrov" and story.entities[0].surfaces == ("Lavrov", "Lawrow")
    assert story.entities[0].articles == 2 and [p.key for p in story.places] == ["CH"]
    assert story.mention_sample == 3


def test_listing_pages_and_filters_stories(seeded: SQLiteStore, db: Path, tmp_path: Path) -> None:
    others = tmp_path / "others.jsonl"
    others.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in OTHERS), encoding="utf-8")
    _ingest(seeded, db, others)
    titles = [s.title for s in service.stories(seeded, with_articles=False)]
    # Most recently active first; the undated seeds' story last.
    assert titles[:3] == ["Cup final", "Harvest", "Hochwasser an der Elbe sinkt"]
    assert titles[3].startswith("Будет три раунда") and len(titles) == 4
    assert [s.title for s in service.stories(seeded, limit=2, offset=1)] == titles[1:3]
    assert [s.title for s in service.stories(seeded, language="de")] == ["Hochwasser an der Elbe sinkt"]
    assert [s.title for s in service.stories(seeded, language="uk")] == titles[3:]
    assert [s.title for s in service.stories(seeded, site="farm.example.com")] == ["Harvest"]
    assert [s.title for s in service.stories(seeded, since="2022-02")] == titles[:2]
    assert [s.title for s in service.stories(seeded, until="2022-02-08")] == titles[1:3]
    assert [s.title for s in service.stories(seeded, since="2022-01-10", until="2022-01-10")] == [titles[2]]
    assert service.story_count(seeded) == 4 and service.story_count(seeded, language="en") == 2
    paged = service.stories(seeded, limit=1, language="en")
    assert [s.title for s in paged] == ["Cup final"] and len(paged[0].articles) == 1
    assert paged[0].sites == (("sport.example.com", 1),) and paged[0].first_date == "2022-03-05"


def test_summaries_follow_ingest_and_recluster(db: Path) -> None:
    store = SQLiteStore(db)
    _ingest(store, db, UK)
    assert _summary_rows(store) == {"s-e0769438944e7a2a": 1}
    assert service.stories(store)[0].languages == ("uk",)
    _ingest(store, db, RU)  # joins the Ukrainian report's story: its summary is refreshed
    (story,) = service.stories(store)
    assert _summary_rows(store) == {"s-e0769438944e7a2a": 2} and story.languages == ("ru", "uk")
    # Recluster rebuilds every summary from the new stories: none is left for a story id that no
    # longer holds articles.
    with store.transaction():
        store.db.execute("UPDATE story_summaries SET story_id = 's-gone', articles = 7")
    service.recluster(store, _settings(db))
    (story_id,) = {placed.story_id for placed in store.all_assignments()}
    assert _summary_rows(store) == {story_id: 2}
    assert service.story(store, story_id).languages == ("ru", "uk")


def test_refresh_drops_a_story_left_without_articles(seeded: SQLiteStore, db: Path, tmp_path: Path) -> None:
    others = tmp_path / "others.jsonl"
    others.write_text(json.dumps(OTHERS[0]), encoding="utf-8")
    _ingest(seeded, db, others)
    seeds, cup = (s.id for s in service.stories(seeded, with_articles=False)[::-1])
    with seeded.transaction():  # what a story merge does: move every article of one story to another
        seeded.db.execute("UPDATE assignments SET story_id = ? WHERE story_id = ?", (seeds, cup))
        seeded.db.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (seeds, cup))
        service.refresh_summaries(seeded, {seeds, cup})
    assert _summary_rows(seeded) == {seeds: 3}
    (merged,) = service.stories(seeded, language="en")
    assert merged.id == seeds and merged.events[0].title == "Cup final"  # dated, so first
    assert sum(event.article_count for event in merged.events) == 3


def test_a_store_from_before_summaries_gets_them_on_first_read(
    seeded: SQLiteStore, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = service.stories(seeded)
    seeded.db.executescript("DROP TABLE story_summaries; DROP TABLE story_facets; PRAGMA user_version = 4;")
    seeded.close()
    # Re-apply migration 005 alone (later ones are already in place).
    migrations = sqlite_store._migrations()
    monkeypatch.setattr(sqlite_store, "_migrations", lambda: [m for m in migrations if m[0] == 5])
    reopened = SQLiteStore(db)
    assert reopened.story_summaries_stale() and _summary_rows(reopened) == {}
    assert service.stories(reopened) == expected
    assert not reopened.story_summaries_stale() and len(_summary_rows(reopened)) == 1


def test_show_and_stories_print_the_summary_without_reading_markup(db: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.json"
    hostile.write_text(
        json.dumps({**OTHERS[1], "title": "[bold red]Harvest[/bold red] \x1b[31m"}, ensure_ascii=False),
        encoding="utf-8",
    )
    assert run_cli("ingest", str(hostile), str(UK), str(RU), db=db).returncode == 0
    listed = [json.loads(line) for line in run_cli("stories", "--json", "--limit", "1", db=db).stdout.splitlines()]
    assert len(listed) == 1 and listed[0]["title"] == "[bold red]Harvest[/bold red] \x1b[31m"
    assert listed[0]["article_count"] == 1 and listed[0]["events"][0]["article_ids"] == [listed[0]["articles"][0]["id"]]
    shown = run_cli("show", listed[0]["id"], db=db)
    assert shown.returncode == 0 and "[bold red]Harvest[/bold red]" in shown.stdout and "\x1b[31m" not in shown.stdout
    table = run_cli("stories", "--language", "uk", db=db)
    assert table.returncode == 0 and "\tru,uk\t" in table.stdout and table.stderr == "1 story\n"  # piped: TSV
    seeds = next(json.loads(line) for line in run_cli("stories", "--json", "--offset", "1", db=db).stdout.splitlines())
    assert seeds["titles"]["ru"].startswith("Будет три раунда")
    assert any(e["key"] == "lvrv" and "Лаврова" in e["surfaces"] for e in seeds["entities"])
    detail = run_cli("show", seeds["id"], db=db).stdout
    assert "Лавров / Лаврова [lvrv] (2)" in detail and "[RU] (2)" in detail and "uk: Росія" in detail


def test_a_large_story_is_summarized_again_only_once_it_has_grown(tmp_path: Path) -> None:
    from dataclasses import replace as with_fields

    from crosswire.service import ingest, stories, story
    from crosswire.service.stories import ALWAYS_REFRESH_UP_TO
    from crosswire.settings import Settings
    from crosswire.store import SQLiteStore
    from crosswire.types import RawDocument

    base = (
        "The central bank of Norway raised its key interest rate to 4.5 percent on Thursday, "
        "governor Ida Wolden Bache told reporters in Oslo, citing persistent inflation."
    )
    store = SQLiteStore(tmp_path / "store.db")
    settings = with_fields(Settings(workers=0), story_threshold=0.3)
    small = ALWAYS_REFRESH_UP_TO
    raws = [RawDocument(source=f"r{i}", body=f"{base} Report {i}.", language="en") for i in range(small + 3)]
    ingest(store, raws[: small + 1], settings)
    (story_id,) = set(store.story_of_articles().values())
    assert store.story_summary(story_id).article_count == small + 1  # type: ignore[union-attr]
    ingest(store, raws[small + 1 :], settings)
    # Grown by less than REFRESH_GROWTH: the stored row waits, readers see the story as it is.
    assert store.story_summary(story_id).article_count == small + 1  # type: ignore[union-attr]
    assert store.summaries_due([story_id]) == {story_id}
    assert story(store, story_id).article_count == small + 3
    assert stories(store, with_articles=False)[0].article_count == small + 3


def test_a_bulk_ingest_leaves_no_summary_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ingest of SETTLE_AFTER articles or more stores the summaries of the stories marked
    due, so that listings read stored rows; a smaller one leaves them due."""
    import importlib

    from crosswire.service import ingest, stories
    from crosswire.types import RawDocument

    stories_module = importlib.import_module("crosswire.service.stories")  # the module, not the function

    store = SQLiteStore(tmp_path / "store.db")
    settings = Settings(workers=0)
    ingest(store, [RawDocument(source=str(UK), body=UK.read_text(encoding="utf-8"))], settings)
    (story_id,) = set(store.story_of_articles().values())
    store.mark_summaries_due([story_id])
    monkeypatch.setattr(stories_module, "SETTLE_AFTER", len(OTHERS))
    texts = [f"{other['title']}\n\n{other['text']}" for other in OTHERS]
    ingest(store, [RawDocument(source=f"o{i}", body=text) for i, text in enumerate(texts[1:])], settings)
    assert store.summaries_due([story_id]) == {story_id}  # fewer than SETTLE_AFTER added
    ingest(store, [RawDocument(source=f"p{i}", body=text + " More.") for i, text in enumerate(texts)], settings)
    assert store.summaries_due(store.story_ids()) == set()
    assert {s.id for s in stories(store, with_articles=False)} == set(store.story_ids())
