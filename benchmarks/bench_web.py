"""The web server under load: p50/p99 latency and requests/s of the story list, a story page and a
search (each as the HTML page and as the JSON API) against `crosswire serve` on loopback, over
the 100,000-article store the scale benchmark builds.

    python -m benchmarks web                        # figures into docs/benchmarks.md
    python -m benchmarks.bench_web --db STORE.db    # any store; JSON on stdout
    python -m benchmarks.bench_web --quick          # 200 requests per endpoint

The store: --db, else a copy of the scale benchmark's store (CACHE/scale-100k.db, never written
to) made once with VACUUM INTO, which `crosswire serve` brings up to date (summaries, search
index) before it answers. The load generator is a small asyncio + httpx client: a fixed number
of connections, each sending its next request when the last one is answered, bounded in count
and in time per endpoint, after a short warm-up.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import quote

import httpx

from benchmarks.common import CACHE, Skip, machine

SCALE_STORE = CACHE / "scale-100k.db"
WEB_STORE = CACHE / "web-100k.db"
TARGETS_MS = {"stories": 100, "story": 100, "search": 200}  # p99 targets of the issue


@dataclass
class Result:
    name: str
    workers: int
    concurrency: int
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def prepared_store(path: Path | None) -> Path:
    if path is not None:
        return path
    if not SCALE_STORE.exists():
        raise Skip(f"{SCALE_STORE} is absent: run `python -m benchmarks scale` first, or pass --db")
    if not WEB_STORE.exists() or WEB_STORE.stat().st_mtime < SCALE_STORE.stat().st_mtime:
        WEB_STORE.unlink(missing_ok=True)
        source = sqlite3.connect(f"file:{SCALE_STORE}?mode=ro", uri=True)
        source.execute("VACUUM INTO ?", (str(WEB_STORE),))  # a consistent copy, even mid-write
        source.close()
    return WEB_STORE


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path, port: int, workers: int, log: Path) -> tuple[subprocess.Popen[bytes], float]:
    """`crosswire serve` on loopback; returns it and the seconds it took to answer (a store from
    before search and summaries is brought up to date first)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    env["CROSSWIRE_DB"] = str(db)
    started = time.perf_counter()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "crosswire", "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=out,
        )
    deadline = started + 1800
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"crosswire serve exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5).status_code == 200:
                return server, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("crosswire serve did not answer in 30 minutes")


def workload(db: Path, seed: int = 7) -> dict[str, list[str]]:
    """The URLs each endpoint cycles through: pages and filters of the story list, a sample of
    stories (the biggest among them), and search queries made of words from stored titles."""
    rng = random.Random(seed)
    store = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    top = [
        row[0]
        for row in store.execute(
            "SELECT value FROM story_facets WHERE kind = 'language' GROUP BY value ORDER BY count(*) DESC LIMIT 3"
        )
    ]
    listing = ["", "?page=2", "?page=10", *(f"?language={lang}" for lang in top), "?since=2019-11-10"]
    stories = [row[0] for row in store.execute("SELECT story_id FROM story_summaries ORDER BY articles DESC LIMIT 5")]
    count = store.execute("SELECT count(*) FROM story_summaries").fetchone()[0]
    for offset in rng.sample(range(count), min(45, count)):
        stories.append(store.execute("SELECT story_id FROM story_summaries LIMIT 1 OFFSET ?", (offset,)).fetchone()[0])
    titles = [row[0] for row in store.execute("SELECT title FROM articles WHERE title IS NOT NULL LIMIT 5000")]
    words = [word for title in rng.sample(titles, min(400, len(titles))) for word in re.findall(r"\w{5,}", title)]
    queries = [" ".join(rng.sample(words, 2)) if n % 3 == 0 else rng.choice(words) for n in range(60)]
    store.close()
    return {
        "stories": [f"/{query}" for query in listing],
        "story": [f"/stories/{story}" for story in stories],
        "search": [f"/?q={quote(query)}" for query in queries],
        "stories (API)": [f"/api/v1/stories{query}" for query in listing],
        "story (API)": [f"/api/v1/stories/{story}" for story in stories],
        "search (API)": [f"/api/v1/stories?q={quote(query)}" for query in queries],
    }


async def load(
    base: str, name: str, workers: int, urls: list[str], concurrency: int, requests: int, seconds: float
) -> Result:
    """Send ``requests`` requests (or as many as ``seconds`` allow) over ``concurrency`` connections."""
    latencies: list[float] = []
    errors = 0
    issued = 0
    targets = cycle(urls)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for url in urls[: min(len(urls), 20)]:  # warm-up: not measured
            await client.get(url)
        start = time.perf_counter()
        deadline = start + seconds

        async def worker() -> None:
            nonlocal errors, issued
            while issued < requests and time.perf_counter() < deadline:
                issued += 1
                sent = time.perf_counter()
                response = await client.get(next(targets))
                if response.status_code == 200:
                    latencies.append(time.perf_counter() - sent)
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    ordered = sorted(latencies) or [0.0]
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    p50 = statistics.median(ordered)
    return Result(name, workers, concurrency, len(latencies), errors, elapsed, p50 * 1000, p99 * 1000)


def markdown(results: list[Result], facts: dict[str, object], command: str) -> str:
    rows = [
        "| endpoint | server processes | connections | requests | p50 ms | p99 ms | requests/s | p99 target |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        target = TARGETS_MS[r.name.split(" ")[0]]
        mark = "met" if r.p99_ms <= target else "missed"
        rows.append(
            f"| {r.name} | {r.workers} | {r.concurrency} | {r.requests}{f' ({r.errors} errors)' if r.errors else ''} | "
            f"{r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.per_second:.0f} | {target} ms ({mark}) |"
        )
    return (
        f"`{command}`: `crosswire serve --workers N` over a store of **{facts['articles']:,} articles** "
        f"in {facts['stories']:,} stories ({facts['size_gib']:.1f} GiB), load from an asyncio + httpx client on "
        f"the same machine (server and client share its cores), over loopback; {facts['load']}. Each endpoint "
        f"cycles through {facts['urls']}; every request is counted from sending to the last byte, after a "
        f"warm-up of 20.\n\n"
        + "\n".join(rows)
        + f"\n\nStarting the server on this store took {facts['startup_s']:.0f} s"
        + (
            " (including building the search index and story summaries of a store that predated them)."
            if facts.get("backfilled")
            else "."
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_web")
    parser.add_argument("--db", type=Path, help="store to serve (default: a copy of the scale benchmark's)")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint and concurrency")
    parser.add_argument("--seconds", type=float, default=30.0, help="time limit per endpoint and concurrency")
    parser.add_argument("--concurrency", default="1,4", help="connections, comma-separated levels")
    parser.add_argument("--workers", default="1,2", help="server processes (crosswire serve --workers), levels")
    parser.add_argument("--quick", action="store_true", help="200 requests per endpoint")
    args = parser.parse_args()
    requests = 200 if args.quick else args.requests
    levels = [int(level) for level in args.concurrency.split(",") if level.strip()]
    processes = [int(level) for level in args.workers.split(",") if level.strip()]
    db = prepared_store(args.db)
    backfilled = _needs_backfill(db)
    urls = None
    results = []
    startup = 0.0
    loads: list[float] = []
    for workers in processes:
        port = _free_port()
        server, took = start_server(db, port, workers, CACHE / "web-server.log")
        startup = startup or took  # the first start is the one that may bring the store up to date
        try:
            urls = urls or workload(db)
            base = f"http://127.0.0.1:{port}"
            for name, targets in urls.items():
                for level in levels:
                    results.append(asyncio.run(load(base, name, workers, targets, level, requests, args.seconds)))
                    loads.append(os.getloadavg()[0])
                    print(f"{name}: {results[-1]}", file=sys.stderr, flush=True)
        finally:
            server.terminate()
            server.wait(30)
    store = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    facts = {
        "articles": store.execute("SELECT count(*) FROM articles").fetchone()[0],
        "stories": store.execute("SELECT count(*) FROM story_summaries").fetchone()[0],
        "size_gib": db.stat().st_size / 2**30,
        "startup_s": startup,
        "backfilled": backfilled,
        "load": f"the machine's 1-minute load average during the runs was {min(loads):.1f} to {max(loads):.1f}"
        + (" (other benchmarks were running beside it)" if max(loads) > 2.5 else ""),
        "urls": "7 story-list pages and filters, 50 stories (the 5 biggest and 45 at random) and 60 searches "
        "(one or two words from stored titles)",
    }
    store.close()
    command = "python -m benchmarks web" + (" --quick" if args.quick else "")
    json.dump(
        {
            "title": "Web server under load (story list, story page, search)",
            "markdown": markdown(results, facts, command),
            "machine": machine(),
            "facts": facts,
            "results": [{**r.__dict__, "per_second": r.per_second} for r in results],
        },
        sys.stdout,
    )


def _needs_backfill(db: Path) -> bool:
    store = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in store.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "article_search" not in tables:
            return True
        return store.execute("SELECT 1 FROM meta WHERE key = 'article_search'").fetchone() is not None
    finally:
        store.close()


if __name__ == "__main__":
    main()
