"""The Ray Data engine: the prepare stage (clean, language, analyse, count, encode) on a Ray
cluster, then one ordered replay through the ordinary use case on the driver.

    with RayJob(address) as job:
        report = ingest_paths_ray(store, paths, settings, job)

How the work is split:

* The driver walks the inputs and cuts them into shards (``plan_shards``: files balanced by size,
  runs of a web archive's pages). Every input gets an order key, (position in the walk, position
  inside its file), so the replay can put the results back into the order ``read_paths`` gives.
* Ray Data runs one actor per CPU (``map_batches`` over an actor pool). An actor loads the
  extractors, analysers and encoder once and forks one worker of the local executor (the same
  ``Preparer``, with its hard time limit per document), then reads whole shards and prepares
  their documents there, so every per-document decision is the same code. Each row records the
  node that prepared it.
* Ray Data sorts the rows by their order key and the driver streams them back. An ingest hands
  them to a planned ingest (crosswire.service.planned): ``RayJob.map`` runs the site pass,
  weighing, candidates and scores on the cluster, batch by batch, from prefix sums over batches,
  and the driver only reads the store, decides and loads. A re-clean hands them to
  ``crosswire.service.ingest.reclean`` through ``Replayed``, an executor that answers with what
  the cluster prepared, and everything after preparing runs on the driver as in a local run.
"""

from __future__ import annotations

import heapq
import logging
import math
import pickle
import warnings
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from crosswire.errors import CrosswireError, MissingDependency
from crosswire.ingest.files import RECORD_SUFFIXES, walk
from crosswire.ingest.shards import Shard, plan_shards, read_shard
from crosswire.stages import Prepared, StageContext
from crosswire.types import RawDocument, Rejection

if TYPE_CHECKING:
    import ray.data

# Shards per actor: enough that a slow shard does not leave the other actors idle at the end.
SHARDS_PER_ACTOR = 4
# Documents per output batch of an actor (one Arrow block): bounds an actor's memory on a big shard.
ROWS_PER_BLOCK = 64
# Stored documents sent to the cluster at once per actor (re-clean): each window starts its actors
# again, so it should take them well over their few seconds of loading.
WINDOW_PER_ACTOR = 2000
# Tasks per CPU of a planned ingest's steps (crosswire.service.planned): batches differ in cost.
TASKS_PER_CPU = 2

Item = RawDocument | Rejection
Keyed = tuple[tuple[int, int], Item, Prepared | None]  # (order key, item, what preparing it gave)


@dataclass(frozen=True, slots=True)
class Stage:
    """The prepare stage's settings: what it is given (crosswire.service.common.stage_context)
    and how long one document may take."""

    context: StageContext
    timeout: float


def require_ray() -> None:
    """Fail with the command to run when Ray Data is not installed."""
    try:
        import ray.data  # noqa: F401
    except ImportError:
        raise MissingDependency("ray[data]", "ray", note=" (needed by --engine ray)") from None


@dataclass
class RayJob:
    """A connection to a Ray cluster: ``address`` None starts a local one in this process (or
    joins the one ``ray.init`` already made); "auto" joins the cluster this machine belongs to."""

    address: str | None = None
    actors: int | None = None  # prepare actors; None: one per CPU of the cluster
    nodes: Counter[str] = field(default_factory=Counter)  # documents prepared per node id
    step_nodes: Counter[str] = field(default_factory=Counter)  # planned-ingest step items run per node id
    _started: bool = False

    def __enter__(self) -> Self:
        require_ray()
        import ray

        # Ray Data reports every dataset it runs at INFO; the replay reports what matters.
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        if not ray.is_initialized():
            try:
                ray.init(address=self.address, logging_level=logging.ERROR, log_to_driver=False)
            except ConnectionError as err:
                raise CrosswireError(f"cannot reach the Ray cluster at {self.address}: {err}") from None
            self._started = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._started:
            import ray

            ray.shutdown()

    def map(self, step: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]) -> list[Any]:
        """``step(shared, item)`` for every item, as Ray tasks of one CPU (a run of consecutive
        items each, a few per CPU); ``shared`` goes to the object store once. Results in item order."""
        import ray

        if not items:
            return []
        per_task = math.ceil(len(items) / (self.actor_count() * TASKS_PER_CPU))
        shared_ref = ray.put(shared)
        run = ray.remote(num_cpus=1)(_run_steps)
        done = ray.get([run.remote(step, shared_ref, items[i : i + per_task]) for i in range(0, len(items), per_task)])
        for node, results in done:
            self.step_nodes[node] += len(results)
        return [result for _, results in done for result in results]

    def actor_count(self) -> int:
        import ray

        if self.actors is not None:
            return max(1, self.actors)
        return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _run_steps(step: Callable[[Any, Any], Any], shared: Any, items: Sequence[Any]) -> tuple[str, list[Any]]:
    import ray

    return ray.get_runtime_context().get_node_id(), [step(shared, item) for item in items]


# -- reading and preparing, on the cluster ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Task:
    """What one actor call reads: a shard, with the walk position of each input in it (the first
    half of the order key), or documents the driver already holds (``rank``: their window)."""

    shard: Shard | None = None
    ranks: dict[str, int] = field(default_factory=dict)
    documents: tuple[RawDocument, ...] = ()
    rank: int = 0


def _keyed(task: Task) -> Iterator[tuple[int, int, Item]]:
    """The task's items with their order keys: (walk position, position in the file or archive)."""
    shard = task.shard
    if shard is None:
        for at, document in enumerate(task.documents):
            yield task.rank, at, document
    elif shard.archive is not None:
        rank = task.ranks[shard.archive]
        for at, item in enumerate(read_shard(shard), shard.first):
            yield rank, at, item
    else:
        for path in shard.paths:
            for at, item in enumerate(read_shard(Shard(paths=(path,)))):
                yield task.ranks[path], at, item


class PrepareActor:
    """Reads shards and prepares their documents; one per CPU, models loaded once. The job's
    stage context and time limit are class attributes of a subclass made per job (constructor
    arguments would go through the object store, which Ray warns about for restartable actors)."""

    context: StageContext
    timeout: float

    def __init__(self) -> None:
        import ray

        from crosswire.pipeline import Preparer

        # One worker process of the local executor's: the actor loads the models and forks it
        # (here, at once), and a document that overruns its time or crashes the process is
        # rejected alone, as locally ("timeout", "crashed"). In the actor itself a crash would
        # make Ray restart it and retry the shard without end.
        self.preparer = Preparer(1, self.timeout, self.context)
        self.preparer.run([])
        self.node = ray.get_runtime_context().get_node_id()

    def __call__(self, batch: dict[str, np.ndarray]) -> Iterator[dict[str, np.ndarray]]:
        for blob in batch["task"]:
            rows: list[tuple[int, int, Item]] = []
            for row in _keyed(pickle.loads(blob)):
                rows.append(row)
                if len(rows) == ROWS_PER_BLOCK:
                    yield self._prepared(rows)
                    rows = []
            if rows:
                yield self._prepared(rows)

    def _prepared(self, rows: list[tuple[int, int, Item]]) -> dict[str, np.ndarray]:
        raws = [item for _, _, item in rows if isinstance(item, RawDocument)]
        done = iter(self.preparer.run(raws))
        results = [pickle.dumps(next(done)) if isinstance(item, RawDocument) else b"" for _, _, item in rows]
        return {
            "rank": np.array([rank for rank, _, _ in rows], dtype=np.int64),
            "at": np.array([at for _, at, _ in rows], dtype=np.int64),
            "item": _objects([pickle.dumps(item) for _, _, item in rows]),
            "prepared": _objects(results),
            "node": _objects([self.node] * len(rows)),
        }


def _objects(values: Sequence[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def prepared_dataset(
    job: RayJob, tasks: Sequence[Task], stage: Stage, actor: type[PrepareActor] | None = None
) -> ray.data.Dataset:
    """The parallel stages as a Ray Data dataset (not yet run): a row per item of ``tasks``, with
    its order key (``rank``, ``at``), the item and what preparing it gave (pickled) and the node
    that prepared it. ``actor``: a subclass of PrepareActor to run instead (a benchmark's)."""
    import ray.data

    actors = job.actor_count()
    with warnings.catch_warnings():
        # Ray 2.60's own defaults trip its deprecation of `use_push_based_shuffle` on first use.
        warnings.simplefilter("ignore", DeprecationWarning)
        data = ray.data.DataContext.get_current()
    data.execution_options.preserve_order = True
    data.enable_progress_bars = False
    data.print_on_execution_start = False
    shards = ray.data.from_items([{"task": pickle.dumps(task)} for task in tasks], override_num_blocks=len(tasks))
    job_actor = type("JobPrepareActor", (actor or PrepareActor,), {"context": stage.context, "timeout": stage.timeout})
    return shards.map_batches(
        job_actor,
        batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=max(1, min(actors, len(tasks)))),
        num_cpus=1,
    )


def _prepare_on_cluster(job: RayJob, tasks: Sequence[Task], stage: Stage) -> Iterator[Keyed]:
    """Every item of ``tasks`` with its order key and, for a document, what preparing it gave;
    in key order."""
    if not tasks:
        return
    previous = (-1, -1)
    for row in prepared_dataset(job, tasks, stage).sort(["rank", "at"]).iter_rows():
        key = (int(row["rank"]), int(row["at"]))
        if key <= previous:  # the replay's result depends on this order: never guess
            raise CrosswireError(f"ray engine: rows out of order ({previous} then {key})")
        previous = key
        job.nodes[str(row["node"])] += 1
        blob = row["prepared"]
        yield key, pickle.loads(row["item"]), pickle.loads(blob) if blob else None


def _plan(files: Sequence[Path], target: int) -> list[Shard]:
    """About ``target`` shards of ``files``. Web archives and Parquet files are cut into runs of
    records only while there are fewer of them than shards wanted: a run decompresses its archive
    from the start (crosswire.ingest.shards), and cutting one into k runs costs about k/2 passes
    over it, plus one on the driver to count its pages (a Parquet file's rows are counted from its
    footer and a run reads only its row groups, but the rule is kept simple and the same)."""
    archives = [path for path in files if path.name.lower().endswith(RECORD_SUFFIXES)]
    shards, _ = plan_shards([path for path in files if not path.name.lower().endswith(RECORD_SUFFIXES)], target)
    if len(archives) >= target:
        shards += [Shard(archive=str(path)) for path in archives]
    elif archives:
        shards += plan_shards(archives, math.ceil(target / len(archives)))[0]
    return shards


def plan_paths(job: RayJob, paths: Sequence[str | Path]) -> tuple[list[Task], list[Keyed]]:
    """The tasks that read and prepare what is under ``paths``, and what the walk rejected (with
    its order key)."""
    ranks: dict[str, int] = {}
    unreadable: list[Keyed] = []
    files: list[Path] = []
    for rank, found in enumerate(walk(paths)):
        if isinstance(found, Rejection):
            unreadable.append(((rank, 0), found, None))
        else:
            ranks[str(found)] = rank
            files.append(found)
    shards = _plan(files, job.actor_count() * SHARDS_PER_ACTOR)
    return [Task(shard, {p: ranks[p] for p in (shard.paths or (shard.archive or "",))}) for shard in shards], unreadable


def prepared_paths(job: RayJob, paths: Sequence[str | Path], stage: Stage) -> Iterator[tuple[Item, Prepared | None]]:
    """What ``read_paths(paths)`` gives, in its order, each document with what preparing it on
    the cluster gave (None for a rejection of the reader)."""
    tasks, unreadable = plan_paths(job, paths)
    merged: Iterable[Keyed] = heapq.merge(unreadable, _prepare_on_cluster(job, tasks, stage), key=lambda row: row[0])
    for _, item, prepared in merged:
        yield item, prepared


def prepared_documents(
    job: RayJob, documents: Iterable[RawDocument], stage: Stage
) -> Iterator[tuple[Item, Prepared | None]]:
    """``documents`` (held by the driver: a store's kept inputs) with what preparing them on the
    cluster gave, in their order; a window of them at a time, so the driver never holds them all."""
    window = job.actor_count() * WINDOW_PER_ACTOR
    documents = iter(documents)
    while held := list(islice(documents, window)):
        per_task = math.ceil(len(held) / (job.actor_count() * SHARDS_PER_ACTOR))
        tasks = [Task(documents=tuple(held[i : i + per_task]), rank=i) for i in range(0, len(held), per_task)]
        for _, item, prepared in _prepare_on_cluster(job, tasks, stage):
            yield item, prepared


# -- the replay, on the driver ---------------------------------------------------------------------


class Replayed:
    """An executor that answers with results prepared elsewhere: ``stream`` gives (item, result)
    in the order the use case will read the items; ``items()`` is what the use case reads.
    ``submit`` finds each submitted document's result further along the stream (the use case
    leaves out repeats and stored articles, whose results are dropped)."""

    def __init__(self, stream: Iterable[tuple[Item, Prepared | None]]) -> None:
        self._stream = iter(stream)
        self._ahead: deque[tuple[Item, Prepared | None]] = deque()

    def items(self) -> Iterator[Item]:
        for pair in self._stream:
            self._ahead.append(pair)
            yield pair[0]

    def _next(self) -> tuple[Item, Prepared | None]:
        if self._ahead:
            return self._ahead.popleft()
        pair = next(self._stream, None)
        if pair is None:
            raise CrosswireError("ray engine: a document was submitted that the cluster never prepared")
        return pair

    def submit(self, items: Sequence[Any]) -> Callable[[], list[Any]]:
        results: list[Prepared] = []
        for raw in items:
            item, prepared = self._next()
            while not (item is raw or item == raw) or prepared is None:
                item, prepared = self._next()
            results.append(prepared)
        return lambda: results

    def run(self, items: Sequence[Any]) -> list[Any]:
        return self.submit(items)()

    def close(self) -> None:
        self._ahead.clear()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
