"""Scale: ingest and cluster N synthetic-but-realistic articles (100,000 by default) built from the
7,830 news-stream pages, then add single articles to the full store as a continuous monitor would.

Reports articles/s end to end (whole run and per tenth of the run), p50/p99 latency of adding one
article at N stored (with the split between preparing and writing, and the store reads inside
writing), peak memory of the whole process tree, database bytes per article and table sizes.

    python -m benchmarks scale                    # 100,000 articles, figures into docs/benchmarks.md
    python -m benchmarks.bench_scale --size 10000 # any size, JSON on stdout only
    python -m benchmarks.bench_scale --quick      # 3,000 articles, 50 add-one samples

Documents: benchmarks/scale_corpus.py (pages repeated in rounds with shifted dates and light,
seeded perturbations).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import resource
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import CACHE
from benchmarks.scale_corpus import SEED, SHIFT_DAYS, ScaleCorpus, news_pages
from crosswire.pipeline import Preparer
from crosswire.represent.compact import GROUP_ORDER, GROUP_SHIFT
from crosswire.service.ingest import ingest, recluster
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument

LOG = CACHE / f"scale-{os.getpid()}.log"  # per run: several runs may share the cache folder

# -- instruments --------------------------------------------------------------------------

_TIMED = (
    "existing_ids",
    "article_count",
    "site_lines",
    "feature_freq",
    "sharing_features",
    "representations",
    "assignments",
    "story_sizes",
    "add_raws",
    "put_articles",
    "put_analyses",
    "put_representations",
    "count_features",
    "count_site_lines",
    "put_placements",
    "merge_stories",
)


class TimedStore(SQLiteStore):
    """The SQLite store with wall time and calls counted per method (the writer's store work)."""

    seconds: dict[str, float]
    calls: dict[str, int]
    last_keys: list[int]

    def reset(self) -> None:
        self.seconds = dict.fromkeys(_TIMED, 0.0)
        self.calls = dict.fromkeys(_TIMED, 0)


def _timed(name: str) -> Callable[..., Any]:
    method = getattr(SQLiteStore, name)

    def wrapper(self: TimedStore, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return method(self, *args, **kwargs)
        finally:
            self.seconds[name] += time.perf_counter() - start
            self.calls[name] += 1
            if name == "sharing_features":
                self.last_keys = list(args[0])

    return wrapper


for _name in _TIMED:
    setattr(TimedStore, _name, _timed(_name))


@dataclass
class PrepareClock:
    """Time the writing process spends waiting for prepared batches (Preparer.submit's result)."""

    wait_s: float = 0.0
    calls: int = 0
    original: Any = field(default=None, repr=False)

    def install(self) -> None:
        self.original = original = Preparer.submit
        clock = self

        def submit(preparer: Preparer, raws: Sequence[RawDocument]) -> Callable[[], list[Any]]:
            results = original(preparer, raws)

            def timed() -> list[Any]:
                start = time.perf_counter()
                try:
                    return results()
                finally:
                    clock.wait_s += time.perf_counter() - start
                    clock.calls += 1

            return timed

        Preparer.submit = submit  # type: ignore[method-assign,assignment]  # a timing stand-in, put back after the run


def _proc_children() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    return children


def _field_kib(path: str, name: str) -> int:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler(threading.Thread):
    """Samples the resident (RSS) and proportional (PSS: shared pages split between the
    processes sharing them) memory of this process and all its descendants."""

    def __init__(self, every: float = 3.0) -> None:  # a PSS sample walks page tables: ~50 ms at 1 GB
        super().__init__(daemon=True)
        self.every = every
        self.peak_rss_kib = self.peak_pss_kib = self.peak_main_kib = 0
        self.peak_processes = 0
        self._halt = threading.Event()

    def sample(self) -> None:
        tree, todo, children = [], [os.getpid()], _proc_children()
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        rss = sum(_field_kib(f"/proc/{pid}/status", "VmRSS:") for pid in tree)
        pss = sum(_field_kib(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in tree)
        self.peak_rss_kib = max(self.peak_rss_kib, rss)
        self.peak_pss_kib = max(self.peak_pss_kib, pss)
        self.peak_main_kib = max(self.peak_main_kib, _field_kib(f"/proc/{os.getpid()}/status", "VmRSS:"))
        self.peak_processes = max(self.peak_processes, len(tree))

    def run(self) -> None:
        while not self._halt.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self._halt.set()
        self.join()
        self.sample()


def log(message: str) -> None:
    line = f"{time.strftime('%H:%M:%S')} {message}"
    print(line, file=sys.stderr, flush=True)
    with LOG.open("a") as handle:
        handle.write(line + "\n")


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(q / 100 * len(ordered)))) - 1]


# -- measurements -------------------------------------------------------------------------


def table_stats(store: SQLiteStore) -> dict[str, Any]:
    """Bytes per table and index (dbstat) and rows of the tables that grow with N."""
    size = {name: int(n) for name, n in store.db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")}
    rows = {
        table: int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        for table in (
            "raw_documents",
            "articles",
            "analyses",
            "compact_representations",
            "feature_postings",
            "feature_freq",
            "site_lines",
            "site_docs",
            "stories",
            "events",
            "assignments",
            "rejections",
        )
    }
    lengths = [n for (n,) in store.db.execute("SELECT count(*) FROM feature_postings GROUP BY id ORDER BY 1 DESC")]
    top = [
        (key, int(n))
        for key, n in store.db.execute(
            "SELECT id, count(*) AS n FROM feature_postings GROUP BY id ORDER BY n DESC, id LIMIT 10"
        )
    ]
    families = {
        GROUP_ORDER[family] if family < len(GROUP_ORDER) else str(family): int(n)
        for family, n in store.db.execute(
            f"SELECT id >> {GROUP_SHIFT}, count(*) FROM feature_freq GROUP BY 1 ORDER BY 2 DESC"
        )
    }
    return {
        "bytes": size,
        "rows": rows,
        "posting_keys": len(lengths),
        "posting_length_max": lengths[0] if lengths else 0,
        "posting_length_p50": percentile(lengths, 50) if lengths else 0,
        "posting_length_p99": percentile(lengths, 99) if lengths else 0,
        "posting_keys_over_1000": sum(1 for n in lengths if n > 1000),
        "top_posting_keys": top,
        "doc_freq_by_family": families,
    }


def db_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists())


def _busy_jiffies() -> int:
    """CPU time all processes on the machine used so far (/proc/stat, clock ticks)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # all but idle and iowait


def _cpu() -> tuple[float, float]:
    """CPU seconds of this process and of its reaped children (the workers, once joined)."""
    t = os.times()
    return t.user + t.system, t.children_user + t.children_system


def bulk_ingest(
    store: TimedStore, corpus: ScaleCorpus, size: int, settings: Settings, clock: PrepareClock
) -> dict[str, Any]:
    """One ``ingest`` call over ``size`` documents (workers: settings' default, one per core),
    with figures per tenth of the run taken between batches."""
    slice_size = max(size // 10, 1)
    slices: list[dict[str, Any]] = []
    mark = {"done": 0, "t": time.perf_counter(), "cpu": _cpu()[0], "wait": 0.0}
    mark.update({name: 0.0 for name in _TIMED}, sharing_calls=0)
    done = [0]
    measuring = [0.0]

    def on_item(n: int) -> None:
        done[0] += n
        if done[0] - mark["done"] < slice_size and done[0] < size:
            return
        now, cpu = time.perf_counter(), _cpu()[0]
        docs = done[0] - mark["done"]
        rows = {
            t: int(store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in ("articles", "feature_postings", "feature_freq", "site_lines", "stories")
        }
        store_s = sum(store.seconds[name] - mark[name] for name in _TIMED)
        sharing_calls = store.calls["sharing_features"] - mark["sharing_calls"]
        entry = {
            "through": done[0],
            "articles_per_s": docs / (now - mark["t"]),
            "seconds": now - mark["t"],
            "writer_cpu_ms_per_doc": 1000 * (cpu - mark["cpu"]) / docs,
            "prepare_wait_s": clock.wait_s - mark["wait"],
            "store_ms_per_doc": 1000 * store_s / docs,
            "store_ms_per_doc_by_call": {
                name: round(1000 * (store.seconds[name] - mark[name]) / docs, 3) for name in _TIMED
            },
            "sharing_ms_per_call": 1000
            * (store.seconds["sharing_features"] - mark["sharing_features"])
            / max(sharing_calls, 1),
            "rows": rows,
            "db_bytes": db_bytes(store.path),
        }
        slices.append(entry)
        log(
            f"{done[0]:>7} docs: {entry['articles_per_s']:.0f}/s, "
            f"writer CPU {entry['writer_cpu_ms_per_doc']:.1f} ms/doc, "
            f"store {entry['store_ms_per_doc']:.1f} ms/doc, waited for workers {entry['prepare_wait_s']:.0f} s, "
            f"sharing_features {entry['sharing_ms_per_call']:.2f} ms/call, rows {rows}"
        )
        mark.update({name: store.seconds[name] for name in _TIMED}, sharing_calls=store.calls["sharing_features"])
        mark.update(done=done[0], cpu=_cpu()[0], wait=clock.wait_s)
        mark["t"] = time.perf_counter()  # the row counts above are not ingest time
        measuring[0] += mark["t"] - now

    busy, (cpu0, children0), load0 = _busy_jiffies(), _cpu(), os.getloadavg()[0]
    start = time.perf_counter()
    report = ingest(store, corpus.stream(0, size), settings, on_item=on_item)
    seconds = time.perf_counter() - start - measuring[0]
    cpu1, children1 = _cpu()
    ticks = os.sysconf("SC_CLK_TCK")
    machine_cpu = (_busy_jiffies() - busy) / ticks
    own_cpu = (cpu1 - cpu0) + (children1 - children0)
    return {
        "documents": size,
        "added": report.added,
        "present": report.present,
        "rejected": dict(report.rejected),
        "seconds": seconds,
        "measuring_s": measuring[0],
        "articles_per_s": report.added / seconds,
        "writer_cpu_ms_per_article": 1000 * (cpu1 - cpu0) / max(report.added, 1),
        "workers_cpu_ms_per_article": 1000 * (children1 - children0) / max(report.added, 1),
        "machine_cpu_s": machine_cpu,
        "others_cpu_s": max(machine_cpu - own_cpu, 0.0),
        "load_before": load0,
        "load_after": os.getloadavg()[0],
        "prepare_wait_s": clock.wait_s,
        "store_seconds": {k: round(v, 2) for k, v in store.seconds.items()},
        "store_calls": dict(store.calls),
        "slices": slices,
    }


def add_one(store: TimedStore, corpus: ScaleCorpus, start: int, samples: int, settings: Settings) -> dict[str, Any]:
    """Add ``samples`` fresh documents one ``ingest`` call each, timing the call, its preparing
    (clean + analyse, in this process) and the store's reads and writes inside it."""
    clock = PrepareClock()
    clock.install()
    totals: list[float] = []
    prepare: list[float] = []
    parts: dict[str, list[float]] = {name: [] for name in _TIMED}
    posting_lengths: list[int] = []
    docs = corpus.stream(start, samples + 5)
    for _ in range(5):  # warm the in-process models (a monitor loads them once)
        ingest(store, [next(docs)], settings, save_in_background=True)
    for raw in docs:
        store.reset()
        before = clock.wait_s
        begin = time.perf_counter()
        report = ingest(store, [raw], settings, save_in_background=True)  # as `watch` ingests
        totals.append(time.perf_counter() - begin)
        prepare.append(clock.wait_s - before)
        for name in _TIMED:
            parts[name].append(store.seconds[name])
        keys = getattr(store, "last_keys", [])
        if report.added and keys:
            marks = ",".join("?" * len(keys))
            posting_lengths.append(
                int(
                    store.db.execute(f"SELECT count(*) FROM feature_postings WHERE id IN ({marks})", keys).fetchone()[0]
                )
            )
        store.last_keys = []
    Preparer.submit = clock.original  # type: ignore[method-assign]
    writing = [t - p for t, p in zip(totals, prepare, strict=True)]
    ms = 1000.0
    return {
        "samples": len(totals),
        "p50_ms": ms * statistics.median(totals),
        "p99_ms": ms * percentile(totals, 99),
        "max_ms": ms * max(totals),
        "mean_ms": ms * statistics.fmean(totals),
        "prepare_p50_ms": ms * statistics.median(prepare),
        "prepare_p99_ms": ms * percentile(prepare, 99),
        "write_p50_ms": ms * statistics.median(writing),
        "write_p99_ms": ms * percentile(writing, 99),
        "store_mean_ms": {name: ms * statistics.fmean(values) for name, values in parts.items()},
        "store_p99_ms": {name: ms * percentile(values, 99) for name, values in parts.items()},
        "postings_scanned_p50": statistics.median(posting_lengths) if posting_lengths else 0,
        "postings_scanned_max": max(posting_lengths) if posting_lengths else 0,
    }


def profile_add_one(store: TimedStore, corpus: ScaleCorpus, start: int, samples: int, settings: Settings) -> str:
    """cProfile of ``samples`` more single-article ingest calls: where one add's time goes."""
    profiler = cProfile.Profile()
    for raw in corpus.stream(start, samples):
        profiler.runcall(ingest, store, [raw], settings)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
    text = out.getvalue()
    return text[text.find("ncalls") :] if "ncalls" in text else text


class _Stop(Exception):
    pass


def time_recluster(store: SQLiteStore, settings: Settings, limit_s: float) -> dict[str, Any]:
    """Time ``recluster`` of the whole store. Past ``limit_s`` it is stopped and rolled back (it is
    one transaction) and the rate so far is reported, with ``complete`` false."""
    total = store.article_count()
    done = [0]
    start = time.perf_counter()
    wal = Path(f"{store.path}-wal")

    def on_item(n: int) -> None:
        done[0] += n
        if done[0] % (settings.batch_size * 100) < n:
            size = wal.stat().st_size if wal.exists() else 0
            seconds = time.perf_counter() - start
            log(f"recluster: {done[0]:,} of {total:,} in {seconds:.0f} s, WAL {size / 2**20:,.0f} MiB")
        if time.perf_counter() - start > limit_s:
            raise _Stop

    result: dict[str, Any] = {"total": total, "complete": True}
    try:
        report = recluster(store, settings, on_item=on_item)
        result.update(stories=report.stories, events=report.events)
    except _Stop:
        result["complete"] = False
    seconds = time.perf_counter() - start
    result.update(articles=done[0], seconds=seconds, articles_per_s=done[0] / seconds)
    result["wal_bytes_after"] = wal.stat().st_size if wal.exists() else 0
    return result


def _code_version() -> str:
    import subprocess

    def git(*command: str) -> str:
        done = subprocess.run(["git", *command], cwd=Path(__file__).parents[1], capture_output=True, text=True)
        return done.stdout.strip()

    dirty = " with uncommitted changes under src/" if git("status", "--porcelain", "src") else ""
    return f"commit {git('rev-parse', '--short', 'HEAD')}{dirty}"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scale")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--size", type=int, default=None, help="articles in the bulk ingest (default 100,000)")
    parser.add_argument("--samples", type=int, default=None, help="single-article adds timed (default 200)")
    parser.add_argument("--recluster", action="store_true", help="also time recluster of the whole store")
    parser.add_argument(
        "--recluster-limit", type=float, default=900.0, help="stop (roll back) recluster after this many seconds"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the store at this path")
    args, _ = parser.parse_known_args()
    size = args.size or (3000 if args.quick else 100_000)
    samples = args.samples or (50 if args.quick else 200)
    CACHE.mkdir(parents=True, exist_ok=True)
    LOG.write_text("")
    log(f"progress in {LOG}")
    corpus = ScaleCorpus(news_pages())
    sampler = MemorySampler()
    sampler.start()
    with tempfile.TemporaryDirectory(dir=CACHE) as folder:
        db = args.keep or Path(folder) / "scale.db"
        for stale in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            stale.unlink(missing_ok=True)
        store = TimedStore(db)
        store.reset()
        settings = Settings(db=str(db))
        clock = PrepareClock()
        clock.install()
        log(f"bulk ingest of {size} documents into {db} (cores: {os.cpu_count()})")
        bulk = bulk_ingest(store, corpus, size, settings, clock)
        Preparer.submit = clock.original  # type: ignore[method-assign]
        bulk_peak = {
            "tree_rss_mib": sampler.peak_rss_kib / 1024,
            "tree_pss_mib": sampler.peak_pss_kib / 1024,
            "main_rss_mib": sampler.peak_main_kib / 1024,
            "processes": sampler.peak_processes,
        }
        log(f"bulk: {bulk['articles_per_s']:.1f} articles/s, peak {bulk_peak}")
        stored = store.article_count()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_bytes = db_bytes(db)
        log("table sizes (dbstat)")
        tables = table_stats(store)
        log(f"add-one latency at {stored} stored, {samples} samples")
        one = add_one(store, corpus, size, samples, settings)
        log(f"add-one: p50 {one['p50_ms']:.1f} ms, p99 {one['p99_ms']:.1f} ms")
        profile = profile_add_one(store, corpus, size + samples + 5, 50 if not args.quick else 20, settings)
        partial = {"size": size, "bulk": bulk, "bulk_peak_memory": bulk_peak, "db_bytes": size_bytes}
        partial.update(stored=stored, tables=tables, add_one=one, profile_add_one=profile)
        # kept in case the run is stopped later (recluster is long)
        Path(f"{LOG.with_suffix('')}-partial.json").write_text(json.dumps(partial, ensure_ascii=False))
        reclustered = None
        if args.recluster:
            log(f"recluster (stopped after {args.recluster_limit:.0f} s)")
            reclustered = time_recluster(store, settings, args.recluster_limit)
            log(f"recluster: {reclustered}")
        store.close()
    sampler.stop()
    peak = {
        "tree_rss_mib": sampler.peak_rss_kib / 1024,
        "tree_pss_mib": sampler.peak_pss_kib / 1024,
        "main_rss_mib": sampler.peak_main_kib / 1024,
        "main_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "children_maxrss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    result = {
        "title": f"Scale: {size:,} articles on {os.cpu_count()} cores",
        "code": os.environ.get("CROSSWIRE_BENCH_CODE") or _code_version(),
        "cores": os.cpu_count(),
        "size": size,
        "samples": samples,
        "stored_at_add_one": stored,
        "bulk": bulk,
        "bulk_peak_memory": bulk_peak,
        "peak_memory": peak,
        "db_bytes": size_bytes,
        "db_bytes_per_article": size_bytes / max(stored, 1),
        "tables": tables,
        "add_one": one,
        "profile_add_one": profile,
        "recluster": reclustered,
        "shift_days": SHIFT_DAYS,
        "seed": SEED,
        "pages": len(corpus.pages),
    }
    result["markdown"] = markdown(result)
    json.dump(result, sys.stdout, ensure_ascii=False)


def _mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB" if n >= 2**20 else f"{n / 1024:,.0f} KiB"


def markdown(r: dict[str, Any]) -> str:
    bulk, one, tables, peak = r["bulk"], r["add_one"], r["tables"], r["peak_memory"]
    n, stored = bulk["added"], r["stored_at_add_one"]
    rows, sizes = tables["rows"], tables["bytes"]
    ok = {True: "met", False: "**not met**"}
    cores = r.get("cores", 2)
    cpu = bulk["writer_cpu_ms_per_article"] + bulk["workers_cpu_ms_per_article"]
    ceiling = min(1000 / bulk["writer_cpu_ms_per_article"], cores * 1000 / cpu)
    lines = [
        f"{r['size']:,} documents generated from the {r['pages']:,} news-stream pages, ingested by one "
        f"`ingest` call into a fresh SQLite store (workers: default, one per core, plus the writing "
        f"process), then {one['samples']} more added one `ingest` call each, in-process, as a continuous "
        f"monitor would. Code: {r['code']}.",
        "",
        "Documents: document *j* is page *j* mod 7,830 in round *j* div 7,830; round *k* moves the page's "
        f"publication date *k* × {r['shift_days']} days later (`article:published_time`, the `<time>` "
        "attribute and its visible text) and, from round 1 on, perturbs it with a seed per (seed, round, "
        "page): the last digit of about 30% of the numbers in the text changed (four-digit years kept), two "
        "adjacent words swapped in every paragraph and in the title, `?r=k` added to `og:url`, and on pages "
        "of four paragraphs or more one paragraph dropped and two adjacent ones swapped, each with "
        "probability ½. Dates mentioned in running text are not moved. Every copy is a distinct input (its "
        "own content hash) whose lines differ from the other copies' (so per-site boilerplate statistics "
        "see distinct articles), while its entities, quotes and most terms stay those of the original: "
        "copies of one article in later rounds link to it as a continuing story (30 days apart: not one "
        "event).",
        "",
        "| figure | measured | target |",
        "|---|---|---|",
        f"| articles/s end to end ({n:,} added) | **{bulk['articles_per_s']:.0f}** | ≥ 150 "
        f"({ok[bulk['articles_per_s'] >= 150]}) |",
        f"| add one article at {stored:,} stored: p50 / p99 | **{one['p50_ms']:.0f} / {one['p99_ms']:.0f} ms** "
        f"| p99 ≤ 50 ms ({ok[one['p99_ms'] <= 50]}) |",
        f"| peak memory, whole process tree (PSS; RSS) | **{peak['tree_pss_mib']:,.0f} MiB**; "
        f"{peak['tree_rss_mib']:,.0f} MiB | < 2 GB ({ok[peak['tree_pss_mib'] < 2000]}) |",
        f"| database per article (file + WAL after checkpoint) | **{r['db_bytes_per_article'] / 1024:.1f} KiB** "
        f"({_mib(r['db_bytes'])} for {stored:,}) | — |",
        "",
        f"CPU per article: writing process {bulk['writer_cpu_ms_per_article']:.1f} ms, workers "
        f"{bulk['workers_cpu_ms_per_article']:.1f} ms (clean + analyse); the writer waited for workers "
        f"{bulk['prepare_wait_s']:.0f} s of {bulk['seconds']:.0f} s: the writing process is the bottleneck; with "
        f"both cores to itself the run could reach at most min(1000 / {bulk['writer_cpu_ms_per_article']:.1f}, "
        f"{cores * 1000} / {cpu:.1f}) ≈ {ceiling:.0f} articles/s (derived from the CPU times, not measured). "
        "The machine is shared: other users' "
        f"processes took {bulk['others_cpu_s']:.0f} CPU-seconds during the run (load average "
        f"{bulk['load_before']:.1f} before, {bulk['load_after']:.1f} after). Peak memory of the writing "
        f"process alone: {peak['main_rss_mib']:,.0f} MiB RSS; of one worker: "
        f"{peak['children_maxrss_mib']:,.0f} MiB. Rejected: "
        f"{', '.join(f'{k} {v}' for k, v in bulk['rejected'].items()) or 'none'}; already present: "
        f"{bulk['present']}.",
        "",
        "Per tenth of the run (does speed hold as the store grows?):",
        "",
        "| through | articles/s | writer CPU ms/article | store calls ms/article (wall) | `sharing_features` ms/call "
        "| postings | feature_freq ids | site_lines | database |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in bulk["slices"]:
        lines.append(
            f"| {s['through']:,} | {s['articles_per_s']:.0f} | {s['writer_cpu_ms_per_doc']:.1f} | "
            f"{s['store_ms_per_doc']:.1f} | {s['sharing_ms_per_call']:.2f} | {s['rows']['feature_postings']:,} | "
            f"{s['rows']['feature_freq']:,} | {s['rows']['site_lines']:,} | {_mib(s['db_bytes'])} |"
        )
    store_mean = one["store_mean_ms"]
    heavy = sorted(store_mean.items(), key=lambda kv: -kv[1])[:5]
    lines += [
        "",
        f"Adding one article at {stored:,} stored ({one['samples']} samples): p50 {one['p50_ms']:.1f} ms, "
        f"p99 {one['p99_ms']:.1f} ms, max {one['max_ms']:.1f} ms. Preparing (clean + analyse) p50 "
        f"{one['prepare_p50_ms']:.1f} ms / p99 {one['prepare_p99_ms']:.1f} ms; writing (represent, "
        f"candidates, cluster, store) p50 {one['write_p50_ms']:.1f} ms / p99 {one['write_p99_ms']:.1f} ms. "
        "Store calls inside one add, mean ms: "
        + ", ".join(f"`{name}` {ms:.1f}" for name, ms in heavy)
        + f". The candidate query scanned {one['postings_scanned_p50']:,.0f} postings at the median "
        f"(max {one['postings_scanned_max']:,}).",
        "",
        f"Store at {stored:,} articles (dbstat bytes; rows):",
        "",
        "| table | bytes/article | rows |",
        "|---|---|---|",
    ]
    groups = {
        "raw_documents": ("raw_documents", "sqlite_autoindex_raw_documents_1"),
        "articles": ("articles", "sqlite_autoindex_articles_1", "articles_published"),
        "analyses": ("analyses", "sqlite_autoindex_analyses_1"),
        "representations": ("compact_representations", "sqlite_autoindex_compact_representations_1"),
        "postings": ("feature_postings", "feature_postings_article"),
        "doc_freq": ("feature_freq",),
        "site_lines": ("site_lines", "site_docs"),
        "clusters": (
            "assignments",
            "sqlite_autoindex_assignments_1",
            "assignments_story",
            "assignments_event",
            "events",
            "events_story",
            "sqlite_autoindex_events_1",
            "stories",
            "sqlite_autoindex_stories_1",
        ),
    }
    for label, names in groups.items():
        size = sum(sizes.get(name, 0) for name in names)
        clusters = f"{rows['stories']:,} stories, {rows['events']:,} events"
        count_text = clusters if label == "clusters" else f"{rows.get(label, 0):,}"
        lines.append(f"| {label} (with its indexes) | {size / max(stored, 1):,.0f} | {count_text} |")
    top = ", ".join(f"`{key}` {count:,}" for key, count in tables["top_posting_keys"][:5])
    lines += [
        "",
        f"Posting lists: {tables['posting_keys']:,} keys, median length {tables['posting_length_p50']:,}, "
        f"p99 {tables['posting_length_p99']:,}, longest {tables['posting_length_max']:,} "
        f"({tables['posting_keys_over_1000']:,} keys over 1,000); longest: {top}. document-frequency ids by family: "
        + ", ".join(f"`{k}` {v:,}" for k, v in tables["doc_freq_by_family"].items())
        + ".",
    ]
    if r.get("recluster"):
        rc = r["recluster"]
        if rc["complete"]:
            text = f"`recluster` of the whole store ({rc['articles']:,} articles, one transaction): "
            text += f"{rc['seconds']:.0f} s"
        else:
            text = (
                f"`recluster` of the whole store ({rc['total']:,} articles, one transaction), stopped and rolled "
                f"back after {rc['seconds']:.0f} s with {rc['articles']:,} done"
            )
        lines += ["", f"{text}: {rc['articles_per_s']:.0f} articles/s (one process)."]
    if r.get("note"):
        lines += ["", r["note"]]
    lines += ["", "Extrapolation to 10 million articles: [scaling.md](scaling.md)."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
