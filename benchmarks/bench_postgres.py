"""End-to-end ingest of news-stream pages into PostgreSQL against SQLite, in the same run: the
same pages, the same `ingest_paths` (as `crosswire ingest` runs it), a fresh store each; the
PostgreSQL server is a throwaway one on a loopback port with fsync on (benchmarks.postgres_server).
Target: PostgreSQL at >= 80% of the SQLite rate. ``--profile`` adds where the PostgreSQL run spent
its writer's time (cProfile of the writing process; the profiled runs are slower, so their
figures are not the comparison). ``--pages=N`` (default 2,000), ``--pairs=N`` (ABBA pairs of runs, default 1)."""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import statistics
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
    pairs = next((int(a.split("=", 1)[1]) for a in sys.argv if a.startswith("--pairs=")), 1)
    if "--quick" in sys.argv:
        size, pairs = 300, 1
    root = unpacked("data/news-stream/tgnews-2019-html.tar.xz")
    paths = sorted(root.rglob("*.html"))[:size]
    server = PostgresServer(durable=True).start()
    profile = cProfile.Profile() if "--profile" in sys.argv else None
    runs: dict[str, list[dict[str, float]]] = {"sqlite": [], "postgres": []}
    # Runs in ABBA order (SQLite, PostgreSQL, PostgreSQL, SQLite, ...): on a shared, noisy machine
    # a drift in load then weighs on both stores alike.
    order = [kind for i in range(pairs) for kind in (("sqlite", "postgres") if i % 2 == 0 else ("postgres", "sqlite"))]
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["XDG_CACHE_HOME"] = str(Path(folder) / "cache")
            for i, kind in enumerate(order):
                location = str(Path(folder) / f"bench-{i}.db") if kind == "sqlite" else server.new_database()
                runs[kind].append(ingest_once(location, paths, profile if kind == "postgres" else None))
                runs[kind][-1]["load"] = os.getloadavg()[0]
    finally:
        server.stop()
    sqlite, postgres = (statistics.median(r["rate"] for r in runs[kind]) for kind in ("sqlite", "postgres"))
    ratio = postgres / sqlite
    stories = {kind: runs[kind][-1]["stories"] for kind in runs}
    each = ", ".join(f"{kind} {runs[kind][order[:i].count(kind)]['rate']:.0f}/s" for i, kind in enumerate(order))
    markdown = (
        f"{len(paths)} news-stream pages ingested by `ingest_paths` (as `crosswire ingest`) into a fresh "
        f"SQLite file and into a fresh PostgreSQL database (a local server on loopback, fsync on, "
        f"`synchronous_commit` off as SQLite's WAL `synchronous=NORMAL`), {pairs} run(s) each in ABBA order "
        f"({each}): median SQLite **{sqlite:.0f} articles/s**, PostgreSQL **{postgres:.0f} articles/s**: ratio "
        f"**{ratio:.2f}** (target ≥ 0.80). Stories: {stories['sqlite']:.0f} and {stories['postgres']:.0f}. "
        f"1-minute load average at the end: {os.getloadavg()[0]:.1f}."
    )
    result: dict[str, object] = {
        "title": "Ingest into PostgreSQL against SQLite (news-stream pages)",
        "markdown": markdown,
        "sqlite_articles_per_s": sqlite,
        "postgres_articles_per_s": postgres,
        "ratio": ratio,
        "runs": runs,
    }
    if profile is not None:
        result["profile"] = _top(profile)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
