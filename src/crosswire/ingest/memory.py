"""Readers for documents handed over in memory (an API request body, an uploaded file): the same
formats and rules as the file readers, but the name only says the format and labels the source;
it is never opened as a path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from crosswire.ingest.files import (
    JSON_SUFFIXES,
    SUPPORTED,
    TEXT_SUFFIXES,
    json_lines,
    read_data,
)
from crosswire.types import RawDocument, Rejection


def _suffix(name: str) -> str:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower()


def read_bytes(name: str, data: bytes) -> Iterator[RawDocument | Rejection]:
    """Read one uploaded file: .txt, .html/.htm, .json (an object or a list) or .jsonl."""
    suffix = _suffix(name)
    if suffix in (".jsonl", ".ndjson"):
        yield from read_json_lines(data, name)
        return
    if suffix not in TEXT_SUFFIXES and suffix not in JSON_SUFFIXES:
        yield Rejection(name, "unknown-format", f"expected one of {', '.join(SUPPORTED)}")
        return
    yield from read_data(data, name, suffix)


def read_json_lines(data: bytes, source: str) -> Iterator[RawDocument | Rejection]:
    """One object per line; a bad line is a rejection and the rest go on."""
    return json_lines(data.splitlines(), source)
