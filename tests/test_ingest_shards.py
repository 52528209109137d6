"""Inputs split into shards: every input in exactly one shard, files balanced by size, archives
cut at record boundaries; reading every shard gives what reading everything gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_sources_warc import _page, write_warc

from crosswire.ingest.files import read_paths
from crosswire.ingest.shards import Shard, plan_shards, read_shard
from crosswire.types import RawDocument, Rejection


def _key(item: RawDocument | Rejection) -> tuple[str, str]:
    return (item.source, item.body if isinstance(item, RawDocument) else item.reason)


@pytest.mark.parametrize("compress", [True, False])
def test_shards_read_every_input_once(tmp_path: Path, compress: bool) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(7):
        (folder / f"a{i}.txt").write_text(f"Report {i}\n\n" + "The council met on Tuesday. " * (i + 1) * 20)
    records = [(f"http://example.org/{i}", "200 OK", "text/html", _page(i)) for i in range(25)]
    records.insert(5, ("http://example.org/gone", "404 Not Found", "text/html", b"<html></html>"))
    write_warc(folder / "crawl.warc.gz" if compress else folder / "crawl.warc", records, compress=compress)
    shards, rejected = plan_shards([folder], 3)
    assert rejected == []
    archive_shards = [s for s in shards if s.archive is not None]
    assert len(archive_shards) == 3 and len([s for s in shards if s.paths]) == 3
    everything = sorted(_key(item) for item in read_paths([folder]))
    from_shards = sorted(_key(item) for shard in shards for item in read_shard(shard))
    assert from_shards == everything and len(everything) == 7 + 25


def test_files_are_balanced_by_size(tmp_path: Path) -> None:
    sizes = [9000, 5000, 4000, 3000, 3000, 2000, 1000]
    for i, size in enumerate(sizes):
        (tmp_path / f"f{i}.txt").write_text("x" * size)
    shards, _ = plan_shards([tmp_path], 3)
    totals = sorted(sum((tmp_path / Path(p).name).stat().st_size for p in shard.paths) for shard in shards)
    assert sum(totals) == sum(sizes) and totals[-1] - totals[0] <= max(sizes)
    assert sorted(p for shard in shards for p in shard.paths) == sorted(str(tmp_path / f"f{i}.txt") for i in range(7))


def test_what_cannot_be_read_is_reported_not_sharded(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("Report\n\nThe council met on Tuesday and agreed the budget.")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    shards, rejected = plan_shards([tmp_path], 4)
    assert shards == [Shard(paths=(str(tmp_path / "ok.txt"),))]
    assert [r.reason for r in rejected] == ["broken-link"]
