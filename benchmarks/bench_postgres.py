"""End-to-end ingest of news-stream pages into PostgreSQL against SQLite, in the same run: the
same pages, the same `ingest_paths` (as `crosswire ingest` runs it), a fresh store each; the
PostgreSQL server is a throwaway one on a loopback port with fsync on (benchmarks.postgres_server).
Target: PostgreSQL at >= 80% of the SQLite rate. ``--profile`` adds where the PostgreSQL run spent
its writer's time (cProfile of the writing process, top functions by own time)."""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Skip, unpacked
from benchmarks.postgres_server import PostgresServer, missing
from crosswire.service import ingest_paths
from crosswire.settings import load_settings
from crosswire.store import open_store


def ingest_once(location: str, paths: list[Path], profile: cProfile.Profile | None = None) -> dict[str, float]:
    store = open_store(location)
    settings = load_settings(location)
    start = time.perf_counter()
    if profile is not None:
        profile.enable()
    report = ingest_paths(store, paths, settings)
    if profile is not None:
        profile.disable()
    seconds = time.perf_counter() - start
    stories = len(store.story_ids())
    store.close()
    return {"rate": report.added / seconds, "seconds": seconds, "added": report.added, "stories": stories}


def _top(profile: cProfile.Profile, n: int = 12) -> str:
    """The top functions by own time, and the store's methods by time spent in them."""
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("tottime").print_stats(n)
    stats.sort_stats("cumulative").print_stats("store/postgres", n)
    return out.getvalue()


def main() -> None:
    why = missing()
    if why:
        raise Skip(why)
    size = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--pages=")), 2000)
    if "--quick" in sys.argv:
        size = 300
    root = unpacked("data/news-stream/tgnews-2019-html.tar.xz")
    paths = sorted(root.rglob("*.html"))[:size]
    server = PostgresServer(durable=True).start()
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
            sqlite = ingest_once(str(Path(folder) / "bench.db"), paths)
            postgres = ingest_once(server.new_database(), paths, profile)
    finally:
        server.stop()
    ratio = postgres["rate"] / sqlite["rate"]
    markdown = (
        f"{len(paths)} news-stream pages ingested by `ingest_paths` (as `crosswire ingest`) into a fresh "
        f"SQLite file and into a fresh PostgreSQL database (a local server on loopback, fsync on), one run "
        f"each in the same process: SQLite **{sqlite['rate']:.0f} articles/s** ({sqlite['seconds']:.0f} s), "
        f"PostgreSQL **{postgres['rate']:.0f} articles/s** ({postgres['seconds']:.0f} s): ratio "
        f"**{ratio:.2f}** (target ≥ 0.80). Stories: {sqlite['stories']:.0f} and {postgres['stories']:.0f}. "
        f"1-minute load average at the end: {os.getloadavg()[0]:.1f}."
    )
    result: dict[str, object] = {
        "title": "Ingest into PostgreSQL against SQLite (news-stream pages)",
        "markdown": markdown,
        "sqlite": sqlite,
        "postgres": postgres,
        "ratio": ratio,
    }
    if profile is not None:
        result["profile"] = _top(profile)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
