"""What two quotes share on the surface: their words (same language) and their numbers (any).

The lexical side of quote grouping: two reports of one statement in one language mostly repeat
its words, one often trimmed (a headline's half sentence against the body's whole one), so the
share of the shorter quote's words found in the longer says "the same" without an encoder.
Scripts written without spaces (Chinese, Japanese) are compared by character pairs instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from crosswire.analyze.text import WORD_CHAR

# Word characters with combining marks: Devanagari vowel signs are marks, not \w, and without them
# 'रूसी भाषा' reads as the letters 'र', 'स', 'भ', 'ष', which any two Hindi quotes share.
_WORD = re.compile(f"{WORD_CHAR}+")
# Thousands grouped by a (narrow, no-break) space, as Czech, Russian or French write them ('1 600'),
# or by a point or comma: all read as one number, so '1 600' and '1.600' agree.
_NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*")
_SEPARATORS = re.compile(r"[.,\s]")
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_SENTENCE_END = re.compile(r"(?<=[.!?…。！？।])\s+|(?<=[。！？])")
# Words quoted inside a reported statement ('brewers were "already leading the way" in ...'): the
# part another outlet may quote alone.
_INNER = re.compile(r"«([^»]+)»|„([^“”]+)[“”]|“([^”]+)”|\"([^\"]+)\"|「([^」]+)」|‚([^‘’]+)[‘’]")
MIN_INNER_LENGTH = 8
MIN_TOKENS = 4  # fewer words say too little to match on the surface ('we will', 'never')
MIN_WINDOW_CHARS = 20


@dataclass(frozen=True, slots=True)
class Surface:
    """A quote's words (or character pairs) and numbers, as compared."""

    tokens: frozenset[str]
    numbers: frozenset[str]


def surface(text: str) -> Surface:
    lowered = text.lower()
    if _UNSPACED.search(lowered):
        chars = "".join(_WORD.findall(lowered))
        tokens = frozenset(chars[i : i + 2] for i in range(len(chars) - 1))
    else:
        tokens = frozenset(word for word in _WORD.findall(lowered) if not word.isdigit())
    numbers = frozenset(_digits(n) for n in _NUMBER.findall(text) if len(n) > 1 or n != "0")
    return Surface(tokens, numbers)


def _digits(number: str) -> str:
    """A number's digits in ASCII, separators out: Devanagari '१६००' and full-width '１６００' are
    the '1600' another language writes."""
    return "".join(str(unicodedata.digit(char)) for char in _SEPARATORS.sub("", number))


def containment(a: Surface, b: Surface) -> float:
    """Share of the smaller token set found in the other (0 when either has too few tokens)."""
    small, large = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    if len(small) < MIN_TOKENS:
        return 0.0
    return len(small & large) / len(small)


def shared_numbers(a: Surface, b: Surface) -> int:
    return len(a.numbers & b.numbers)


def numbers_conflict(a: Surface, b: Surface) -> bool:
    """Both quote figures and none of them agree: two statements, however alike in wording
    ('grew by 3%' and 'grew by 5%'). Digits survive translation, so this holds across languages."""
    return bool(a.numbers) and bool(b.numbers) and not (a.numbers & b.numbers)


def text_length(text: str) -> int:
    """Length in letters of an alphabet: a Chinese character carries about what three Latin
    letters do, kana about two (in the WMT 2024 translations, Chinese runs to 0.32 of the
    English length and Japanese to 0.45), so lengths compare across scripts."""
    return len(text) + 2 * len(_IDEOGRAPH.findall(text)) + len(_KANA.findall(text))


def windows(text: str, max_windows: int) -> list[tuple[int, int]]:
    """(start, end) offsets into ``text`` of its sentences and of the words it quotes inside it,
    for matching a shorter quote against part of a longer one (a text of one sentence has no
    sentence windows: the whole is compared already)."""
    inner = [
        match.span(group)
        for match in _INNER.finditer(text)
        for group in range(1, 7)
        if match.group(group) and text_length(match.group(group)) >= MIN_INNER_LENGTH
    ]
    spans = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    spans = [(s, e) for s, e in spans if text_length(text[s:e].strip()) >= MIN_WINDOW_CHARS]
    return (inner + (spans if len(spans) > 1 else []))[:max_windows]
