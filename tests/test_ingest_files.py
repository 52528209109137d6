from __future__ import annotations

import json
import os
import signal
import socket
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from crosswire.ingest import files
from crosswire.ingest.decode import decode_bytes, looks_binary
from crosswire.ingest.files import read_file, read_paths, walk
from crosswire.types import RawDocument, Rejection


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_reads_each_format_from_a_folder_recursively(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", "Plain body.\n")
    _write(tmp_path / "sub" / "b.html", "<html><body><p>Hello</p></body></html>")
    _write(
        tmp_path / "sub" / "deeper" / "c.json", json.dumps({"text": "From JSON.", "title": "T", "url": "http://x/1"})
    )
    _write(tmp_path / "d.jsonl", '{"html": "<p>one</p>", "language": "en"}\n\n{"text": "two"}\n')
    _write(tmp_path / ".hidden.txt", "never read")
    items = list(read_paths([tmp_path]))
    assert all(isinstance(item, RawDocument) for item in items)
    by_body = {item.body: item for item in items if isinstance(item, RawDocument)}
    assert set(by_body) == {
        "Plain body.\n",
        "<html><body><p>Hello</p></body></html>",
        "From JSON.",
        "<p>one</p>",
        "two",
    }
    assert by_body["<p>one</p>"].kind == "html" and by_body["<p>one</p>"].language == "en"
    # The file is the source; the URL the object carries is kept as the URL.
    from_json = by_body["From JSON."]
    assert (from_json.title, from_json.source, from_json.url) == (
        "T",
        str(tmp_path / "sub" / "deeper" / "c.json"),
        "http://x/1",
    )
    assert by_body["two"].source.endswith("d.jsonl:3")


def test_bad_inputs_become_rejections_with_reasons(tmp_path: Path) -> None:
    files = [
        _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256))),
        _write(tmp_path / "notes.docx", "whatever"),
        _write(tmp_path / "broken.json", "{not json"),
        _write(tmp_path / "list.jsonl", '{"text": "ok"}\n[1, 2]\n{"title": "no body"}\n'),
        tmp_path / "missing.txt",
    ]
    items = list(read_paths(files))
    reasons = [(Path(item.source.split(":")[0]).name, item.reason) for item in items if isinstance(item, Rejection)]
    assert reasons == [
        ("image.txt", "binary"),
        ("notes.docx", "unknown-format"),
        ("broken.json", "bad-json"),
        ("list.jsonl", "bad-json"),
        ("list.jsonl", "bad-json"),
        ("missing.txt", "missing"),
    ]
    assert [item.body for item in items if isinstance(item, RawDocument)] == ["ok"]


def test_decoding_honours_a_right_declared_charset_and_guesses_otherwise() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body><p>Переговоры в Женеве продолжатся.</p></body></html>'
    text, flags = decode_bytes(html.encode("cp1251"))
    assert "Переговоры в Женеве" in text and flags == ("encoding-declared",)
    # Declared wrong (says latin-1 is utf-8-incompatible but it decodes anything): still utf-8 first.
    text, flags = decode_bytes('<meta charset="iso-8859-1"><p>Київ і Львів</p>'.encode())
    assert "Київ і Львів" in text and flags == ()
    sentence = "Министр иностранных дел России Сергей Лавров заявил, что переговоры продолжатся в январе. " * 5
    text, flags = decode_bytes(sentence.encode("cp1251"))
    assert "Сергей Лавров" in text and flags == ("encoding-guessed",)


def test_binary_detection_spares_text_with_bom_and_tabs() -> None:
    assert looks_binary(b"%PDF-1.7 ...")
    assert looks_binary(b"abc\x00\x00\x00def")
    assert not looks_binary("\ufeffText\twith tabs\r\n".encode())
    assert not looks_binary("Hello".encode("utf-16"))


def test_a_byte_order_mark_before_other_bytes_is_no_crash(tmp_path: Path) -> None:
    """A UTF-16 text cut one byte short keeps what reads, marked; bytes that only begin with a
    UTF-16 or UTF-32 mark are refused as binary; neither stops the files after them."""
    text, flags = decode_bytes("Переговори в Женеві".encode("utf-16") + b"x")
    assert text.startswith("Переговори в Женеві") and flags == ("encoding-broken",)
    assert decode_bytes("Talks in Geneva".encode("utf-32")) == ("Talks in Geneva", ())
    _write(tmp_path / "a.txt", b"\xff\xfe\x00\x00garbage")
    _write(tmp_path / "b.txt", b"\xfe\xff\xd8\x00\xd8\x00\xd8\x00")
    _write(tmp_path / "c.txt", "Talks in Geneva\n\nThe talks went on.\n")
    found = list(read_paths([tmp_path]))
    assert [(type(item).__name__, getattr(item, "reason", None)) for item in found] == [
        ("Rejection", "binary"),
        ("Rejection", "binary"),
        ("RawDocument", None),
    ]


def test_json_nested_past_the_parsers_depth_is_bad_json(tmp_path: Path) -> None:
    deep = _write(tmp_path / "deep.json", b"[" * 200_000)
    lines = _write(tmp_path / "deep.jsonl", b"[" * 200_000 + b'\n{"text": "Talks in Geneva."}\n')
    [rejected] = read_file(deep)
    assert isinstance(rejected, Rejection) and rejected.reason == "bad-json" and "nested" in rejected.detail
    first, second = read_file(lines)
    assert isinstance(first, Rejection) and first.reason == "bad-json"
    assert isinstance(second, RawDocument) and second.body == "Talks in Geneva."


class Hung(Exception):  # not an OSError: the readers turn those into rejections
    pass


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a blocking open() of a FIFO is interrupted by the alarm."""

    def expired(signum: int, frame: object) -> None:
        raise Hung(f"still reading after {seconds} s: something blocked")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def special_folder(folder: Path) -> socket.socket:
    """Good files beside a FIFO, a UNIX socket, a link to its own folder, a link loop and a
    dangling link. Returns the bound socket, for the caller to close."""
    _write(folder / "good.txt", "Plain body.\n")
    _write(folder / "sub" / "good.html", "<html><body><p>Hello</p></body></html>")
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(folder / "sock.txt"))
    (folder / "sub" / "parent").symlink_to("..")  # a folder link back up: must not recurse forever
    (folder / "loop-a.txt").symlink_to("loop-b.txt")
    (folder / "loop-b.txt").symlink_to("loop-a.txt")
    (folder / "dangling.txt").symlink_to("nowhere.txt")
    return server


def test_special_files_are_rejected_with_reasons_and_never_block(tmp_path: Path) -> None:
    server = special_folder(tmp_path)
    try:
        with _deadline(20):
            items = list(read_paths([tmp_path]))
            named = list(read_paths([tmp_path / "pipe.txt", tmp_path / "sock.txt", tmp_path / "dangling.txt"]))
    finally:
        server.close()
    bodies = sorted(item.body for item in items if isinstance(item, RawDocument))
    assert bodies == ["<html><body><p>Hello</p></body></html>", "Plain body.\n"]
    reasons = {Path(item.source).name: (item.reason, item.detail) for item in items if isinstance(item, Rejection)}
    assert reasons == {
        "pipe.txt": ("not-a-file", "a FIFO (named pipe)"),
        "sock.txt": ("not-a-file", "a socket"),
        "loop-a.txt": ("symlink-loop", reasons["loop-a.txt"][1]),
        "loop-b.txt": ("symlink-loop", reasons["loop-b.txt"][1]),
        "dangling.txt": ("broken-link", "points to nowhere.txt, which does not exist"),
        "parent": ("symlink-loop", f"leads back to {os.path.realpath(tmp_path)}, which holds it"),
    }
    assert [(Path(r.source).name, r.reason) for r in named if isinstance(r, Rejection)] == [
        ("pipe.txt", "not-a-file"),
        ("sock.txt", "not-a-file"),
        ("dangling.txt", "broken-link"),
    ]


def test_a_character_device_is_not_read(tmp_path: Path) -> None:
    # /dev/zero never ends: reading it "whole" would fill memory.
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with _deadline(20):
        assert list(read_paths([link])) == [Rejection(str(link), "not-a-file", "a character device")]


def test_a_file_swapped_for_a_fifo_after_the_walk_does_not_block(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", "Plain body.\n")
    listed = list(walk([tmp_path]))
    path.unlink()
    os.mkfifo(path)
    with _deadline(20):
        assert list(read_file(path)) == [Rejection(str(path), "not-a-file", "a FIFO (named pipe)")]
    assert listed == [path]


def test_a_file_that_vanishes_after_the_walk_is_a_rejection(tmp_path: Path) -> None:
    gone = _write(tmp_path / "a.txt", "First.\n")
    kept = _write(tmp_path / "b.txt", "Second.\n")
    listed = list(walk([tmp_path]))
    gone.unlink()
    items = [item for path in listed if isinstance(path, Path) for item in read_file(path)]
    assert items[0] == Rejection(str(gone), "missing", "no such file or folder")
    assert isinstance(items[1], RawDocument) and items[1].source == str(kept)


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_read_error_is_a_rejection(tmp_path: Path) -> None:
    # Reading /proc/self/mem at offset 0 fails with EIO, even for root (permissions would not).
    link = tmp_path / "mem.txt"
    link.symlink_to("/proc/self/mem")
    (item,) = read_paths([link])
    assert isinstance(item, Rejection) and item.reason == "unreadable", item


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_is_a_rejection(tmp_path: Path) -> None:
    path = _write(tmp_path / "secret.txt", "Hidden.\n")
    path.chmod(0)
    assert list(read_paths([tmp_path])) == [Rejection(str(path), "unreadable", "Permission denied")]


def test_an_overlong_json_line_is_skipped_without_holding_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_JSON_LINE_BYTES", 10_000)
    path = tmp_path / "big.jsonl"
    path.write_bytes(b'{"text": "first"}\n{"text": "' + b"a" * 5_000_000 + b'"}\n{"text": "third"}\n')
    tracemalloc.start()
    try:
        items = list(read_paths([path]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000  # the 5 MB line was never held whole
    assert items[1] == Rejection(f"{path}:2", "too-large", "line of more than 10000 bytes")
    assert [(item.source, item.body) for item in items if isinstance(item, RawDocument)] == [
        (f"{path}:1", "first"),
        (f"{path}:3", "third"),
    ]


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.truncate(2 * 1024**3)  # 2 GiB, sparse: nothing to read would fit the limit
    tracemalloc.start()
    try:
        items = list(read_paths([path]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert items == [Rejection(str(path), "too-large", f"{2 * 1024**3} bytes > {files.MAX_FILE_BYTES}")]
    assert peak < 1_000_000


def test_a_json_object_keeps_its_own_source_else_the_file_location(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "a.jsonl",
        '{"text": "one", "url": "http://x/1"}\n{"text": "two", "url": "http://x/2", "source": "feed:x"}\n',
    )
    items = list(read_paths([path]))
    assert [(item.source, item.url) for item in items if isinstance(item, RawDocument)] == [
        (f"{path}:1", "http://x/1"),
        ("feed:x", "http://x/2"),  # an exported article line carries its source back in
    ]


def test_a_link_above_the_walk_is_a_loop_and_a_second_link_adds_nothing(tmp_path: Path) -> None:
    top = tmp_path / "top"
    _write(tmp_path / "outside.txt", "Not under the folder given.\n")
    _write(top / "a" / "one.txt", "One.\n")
    (top / "up").symlink_to("..")  # holds the folder being walked: must not wander above it
    (top / "b").symlink_to("a")  # the same folder again
    with _deadline(20):
        items = list(read_paths([top]))
    assert [(item.source, item.body) for item in items if isinstance(item, RawDocument)] == [
        (str(top / "a" / "one.txt"), "One.\n")
    ]
    assert items[-1] == Rejection(
        str(top / "up"), "symlink-loop", f"leads back to {tmp_path.resolve()}, which holds it"
    )
