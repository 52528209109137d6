"""Inputs that are not plain files (FIFOs, sockets, link loops, dangling links) through the real
ingest, in process and as the CLI: the run finishes, stores the good files and reports each bad
one; and a bad input seen again is counted, not stored twice."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from test_ingest_files import _deadline, special_folder

from crosswire.service.sources import ingest_sources
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.store.sqlite import _migrations

ROOT = Path(__file__).resolve().parents[1]
RU = (
    "Министр иностранных дел России Сергей Лавров заявил, что переговоры с США о гарантиях "
    "безопасности начнутся в январе в Женеве, а затем продолжатся в Брюсселе и Вене."
)
BAD = {"pipe.txt": "not-a-file", "sock.txt": "not-a-file", "loop-a.txt": "symlink-loop"}
BAD |= {"loop-b.txt": "symlink-loop", "dangling.txt": "broken-link", "parent": "symlink-loop"}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    special_folder(folder).close()  # the socket file stays, nobody listening
    (folder / "good.txt").write_text(f"Переговоры в Женеве\n\n{RU}\n", encoding="utf-8")
    return folder


def test_ingest_finishes_stores_the_good_files_and_counts_a_bad_one_seen_again(tmp_path: Path, db: Path) -> None:
    folder = _folder(tmp_path)
    store = SQLiteStore(db)
    settings = Settings(db=str(db), workers=0)
    with _deadline(60):
        first = ingest_sources(store, [str(folder)], settings)
        again = ingest_sources(store, [str(folder)], settings)
    assert first.added == 2 and again.present == 2
    for report in (first, again):
        assert {Path(r.source).name: r.reason for r in report.rejections} == BAD
    rows = store.db.execute("SELECT source, reason, times, first_at <= at FROM rejections").fetchall()
    assert sorted((Path(source).name, reason, times, ordered) for source, reason, times, ordered in rows) == sorted(
        (name, reason, 2, 1) for name, reason in BAD.items()
    )
    assert store.rejection_counts() == {"not-a-file": 2, "symlink-loop": 3, "broken-link": 1}


def test_the_cli_does_not_hang_on_a_fifo(tmp_path: Path, db: Path) -> None:
    folder = _folder(tmp_path)
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "no-config")
    env["COLUMNS"] = "1000"  # one rejection a line, whatever the summary's wrapping
    for command in (["ingest", str(folder), "--db", str(db)], ["clean", str(folder / "pipe.txt"), str(folder)]):
        done = subprocess.run(
            [sys.executable, "-m", "crosswire", *command],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr  # something was rejected
        for name, reason in BAD.items():
            assert f"{name}: {reason}" in done.stderr.replace(str(folder) + os.sep, "")
    assert SQLiteStore(db).db.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_migration_folds_duplicate_rejections_into_the_newest(db: Path) -> None:
    old = sqlite3.connect(db)
    for version, script in _migrations():
        if version <= 10:
            old.executescript(script)
    old.executemany(
        "INSERT INTO rejections (source, reason, detail, at) VALUES (?,?,?,?)",
        [
            ("a.txt", "binary", "old", "2024-01-01T00:00:00+00:00"),
            ("a.txt", "binary", "new", "2024-02-01T00:00:00+00:00"),
            ("a.txt", "empty", "other reason", "2024-01-15T00:00:00+00:00"),
            ("b.txt", "binary", "b", "2024-01-10T00:00:00+00:00"),
        ],
    )
    old.execute("PRAGMA user_version = 10")
    old.commit()
    old.close()
    store = SQLiteStore(db)
    rows = store.db.execute("SELECT source, reason, detail, first_at, at, times FROM rejections ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("a.txt", "binary", "new", "2024-01-01T00:00:00+00:00", "2024-02-01T00:00:00+00:00", 2),
        ("a.txt", "empty", "other reason", "2024-01-15T00:00:00+00:00", "2024-01-15T00:00:00+00:00", 1),
        ("b.txt", "binary", "b", "2024-01-10T00:00:00+00:00", "2024-01-10T00:00:00+00:00", 1),
    ]
