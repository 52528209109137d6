"""Readers for documents handed over in memory (an API request body, an uploaded file): the same
formats and rules as the file readers, but the name only says the format and labels the source;
it is never opened as a path."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes
from crosswire.ingest.files import (
    JSON_SUFFIXES,
    SUPPORTED,
    TEXT_SUFFIXES,
    json_lines,
    raw_from_object,
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
    try:
        text, flags = decode_bytes(data, source=name)
        if suffix == ".json":
            yield from read_json_value(json.loads(text), name)
        else:
            yield RawDocument(source=name, body=text, kind=TEXT_SUFFIXES[suffix], flags=flags)  # type: ignore[arg-type]
    except InputError as err:
        yield Rejection(name, err.reason, err.detail)
    except json.JSONDecodeError as err:
        yield Rejection(name, "bad-json", str(err))


def read_json_value(value: Any, source: str) -> Iterator[RawDocument | Rejection]:
    """An object with ``text`` or ``html`` (and optional hints), or a list of them."""
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        yield raw_from_object(item, source if len(items) == 1 else f"{source}[{index}]")


def read_json_lines(data: bytes, source: str) -> Iterator[RawDocument | Rejection]:
    """One object per line; a bad line is a rejection and the rest go on."""
    return json_lines(data.splitlines(), source)
