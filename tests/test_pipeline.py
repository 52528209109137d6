"""Per-document stages in worker processes: time limits and failures stay per document."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from crosswire import pipeline
from crosswire.pipeline import PreparedDocument, Preparer, prepare
from crosswire.stages import DEFAULT_CONTEXT, StageContext
from crosswire.types import Article, RawDocument, Rejection

GOOD = RawDocument(
    source="good",
    body="Talks in Geneva\n\nThe delegations of the United States and Russia met "
    "in Geneva on Monday to discuss security guarantees.\n",
)


def _slow_prepare(raw: RawDocument, context: StageContext = DEFAULT_CONTEXT):  # type: ignore[no-untyped-def]
    if raw.source == "slow":
        time.sleep(30)
    return prepare(raw, context)


def test_prepare_turns_failures_into_rejections() -> None:
    done = prepare(GOOD)
    assert isinstance(done, PreparedDocument)
    assert isinstance(done.article, Article) and done.analysis.article_id == done.article.id
    assert done.counted.article_id == done.article.id and len(done.counted.ids) > 0
    empty = prepare(RawDocument(source="empty", body="\n \n"))
    assert isinstance(empty, Rejection) and empty.reason == "empty"


@pytest.mark.parametrize("workers", [0, 1])
def test_a_document_over_its_time_limit_is_rejected_and_the_rest_go_on(
    workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "prepare", _slow_prepare)
    slow = RawDocument(source="slow", body="x")
    start = time.monotonic()
    with Preparer(workers=workers, timeout=1.0) as preparer:
        results = preparer.run([GOOD, slow, GOOD])
    assert time.monotonic() - start < 20
    assert isinstance(results[0], PreparedDocument) and isinstance(results[2], PreparedDocument)
    assert isinstance(results[1], Rejection) and results[1].reason == "timeout"


def test_workers_run_from_an_unguarded_script(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Scripts without `if __name__ == "__main__"` are common; workers must not re-run them.
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(
        "from crosswire.pipeline import Preparer\n"
        "from crosswire.types import RawDocument\n"
        "print('started', flush=True)\n"
        "body = 'Talks\\n\\nThe delegations of the United States and Russia met in Geneva on Monday.\\n'\n"
        "with Preparer(workers=2, timeout=30) as p:\n"
        "    docs = [RawDocument(source=str(i), body=body * (i + 1)) for i in range(3)]\n"
        "    print([type(r).__name__ for r in p.run(docs)])\n"
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["started", "['PreparedDocument', 'PreparedDocument', 'PreparedDocument']"]


def test_a_repeat_in_the_next_batch_is_present_while_the_first_is_in_flight(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from crosswire.service import ingest
    from crosswire.settings import Settings
    from crosswire.store import SQLiteStore

    def doc(n: int) -> RawDocument:
        return RawDocument(source=f"d{n}", body=f"Report {n}\n\nThe council met on day {n} to discuss the budget.\n")

    settings = Settings(db=str(tmp_path / "s.db"), batch_size=2, workers=1)
    store = SQLiteStore(settings.db)
    report = ingest(store, [doc(1), doc(2), doc(1), doc(3), doc(2)], settings)
    assert (report.added, report.present) == (3, 2)
    assert len(store.all_article_ids()) == 3
    assert store.db.execute("SELECT count(*) FROM assignments").fetchone()[0] == 3


def _collector_state(_: object) -> tuple[tuple[int, int, int], bool]:
    import gc

    return gc.get_threshold(), gc.get_freeze_count() > 0


def _failed(item: object, reason: str, detail: str) -> tuple[tuple[int, int, int], bool]:
    raise AssertionError(f"{reason}: {detail}")


def test_workers_collect_garbage_rarely_and_never_walk_what_they_inherited() -> None:
    import gc

    from crosswire.executors.local import WORKER_GC_THRESHOLD, LocalExecutor

    before = gc.get_threshold(), gc.get_freeze_count()
    with LocalExecutor(_collector_state, _failed, workers=1, timeout=30) as executor:
        [(threshold, frozen)] = executor.run([None])
    assert threshold == WORKER_GC_THRESHOLD and frozen
    assert (gc.get_threshold(), gc.get_freeze_count()) == before  # the calling process is left as it was


def test_a_job_relaxes_the_callers_collector_only_while_it_runs() -> None:
    import gc
    import threading

    from crosswire.executors.local import WORKER_GC_THRESHOLD, relaxed_collector

    before = gc.get_threshold()
    inside, release = threading.Event(), threading.Event()

    def other_job() -> None:
        with relaxed_collector():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=other_job)
    with relaxed_collector():
        assert gc.get_threshold() == WORKER_GC_THRESHOLD
        thread.start()
        assert inside.wait(10)
    # The other job still runs: the setting stays until the last one leaves.
    assert gc.get_threshold() == WORKER_GC_THRESHOLD
    release.set()
    thread.join(10)
    assert gc.get_threshold() == before


def test_ingest_leaves_the_callers_collector_as_it_was(tmp_path: Path) -> None:
    import gc

    from crosswire.service import ingest_paths
    from crosswire.settings import Settings
    from crosswire.store import SQLiteStore

    before = gc.get_threshold()
    page = tmp_path / "in" / "note.txt"
    page.parent.mkdir()
    page.write_text("Council approves budget\n\nThe city council approved the budget on Tuesday. " * 3)
    store = SQLiteStore(tmp_path / "s.db")
    report = ingest_paths(store, [page.parent], Settings(db=str(tmp_path / "s.db"), workers=0, encoder="none"))
    assert report.added == 1 and gc.get_threshold() == before
