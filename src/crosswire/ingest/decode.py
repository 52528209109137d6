"""Bytes to text: declared charsets when they hold, detection when they don't, and a refusal
for binary data; and JSON from outside read without letting its depth end the run."""

from __future__ import annotations

import json
import re
from typing import Any

from charset_normalizer import from_bytes

from crosswire.errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# File signatures of formats people drop into folders by mistake.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")
# Byte-order marks of the encodings with zero bytes in ordinary text, longest first (UTF-32 LE's
# begins with UTF-16 LE's).
_WIDE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    if _wide_encoding(data):
        return False  # UTF-16 or UTF-32 with its byte-order mark: zero bytes are expected
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return control > len(sample) * 0.05


def _wide_encoding(data: bytes) -> str | None:
    """'utf-16' or 'utf-32' when ``data`` begins with that encoding's byte-order mark."""
    return next((encoding for mark, encoding in _WIDE_BOMS if data.startswith(mark)), None)


def decode_bytes(data: bytes, *, source: str = "") -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` and return the text with flags saying how ("encoding-guessed", ...).

    UTF-8 (with or without BOM) is tried first because it is by far the most common and a
    successful strict decode is almost never wrong; a declared charset is honoured next only if
    it decodes cleanly; otherwise charset-normalizer guesses.
    """
    if looks_binary(data):
        raise InputError("binary", source)
    wide = _wide_encoding(data)
    if wide:
        try:
            return data.decode(wide), ()
        except UnicodeDecodeError:
            pass
        # A mark and then something else. A truncated file loses a character or two: keep what
        # reads, marked. Bytes that only begin like a mark are not that encoding's text.
        text = data.decode(wide, errors="replace")
        if text.count("\ufffd") > max(1, len(text) // 100):
            raise InputError("binary", f"a {wide.upper()} byte-order mark, then bytes that are not {wide.upper()}")
        return text, ("encoding-broken",)
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data)
    if declared:
        try:
            return data.decode(declared), ("encoding-declared",)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None:
        # Nothing fits cleanly (mixed encodings): keep every byte readable rather than lose data.
        return data.decode("utf-8", errors="replace"), ("encoding-broken",)
    return data.decode(best.encoding, errors="replace"), ("encoding-guessed",)


def parse_json(text: str) -> Any:
    """``json.loads`` for text from outside. An array or object nested deeper than the parser's
    recursion limit (``[[[[...``, a few hundred kilobytes) raises RecursionError, which would
    end a whole run or request; here it is bad JSON like any other."""
    try:
        return json.loads(text)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text[:0], 0) from None
