"""`--engine ray` on a real Ray cluster started here (a head without CPUs and two one-CPU worker
nodes on loopback): the same articles, events and stories as the local engine, from files, JSON
Lines, a web archive and news pages, with both worker nodes preparing documents."""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SEEDS, SHARED, run_cli
from fixture_server import article
from test_sources_warc import write_warc

from crosswire.executors.ray_engine import RayJob
from crosswire.service.ingest import IngestReport, RecleanReport, ingest_paths, reclean, recluster
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import Assignment

NEWS = SHARED / "data" / "news-stream" / "tgnews-2019-html.tar.xz"
NEWS_PAGES = 150
ARCHIVE_PAGES = 24
HAS_RAY = importlib.util.find_spec("ray") is not None
needs_ray = pytest.mark.skipif(
    not HAS_RAY, reason="Ray Data is not installed (the `ray` extra: pip install 'crosswire[ray]')"
)


def _news_pages() -> list[Path]:
    if not NEWS.exists():  # a user's clone: the inputs below are the project's own
        return []
    import sys

    from conftest import ROOT

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.scale_corpus import news_pages

    return news_pages()[:NEWS_PAGES]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every kind of input the readers shard, and a few they reject, in one folder."""
    root = tmp_path_factory.mktemp("inputs")
    pages = []
    for number in range(ARCHIVE_PAGES):
        title, text = article(number)
        body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        html = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
        pages.append((f"https://news.example/{number}", "200 OK", "text/html", html.encode()))
    write_warc(root / "archive.warc.gz", pages)
    seeds = sorted(SEEDS.iterdir())
    lines = [
        json.dumps({"text": seed.read_text(encoding="utf-8"), "url": f"https://feed.example/{seed.name}"})
        for seed in seeds
    ]
    (root / "feed.jsonl").write_text("\n".join([*lines, "{not json", lines[0]]) + "\n", encoding="utf-8")
    (root / "gone.html").symlink_to(root / "nowhere.html")  # a dangling link: rejected by the walk
    shutil.copytree(SEEDS, root / "seeds")
    news = root / "news"
    news.mkdir()
    for page in _news_pages():
        (news / page.name).symlink_to(page)
    return root


@dataclass
class Run:
    store: SQLiteStore
    report: IngestReport
    recleaned: SQLiteStore | None = None
    reclean: RecleanReport | None = None


def _assignments(store: SQLiteStore) -> list[Assignment]:
    return sorted(store.all_assignments(), key=lambda a: a.article_id)


def _settings(store_path: Path, workers: int = 0) -> Settings:
    return Settings(db=str(store_path), workers=workers)


def _copy(store: SQLiteStore, to: Path) -> SQLiteStore:
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(store.path, to)
    return SQLiteStore(to)


@pytest.fixture(scope="module")
def local_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The local engine's ingest and re-clean (of a copy), done before this process joins the
    cluster: its worker processes are forked from here."""
    folder = tmp_path_factory.mktemp("local")
    store = SQLiteStore(folder / "store.db")
    report = ingest_paths(store, [inputs], _settings(folder / "store.db", workers=2))
    recleaned = _copy(store, folder / "recleaned.db")
    return Run(store, report, recleaned, reclean(recleaned, _settings(folder / "recleaned.db", workers=2)))


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A head node with no CPUs (so it prepares nothing) and two worker nodes with one CPU each,
    on 127.0.0.1; this process is the driver."""
    if not HAS_RAY:
        pytest.skip("Ray Data is not installed (the `ray` extra: pip install 'crosswire[ray]')")
    import ray
    from ray.cluster_utils import Cluster

    before = os.environ.get("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER")
    os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # keep every node on loopback
    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 0})
    try:
        for _ in range(2):
            nodes.add_node(num_cpus=1)
        ray.init(address=nodes.address, logging_level=logging.ERROR, log_to_driver=False)
        yield nodes.address
    finally:
        ray.shutdown()
        nodes.shutdown()
        if before is None:
            os.environ.pop("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", None)
        else:
            os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = before


@pytest.fixture(scope="module")
def ray_run(inputs: Path, cluster: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, RayJob]:
    from crosswire.service.ingest_ray import ingest_paths_ray

    path = tmp_path_factory.mktemp("ray") / "store.db"
    store = SQLiteStore(path)
    with RayJob() as job:  # joins the cluster this process is connected to
        report = ingest_paths_ray(store, [inputs], _settings(path), job)
    return Run(store, report), job


@needs_ray
def test_ray_ingest_gives_the_local_articles_events_and_stories(local_run: Run, ray_run: tuple[Run, RayJob]) -> None:
    ray, _ = ray_run
    assert ray.report.added == local_run.report.added >= ARCHIVE_PAGES + len(list(SEEDS.iterdir()))
    assert ray.report.present == local_run.report.present == 3  # the seeds twice more, a repeated line
    assert ray.report.rejected == local_run.report.rejected
    assert {"bad-json", "broken-link"} <= set(ray.report.rejected)
    assert [r.source for r in ray.report.rejections] == [r.source for r in local_run.report.rejections]
    ids = local_run.store.all_article_ids()
    assert ray.store.all_article_ids() == ids
    assert ray.store.articles(ids) == local_run.store.articles(ids)
    assert _assignments(ray.store) == _assignments(local_run.store)
    assert ray.store.cluster_counts() == local_run.store.cluster_counts()
    stories, events = local_run.store.cluster_counts()
    assert 1 < stories < len(ids) and stories <= events  # the test set does cluster: not one story per article


@needs_ray
def test_both_worker_nodes_prepare_documents(cluster: str, ray_run: tuple[Run, RayJob]) -> None:
    import ray

    run, job = ray_run
    workers = {node["NodeID"] for node in ray.nodes() if node["Alive"] and node["Resources"].get("CPU", 0) > 0}
    assert len(workers) == 2
    assert set(job.nodes) == workers  # every row names the node that prepared it: the head prepared none
    assert min(job.nodes.values()) >= 5
    assert sum(job.nodes.values()) >= run.report.added
    # Into an empty store the steps after preparing ran on the cluster too (crosswire.service.planned):
    # the site pass, weighing and the candidates and scores, batch by batch, on both nodes.
    assert set(job.step_nodes) == workers


@needs_ray
def test_ray_ingest_goes_on_from_a_store_as_the_local_ingest(
    local_run: Run, ray_run: tuple[Run, RayJob], tmp_path: Path
) -> None:
    """Through the command line, into a store that holds articles: the batches planned on both
    nodes from what the store holds, the same events and stories as a local ingest, and the new
    articles joined to stored stories."""
    more = tmp_path / "more"
    more.mkdir()
    for number in range(ARCHIVE_PAGES, ARCHIVE_PAGES + 12):
        title, text = article(number)
        body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
        (more / f"page-{number}.html").write_text(page, encoding="utf-8")
    here = _copy(local_run.store, tmp_path / "local.db")
    before = set(here.all_article_ids())
    ingest_paths(here, [more], _settings(tmp_path / "local.db"))
    _copy(ray_run[0].store, tmp_path / "ray.db").close()
    done = run_cli("ingest", "--engine", "ray", str(more), db=tmp_path / "ray.db")
    assert done.returncode == 0, done.stderr
    assert "batches weighed and planned on 2 Ray nodes" in done.stderr
    there = SQLiteStore(tmp_path / "ray.db")
    assert _assignments(there) == _assignments(here)
    joined = {a.story_id for a in here.all_assignments() if a.article_id in before}
    assert any(a.story_id in joined for a in here.all_assignments() if a.article_id not in before)


@needs_ray
def test_ray_reclean_matches_local_reclean(local_run: Run, ray_run: tuple[Run, RayJob], tmp_path: Path) -> None:
    """Through the command line, as an operator runs it."""
    expected, here = local_run.reclean, local_run.recleaned
    assert expected is not None and here is not None
    # Ingest now applies a site's furniture as soon as the batch itself shows it, so a reclean of
    # these pages may change none: the runs must agree either way.
    there = _copy(ray_run[0].store, tmp_path / "ray.db")  # a copy: the ingest test compares the stores as ingested
    done = run_cli("reclean", "--engine", "ray", db=tmp_path / "ray.db")
    assert done.returncode == 0, done.stderr
    failed = sum(expected.failed.values())
    assert f"re-cleaned {expected.checked}, changed {expected.changed}, failed {failed} " in done.stderr
    assert expected.checked == local_run.report.added
    assert "prepared on 2 Ray nodes" in done.stderr
    ids = here.all_article_ids()
    assert there.articles(ids) == here.articles(ids)
    assert _assignments(there) == _assignments(here)


@needs_ray
def test_ray_recluster_matches_local_recluster(local_run: Run, ray_run: tuple[Run, RayJob], tmp_path: Path) -> None:
    """Through the command line, with other clustering settings than the ingest's (the user's
    config file): the batches' weighing, candidates and scores on both nodes, the same events
    and stories as the local recluster."""
    tight = {"batch_size": 16, "event_threshold": 0.5, "story_threshold": 0.4, "merge_threshold": 0.45}
    here = _copy(local_run.store, tmp_path / "local.db")
    expected = recluster(here, Settings(db=str(tmp_path / "local.db"), workers=0, **tight))  # type: ignore[arg-type]
    _copy(ray_run[0].store, tmp_path / "ray.db").close()
    config = tmp_path / "no-config" / "crosswire" / "config.toml"  # where run_cli points XDG_CONFIG_HOME
    config.parent.mkdir(parents=True)
    config.write_text("".join(f"{key} = {value}\n" for key, value in tight.items()), encoding="utf-8")
    done = run_cli("recluster", "--engine", "ray", db=tmp_path / "ray.db")
    assert done.returncode == 0, done.stderr
    assert f"re-clustered {expected.articles} articles into {expected.stories} stories" in done.stderr
    assert "batches weighed and planned on 2 Ray nodes" in done.stderr
    there = SQLiteStore(tmp_path / "ray.db")
    assert _assignments(there) == _assignments(here)
    assert there.cluster_counts() == here.cluster_counts() == (expected.stories, expected.events)


def test_ray_engine_without_ray_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(__import__("sys").modules, "ray", None)  # as if not installed: import fails
    monkeypatch.setitem(__import__("sys").modules, "ray.data", None)
    result = run_cli("ingest", "--engine", "ray", str(SEEDS), db=tmp_path / "store.db")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "crosswire: ray[data] is not installed; run: pip install 'crosswire[ray]' (needed by --engine ray)"
    ]
    assert not (tmp_path / "store.db").exists()  # refused before the store is made


def test_engine_options_are_checked(tmp_path: Path) -> None:
    unknown = run_cli("ingest", "--engine", "spark", str(SEEDS), db=tmp_path / "store.db")
    assert unknown.returncode == 1 and "unknown engine 'spark'" in unknown.stderr
    stray = run_cli("reclean", "--ray-address", "auto", db=tmp_path / "store.db")
    assert stray.returncode == 1 and "--ray-address needs --engine ray" in stray.stderr


def test_archives_are_cut_into_runs_only_when_fewer_than_the_shards_wanted(inputs: Path, tmp_path: Path) -> None:
    from crosswire.executors.ray_engine import _plan

    archive = inputs / "archive.warc.gz"
    cut = _plan([archive], 4)
    assert [(s.archive, s.first, s.stop) for s in cut] == [
        (str(archive), i * 6, (i + 1) * 6 if i < 3 else None) for i in range(4)
    ]
    copies = [shutil.copy(archive, tmp_path / f"{i}.warc.gz") for i in range(3)]
    whole = _plan([Path(c) for c in copies], 2)  # no page count: an archive per shard, read whole
    assert [(s.archive, s.first, s.stop) for s in whole] == [(str(c), 0, None) for c in copies]
