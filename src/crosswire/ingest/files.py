"""Readers for files and folders: .txt, .html/.htm, .json and .jsonl -> RawDocument (web archives:
crosswire.sources.warc; Parquet: crosswire.ingest.parquet).

A bad file is data, not a crash: it comes out as a Rejection with a reason and the walk goes on.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, Literal

from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes, parse_json
from crosswire.types import DocumentKind, RawDocument, Rejection

TEXT_SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_JSON_LINE_BYTES = 20 * 1024 * 1024
WARC_SUFFIXES = (".warc", ".warc.gz")  # web archives: read record by record, at any size
PARQUET_SUFFIXES = (".parquet",)  # tables of articles: read a batch of rows at a time, at any size
# Files of many records, read a run of records at a time (and so cut into shards by record).
RECORD_SUFFIXES = WARC_SUFFIXES + PARQUET_SUFFIXES
SUPPORTED = sorted([*TEXT_SUFFIXES, *JSON_SUFFIXES, *WARC_SUFFIXES, *PARQUET_SUFFIXES])
_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}
_HINT_FIELDS = ("url", "title", "published", "site", "language", "author", "captured")


def walk(paths: Iterable[str | Path]) -> Iterator[Path | Rejection]:
    """Yield the regular files under ``paths`` (folders recursively, sorted, hidden entries
    skipped; links followed) and a Rejection for anything else: a FIFO, socket or device (never
    opened: reading one blocks or never ends), a dangling link, a link loop, an unreadable folder."""
    for entry in paths:
        path = Path(entry)
        found = _classify(path)
        if isinstance(found, str):
            yield from _walk_folder(path)
        else:
            yield found


def _classify(path: Path) -> Path | Rejection | Literal["dir"]:
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        return os_rejection(path, err)
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return path
    return Rejection(str(path), "not-a-file", _kind(mode))


def _walk_folder(top: Path) -> Iterator[Path | Rejection]:
    """Depth first, a folder's files before its subfolders. A link to a folder that holds the one
    it is in (its parent, the walk's root or above) is a loop; a folder reached again another
    way (a second link, a bind mount) is not walked again, so the walk always ends."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, str | None]] = [(top, None)]  # (folder, real path of the one listing it)
    while stack:
        folder, within = stack.pop()
        try:
            info = os.stat(folder)
            real = os.path.realpath(folder)
            names = sorted(name for name in os.listdir(folder) if not name.startswith("."))
        except OSError as err:
            yield os_rejection(folder, err)
            continue
        if within is not None and os.path.commonpath([real, within]) == real:
            yield Rejection(str(folder), "symlink-loop", f"leads back to {real}, which holds it")
            continue
        if (info.st_dev, info.st_ino) in seen:
            continue
        seen.add((info.st_dev, info.st_ino))
        subfolders = []
        for name in names:
            found = _classify(folder / name)
            if isinstance(found, str):
                subfolders.append(folder / name)
            else:
                yield found
        stack.extend((sub, real) for sub in reversed(subfolders))


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def os_rejection(path: Path, err: OSError) -> Rejection:
    source = str(path)
    if err.errno == errno.ELOOP:
        return Rejection(source, "symlink-loop", "the link leads back to itself")
    if isinstance(err, FileNotFoundError):
        try:
            return Rejection(source, "broken-link", f"points to {os.readlink(path)}, which does not exist")
        except OSError:  # not a link (or gone too): the file itself is missing
            return Rejection(source, "missing", "no such file or folder")
    return Rejection(source, "unreadable", err.strerror or str(err))


def open_regular(path: Path) -> BinaryIO:
    """Open ``path`` for reading, or raise InputError when it is no longer a regular file (the
    walk checked, but it may have been swapped since): O_NONBLOCK, so opening a FIFO returns at
    once instead of waiting for a writer, and fstat tells what was opened."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError("not-a-file", _kind(mode))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_file(path: Path) -> Iterator[RawDocument | Rejection]:
    """Read one file into raw documents (a JSON Lines file gives one per line). Reads are
    bounded: a file over MAX_FILE_BYTES is refused before it is read, one that grows past it
    while read is refused too, and a JSON Lines file is read a bounded line at a time."""
    source = str(path)
    if path.name.lower().endswith(WARC_SUFFIXES):
        from crosswire.sources.warc import read_warc  # lazy: warcio is only needed for archives

        yield from read_warc(path)
        return
    if path.name.lower().endswith(PARQUET_SUFFIXES):
        from crosswire.ingest.parquet import read_parquet  # lazy: pyarrow is only needed for Parquet

        yield from read_parquet(path)
        return
    suffix = path.suffix.lower()
    if suffix not in TEXT_SUFFIXES and suffix not in JSON_SUFFIXES:
        yield Rejection(source, "unknown-format", f"expected one of {', '.join(SUPPORTED)}")
        return
    try:
        with open_regular(path) as handle:
            if suffix in (".jsonl", ".ndjson"):
                yield from json_lines(_bounded_lines(handle), source)
                return
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise InputError("too-large", f"{size} bytes > {MAX_FILE_BYTES}")
            data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise InputError("too-large", f"more than {MAX_FILE_BYTES} bytes")
    except InputError as err:
        yield Rejection(source, err.reason, err.detail)
    except OSError as err:
        yield os_rejection(path, err)
    else:
        yield from read_data(data, source, suffix)


def _bounded_lines(handle: BinaryIO) -> Iterator[bytes]:
    """The file's lines, each cut at MAX_JSON_LINE_BYTES + 1 bytes (the rest of a longer line is
    skipped a piece at a time): one line without a newline must not fill memory."""
    limit = MAX_JSON_LINE_BYTES
    while line := handle.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(limit)) and not rest.endswith(b"\n"):
                pass
        yield line


def read_data(data: bytes, source: str, suffix: str) -> Iterator[RawDocument | Rejection]:
    """The bytes of one .txt, .html or .json input (a file's or an upload's), decoded and read."""
    try:
        text, flags = decode_bytes(data, source=source)
        if suffix == ".json":
            yield from json_value(parse_json(text), source)
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
            yield Rejection(source, "too-large", f"line of more than {MAX_JSON_LINE_BYTES} bytes")
            continue
        try:
            text, _ = decode_bytes(line, source=source)
            yield raw_from_object(parse_json(text), source)
        except InputError as err:
            yield Rejection(source, err.reason, err.detail)
        except json.JSONDecodeError as err:
            yield Rejection(source, "bad-json", str(err))


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
    # Where the input came from (a file and line) unless the object says: its URL is kept as the URL.
    return RawDocument(source=str(item.get("source") or source), body=body, kind=kind, **hints)  # type: ignore[arg-type]  # hints: only the str | None fields


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
