"""Full-text search on PostgreSQL without a text-search configuration for the languages crosswire
reads (PostgreSQL has none for Ukrainian): crosswire splits and folds words itself, as SQLite's
FTS5 ``unicode61 remove_diacritics 2`` tokenizer does, and writes the tsquery literal directly,
so the server only stores, indexes (GIN) and matches the lexemes it was given.

One tsvector per article holds its columns under weights (A title, B names, C text, D lemmas);
the server builds it (``to_tsvector('simple', ...)``, in C) from the words crosswire found. The
FTS5 expressions the search service builds (``crosswire.service.search.query_expression``:
quoted forms, ``names :`` column filters, AND / OR / NOT and parentheses) become a tsquery.
"""

from __future__ import annotations

import re
import unicodedata

from crosswire.errors import CrosswireError

# A word: letters and digits; one longer than 500 characters (2,000 bytes at most: PostgreSQL skips
# words over 2,047) is cut into pieces of 500.
WORD = re.compile(r"[^\W_]{1,500}")
COLUMN_WEIGHTS = {"title": "A", "names": "B", "text": "C", "lemmas": "D"}
# ts_rank's weights in the order {D, C, B, A}: lemmas and text 1, names 2, title 10, as the bm25
# weights of the SQLite index (migration 016), scaled into ts_rank's range.
RANK_WEIGHTS = "{0.1, 0.1, 0.2, 1.0}"


def _latin_folds() -> dict[int, str]:
    """Latin letters with diacritics -> the letter without them (what remove_diacritics does)."""
    folds = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))
        if len(base) > 1 and base[0].isascii() and all(unicodedata.combining(c) for c in base[1:]):
            folds[code] = base[0]
    return folds


_FOLDS = _latin_folds()


def words(text: str) -> list[str]:
    """The words of ``text`` as the index keeps them: case- and diacritic-folded."""
    return WORD.findall(text.lower().translate(_FOLDS))


def indexable(text: str) -> str:
    """``text`` as its index words separated by spaces: what ``to_tsvector('simple', ...)`` is given.
    With only letters, digits and spaces left, the server's parser splits it exactly at the
    spaces, in any locale (in the C locale it takes every non-ASCII character for a letter)."""
    return " ".join(words(text))


# -- FTS5 expressions -> tsquery --------------------------------------------------------------
_TOKEN = re.compile(r'\s*(?:("(?:[^"]|"")*")|(\()|(\))|([^\s()":]+)\s*(:)|([^\s()"]+))')


def _tokens(match: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    pos = 0
    match = match.strip()
    while pos < len(match):
        got = _TOKEN.match(match, pos)
        if got is None or got.end() == pos:
            raise CrosswireError(f"cannot search for {match}: syntax error near {match[pos : pos + 20]!r}")
        quoted, opened, closed, column, _, bare = got.groups()
        if quoted is not None:
            found.append(("phrase", quoted[1:-1].replace('""', '"')))
        elif opened:
            found.append(("(", "("))
        elif closed:
            found.append((")", ")"))
        elif column is not None:
            found.append(("column", column))
        elif bare in ("AND", "OR", "NOT"):
            found.append((bare, bare))
        else:
            found.append(("phrase", bare))
        pos = got.end()
    return found


class _Parser:
    """FTS5's precedence: NOT binds tightest, then AND (or two phrases side by side), then OR."""

    def __init__(self, match: str) -> None:
        self.match = match
        self.tokens = _tokens(match)
        self.at = 0

    def fail(self, why: str) -> CrosswireError:
        return CrosswireError(f"cannot search for {self.match}: {why}")

    def peek(self) -> str | None:
        return self.tokens[self.at][0] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> str | None:
        query = self.any_of(None)
        if self.at != len(self.tokens):
            raise self.fail(f"unexpected {self.tokens[self.at][1]!r}")
        return query

    def any_of(self, weight: str | None) -> str | None:
        parts = [self.all_of(weight)]
        while self.peek() == "OR":
            self.take()
            parts.append(self.all_of(weight))
        kept = [p for p in parts if p]
        return "(" + " | ".join(kept) + ")" if len(kept) > 1 else (kept[0] if kept else None)

    def all_of(self, weight: str | None) -> str | None:
        parts = [self.unless(weight)]
        while self.peek() in ("AND", "phrase", "column", "("):
            if self.peek() == "AND":
                self.take()
            parts.append(self.unless(weight))
        kept = [p for p in parts if p]
        return "(" + " & ".join(kept) + ")" if len(kept) > 1 else (kept[0] if kept else None)

    def unless(self, weight: str | None) -> str | None:
        query = self.primary(weight)
        while self.peek() == "NOT":
            self.take()
            excluded = self.primary(weight)
            if query and excluded:
                query = f"({query} & !{excluded})"
        return query

    def primary(self, weight: str | None) -> str | None:
        if self.peek() is None:
            raise self.fail("incomplete expression")
        kind, value = self.take()
        if kind == "column":
            if value not in COLUMN_WEIGHTS:
                raise self.fail(f"no such column: {value}")
            return self.primary(COLUMN_WEIGHTS[value])
        if kind == "(":
            query = self.any_of(weight)
            if self.peek() != ")":
                raise self.fail("unbalanced parentheses")
            self.take()
            return query
        if kind != "phrase":
            raise self.fail(f"unexpected {value!r}")
        lexemes = [f"'{word}'" + (f":{weight}" if weight else "") for word in words(value)]
        if not lexemes:
            return None
        return "(" + " <-> ".join(lexemes) + ")" if len(lexemes) > 1 else lexemes[0]


def tsquery(match: str) -> str | None:
    """The tsquery literal for an FTS5 expression; None when it names no word (matches nothing)."""
    return _Parser(match).parse()
