from __future__ import annotations

import json
from pathlib import Path

from crosswire.ingest.decode import decode_bytes, looks_binary
from crosswire.ingest.files import read_paths
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
    assert by_body["From JSON."].title == "T" and by_body["From JSON."].source == "http://x/1"
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
