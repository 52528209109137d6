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
import resource
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


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def ingest_once(
    location: str, paths: list[Path], server: PostgresServer | None = None, profile: cProfile.Profile | None = None
) -> dict[str, float]:
    """One ingest into a fresh store: its rate, and CPU per article of every process it used (this
    one, its workers and, for PostgreSQL, the server): what a machine not shared would pay."""
    store = open_store(location)
    settings = load_settings(location)
    cpu, server_cpu = _cpu(), server.cpu_seconds() if server else 0.0
    start = time.perf_counter()
    if profile is not None:
        profile.enable()
    report = ingest_paths(store, paths, settings)
    if profile is not None:
        profile.disable()
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu
    server_cpu = server.cpu_seconds() - server_cpu if server else 0.0
    stories = len(store.story_ids())
    store.close()
    added = max(report.added, 1)
    return {
        "rate": report.added / seconds,
        "seconds": seconds,
        "added": report.added,
        "stories": stories,
        "cpu_ms": 1000 * (cpu + server_cpu) / added,
        "server_cpu_ms": 1000 * server_cpu / added,
    }


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
                if kind == "sqlite":
                    runs[kind].append(ingest_once(location, paths))
                else:
                    runs[kind].append(ingest_once(location, paths, server, profile))
                runs[kind][-1]["load"] = os.getloadavg()[0]
    finally:
        server.stop()
    sqlite, postgres = (statistics.median(r["rate"] for r in runs[kind]) for kind in ("sqlite", "postgres"))
    ratio = postgres / sqlite
    cpu = {kind: statistics.median(r["cpu_ms"] for r in runs[kind]) for kind in runs}
    server_cpu = statistics.median(r["server_cpu_ms"] for r in runs["postgres"])
    stories = {kind: runs[kind][-1]["stories"] for kind in runs}
    each = ", ".join(f"{kind} {runs[kind][order[:i].count(kind)]['rate']:.0f}/s" for i, kind in enumerate(order))
    markdown = (
        f"{len(paths)} news-stream pages ingested by `ingest_paths` (as `crosswire ingest`) into a fresh "
        f"SQLite file and into a fresh PostgreSQL database (a local server on loopback, fsync on, "
        f"`synchronous_commit` off as SQLite's WAL `synchronous=NORMAL`), {pairs} run(s) each in ABBA order "
        f"({each}): median SQLite **{sqlite:.0f} articles/s**, PostgreSQL **{postgres:.0f} articles/s**: ratio "
        f"**{ratio:.2f}** (target ≥ 0.80). CPU per article, all processes: SQLite {cpu['sqlite']:.0f} ms, "
        f"PostgreSQL {cpu['postgres']:.0f} ms ({server_cpu:.0f} ms of it in the server): on a machine not "
        f"shared, the rate ratio would be about {cpu['sqlite'] / cpu['postgres']:.2f}. "
        f"Stories: {stories['sqlite']:.0f} and {stories['postgres']:.0f}. "
        f"1-minute load average at the end: {os.getloadavg()[0]:.1f}."
    )
    result: dict[str, object] = {
        "title": "Ingest into PostgreSQL against SQLite (news-stream pages)",
        "markdown": markdown,
        "sqlite_articles_per_s": sqlite,
        "postgres_articles_per_s": postgres,
        "ratio": ratio,
        "cpu_ms_per_article": cpu,
        "postgres_server_cpu_ms_per_article": server_cpu,
        "runs": runs,
    }
    if profile is not None:
        result["profile"] = _top(profile)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
