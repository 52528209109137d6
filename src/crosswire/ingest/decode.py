"""Bytes to text: declared charsets when they hold, detection when they don't, and a refusal
for binary data."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from crosswire.errors import InputError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# File signatures of formats people drop into folders by mistake.
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ")


def declared_charset(data: bytes) -> str | None:
    head = data[:4096]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").lower() if match else None


def looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC):
        return True
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 with its byte-order mark: zero bytes are expected
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return control > len(sample) * 0.05


def decode_bytes(data: bytes, *, source: str = "") -> tuple[str, tuple[str, ...]]:
    """Decode ``data`` and return the text with flags saying how ("encoding-guessed", ...).

    UTF-8 (with or without BOM) is tried first because it is by far the most common and a
    successful strict decode is almost never wrong; a declared charset is honoured next only if
    it decodes cleanly; otherwise charset-normalizer guesses.
    """
    if looks_binary(data):
        raise InputError("binary", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ()
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
