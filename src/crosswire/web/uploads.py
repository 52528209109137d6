"""Documents in an ingest request, by its content type:

- ``application/json``: an object ``{text|html, title, url, published, site, language, author}``
  or a list of them;
- ``application/x-ndjson`` (or ``application/jsonl``): JSON Lines, one such object per line;
- ``text/plain`` or ``text/html``: one article, its hints in the query string;
- ``multipart/form-data``: files (field ``file``, repeatable: .txt, .html, .json, .jsonl) and/or
  pasted ``text`` or ``html`` (or ``body`` with ``kind``) with hint fields.

The body is bounded by the server's guard; file names only choose the format and label the
source, and never reach the filesystem.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile

from crosswire.ingest.decode import decode_bytes, parse_json
from crosswire.ingest.files import json_value
from crosswire.ingest.memory import read_bytes, read_json_lines
from crosswire.types import RawDocument, Rejection

HINTS = ("title", "url", "published", "site", "language", "author")
MAX_FILES = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
Items = list[RawDocument | Rejection]


def _label(name: str | None, fallback: str) -> str:
    return _CONTROL.sub("", name or "")[:200] or fallback


def _hint(values: Any, name: str) -> str | None:
    return str(values.get(name) or "").strip()[:2000] or None


def pasted(body: str, kind: str, hints: Any, source: str) -> RawDocument | None:
    """One pasted or posted article, its metadata (``HINTS``) read from ``hints``."""
    if not body.strip():
        return None
    return RawDocument(
        source=source,
        body=body,
        kind="html" if kind == "html" else "text",
        title=_hint(hints, "title"),
        url=_hint(hints, "url"),
        published=_hint(hints, "published"),
        site=_hint(hints, "site"),
        language=_hint(hints, "language"),
        author=_hint(hints, "author"),
    )


async def _from_form(form: FormData) -> tuple[Items, str | None]:
    items: Items = []
    for field in ("file", "files"):
        for upload in form.getlist(field):
            if isinstance(upload, UploadFile) and (upload.filename or upload.size):
                items += read_bytes(_label(upload.filename, "upload"), await upload.read())
    for kind in ("text", "html"):
        value = form.get(kind)
        if isinstance(value, str) and (raw := pasted(value, kind, form, "pasted")):
            items.append(raw)
    body, chosen = form.get("body"), form.get("kind")
    if isinstance(body, str) and (raw := pasted(body, str(chosen or "text"), form, "pasted")):
        items.append(raw)
    token = form.get("token")
    return items, token if isinstance(token, str) else None


async def documents(request: Request, max_bytes: int) -> tuple[Items, str | None]:
    """The documents a request carries, and the token a form carried (if any)."""
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind == "multipart/form-data" or kind == "application/x-www-form-urlencoded":
        async with request.form(max_files=MAX_FILES, max_fields=100, max_part_size=max_bytes) as form:
            return await _from_form(form)
    data = await request.body()
    if kind == "application/json":
        try:
            value = parse_json(decode_bytes(data, source="request")[0])
        except (json.JSONDecodeError, ValueError) as err:
            raise HTTPException(400, f"the body is not JSON: {err}") from err
        return list(json_value(value, "request")), None
    if kind in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"):
        return list(read_json_lines(data, "request")), None
    if kind in ("text/plain", "text/html"):
        text, _ = decode_bytes(data, source="request")
        raw = pasted(text, "html" if kind == "text/html" else "text", request.query_params, "request")
        return ([raw] if raw else [Rejection("request", "empty", "no text")]), None
    raise HTTPException(
        415, "send application/json, application/x-ndjson, text/plain, text/html or multipart/form-data"
    )
