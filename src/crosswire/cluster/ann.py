"""An approximate nearest-neighbour index over the articles' dense vectors (usearch HNSW), the
second candidate source beside the inverted index when an encoder is configured.

The SQLite store stays the source of truth: the index is a cache in a file beside it
(``<db>.vectors.usearch``), saved at the end of each run and rebuilt from the stored vectors
whenever it does not hold exactly what the store holds (a crash before the save, a recluster, a
new encoder).

A process that ingests again and again (``watch``, the web server's uploads, a script) keeps the
index it saved and takes it up again while the file is as it left it (``open_index``): loading
100,000 vectors took 95 ms of each 370 ms add of one article. Writing the file took most of the
rest (200 ms: 90 to write 168 MB, 110 to replace the old file), so an ingest saves in a thread of
its own after its data is committed (``save(wait=False)``) and returns; the next use of the
index, any read of its file in this process and the process's exit wait for that write.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from crosswire.errors import MissingDependency

log = logging.getLogger(__name__)


class NearestVectors(Protocol):
    """What the cluster writer asks of a nearest-vector search."""

    def __len__(self) -> int: ...

    def add(self, article_ids: Sequence[str], vectors: np.ndarray) -> None: ...

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]: ...


def vector_index_path(db: Path) -> Path:
    return db.with_name(db.name + ".vectors.usearch")


def _key(article_id: str) -> int:
    # Article ids are 16 hex digits of a content hash: exactly one unsigned 64-bit key.
    return int(article_id, 16)


def _article_id(key: int) -> str:
    return f"{key:016x}"


class VectorIndex:
    """Cosine HNSW over unit vectors, keyed by article id."""

    def __init__(self, ndim: int, path: Path | None = None) -> None:
        try:
            from usearch.index import Index
        except ImportError as err:  # only the dense extra installs it
            raise MissingDependency("usearch", "dense", command="pip install usearch") from err
        self.ndim = ndim
        self.path = path
        self._saving: threading.Thread | None = None
        self._index = Index(ndim=ndim, metric="cos", dtype="f32")
        if path is not None:
            settle(path)  # a write of it this process started: read what it wrote
        if path is not None and path.is_file():
            try:
                self._index.load(str(path))
            except Exception:  # a damaged cache: the caller rebuilds it from the store
                self._index = Index(ndim=ndim, metric="cos", dtype="f32")
            if self._index.ndim != ndim:
                self._index = Index(ndim=ndim, metric="cos", dtype="f32")

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, article_id: str) -> bool:
        return _key(article_id) in self._index

    def add(self, article_ids: Sequence[str], vectors: np.ndarray) -> None:
        self.wait()
        keys = np.array([_key(i) for i in article_ids], dtype=np.uint64)
        present = np.array([k in self._index for k in keys.tolist()], dtype=bool)
        if present.any():  # a re-cleaned article: its vector changed
            self._index.remove(keys[present])
        if len(keys):
            self._index.add(keys, np.asarray(vectors, dtype=np.float32).reshape(len(keys), self.ndim))

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Up to ``k`` (article id, cosine similarity) pairs, nearest first."""
        if len(self._index) == 0 or k <= 0:
            return []
        found = self._index.search(np.asarray(vector, dtype=np.float32), min(k, len(self._index)))
        return [(_article_id(int(key)), 1.0 - float(d)) for key, d in zip(found.keys, found.distances, strict=True)]

    def clear(self) -> None:
        self.wait()
        self._index.reset()

    def rebuild(self, items: Iterable[tuple[str, np.ndarray]], chunk: int = 4096) -> None:
        self.clear()
        ids: list[str] = []
        vectors: list[np.ndarray] = []
        for article_id, vector in items:
            ids.append(article_id)
            vectors.append(vector)
            if len(ids) >= chunk:
                self.add(ids, np.stack(vectors))
                ids, vectors = [], []
        if ids:
            self.add(ids, np.stack(vectors))

    def save(self, wait: bool = True) -> None:
        """Write the index to its file and keep it for this process's next ``open_index``; with
        ``wait=False`` in a thread of its own (see the module docstring)."""
        if self.path is None:
            return
        self.wait()
        settle(self.path)  # another copy's write of the same file
        if wait:
            self._write(self.path)
            return
        # Not a daemon: the interpreter waits for it at exit, so the file is never left behind.
        thread = threading.Thread(target=self._write, args=(self.path,), name="crosswire-vector-index-save")
        self._saving = thread
        with _IDLE_LOCK:
            _SAVING[self.path] = thread
        thread.start()

    def wait(self) -> None:
        """Wait for a write of this index in progress."""
        thread = self._saving
        if thread is not None:
            thread.join()
            self._saving = None

    def _write(self, path: Path) -> None:
        # A name of its own: two processes saving at once must not write into one temporary file.
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
        os.close(handle)
        try:
            self._index.save(tmp)
            os.replace(tmp, path)  # never leave a half-written index under the real name
        except Exception as err:  # a cache: the next run rebuilds it from the store
            log.warning("could not save the vector index %s: %s", path, err)
            Path(tmp).unlink(missing_ok=True)
            return
        version = file_version(path)
        if version is not None:
            with _IDLE_LOCK:
                _IDLE[path] = (version, self)


# Indexes this process saved, by file, with the file's (mtime, size) as it wrote it. An entry is
# taken out while in use, so two writers in one process never share one index.
_IDLE: dict[Path, tuple[tuple[int, int], VectorIndex]] = {}
_IDLE_LOCK = threading.Lock()
_SAVING: dict[Path, threading.Thread] = {}  # writes in progress, by file


def settle(path: Path) -> None:
    """Wait for this process's write of ``path`` in progress, if any."""
    with _IDLE_LOCK:
        thread = _SAVING.get(path)
    if thread is not None and thread is not threading.current_thread():
        thread.join()
        with _IDLE_LOCK:
            if _SAVING.get(path) is thread:
                del _SAVING[path]


def file_version(path: Path) -> tuple[int, int] | None:
    """(modification time, size) of ``path``, which any save changes; None when it is absent."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def open_index(ndim: int, path: Path) -> VectorIndex:
    """The index in ``path``: the one this process last saved there while the file is as it left
    it (no other process saved since), else read from the file."""
    settle(path)
    with _IDLE_LOCK:
        kept = _IDLE.pop(path, None)
    if kept is not None and kept[1].ndim == ndim and kept[0] == file_version(path):
        return kept[1]
    return VectorIndex(ndim, path)
