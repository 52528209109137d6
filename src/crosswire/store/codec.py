"""Records to and from the JSON kept in the store."""

from __future__ import annotations

import json
import sqlite3
import zlib
from typing import Any

import numpy as np

from crosswire.represent import compact
from crosswire.types import Analysis, Article, DocumentKind, Mention, Quote, RawDocument, Removed

_HINTS = ("url", "title", "published", "site", "language", "author", "captured")


def pack_body(body: str) -> bytes:
    return zlib.compress(body.encode("utf-8", errors="surrogatepass"), 6)


def unpack_body(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8", errors="surrogatepass")


def raw_hints(raw: RawDocument) -> str:
    return json.dumps({name: getattr(raw, name) for name in _HINTS if getattr(raw, name)}, ensure_ascii=False)


def raw_row(key: str, raw: RawDocument, now: str) -> tuple[str, str, str, bytes, str, str, str]:
    """A raw input as a row (key, source, kind, body, hints, flags, time): raw_documents and the
    pages held before ingest keep the same columns."""
    return (key, raw.source, raw.kind, pack_body(raw.body), raw_hints(raw), json.dumps(list(raw.flags)), now)


def raw_from_row(source: str, kind: DocumentKind, body: bytes, hints: str, flags: str) -> RawDocument:
    return RawDocument(
        source=source,
        body=unpack_body(body),
        kind=kind,
        flags=tuple(json.loads(flags)),
        **json.loads(hints),
    )


def removed_to_json(removed: tuple[Removed, ...]) -> str:
    return json.dumps([[item.text, item.reason] for item in removed], ensure_ascii=False)


def article_from_row(row: Any) -> Article:
    return Article(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        text=row["text"],
        language=row["language"],
        published=row["published"],
        site=row["site"],
        author=row["author"],
        url=row["url"],
        removed=tuple(Removed(text, reason) for text, reason in json.loads(row["removed"])),
        flags=tuple(json.loads(row["flags"])),
    )


_MENTION_FIELDS = ("entities", "places", "dates", "numbers", "quotes")


def analysis_to_row(analysis: Analysis) -> tuple[str, bytes]:
    """(JSON of everything but the lemmas, the lemmas' JSON zlib-compressed)."""
    # Hand-rolled rather than dataclasses.asdict, which recurses generically and cost more than
    # the rest of storing an article.
    data: dict[str, Any] = {
        "article_id": analysis.article_id,
        "language": analysis.language,
        "published": analysis.published,
    }
    for name in _MENTION_FIELDS:
        data[name] = [(m.key, m.surface, m.kind) for m in getattr(analysis, name)]
    if analysis.statements:  # absent, not empty, when there are none (and in rows stored before quotes)
        data["statements"] = [
            (q.text, q.start, q.end, q.kind, q.speaker, q.speaker_surface, q.cue) for q in analysis.statements
        ]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")), pack_terms(analysis.terms)


def pack_terms(terms: tuple[str, ...] | str | None) -> bytes:
    """Lemmas (a tuple, or the JSON of a list) as zlib-compressed JSON."""
    text = terms if isinstance(terms, str) else json.dumps(list(terms or ()), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 6)


def unpack_terms(blob: bytes | None) -> tuple[str, ...]:
    return tuple(json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))) if blob else ()


def analysis_from_row(data: str, terms: bytes | None) -> Analysis:
    fields = json.loads(data)
    for name in _MENTION_FIELDS:
        fields[name] = tuple(Mention(*mention) for mention in fields[name])
    fields["statements"] = tuple(Quote(*quote) for quote in fields.get("statements", ()))
    fields["terms"] = unpack_terms(terms)
    return Analysis(**fields)


def _compact_blob_of_json(data: str) -> bytes:
    """A representation stored as JSON (before migration 011) in the compact form: exact, since
    both hold 4-digit weights."""
    features = json.loads(data)[2]
    ids = compact.key_ids(list(features))
    weights = np.array([round(w * compact.SCALE) for w in features.values()], dtype=np.uint16)
    order = np.argsort(ids)
    return compact.to_blob(compact.CompactRepresentation("", None, None, ids[order], weights[order]))


def register_functions(db: sqlite3.Connection) -> None:
    """SQL functions the migrations use."""
    db.create_function("crosswire_key_id", 1, compact.key_id, deterministic=True)
    db.create_function("crosswire_compact_blob", 1, _compact_blob_of_json, deterministic=True)
    db.create_function("crosswire_pack_terms", 1, pack_terms, deterministic=True)
