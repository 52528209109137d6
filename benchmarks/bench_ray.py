"""The Ray engine (`--engine ray`): how the parallel stages scale from one worker node to two, and
how fast the ordered replay on the driver places and stores what the cluster prepared.

* Parallel stages (read + clean + language + analyse + count, in Ray Data actors): a local
  cluster of a head with no CPUs and N one-CPU worker nodes on loopback prepares the first
  SMALL and the first LARGE news-stream pages (after one uncounted run); the rate is the
  marginal one, (LARGE - SMALL) / (T_LARGE - T_SMALL), so starting actors and loading models
  (the same for both sizes) cancels out. The ratio of the two-node rate to the one-node rate is the figure.
* Planned ingest (crosswire.service.planned, what `--engine ray` does into an empty store):
  what two nodes prepared for LARGE pages, the per-batch steps (site pass, weighing, candidates
  and scores) as Ray tasks on 1 and on 2 nodes, and in this process, where each step is timed;
  the figure is the rate of the decisions on the driver (the replay step), in articles/s.
* Going on from a store (what `--engine ray` does into a store that holds articles, and between
  its runs of ``PLANNED_ARTICLES``): the second half of the LARGE results planned into a store
  that holds the first half, in this process, against the sequential replay of the same half
  into the same store; and whether both stored the same events and stories.
* The peer: the same results replayed into a fresh SQLite store by ``ingest`` with the
  ``Replayed`` executor (site pass, weighing, candidates, placing, store writes, search index,
  summaries, all on the driver), in articles/s; then once under cProfile for what dominates.

    python -m benchmarks ray             # 200 and 1,000 pages, 3 runs each
    python -m benchmarks.bench_ray --quick   # 100 and 300 pages, 1 run
    python -m benchmarks.bench_ray --replay-only [--profile]   # the replay alone, no Ray (below)

``--replay-only``: for work on the writer. The first LARGE pages are prepared once in this process
with the same stages (crosswire.stages, the local executor) and kept in a pickle in the temp
folder; each run then times only the replay into a fresh SQLite store: one uncounted run (it loads
the gazetteer and fills the per-process caches), then RUNS counted ones, wall and CPU seconds.
Figures are printed, not recorded.
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import logging
import os
import pickle
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import Skip
from benchmarks.scale_corpus import news_pages
from crosswire.executors.ray_engine import (
    Item,
    PrepareActor,
    RayJob,
    Replayed,
    Stage,
    plan_paths,
    prepared_dataset,
    prepared_paths,
)
from crosswire.ingest.files import read_paths
from crosswire.service.common import batches, preparer_for, stage_context
from crosswire.service.ingest import ingest
from crosswire.service.planned import Mapper, PlannedRun, in_process, ingest_planned
from crosswire.settings import Settings
from crosswire.stages import Prepared
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument

QUICK = "--quick" in sys.argv
SMALL, LARGE = (100, 300) if QUICK else (200, 1000)
RUNS = 1 if QUICK else 3
WORKER_NICENESS = "RAY_worker_niceness"  # Ray's own spelling

Results = list[tuple[Item, Prepared | None]]


def _stage(settings: Settings) -> Stage:
    return Stage(stage_context(settings), settings.document_timeout)


def _cpu_with_children() -> float:
    """CPU seconds of this process and its live child processes (the actor's forked worker;
    Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = time.process_time()
    for task in Path("/proc/self/task").iterdir():
        for child in (task / "children").read_text().split():
            try:
                fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


class MeasuredActor(PrepareActor):
    """The engine's actor, with the CPU seconds each output batch cost (actor and its worker)."""

    def _prepared(self, rows: list[tuple[int, int, Item]]) -> dict[str, np.ndarray]:
        before = _cpu_with_children()
        out = super()._prepared(rows)
        out["cpu"] = np.full(len(rows), (_cpu_with_children() - before) / len(rows))
        return out


def _prepare(paths: Sequence[Path], settings: Settings) -> tuple[float, dict[str, float]]:
    """Seconds to run the parallel stages over ``paths`` (actors started, models loaded, every
    document read and prepared, the rows kept in the object store), and CPU seconds per node
    (a Ray Data group-by)."""
    with RayJob() as job:
        start = time.perf_counter()
        tasks, _ = plan_paths(job, paths)
        rows = prepared_dataset(job, tasks, _stage(settings), MeasuredActor).materialize()
        seconds = time.perf_counter() - start
        cpu = rows.groupby("node").sum("cpu").take_all()
        return seconds, {row["node"]: row["sum(cpu)"] for row in cpu}


def _prepare_in_order(paths: Sequence[Path], settings: Settings) -> tuple[float, Results]:
    """Seconds for what the replay waits for (the stages, the sort into input order, the rows
    streamed to the driver), and the results."""
    with RayJob() as job:
        start = time.perf_counter()
        results = list(prepared_paths(job, paths, _stage(settings)))
        return time.perf_counter() - start, results


@dataclass
class Stages:
    rates: list[float]  # marginal pages/s, per run
    cpu: list[dict[str, float]]  # CPU seconds per node for LARGE pages, per run
    in_order: float  # seconds to have LARGE pages back on the driver in input order
    results: Results
    planned: list[dict[str, float]]  # a planned ingest of ``results`` on the cluster: seconds per step, per run


def stage_rates(nodes: int, pages: Sequence[Path], settings: Settings) -> Stages:
    """The parallel stages on ``nodes`` one-CPU worker nodes."""
    import ray
    from ray.cluster_utils import Cluster

    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    # Ray renices its workers (+15 by default): on a shared machine they would run behind every
    # other process; at 0 they run at this benchmark's own niceness.
    os.environ[WORKER_NICENESS] = "0"
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        for _ in range(nodes):
            cluster.add_node(num_cpus=1)
        ray.init(address=cluster.address, logging_level=logging.ERROR, log_to_driver=False)
        _prepare(pages[:SMALL], settings)  # not counted: the first run reads the models from disk
        rates, cpus = [], []
        for _ in range(RUNS):
            small, _ = _prepare(pages[:SMALL], settings)
            large, cpu = _prepare(pages[:LARGE], settings)
            rates.append((LARGE - SMALL) / (large - small))
            cpus.append(cpu)
            shown = ", ".join(f"{seconds:.1f}" for seconds in cpu.values())
            print(
                f"{nodes} node(s): {SMALL} pages {small:.1f} s, {LARGE} pages {large:.1f} s (CPU s: {shown})",
                file=sys.stderr,
            )
        in_order, results = _prepare_in_order(pages[:LARGE], settings)
        with RayJob() as job:
            planned(results, job.map)  # not counted: each worker loads the analysers once
            steps = [planned(results, job.map).seconds for _ in range(RUNS)]
        for run in steps:
            print(f"{nodes} node(s): planned steps {_mapped(run):.1f} s {run}", file=sys.stderr)
        return Stages(rates, cpus, in_order, results, steps)
    finally:
        ray.shutdown()
        cluster.shutdown()


def replay(results: Results, profile: bool = False) -> tuple[float, int, str]:
    """Articles/s of replaying ``results`` into a fresh store; with ``profile``, the top of the profile."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "replay.db"
        store, settings = SQLiteStore(db), Settings(db=str(db), workers=0)
        replayed = Replayed(results)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        if profile:
            profiler.enable()
        report = ingest(store, replayed.items(), settings, preparer=replayed)
        profiler.disable()
        seconds = time.perf_counter() - start
        store.close()
    top = ""
    if profile:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        top = out.getvalue()
    return report.added / seconds, report.added, top


# The steps of a planned ingest that run on the cluster (crosswire.service.planned).
MAPPED = ("site pass", "weighing", "plans")


def _mapped(seconds: dict[str, float]) -> float:
    return sum(seconds[step] for step in MAPPED)


def planned(results: Results, mapper: Mapper = in_process) -> PlannedRun:
    """A planned ingest of ``results`` into a fresh SQLite store (``mapper``: where its per-batch
    steps run)."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "planned.db"
        store = SQLiteStore(db)
        run = ingest_planned(store, results, Settings(db=str(db), workers=0), mapper)
        store.close()
    return run


@dataclass
class GoingOn:
    """A planned ingest of the second half of the results into a store that holds the first."""

    runs: list[PlannedRun]  # the planned runs of the second half, in this process
    replay_rates: list[float]  # the peer: the sequential replay of the second half into the same store
    same: bool  # every run stored the sequential replay's events and stories


def going_on(results: Results) -> GoingOn:
    """The first half (whole batches) planned into a store, kept; then, RUNS times, a copy of it
    takes the second half by a planned ingest and another copy by the sequential replay."""
    half = len(results) // 2 // 64 * 64
    first, second = results[:half], results[half:]
    out = GoingOn([], [], True)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "base.db"
        store = SQLiteStore(base)
        ingest_planned(store, first, Settings(db=str(base), workers=0))
        store.close()
        for run in range(RUNS):
            found = []
            for kind in ("planned", "replayed"):
                db = Path(folder) / f"{kind}-{run}.db"
                for suffix in ("", ".vectors.usearch"):
                    shutil.copyfile(f"{base}{suffix}", f"{db}{suffix}")
                store, settings = SQLiteStore(db), Settings(db=str(db), workers=0)
                if kind == "planned":
                    out.runs.append(ingest_planned(store, second, settings))
                else:
                    replayed = Replayed(second)
                    start = time.perf_counter()
                    report = ingest(store, replayed.items(), settings, preparer=replayed)
                    out.replay_rates.append(report.added / (time.perf_counter() - start))
                found.append(sorted(store.all_assignments(), key=lambda a: a.article_id))
                store.close()
            out.same = out.same and found[0] == found[1]
    return out


def _code_version() -> str:
    """A hash of the package's code and tables: prepared pages kept from another version of the
    cleaning or the analysis must not be replayed as this one's."""
    import crosswire

    package = Path(crosswire.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".json", ".sql", ".npz")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def local_results(pages: Sequence[Path], settings: Settings) -> Results:
    """What the cluster would hand the replay for ``pages``, prepared here (the local executor),
    in the order ``read_paths`` gives them; kept in the temp folder for the next run of the same
    code (``_code_version``)."""
    kept = Path(tempfile.gettempdir()) / f"crosswire-replay-{len(pages)}-{_code_version()}.pkl"
    if kept.is_file():
        with kept.open("rb") as handle:
            found: Results = pickle.load(handle)
            return found
    results: Results = []
    with preparer_for(settings, []) as preparer:
        for chunk in batches(read_paths(pages), settings.batch_size):
            raws = [item for item in chunk if isinstance(item, RawDocument)]
            prepared = iter(preparer.run(raws))
            results += [(item, next(prepared) if isinstance(item, RawDocument) else None) for item in chunk]
    with kept.open("wb") as handle:
        pickle.dump(results, handle)
    return results


def replay_only(profile: bool) -> None:
    """Replay rates of locally prepared pages: one uncounted run, then RUNS counted ones."""
    results = local_results(news_pages()[:LARGE], Settings(workers=0))
    replay(results)
    for _ in range(RUNS):
        start = time.process_time()
        rate, added, _ = replay(results)
        print(
            f"{added} articles: {rate:.0f} articles/s, {1000 * (time.process_time() - start) / added:.2f} ms CPU each"
        )
    if profile:
        print(replay(results, profile=True)[2])


def _own_share(top: str) -> list[dict[str, Any]]:
    """The cumulative-time rows of crosswire's own functions (the profile's text, parsed)."""
    rows = []
    for line in top.splitlines():
        parts = line.split(None, 5)
        if len(parts) == 6 and "crosswire" in parts[5] and parts[3].replace(".", "", 1).isdigit():
            rows.append({"cumulative_s": float(parts[3]), "function": parts[5].split("crosswire/", 1)[-1]})
    return rows[:15]


def _fingerprint(run: PlannedRun) -> int:
    return hash(tuple((plan.article_id, tuple(plan.scores)) for batch in run.plans for plan in batch))


def main() -> None:
    if "--replay-only" in sys.argv:
        replay_only("--profile" in sys.argv)
        return
    try:
        import ray  # noqa: F401
    except ImportError:
        raise Skip("Ray Data is not installed: pip install 'crosswire[ray]'") from None
    pages = news_pages()[:LARGE]
    settings = Settings(workers=0)
    one, two = stage_rates(1, pages, settings), stage_rates(2, pages, settings)
    results, in_order = two.results, two.in_order
    rate_one, rate_two = statistics.median(one.rates), statistics.median(two.rates)
    # CPU: per article on one node, and the bound two free cores would give (the busier node's
    # share of the work sets the stage's time).
    cpu_one = statistics.median(sum(run.values()) for run in one.cpu)
    cpu_bound = statistics.median(sum(run.values()) / max(run.values()) for run in two.cpu)
    split = statistics.median(min(run.values()) / max(run.values()) for run in two.cpu if len(run) == 2)
    rates = [replay(results)[0] for _ in range(RUNS)]
    replay_rate = statistics.median(rates)
    _, added, top = replay(results, profile=True)
    here = [planned(results) for _ in range(RUNS)]
    decide_rates = [run.decide_rate for run in here]
    decide_rate = statistics.median(decide_rates)
    step = {name: statistics.median(run.seconds[name] for run in here) for name in here[0].seconds}
    mapped_one = statistics.median(_mapped(run) for run in one.planned)
    mapped_two = statistics.median(_mapped(run) for run in two.planned)
    same = len({_fingerprint(run) for run in here}) == 1
    on = going_on(results)
    on_added = on.runs[0].report.added
    on_decide = statistics.median(run.decide_rate for run in on.runs)
    on_step = {name: statistics.median(run.seconds[name] for run in on.runs) for name in on.runs[0].seconds}
    on_total = statistics.median(sum(run.seconds.values()) for run in on.runs)
    on_replay = statistics.median(on.replay_rates)
    on_stored = len(on.runs[0].state.stored_ids) if on.runs[0].state is not None else 0
    state_mb = len(pickle.dumps(here[0].state)) / 1e6
    load = os.getloadavg()[0]
    sizes = [len(pickle.dumps(prepared)) for _, prepared in results if prepared is not None]
    own = _own_share(top)
    hot = "; ".join(f"`{row['function']}` {row['cumulative_s']:.2f} s" for row in own[1:6])
    markdown = (
        f"Parallel stages (read, clean, language, analyse, count) in Ray Data actors, a local cluster on loopback "
        f"(head without CPUs, one-CPU worker nodes), marginal rate between the first {SMALL} and {LARGE} "
        f"news-stream pages, median of {RUNS}: 1 node **{rate_one:.1f} pages/s**, 2 nodes **{rate_two:.1f} "
        f"pages/s**, ratio **{rate_two / rate_one:.2f}** (target ≥ 1.7; the two cores are shared with other "
        f"work: 1-minute load average at the end {load:.1f}). CPU: {1000 * cpu_one / LARGE:.1f} ms per page on "
        f"one node (actor and its worker process); with two nodes the lighter node did {split:.2f} of the busier "
        f"one's work, so two free cores would run the stage at most **{cpu_bound:.2f}×** as fast as one. "
        f"With 2 nodes, the {LARGE} pages back on the driver in "
        f"input order (stages, Ray Data's sort, rows streamed and unpickled) took {in_order:.1f} s. "
        f"**Planned ingest** (into an empty store: the steps after preparing per batch from prefix sums, "
        f"crosswire.service.planned) of the same {added} articles, median of {RUNS}: the decisions on the "
        f"driver alone (the replay step) **{decide_rate:.0f} articles/s** (target ≥ 5,000); steps in this "
        f"process: site statistics {step['site statistics']:.2f} s, site pass {step['site pass']:.2f} s, "
        f"frequencies and vector sums {step['frequencies']:.2f} s, weighing {step['weighing']:.2f} s, candidates "
        f"and scores {step['plans']:.2f} s, decisions {step['decide']:.2f} s, bulk load {step['load']:.2f} s. "
        f"The per-batch steps (site pass, weighing, candidates and scores) with Ray tasks: 1 node "
        f"{mapped_one:.1f} s, 2 nodes {mapped_two:.1f} s (ratio {mapped_one / mapped_two:.2f}; {LARGE} pages make "
        f"{len(here[0].plans)} batches of 64, and each task unpickles the whole prefix state, "
        f"{state_mb:.1f} MB). "
        f"Plans identical across runs: {same}. "
        f"**Going on from a store** (the second {on_added} articles planned into a store that holds the first "
        f"{added - on_added}), median of {RUNS}: decisions **{on_decide:.0f} articles/s**; steps in this process: "
        f"site statistics {on_step['site statistics']:.2f} s (with the stored ones read), site pass "
        f"{on_step['site pass']:.2f} s, frequencies and vector sums {on_step['frequencies']:.2f} s, weighing "
        f"{on_step['weighing']:.2f} s, the latest stored postings read {on_step['stored postings']:.2f} s ({on_stored} "
        f"stored articles in them), nearest "
        f"stored vectors {on_step['stored neighbours']:.2f} s, candidates {on_step['candidates']:.2f} s, stored "
        f"candidates read {on_step['stored candidates']:.2f} s, scores {on_step['plans']:.2f} s, decisions "
        f"{on_step['decide']:.2f} s, bulk load {on_step['load']:.2f} s; all {on_total:.1f} s in one process, "
        f"against **{on_replay:.0f} articles/s** for the sequential replay of the same articles into the same "
        f"store; the same events and stories as that replay: {on.same}. "
        f"The peer, the sequential replay on the driver (`ingest` with the prepared "
        f"results: site pass, weighing, candidates, placing, store writes, search index, summaries), "
        f"median of {RUNS}: **{replay_rate:.0f} articles/s**; under cProfile, cumulative: {hot}. "
        f"A prepared article travels to the driver as {statistics.mean(sizes) / 1024:.1f} KiB (pickled, mean)."
    )
    json.dump(
        {
            "title": "Ray engine: parallel stages on 1 and 2 worker nodes, and the replay",
            "markdown": markdown,
            "stage_pages_per_s": {"1": one.rates, "2": two.rates},
            "stage_cpu_s_per_node": {"1": one.cpu, "2": two.cpu},
            "stage_cpu_ms_per_page": 1000 * cpu_one / LARGE,
            "stage_cpu_bound_ratio": cpu_bound,
            "stage_ratio": rate_two / rate_one,
            "in_order_s": in_order,
            "replay_articles_per_s": rates,
            "decide_articles_per_s": decide_rates,
            "planned_step_s": step,
            "planned_state_mb": state_mb,
            "going_on_decide_articles_per_s": [run.decide_rate for run in on.runs],
            "going_on_step_s": on_step,
            "going_on_replay_articles_per_s": on.replay_rates,
            "going_on_same": on.same,
            "planned_mapped_s": {
                "1": [_mapped(run) for run in one.planned],
                "2": [_mapped(run) for run in two.planned],
            },
            "replay_profile": own,
            "load_average": load,
            "prepared_bytes_mean": statistics.mean(sizes),
        },
        sys.stdout,
    )
    print(top, file=sys.stderr)


if __name__ == "__main__":
    main()
