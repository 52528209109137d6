"""End-to-end ingest (read + clean + analyse + represent + cluster + store) of news-stream pages
into a fresh SQLite store: articles/s, peak memory and bytes per article."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import peak_rss_mib, unpacked
from crosswire.service import ingest_paths
from crosswire.settings import Settings
from crosswire.store import SQLiteStore


def main() -> None:
    root = unpacked("data/news-stream/tgnews-2019-html.tar.xz")
    paths = sorted(root.rglob("*.html"))[: 300 if "--quick" in sys.argv else 2000]
    # CROSSWIRE_EXTRACTOR=fast measures the fast extraction path (docs/cleaning.md).
    extractor = os.environ.get("CROSSWIRE_EXTRACTOR", "default")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        store = SQLiteStore(db)
        start = time.perf_counter()
        report = ingest_paths(store, paths, Settings(db=str(db), extractor=extractor))
        seconds = time.perf_counter() - start
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
        stories = len(store.story_ids())
    rate = report.added / seconds
    markdown = (
        f"{len(paths)} news-stream pages ingested into a fresh store (workers: auto, 2 on this machine, "
        f"plus the writing process; {extractor} extractor): **{rate:.0f} articles/s** "
        f"({report.added} added, {sum(report.rejected.values())} rejected, {stories} stories); "
        f"peak memory {peak_rss_mib():.0f} MiB; {size / max(report.added, 1) / 1024:.1f} KiB of database per article "
        "(raw HTML kept, compressed)."
    )
    json.dump(
        {
            "title": "End-to-end ingest (news-stream pages)",
            "markdown": markdown,
            "articles_per_s": rate,
            "extractor": extractor,
            "db_bytes_per_article": size / max(report.added, 1),
            "peak_rss_mib": peak_rss_mib(),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
