"""A fetched or archived HTTP response -> RawDocument: what kind of document it is, and its text
decoded with the charset the server declared when UTF-8 does not fit."""

from __future__ import annotations

from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes, looks_binary
from crosswire.types import DocumentKind, RawDocument, Rejection

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain"}


def kind_of(media_type: str, body: bytes) -> DocumentKind | None:
    """ "html", "text", or None for anything else (images, PDFs, JSON...)."""
    if media_type in HTML_TYPES:
        return "html"
    if media_type in TEXT_TYPES:
        return "text"
    if not media_type:  # undeclared: sniff
        head = body[:1024].lower()
        if b"<html" in head or b"<!doctype html" in head or b"<body" in head:
            return "html"
        return None if looks_binary(body) else "text"
    return None


def decode_page(data: bytes, charset: str | None, source: str) -> tuple[str, tuple[str, ...]]:
    """UTF-8 when it decodes; else the charset the HTTP header declared, when it decodes cleanly;
    else the file rules (a charset in the page, then detection)."""
    if charset and charset.replace("-", "").replace("_", "") not in ("utf8", "usascii", "ascii"):
        if looks_binary(data):
            raise InputError("binary", source)
        try:
            return data.decode("utf-8-sig"), ()
        except UnicodeDecodeError:
            pass
        try:
            return data.decode(charset), ("encoding-declared",)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, source=source)


def page_document(
    url: str,
    body: bytes,
    media_type: str,
    charset: str | None,
    *,
    captured: str | None = None,
    title: str | None = None,
    published: str | None = None,
    language: str | None = None,
    source: str | None = None,
) -> RawDocument | Rejection:
    """One page as a raw document (url: the page's URL; source: where it was read, by default
    the URL), or why it cannot be one."""
    source = source or url
    kind = kind_of(media_type, body)
    if kind is None:
        return Rejection(source, "unsupported-content", media_type or "unknown content type")
    try:
        text, flags = decode_page(body, charset, source)
    except InputError as err:
        return Rejection(source, err.reason, err.detail)
    return RawDocument(
        source=source,
        body=text,
        kind=kind,
        url=url,
        title=title,
        published=published,
        language=language,
        flags=flags,
        captured=captured,
    )
