"""Parquet files of articles -> RawDocument, one per row, read a bounded batch at a time.

A row is what a JSON Lines line is (crosswire.ingest.files.raw_from_object): a ``text`` or
``html`` column holds the body, the optional ``url``, ``title``, ``published``, ``site``,
``language``, ``author``, ``captured`` and ``source`` columns are hints, other columns are
ignored. So `crosswire export --format parquet` and the usual news dumps (Common Crawl News
extractions, Hugging Face datasets) ingest as they are. pyarrow reads the file (the ``parquet``
extra); without it, the file is one rejection saying what to install.

Rows are counted from 0 across the file's row groups; ``first``/``stop`` pick a run of them (a
shard), reading only the row groups that hold it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crosswire.ingest.files import _HINT_FIELDS, MAX_JSON_LINE_BYTES, raw_from_object
from crosswire.types import RawDocument, Rejection

# Rows per batch read: a batch of long articles stays a few MB.
BATCH_ROWS = 256
_COLUMNS = ("text", "html", "source", *_HINT_FIELDS)
INSTALL = "pip install 'crosswire[parquet]'"


def _open(path: Path) -> Any:
    import pyarrow.parquet as pq

    return pq.ParquetFile(str(path))


def _missing(path: Path) -> Rejection | None:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return Rejection(str(path), "missing-dependency", f"reading Parquet needs pyarrow: {INSTALL}")
    return None


def count_rows(path: Path) -> int:
    """The file's rows, from its footer (1 for a file that cannot be read: its one rejection)."""
    if _missing(path) is not None:
        return 1
    try:
        return int(_open(path).metadata.num_rows)
    except Exception:  # pyarrow raises several types for a damaged file; read_parquet reports it
        return 1


def read_parquet(path: Path, first: int = 0, stop: int | None = None) -> Iterator[RawDocument | Rejection]:
    """The rows ``first`` up to (not including) ``stop`` of the Parquet file at ``path``, as raw
    documents; a row without a text or html string, or with a body over MAX_JSON_LINE_BYTES, is a
    rejection naming the file and row. A file pyarrow cannot read ends in one rejection; the rows
    read before it stand."""
    missing = _missing(path)
    if missing is not None:
        if first == 0:
            yield missing
        return
    source = str(path)
    try:
        handle = _open(path)
        names = [name for name in _COLUMNS if name in handle.schema_arrow.names]
        if "text" not in names and "html" not in names:
            if first == 0:
                yield Rejection(source, "bad-parquet", "no 'text' or 'html' column")
            return
        row_start = 0
        for group in range(handle.metadata.num_row_groups):
            rows = handle.metadata.row_group(group).num_rows
            group_start, row_start = row_start, row_start + rows
            if row_start <= first or (stop is not None and group_start >= stop):
                continue
            at = group_start
            for batch in handle.iter_batches(batch_size=BATCH_ROWS, row_groups=[group], columns=names):
                for row in batch.to_pylist():
                    if at >= first and (stop is None or at < stop):
                        yield _document(row, f"{source}:{at}")
                    at += 1
    except Exception as err:  # pyarrow raises many types for a damaged file
        yield Rejection(source, "bad-parquet", f"{type(err).__name__}: {str(err)[:300]}")


def _document(row: dict[str, Any], source: str) -> RawDocument | Rejection:
    for column in ("html", "text"):
        body = row.get(column)
        if isinstance(body, str) and len(body) > MAX_JSON_LINE_BYTES:
            return Rejection(source, "too-large", f"{column} of more than {MAX_JSON_LINE_BYTES} characters")
    found = raw_from_object(row, source)
    if isinstance(found, Rejection):
        return Rejection(source, "bad-parquet", "row has no 'text' or 'html' string")
    return found
