"""Numbers and quantities, normalized: '1,5 млн' -> 1500000, '26 країн' -> 26, '5 %' -> 5%.

Which of '.' and ',' is the decimal mark depends on the language (CLDR through babel) when the text
alone cannot tell ('1,500' is 1500 in English and 1.5 in German). Numbers inside dates and times are
skipped: the date reader owns those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from crosswire.analyze.resources import load_table
from crosswire.types import Mention

_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,]\d)|\d+(?:[.,]\d+)*)(?!\w)")
# Dates and clock times written with digits only.
_DIGIT_DATES = re.compile(
    r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}[./-]\d{1,2}[./-]\d{1,2}\b|\b\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|h|Uhr)?\b"
)
_NEXT_WORDS = re.compile(r"\s?(%)|\s*([^\W\d_]+)\.?(?:\s+([^\W\d_]+))?")
_YEARS = range(1900, 2101)
_MAX_DIGITS = 15


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, int], frozenset[str]]:
    table = load_table("analyze_numbers.json")
    scales = {word: int(factor) for factor, words in table["scales"].items() for word in words}
    return scales, frozenset(table["percent"])


@lru_cache(maxsize=64)
def _decimal_mark(language: str | None) -> str:
    if not language:
        return "."
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(language).number_symbols["latn"]["decimal"])
    except (UnknownLocaleError, ValueError, KeyError):
        return "."


def _value(digits: str, language: str | None) -> float:
    digits = re.sub(r"[ \u00a0\u202f]", "", digits)
    marks = [c for c in digits if c in ".,"]
    if not marks:
        return float(digits)
    last = marks[-1]
    if len(set(marks)) == 2:  # '1.234,5' or '1,234.5': the last mark is the decimal one
        return float(digits.replace("." if last == "," else ",", "").replace(",", "."))
    if len(marks) > 1:  # '1.234.567': grouping only, in groups of three ('2019.11.01' is a date)
        if any(len(group) != 3 for group in digits.split(last)[1:]):
            raise ValueError(f"not grouped in thousands: {digits}")
        return float(digits.replace(last, ""))
    head, tail = digits.split(last)
    if len(tail) == 3 and last != _decimal_mark(language):
        return float(head + tail)
    return float(head + "." + tail)


def _canonical(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


def _masked(text: str, date_surfaces: Iterable[str]) -> list[tuple[int, int]]:
    spans = [m.span() for m in _DIGIT_DATES.finditer(text)]
    for surface in set(date_surfaces):
        start = text.find(surface)
        while start >= 0 and surface:
            spans.append((start, start + len(surface)))
            start = text.find(surface, start + 1)
    return spans


def find_numbers(text: str, language: str | None, date_surfaces: Iterable[str] = ()) -> list[Mention]:
    """Numbers in ``text`` outside dates, with their scale words and percent signs."""
    scales, percent = _tables()
    masked = _masked(text, date_surfaces)
    found: list[Mention] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(a <= start < b for a, b in masked) or len(match.group(0)) > _MAX_DIGITS:
            continue
        try:
            value = _value(match.group(0), language)
        except ValueError:  # not a number a person wrote: '553.148,32.076' (an SVG path in the text)
            continue
        after = _NEXT_WORDS.match(text, end)
        suffix_end = end
        is_percent = text[max(0, start - 1) : start] == "%"  # Turkish writes %5
        if after:
            if after.group(1):
                is_percent, suffix_end = True, after.end(1)
            else:
                first, second = (after.group(2) or "").lower(), (after.group(3) or "").lower()
                if first in percent or f"{first} {second}" in percent:
                    is_percent, suffix_end = True, after.end(3 if f"{first} {second}" in percent else 2)
                elif first in scales:
                    value *= scales[first]
                    suffix_end = after.end(2)
                    if second in scales:
                        value *= scales[second]
                        suffix_end = after.end(3)
        digits = match.group(0)
        if not is_percent and suffix_end == end and len(digits) == 4 and digits.isdigit() and int(digits) in _YEARS:
            continue  # a bare year: the date reader's
        key = _canonical(value) + ("%" if is_percent else "")
        surface_start = start - 1 if text[max(0, start - 1) : start] == "%" else start
        found.append(Mention(key=key, surface=text[surface_start:suffix_end], kind="number"))
    return found
