"""Full-text search queries over the ``article_search`` FTS5 table (migration 007).

Functions over the store's connection; ``SQLiteStore`` exposes them as methods. The table holds
each article's title, clean text and lemmas, each cut to ``INDEX_CHARS``; its rowid is derived
from the article id, so an article re-cleaned replaces its own row and a deletion needs no scan.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crosswire.errors import CrosswireError
from crosswire.store import codec
from crosswire.types import StoryFilter

_STALE = "article_search"  # meta key set while stored articles are not yet indexed (see migration 007)
_ROWID_MASK = (1 << 64) - 1
SNIPPET_START, SNIPPET_END = "\ue000", "\ue001"  # private-use marks around matched words in snippets
_BATCH = 500
# Characters of each column indexed at most (cleaning keeps no more of an article's text, 200,000;
# migration 011 cuts rows stored before that): ranking a row costs FTS5 time in proportion to its
# matches, and reading it for a snippet in proportion to its length. One row of 5 million
# characters made every search that matched it take 30-43 s (most of it in FTS5's snippet()).
INDEX_CHARS = 200_000
_LEMMA_TAG = re.compile(r"^[a-z]+0")  # lemma_form's language tag


def lemma_form(lemma: str, language: str | None) -> str:
    """A lemma as the lemmas column holds it: behind its language's code and a ``0`` ('cs0put'),
    so a query's stem meets only articles of the language that made it. Untagged, the Czech (and
    Slovak, Hungarian, Catalan, Turkish) stem of 'Putin' met the English verb 'put' (44 of that
    query's 80 matches on 2,000 news pages). Letters and digits only, so both stores' tokenizers
    keep it one word; untagged where the article has no language."""
    tag = "".join(char for char in (language or "").lower() if "a" <= char <= "z")
    return f"{tag}0{lemma}" if tag else lemma


def lemma_of(form: str) -> str:
    """The lemma a ``lemma_form`` holds ('cs0put' -> 'put')."""
    return _LEMMA_TAG.sub("", form, count=1)


def lemma_words(terms: Iterable[str], language: str | None) -> str:
    """The lemmas column of an article in ``language``: its terms, each as ``lemma_form``."""
    return " ".join(lemma_form(term, language) for term in terms)


def name_keys(keys: Iterable[str]) -> str:
    """The names column of an article: its entity keys as words ('srh_lvrv' -> 'srh lvrv';
    organization keys keep only their name: 'org:nato' -> 'nato')."""
    words = (key.removeprefix("org:").replace("_", " ") for key in keys)
    return " ".join(dict.fromkeys(words))


def search_rowid(article_id: str) -> int:
    """A signed 64-bit rowid for ``article_id``: its own 16 hex digits when it is a content hash
    (as every ingested article's is), else a hash of it."""
    try:
        value = int(article_id, 16) if len(article_id) == 16 else None
    except ValueError:
        value = None
    if value is None:
        value = int.from_bytes(hashlib.sha256(article_id.encode("utf-8", "surrogatepass")).digest()[:8], "big")
    return value - (1 << 64) if value > (_ROWID_MASK >> 1) else value


@dataclass(frozen=True, slots=True)
class SearchRow:
    """One article to index: what it is called, says, and its lemmas (``lemma_words``)."""

    article_id: str
    title: str | None
    text: str
    lemmas: str
    names: str = ""  # the cross-script keys of the names it mentions, space-separated


@dataclass(frozen=True, slots=True)
class Hit:
    article_id: str
    story_id: str
    rank: float  # bm25: lower is better


def put(db: sqlite3.Connection, rows: Iterable[SearchRow]) -> None:
    """Index (or re-index) ``rows`` (call inside the writer's transaction)."""
    for row in rows:
        rowid = search_rowid(row.article_id)
        db.execute("DELETE FROM article_search WHERE rowid = ?", (rowid,))
        db.execute(
            "INSERT INTO article_search (rowid, article_id, title, text, lemmas, names) VALUES (?,?,?,?,?,?)",
            (
                rowid,
                row.article_id,
                (row.title or "")[:INDEX_CHARS],
                row.text[:INDEX_CHARS],
                row.lemmas[:INDEX_CHARS],
                row.names[:INDEX_CHARS],
            ),
        )


def stale(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM meta WHERE key = ?", (_STALE,)).fetchone() is not None


def rebuild(db: sqlite3.Connection) -> int:
    """Index every stored article from scratch, with the lemmas of its stored analysis, and mark
    the index current (call inside a transaction). Returns the number of articles indexed."""
    db.execute("DELETE FROM article_search")
    count = 0
    rows = db.execute(
        "SELECT a.id, a.title, a.text, a.language, n.terms, n.data ->> '$.entities' FROM articles a "
        "LEFT JOIN analyses n ON n.article_id = a.id"
    )
    while chunk := rows.fetchmany(_BATCH):
        put(
            db,
            (
                SearchRow(
                    i,
                    title,
                    text,
                    lemma_words(codec.unpack_terms(terms), language),
                    name_keys(m[0] for m in json.loads(named or "[]")),
                )
                for i, title, text, language, terms, named in chunk
            ),
        )
        count += len(chunk)
    db.execute("DELETE FROM meta WHERE key = ?", (_STALE,))
    return count


def article_filter(where: StoryFilter) -> tuple[str, list[str]]:
    """Article-level conditions: its language, site, and date within since..until (ISO prefixes)."""
    clauses, params = [], []
    if where.language:
        clauses.append("r.language = ?")
        params.append(where.language)
    if where.site:
        clauses.append("r.site = ?")
        params.append(where.site)
    if where.since:
        clauses.append("r.published >= ?")
        params.append(where.since)
    if where.until:
        clauses.append("substr(r.published, 1, length(?)) <= ?")
        params += [where.until, where.until]
    return "".join(f" AND {clause}" for clause in clauses), params


def hits(db: sqlite3.Connection, match: str, where: StoryFilter, limit: int) -> list[Hit]:
    """The ``limit`` best-ranked articles matching the FTS5 expression ``match`` and ``where``,
    best first, each with its story."""
    clause, params = article_filter(where)
    joined = " JOIN articles r ON r.id = s.article_id" if clause else ""
    try:
        rows = db.execute(
            f"SELECT s.article_id, a.story_id, s.rank FROM article_search s{joined} "
            f"JOIN assignments a ON a.article_id = s.article_id "
            f"WHERE article_search MATCH ?{clause} ORDER BY s.rank LIMIT ?",
            (match, *params, limit),
        ).fetchall()
    except sqlite3.OperationalError as err:  # an expression FTS5 rejects: the query's fault
        raise CrosswireError(f"cannot search for {match}: {err}") from err
    return [Hit(article_id, story_id, rank) for article_id, story_id, rank in rows]


def count(db: sqlite3.Connection, match: str) -> int:
    """How many articles match (cheap: no ranking)."""
    try:
        found = db.execute("SELECT count(*) FROM article_search WHERE article_search MATCH ?", (match,)).fetchone()
    except sqlite3.OperationalError as err:
        raise CrosswireError(f"cannot search for {match}: {err}") from err
    return int(found[0])


def texts(db: sqlite3.Connection, article_ids: Sequence[str], chars: int) -> dict[str, str]:
    """The first ``chars`` characters of each article's indexed text (never more than
    ``INDEX_CHARS``, however long the stored article is), by id."""
    found: dict[str, str] = {}
    ids = list(article_ids)
    for start in range(0, len(ids), _BATCH):
        chunk = [search_rowid(i) for i in ids[start : start + _BATCH]]
        marks = ",".join("?" * len(chunk))
        found.update(
            db.execute(
                f"SELECT article_id, substr(text, 1, ?) FROM article_search WHERE rowid IN ({marks})",
                (min(chars, INDEX_CHARS), *chunk),
            ).fetchall()
        )
    return found
