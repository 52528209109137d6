"""The vector index beside a store: kept by the process that saved it, and read from the file
again when another process saved since."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from crosswire.cluster import ann
from crosswire.cluster.ann import VectorIndex, open_index

pytest.importorskip("usearch")


def _unit(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, 4)).astype(np.float32)
    unit: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit


def test_a_process_takes_up_the_index_it_saved_until_another_process_saves(tmp_path: Path) -> None:
    path = tmp_path / "store.db.vectors.usearch"
    first = open_index(4, path)
    first.add(["00000000000000a1", "00000000000000a2"], _unit(2, 1))
    first.save()
    again = open_index(4, path)
    assert again is first  # no second read of the file
    meanwhile = open_index(4, path)  # while it is in use, a second writer reads its own copy
    assert meanwhile is not first and len(meanwhile) == 2
    again.add(["00000000000000a3"], _unit(1, 2))
    again.save()
    assert open_index(4, path) is again and len(again) == 3
    again.save()
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # another process saved
    reread = open_index(4, path)
    assert reread is not again and len(reread) == 3
    reread.save()
    assert open_index(8, path) is not reread  # another encoder's dimension: not this index


def test_an_index_never_saved_is_not_kept(tmp_path: Path) -> None:
    path = tmp_path / "other.db.vectors.usearch"
    unsaved = VectorIndex(4, path)
    unsaved.add(["00000000000000b1"], _unit(1, 3))
    assert path not in ann._IDLE and open_index(4, path) is not unsaved


def test_a_save_in_the_background_is_waited_for_by_every_later_reader(tmp_path: Path) -> None:
    path = tmp_path / "bg.db.vectors.usearch"
    index = open_index(4, path)
    index.add([f"{i:016x}" for i in range(1, 201)], _unit(200, 4))
    index.save(wait=False)
    assert len(VectorIndex(4, path)) == 200  # a read of the file in this process waits for the write
    index.add(["00000000000000c9"], _unit(1, 5))  # a change waits too, then goes on in memory
    index.save(wait=False)
    assert open_index(4, path) is index and len(VectorIndex(4, path)) == 201
    assert not list(tmp_path.glob("*.tmp"))


def test_the_process_exit_waits_for_a_save_in_the_background(tmp_path: Path) -> None:
    path = tmp_path / "exit.db.vectors.usearch"
    code = f"""
import numpy as np
from pathlib import Path
from crosswire.cluster.ann import VectorIndex
index = VectorIndex(4, Path({str(path)!r}))
vectors = np.random.default_rng(0).normal(size=(5000, 4)).astype(np.float32)
index.add([f"{{i:016x}}" for i in range(1, 5001)], vectors / np.linalg.norm(vectors, axis=1, keepdims=True))
index.save(wait=False)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(VectorIndex(4, path)) == 5000


def test_onnxruntime_loads_after_usearch() -> None:
    """usearch 2.26.2-2.26.6 made the process crash (SIGSEGV) when onnxruntime was imported after
    it, as a server that searches its index before it first encodes would; the pin keeps them
    apart."""
    pytest.importorskip("onnxruntime")
    done = subprocess.run(
        [sys.executable, "-c", "import usearch.index, onnxruntime; print('loaded')"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "loaded" in done.stdout, (done.returncode, done.stderr[-500:])
