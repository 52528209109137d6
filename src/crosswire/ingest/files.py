"""Readers for files and folders: .txt, .html/.htm, .json and .jsonl -> RawDocument.

A bad file is data, not a crash: it comes out as a Rejection with a reason and the walk goes on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes
from crosswire.types import DocumentKind, RawDocument, Rejection

TEXT_SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
SUPPORTED = sorted([*TEXT_SUFFIXES, *JSON_SUFFIXES])
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_JSON_LINE_BYTES = 20 * 1024 * 1024
WARC_SUFFIXES = (".warc", ".warc.gz")  # web archives: read record by record, at any size
_HINT_FIELDS = ("url", "title", "published", "site", "language", "author", "captured")


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Yield the files under ``paths`` (folders recursively, sorted, hidden entries skipped)."""
    for entry in paths:
        path = Path(entry)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name
        elif path.exists():
            yield path
        else:
            yield Rejection(str(path), "missing", "no such file or folder")


def read_file(path: Path) -> Iterator[RawDocument | Rejection]:
    """Read one file into raw documents (a JSON Lines file gives one per line)."""
    source = str(path)
    if path.name.lower().endswith(WARC_SUFFIXES):
        from crosswire.sources.warc import read_warc  # lazy: warcio is only needed for archives

        yield from read_warc(path)
        return
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in JSON_SUFFIXES:
        yield Rejection(source, "unknown-format", f"expected one of {', '.join(SUPPORTED)}")
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and suffix not in (".jsonl", ".ndjson"):
            raise InputError("too-large", f"{size} bytes > {MAX_FILE_BYTES}")
        if suffix in (".jsonl", ".ndjson"):
            yield from _read_json_lines(path)
            return
        data = path.read_bytes()
    except InputError as err:
        yield Rejection(source, err.reason, err.detail)
    except OSError as err:
        yield Rejection(source, "unreadable", err.strerror or str(err))
    else:
        yield from read_data(data, source, suffix)


def read_data(data: bytes, source: str, suffix: str) -> Iterator[RawDocument | Rejection]:
    """The bytes of one .txt, .html or .json input (a file's or an upload's), decoded and read."""
    try:
        text, flags = decode_bytes(data, source=source)
        if suffix == ".json":
            yield from json_value(json.loads(text), source)
        else:
            yield RawDocument(source=source, body=text, kind=TEXT_SUFFIXES[suffix], flags=flags)
    except InputError as err:
        yield Rejection(source, err.reason, err.detail)
    except json.JSONDecodeError as err:
        yield Rejection(source, "bad-json", str(err))


def json_lines(lines: Iterable[bytes], name: str) -> Iterator[RawDocument | Rejection]:
    """One object per line (a file's or an upload's); a bad line is a rejection and the rest go on."""
    for number, line in enumerate(lines, 1):
        source = f"{name}:{number}"
        if not line.strip():
            continue
        if len(line) > MAX_JSON_LINE_BYTES:
            yield Rejection(source, "too-large", f"line of {len(line)} bytes")
            continue
        try:
            text, _ = decode_bytes(line, source=source)
            yield raw_from_object(json.loads(text), source)
        except InputError as err:
            yield Rejection(source, err.reason, err.detail)
        except json.JSONDecodeError as err:
            yield Rejection(source, "bad-json", str(err))


def _read_json_lines(path: Path) -> Iterator[RawDocument | Rejection]:
    with path.open("rb") as handle:
        yield from json_lines(handle, str(path))


def json_value(value: Any, source: str) -> Iterator[RawDocument | Rejection]:
    items = value if isinstance(value, list) else [value]
    for index, item in enumerate(items):
        item_source = source if len(items) == 1 else f"{source}[{index}]"
        yield raw_from_object(item, item_source)


def raw_from_object(item: Any, source: str) -> RawDocument | Rejection:
    """Turn one JSON object (``text`` or ``html`` plus optional hints) into a RawDocument."""
    if not isinstance(item, dict):
        return Rejection(source, "bad-json", "expected an object with 'text' or 'html'")
    kind: DocumentKind = "html" if isinstance(item.get("html"), str) else "text"
    body = item.get(kind)
    if not isinstance(body, str):
        return Rejection(source, "bad-json", "object has no 'text' or 'html' string")
    hints = {name: _as_hint(item.get(name)) for name in _HINT_FIELDS}
    return RawDocument(source=str(item.get("source") or hints["url"] or source), body=body, kind=kind, **hints)  # type: ignore[arg-type]  # hints: only the str | None fields


def _as_hint(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:2000]


def read_paths(paths: Iterable[str | Path]) -> Iterator[RawDocument | Rejection]:
    for item in walk(paths):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_file(item)
