"""Snippets: a few words of an article around what a search matched, the matches marked.

FTS5's ``snippet()`` scores a window at each match against every other match and every sentence
start of the row, so its cost grows with the square of a row's matches: 3 s for 50,000
characters repeating one word, 30-43 s for a stored 5-million-character text. Here one regular
expression finds the query's phrases in the folded start of the text (``SCAN_CHARS``) and at most
``MAX_HITS`` of them are scored, so a snippet costs at most a few milliseconds, whatever was
stored. Words are matched as the index tokenizes them (unicode61, remove_diacritics 2):
letters and digits, lower-cased, Latin letters without their diacritics.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from crosswire.store.search import SNIPPET_END, SNIPPET_START, lemma_of

SCAN_CHARS = 100_000  # characters searched for matches (no real article seen was longer than 95,000)
MAX_HITS = 500  # matches scored at most: the first ones
WORDS = 24  # words in a snippet
_CHARS_PER_WORD = 8  # to turn a window of words into one of characters when scoring matches
_AROUND = 40 * WORDS  # characters either side of a match searched for the snippet's words
_TOKEN = re.compile(r"[^\W_]+")
# The quoted forms of a crosswire FTS5 expression, with the column filter before each, if any.
_FORM = re.compile(r'(?:(\w+)\s*:\s*)?"((?:[^"]|"")*)"')
_LATIN = re.compile("[\u00c0-\u024f\u1e00-\u1eff]")  # where the Latin letters with diacritics are


def _fold(text: str) -> str:
    """Lower-cased, with the diacritics of Latin letters removed (as the index folds words)."""
    kept, latin = [], False
    for char in unicodedata.normalize("NFD", text.lower()):
        if not unicodedata.combining(char):
            latin = char.isascii()
        elif latin:
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


_FOLDED = {c: f for c in map(chr, [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]) if len(f := _fold(c)) == 1}


def _fold_text(text: str) -> str:
    """``_fold`` keeping every character's offset: str.lower() changes the length of no
    character but 'İ', and the diacritics go one letter at a time."""
    lower = text.replace("\u0130", "i").lower()
    return _LATIN.sub(lambda m: _FOLDED.get(m.group(), m.group()), lower)


@dataclass(frozen=True, slots=True)
class Matcher:
    # Plain alternatives, no groups or lookbehind before them, so that the regex engine skips
    # ahead to the characters that can start one (20 times faster over 100,000 characters).
    pattern: re.Pattern[str]
    phrases: dict[str, int]  # a match's words, space-separated -> its phrase


@lru_cache(maxsize=64)
def matcher(expression: str) -> Matcher | None:
    """A pattern for the phrases of an FTS5 expression made by ``query_expression`` (every form
    quoted), to run over folded text; None when it has none."""
    phrases: dict[str, int] = {}
    for column, quoted in _FORM.findall(expression):
        if column == "names":
            continue  # name keys ('slnsk') are no words of the text
        if column == "lemmas":  # a lemma is marked where the text has it as written ('talk')
            quoted = lemma_of(quoted)
        tokens = _TOKEN.findall(_fold(quoted.replace('""', '"')))
        if tokens:
            phrases.setdefault(" ".join(tokens), len(phrases))
    if not phrases:
        return None
    # Longest first: at one place the longer phrase wins, as a phrase match would in FTS5.
    ordered = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(r"[\W_]+".join(map(re.escape, phrase.split())) for phrase in ordered)
    return Matcher(re.compile(f"(?:{alternatives})(?![^\\W_])"), phrases)


def _hits(text: str, found: Matcher) -> list[tuple[int, int, int]]:
    """(start, end, phrase) of the first ``MAX_HITS`` matches in the folded start of ``text``."""
    folded = _fold_text(text[:SCAN_CHARS])
    hits: list[tuple[int, int, int]] = []
    at = 0
    for _ in range(4 * MAX_HITS):  # matches inside words are skipped, and counted
        match = found.pattern.search(folded, at)
        if match is None or len(hits) == MAX_HITS:
            break
        start, end = match.span()
        if start and _TOKEN.match(folded, start - 1):  # starts inside a word
            at = start + 1
            continue
        hits.append((start, end, found.phrases.get(" ".join(_TOKEN.findall(match.group())), -1)))
        at = end
    return hits


def _best_window(hits: list[tuple[int, int, int]], span: int) -> tuple[int, int]:
    """Where the best run of hits within ``span`` characters starts and ends (characters): most
    distinct phrases, then most matches, then the first."""
    best, best_score = (hits[0][0], hits[0][1]), -1
    seen: Counter[int] = Counter()
    end = 0
    for first, (start, _, phrase) in enumerate(hits):
        while end < len(hits) and hits[end][0] < start + span:
            seen[hits[end][2]] += 1
            end += 1
        score = 1000 * len(seen) + (end - first)
        if score > best_score:
            best, best_score = (start, hits[end - 1][1]), score
        seen[phrase] -= 1
        if not seen[phrase]:
            del seen[phrase]
    return best


def _first_word(text: str, tokens: list[tuple[int, int]], first: int, last: int, words: int) -> int:
    """The word a snippet of ``words`` words showing words ``first`` to ``last`` starts at: the
    start of the sentence they are in when that leaves them in, else the one that centres them
    (as FTS5 chooses)."""
    room = words - (last - first + 1)
    if room <= 0:
        return first
    for word in range(first, max(first - room, 0) - 1, -1):
        if word == 0 or any(mark in text[tokens[word - 1][1] : tokens[word][0]] for mark in ".!?…\n"):
            return word
    return max(0, first - room // 2)


def snippet(text: str, expression: str, words: int = WORDS) -> str:
    """About ``words`` words of ``text`` around its best cluster of matches of ``expression``, each
    match between ``SNIPPET_START`` and ``SNIPPET_END``, with '…' where the text goes on; the
    start of the text when nothing matches in its first ``SCAN_CHARS`` characters."""
    found = matcher(expression)
    hits = _hits(text, found) if found is not None else []
    begin, finish = _best_window(hits, words * _CHARS_PER_WORD) if hits else (0, 0)
    low = max(0, begin - _AROUND)
    tokens = [m.span() for m in _TOKEN.finditer(text, low, finish + _AROUND)]
    if not tokens:
        return ""
    first = next((i for i, (start, _) in enumerate(tokens) if start >= begin), 0)
    last = max(first, next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][0] < finish), first))
    first = _first_word(text, tokens, first, last, words) if hits else 0
    last = min(len(tokens), first + words) - 1
    start = tokens[first][0] if first or low else 0
    end = tokens[last][1]
    pieces = ["…"] if start else []
    at = start
    for hit_start, hit_end, _ in hits:
        if start <= hit_start < end:
            pieces += [text[at:hit_start], SNIPPET_START, text[hit_start:hit_end], SNIPPET_END]
            at, end = hit_end, max(end, hit_end)  # a phrase running past the last word stays whole
    tail = text[end : end + _AROUND]
    if _TOKEN.search(tail):
        pieces += [text[at:end], "…"]
    else:  # the end of the text: keep its last full stop
        pieces.append(text[at:end] + tail.rstrip())
    return "".join(pieces)
