"""Parquet tables of articles as input (crosswire.ingest.parquet): a row is read as a JSON Lines
object is, a bad row or a damaged file is a rejection, shards cut the rows so that every row is
read once, and an exported store's Parquet ingests into a fresh one."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from crosswire.ingest.files import read_paths
from crosswire.ingest.shards import plan_shards, read_shard
from crosswire.service import ingest_paths
from crosswire.service.export import export
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument, Rejection

pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed (pip install 'crosswire[parquet]')")
import pyarrow as pa  # noqa: E402 - only once pyarrow is known to be there


def _write(path: Path, rows: list[dict[str, Any]], row_group_size: int = 4) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), str(path), row_group_size=row_group_size)
    return path


def _rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "text": f"Report {i}\n\nThe council of town {i} met on Tuesday to discuss the budget. " * 3,
            "url": f"http://example.org/{i}",
            "title": f"Council {i}",
            "published": "2024-02-03",
            "rating": i,  # not an input column: ignored
        }
        for i in range(count)
    ]


def _key(item: RawDocument | Rejection) -> tuple[str, str]:
    return (item.source, item.body if isinstance(item, RawDocument) else item.reason)


def test_rows_are_read_as_json_objects_are(tmp_path: Path) -> None:
    rows = [*_rows(3), {"text": None, "url": "http://example.org/empty", "title": "x", "published": None, "rating": 0}]
    path = _write(tmp_path / "a.parquet", rows)
    found = list(read_paths([path]))
    documents = [item for item in found if isinstance(item, RawDocument)]
    assert [d.url for d in documents] == [f"http://example.org/{i}" for i in range(3)]
    assert documents[1].title == "Council 1" and documents[1].kind == "text" and documents[1].published == "2024-02-03"
    assert documents[2].source == f"{path}:2"
    [bad] = [item for item in found if isinstance(item, Rejection)]
    assert bad.source == f"{path}:3" and bad.reason == "bad-parquet"


def test_html_column_is_read_as_a_page(tmp_path: Path) -> None:
    html = "<html><head><title>T</title></head><body><article><p>The mayor spoke.</p></article></body></html>"
    path = _write(tmp_path / "p.parquet", [{"html": html, "source": "crawl-7"}])
    [page] = list(read_paths([path]))
    assert isinstance(page, RawDocument) and page.kind == "html" and page.source == "crawl-7"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"PAR1 not really parquet at all", "bad-parquet"), (b"", "bad-parquet")],
)
def test_a_damaged_file_is_one_rejection(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(content)
    [rejected] = list(read_paths([path]))
    assert isinstance(rejected, Rejection) and rejected.reason == reason and rejected.source == str(path)


def test_a_table_without_a_body_column_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.parquet", [{"title": "no body", "url": "http://example.org/"}])
    [rejected] = list(read_paths([path]))
    assert isinstance(rejected, Rejection) and "'text' or 'html'" in rejected.detail


def test_an_oversized_body_is_rejected_and_the_rest_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from crosswire.ingest import parquet

    monkeypatch.setattr(parquet, "MAX_JSON_LINE_BYTES", 100)
    path = _write(tmp_path / "big.parquet", [{"text": "x" * 500}, {"text": "short text"}])
    first, second = list(read_paths([path]))
    assert isinstance(first, Rejection) and first.reason == "too-large"
    assert isinstance(second, RawDocument) and second.body == "short text"


def test_without_pyarrow_the_file_is_rejected_with_the_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "a.parquet", _rows(2))
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    [rejected] = list(read_paths([path]))
    assert isinstance(rejected, Rejection) and "pip install 'crosswire[parquet]'" in rejected.detail


def test_shards_cut_the_rows_and_read_each_once(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder / "big.parquet", _rows(25), row_group_size=4)
    (folder / "note.txt").write_text("A note\n\nThe council met on Tuesday. " * 10)
    shards, rejected = plan_shards([folder], 3)
    assert rejected == [] and len([s for s in shards if s.archive is not None]) == 3
    everything = sorted(_key(item) for item in read_paths([folder]))
    from_shards = sorted(_key(item) for shard in shards for item in read_shard(shard))
    assert from_shards == everything and len(everything) == 26


def test_an_exported_store_ingests_back_from_parquet(tmp_path: Path) -> None:
    source_db = tmp_path / "source.db"
    store = SQLiteStore(source_db)
    _write(tmp_path / "in.parquet", _rows(5))
    report = ingest_paths(store, [tmp_path / "in.parquet"], Settings(db=str(source_db), workers=0, encoder="none"))
    assert (report.added, sum(report.rejected.values())) == (5, 0)
    exported = tmp_path / "out" / "articles.parquet"
    exported.parent.mkdir()
    assert export(store, "articles", "parquet", exported, sys.stdout) == 5
    fresh_db = tmp_path / "fresh.db"
    fresh = SQLiteStore(fresh_db)
    again = ingest_paths(fresh, [exported], Settings(db=str(fresh_db), workers=0, encoder="none"))
    assert (again.added, sum(again.rejected.values())) == (5, 0)
    titles = {a.url: a.title for a in fresh.articles(fresh.all_article_ids())}
    assert titles == {f"http://example.org/{i}": f"Council {i}" for i in range(5)}
