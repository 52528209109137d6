"""Export of articles and stories as JSON Lines, CSV and Parquet, and the JSON Lines round trip:
an exported store ingested into a fresh one gives the same article ids and texts."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from conftest import run_cli
from fixture_server import article

from crosswire.errors import MissingDependency
from crosswire.service import ingest_paths
from crosswire.service.export import ARTICLE_COLUMNS, export
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument


def _filled_store(folder: Path, seeds: Path) -> SQLiteStore:
    """The two seed articles (plain text) and three HTML pages with hints."""
    pages = folder / "pages.jsonl"
    lines = []
    for number in range(3):
        title, text = article(number)
        html = f"<html><body><article><h1>{title}</h1><p>{text}</p></article></body></html>"
        hints = {"url": f"http://example.org/{number}", "published": "2024-02-03", "captured": "2024-02-03T11:00:00Z"}
        lines.append(json.dumps({"html": html, **hints}))
    pages.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = folder / "source.db"
    store = SQLiteStore(db)
    report = ingest_paths(store, [seeds, pages], Settings(db=str(db), workers=0))
    assert report.added == 5
    return store


def _texts(store: SQLiteStore) -> dict[str, str]:
    return {a.id: a.text for a in store.articles(store.all_article_ids())}


def test_exported_articles_ingest_back_into_the_same_articles(tmp_path: Path, seeds: Path) -> None:
    store = _filled_store(tmp_path, seeds)
    exported = tmp_path / "articles.jsonl"
    assert export(store, "articles", "jsonl", exported, sys.stdout) == 5
    lines = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert {line["id"] for line in lines} == set(_texts(store))
    page = next(line for line in lines if line.get("url") == "http://example.org/1")
    assert page["html"].startswith("<html>") and page["captured"] == "2024-02-03T11:00:00Z"
    assert page["article"]["title"] == article(1)[0] and page["story_id"].startswith("s-")

    fresh_db = tmp_path / "fresh.db"
    fresh = SQLiteStore(fresh_db)
    report = ingest_paths(fresh, [exported], Settings(db=str(fresh_db), workers=0))
    assert (report.added, sum(report.rejected.values())) == (5, 0)
    assert _texts(fresh) == _texts(store)
    for article_id in _texts(store):
        before, after = store.raw(article_id), fresh.raw(article_id)
        assert isinstance(before, RawDocument) and isinstance(after, RawDocument)
        assert (after.source, after.url, after.captured, after.kind) == (
            before.source,
            before.url,
            before.captured,
            before.kind,
        )


def test_csv_has_one_row_per_article_and_per_story(tmp_path: Path, seeds: Path) -> None:
    store = _filled_store(tmp_path, seeds)
    out = io.StringIO()
    assert export(store, "articles", "csv", None, out) == 5
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == ARTICLE_COLUMNS and len(rows) == 5
    assert {row["id"] for row in rows} == set(_texts(store))
    out = io.StringIO()
    count = export(store, "stories", "csv", None, out)
    stories = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(stories) == count and sum(int(row["article_count"]) for row in stories) == 5
    assert {"ru; uk", "uk; ru"} & {row["languages"] for row in stories}  # the seeds: one story, two languages


def test_stories_as_json_lines_hold_every_article_once(tmp_path: Path, seeds: Path) -> None:
    store = _filled_store(tmp_path, seeds)
    out = io.StringIO()
    export(store, "stories", "jsonl", None, out)
    stories = [json.loads(line) for line in out.getvalue().splitlines()]
    ids = [article_id for story in stories for article_id in story["article_ids"]]
    assert sorted(ids) == sorted(_texts(store))
    for story in stories:
        assert sorted(i for event in story["events"] for i in event["article_ids"]) == sorted(story["article_ids"])


def test_parquet_round_trips_through_pyarrow(tmp_path: Path, seeds: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    store = _filled_store(tmp_path, seeds)
    path = tmp_path / "articles.parquet"
    assert export(store, "articles", "parquet", path, sys.stdout) == 5
    table = parquet.read_table(path)
    assert table.num_rows == 5 and tuple(table.column_names) == ARTICLE_COLUMNS
    assert set(table.column("id").to_pylist()) == set(_texts(store))
    stories = tmp_path / "stories.parquet"
    export(store, "stories", "parquet", stories, sys.stdout)
    assert sum(parquet.read_table(stories).column("article_count").to_pylist()) == 5


def test_parquet_without_pyarrow_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    store = SQLiteStore(tmp_path / "empty.db")
    with pytest.raises(MissingDependency, match=r"pip install 'crosswire\[parquet\]'"):
        export(store, "articles", "parquet", tmp_path / "out.parquet", sys.stdout)


def test_the_export_command(tmp_path: Path, seeds: Path, db: Path) -> None:
    assert run_cli("ingest", str(seeds), db=db).returncode == 0
    done = run_cli("export", "articles", "--format", "jsonl", db=db)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 2
    out = tmp_path / "stories.csv"
    done = run_cli("export", "stories", "--format", "csv", "--output", str(out), db=db)
    assert done.returncode == 0 and "exported 1 story to" in done.stderr
    bad = run_cli("export", "articles", "--format", "xml", db=db)
    assert bad.returncode == 1 and "format 'xml'" in bad.stderr
    binary = run_cli("export", "articles", "--format", "parquet", db=db)
    assert binary.returncode == 1 and "--output" in binary.stderr
