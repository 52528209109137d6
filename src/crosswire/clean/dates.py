"""Dates: lines that are only a timestamp, and dates mentioned in running text.

One compiled regex per task, built on first use from the month tables in ``months.py``: no
dateparser (too slow for every line of every article, and it guesses too freely). Keys are ISO
8601 at the precision the text gives: '2022-02-15', '2021-12', '2022'.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from crosswire.clean.months import date_words, month_number, month_tables, trie_pattern
from crosswire.types import Mention

_YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|21[0-9]{2})"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_NUM_MONTH = r"(?:1[0-2]|0?[1-9])"
_ORDINAL = r"(?:\.|st|nd|rd|th|-?го|-?е|er|º)?"
_SEPARATOR = r"\s*[,|•·–—/-]?\s*"
# Years a bare 'in 1500' may name; a year word ('1697 року') widens this to any four digits.
_BARE_YEARS = range(1800, 2200)
_CAPITALIZED_MONTHS = frozenset({"en", "de"})


def _words(key: str) -> str:
    return "(?:" + trie_pattern(w.lower() for w in date_words()[key]) + ")"


def _lower(text: str) -> str | None:
    """``text`` lower-cased when that keeps every offset ('İ' lower-cases to two characters).
    Matching lower-case text without IGNORECASE is about three times faster."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


@cache
def _parts() -> dict[str, str]:
    month = "(?:" + trie_pattern(month_tables().by_name) + r")(?!\w)\.?"
    return {
        "month": month,
        "weekday": "(?:" + trie_pattern(month_tables().weekdays) + r")(?!\w)\.?",
        "year_word": _words("year_words") + r"(?!\w)",
        "year_prep": _words("year_prepositions"),
        "month_prep": _words("month_prepositions"),
        "qualifier": _words("month_qualifiers"),
        "time_word": _words("time_words"),
        "relative": _words("relative_days"),
        "zone": r"(?:" + _words("timezones") + r"(?!\w)|[+-][0-9]{2}:?[0-9]{2})",
    }


def _time(tag: str) -> str:
    suffix = _words("time_suffixes")
    return (
        rf"(?P<{tag}h>2[0-3]|[01]?[0-9])[:h](?P<{tag}mi>[0-5][0-9])(?::[0-5][0-9])?"
        rf"(?:\s*(?P<{tag}ap>[ap])\.?\s?m\.?)?(?:\s*{suffix}(?!\w)\.?)?"
    )


@cache
def _timestamp_regex() -> re.Pattern[str]:
    p = _parts()
    dates = rf"""(?:
        (?P<iso_y>{_YEAR})-(?P<iso_m>[01][0-9])-(?P<iso_d>[0-3][0-9])
            (?:[t\s](?P<iso_h>[0-2][0-9]):(?P<iso_mi>[0-5][0-9])(?::[0-5][0-9](?:\.[0-9]+)?)?(?:z|[+-][0-9]{{2}}:?[0-9]{{2}})?)?
      | (?P<num_a>{_DAY})(?P<num_s>[./-])(?P<num_b>{_DAY})(?P=num_s)(?P<num_y>{_YEAR}|[0-9]{{2}})
      | (?P<ymd_y>{_YEAR})[./]?\s*(?:m\.\s*)?(?P<ymd_m>{p["month"]})\s*(?P<ymd_d>{_DAY})\.?(?:\s*d\.)?
      | (?P<cjk_y>{_YEAR})\s*[年년]\s*(?P<cjk_m>{_NUM_MONTH})\s*[月월]\s*(?P<cjk_d>{_DAY})\s*[日일]
      | (?P<dmy_d>{_DAY}){_ORDINAL}\s*(?:(?:de|of)\s+)?(?P<dmy_m>{p["month"]})(?:,?\s*(?:de\s+)?(?P<dmy_y>{_YEAR}))?
      | (?P<mdy_m>{p["month"]})\s*(?P<mdy_d>{_DAY})(?:st|nd|rd|th)?(?:,?\s*(?P<mdy_y>{_YEAR}))?
      | (?P<my_m>{p["month"]})\s+(?P<my_y>{_YEAR})
    )"""
    line = rf"""^[\s|•·*–—-]*
        (?:{p["weekday"]},?\s+)?
        (?:{_time("a")}{_SEPARATOR})?
        {dates}
        (?:\s*{p["year_word"]})?
        (?:{_SEPARATOR}(?:{p["time_word"]}\s+)?{_time("b")})?
        (?:\s*{p["zone"]})?
        [\s.,]*$"""
    return re.compile(line, re.VERBOSE)


@cache
def _time_only_regex() -> re.Pattern[str]:
    p = _parts()
    return re.compile(
        rf"^[\s|•·*–—-]*(?:{p['relative']}[,\s]*)?(?:{p['time_word']}\s+)?{_time('a')}(?:\s*{p['zone']})?[\s.,]*$"
    )


def _iso(year: int, month: int, day: int | None = None) -> str | None:
    try:
        date(year, month, day or 1)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _hour(match: re.Match[str], tag: str) -> tuple[int, int] | None:
    if not match.group(f"{tag}h"):
        return None
    hour, minute = int(match.group(f"{tag}h")), int(match.group(f"{tag}mi"))
    meridiem = (match.group(f"{tag}ap") or "").lower()
    if meridiem and not 1 <= hour <= 12:
        return None
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    return hour, minute


def _day_month(a: int, b: int, slash_us: bool) -> tuple[int, int]:
    """(day, month) from a numeric date whose order is day-first unless that is impossible, or
    unless an English text writes it with slashes (US order)."""
    if slash_us and a <= 12:
        return b, a
    if b > 12 >= a:
        return b, a
    return a, b


def _timestamp_date(m: re.Match[str]) -> str | None:
    g = m.group
    if g("iso_y"):
        return _iso(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if g("num_y"):
        year = int(g("num_y"))
        if len(g("num_y")) == 2:
            year += 2000 if year < 70 else 1900
        day, month = _day_month(int(g("num_a")), int(g("num_b")), False)
        return _iso(year, month, day)
    if g("cjk_y"):
        return _iso(int(g("cjk_y")), int(g("cjk_m")), int(g("cjk_d")))
    for form in ("ymd", "dmy", "mdy", "my"):
        name = g(f"{form}_m")
        if name is None:
            continue
        named_month = month_number(name, None)
        year_text = g(f"{form}_y")
        if named_month is None or year_text is None:
            return None
        day_text = g(f"{form}_d") if form != "my" else None
        return _iso(int(year_text), named_month, int(day_text) if day_text else None)
    return None


def _looks_short_and_dated(line: str) -> bool:
    return len(line) <= 80 and any(c.isdigit() for c in line)


def parse_timestamp_line(line: str) -> str | None:
    """The ISO date (with 'THH:MM' when the line gives a time) of a line that is only a date or a
    date and time ('23:15 06 вер 2025.', '12.01.2022 14:35', 'January 13, 2022'); else None.
    A line without a year gives None: only a reference date could complete it."""
    if not _looks_short_and_dated(line):
        return None
    match = _timestamp_regex().match(line.strip().lower())
    if match is None:
        return None
    day = _timestamp_date(match)
    if day is None:
        return None
    clock = _hour(match, "a") or _hour(match, "b")
    if clock is None and match.group("iso_h"):
        clock = (int(match.group("iso_h")), int(match.group("iso_mi")))
    if clock is None or clock[0] > 23 or len(day) < 10:
        return day
    return f"{day}T{clock[0]:02d}:{clock[1]:02d}"


def is_timestamp_line(line: str) -> bool:
    """True for a line that is only a date and/or time, also one we cannot date ('14:35',
    'Вчора, 14:35', '06 вер')."""
    if not _looks_short_and_dated(line):
        return False
    stripped = line.strip().lower()
    return bool(_timestamp_regex().match(stripped) or _time_only_regex().match(stripped))


# --- dates in running text ---------------------------------------------------------------------


@cache
def _mention_regex() -> re.Pattern[str]:
    p = _parts()

    def year_tail(tag: str) -> str:
        return rf"(?:\s*(?P<{tag}w>{p['year_word']}))?"

    # The look-ahead gate lets most word starts fail on one test instead of eight branches.
    gate = rf"(?=[0-9]|{p['month']}|(?:{p['month_prep']}|{p['qualifier']}|{p['year_prep']})\s)"
    pattern = rf"""(?<![\w.,/-]){gate}(?:
        (?P<iso>(?P<iso_y>{_YEAR})-(?P<iso_m>[01][0-9])-(?P<iso_d>[0-3][0-9]))(?![0-9])
      | (?P<num>(?P<num_a>{_DAY})(?P<num_s>[./])(?P<num_b>{_DAY})(?P=num_s)(?P<num_y>{_YEAR}))(?![0-9]|[.,][0-9])
      | (?P<cjk>(?P<cjk_y>{_YEAR})\s*[年년]\s*(?P<cjk_m>{_NUM_MONTH})\s*[月월](?:\s*(?P<cjk_d>{_DAY})\s*[日일])?)
      | (?P<ymd>(?P<ymd_y>{_YEAR})\.?\s+(?:m\.\s+)?(?P<ymd_m>{p["month"]})\s+(?P<ymd_d>{_DAY})(?![0-9]))
      | (?P<dmy>(?P<dmy_d>{_DAY}){_ORDINAL}\s*(?:(?:de|of)\s+)?(?P<dmy_m>{p["month"]})
            (?:,?\s*(?:de\s+)?(?P<dmy_y>{_YEAR})(?![0-9]){year_tail("dmy_")})?)
      | (?P<mdy>(?P<mdy_m>{p["month"]})\s+(?P<mdy_d>{_DAY})(?:st|nd|rd|th)?(?![0-9])
            (?:,?\s+(?P<mdy_y>{_YEAR})(?![0-9]))?)
      | (?P<mon>(?P<mon_p>{p["month_prep"]}\s+(?:{p["qualifier"]}[\s-]+)?|{p["qualifier"]}[\s-]+)?
            (?P<mon_m>{p["month"]})
            (?:\s+(?:(?:de|of)\s+)?(?P<mon_y>{_YEAR})(?![0-9]){year_tail("mon_")})?)
      | (?P<year>(?:(?P<year_p>{p["year_prep"]})\s+)?(?P<year_y>{_YEAR})(?![0-9]){year_tail("year_")})
    )"""
    return re.compile(pattern, re.VERBOSE)


def _reference(reference: str | None) -> tuple[int, int] | None:
    match = re.match(r"([0-9]{4})(?:-([0-9]{2}))?", reference or "")
    if not match:
        return None
    month = int(match.group(2) or 12)
    return (int(match.group(1)), month) if 1 <= month <= 12 else None


FUTURE_MONTHS = 2


def _infer_year(month: int, reference: tuple[int, int] | None) -> int | None:
    # News reports the past and announces the near future: a month up to FUTURE_MONTHS ahead of
    # publication is the coming one ('в январе' written in December), any other the last one.
    if reference is None:
        return None
    year, ref_month = reference
    ahead = (month - ref_month) % 12
    if 0 < ahead <= FUTURE_MONTHS:
        return year + 1 if month < ref_month else year
    return year - 1 if month > ref_month else year


def _lowercase_english_month(m: re.Match[str], form: str, original: str, language: str | None) -> bool:
    """'may 3', 'march on': English (and German) write month names capitalized; lower-case they
    are verbs and nouns."""
    start, end = m.span(f"{form}_m")
    if original[start].isupper():
        return False
    name = original[start:end].lower().rstrip(".")
    if language is None:
        return name in month_tables().by_language["en"]
    return language in _CAPITALIZED_MONTHS


def _mention_key(
    m: re.Match[str], text: str, original: str, language: str | None, ref: tuple[int, int] | None
) -> str | None:
    g = m.group
    if g("iso"):
        return _iso(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if g("num"):
        day, month = _day_month(int(g("num_a")), int(g("num_b")), g("num_s") == "/" and language == "en")
        return _iso(int(g("num_y")), month, day)
    if g("cjk"):
        return _iso(int(g("cjk_y")), int(g("cjk_m")), int(g("cjk_d")) if g("cjk_d") else None)
    if g("year"):
        year = int(g("year_y"))
        if g("year_w"):
            return f"{year:04d}"
        # 'in 2000 cases' is a count: a bare year after a preposition must not run into a word.
        rest = text[m.end() : m.end() + 2].lstrip()
        if g("year_p") and year in _BARE_YEARS and not (rest[:1].isalpha() and rest[:1].islower()):
            return f"{year:04d}"
        return None
    for form in ("ymd", "dmy", "mdy", "mon"):
        name = g(f"{form}_m")
        if name is None:
            continue
        if form == "mon" and not (g("mon_p") or g("mon_y")):
            return None  # a bare month name ('May') is too often a plain word
        named_month = month_number(name, language)
        if named_month is None or _lowercase_english_month(m, form, original, language):
            return None
        named_year = int(g(f"{form}_y")) if g(f"{form}_y") else _infer_year(named_month, ref)
        if named_year is None:
            return None
        day_text = g(f"{form}_d") if form != "mon" else None
        return _iso(named_year, named_month, int(day_text) if day_text else None)
    return None


def find_date_mentions(text: str, language: str | None, reference: str | None) -> list[Mention]:
    """Dates the text names, in text order. A date without a year takes it from ``reference``
    (the publication date); without a reference such dates are skipped."""
    ref = _reference(reference)
    lowered = _lower(text)
    if lowered is None:  # rare: fall back to a per-character lower-casing that keeps offsets
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    mentions = []
    for match in _mention_regex().finditer(lowered):
        key = _mention_key(match, lowered, text, language, ref)
        if key is not None:
            mentions.append(Mention(key=key, surface=_surface(text[match.start() : match.end()]), kind="date"))
    return mentions


def _surface(span: str) -> str:
    # Keep the dot of an abbreviation ('Jan.', '2022 г.'), not a sentence's full stop ('in May.').
    span = span.strip()
    last = span.rsplit(None, 1)[-1][:-1].lower()
    return span[:-1] if span.endswith(".") and (last in month_tables().wide or last.isdigit()) else span
