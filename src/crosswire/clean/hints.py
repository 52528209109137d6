"""The metadata a source supplies with a document (a JSON object's ``published`` and ``language``,
a Parquet column, an upload's form field), read strictly: it wins over what the page says, so a
value that is no date or no language must not reach the article. A source that sends
'9999-99-99' would otherwise pin its story to the top of every list sorted by date, and one that
sends 'xx' would file its article under a language nothing else shares.

An unreadable hint is dropped (the page's own date or the detected language stand in) and the
article is flagged (``bad-date-hint``, ``bad-language-hint``), so the source can be fixed.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

from crosswire.types import is_date_prefix

# Hints longer than this are no date (an ISO date-time with fractions and offset is 32).
MAX_DATE_CHARS = 64
# Years a publication date may have: older is a typo or a placeholder ('0001-01-01'); later than
# next year is a placeholder ('9999-12-31') or a clock gone wrong.
FIRST_YEAR = 1900
_EXTENDED = re.compile(r"\d{4}-\d{2}-\d{2}")


def published_hint(value: str | None) -> tuple[str | None, bool]:
    """(the hint as an ISO 8601 date or date-time, whether it was given but unreadable).

    ISO 8601 is kept as written ('2022-01-10', '2022-01-10T09:30:00Z', '2022-01' and '2022' at
    the precision given); an RSS or e-mail date ('Mon, 10 Jan 2022 09:30:00 GMT', as feeds and
    their exports write them) becomes ISO ('2022-01-10T09:30:00+00:00')."""
    text = (value or "").strip()
    if not text:
        return None, False
    if len(text) > MAX_DATE_CHARS:
        return None, True
    found = _iso(text) or _rfc2822(text)
    if found is None or not FIRST_YEAR <= found[0] <= date.today().year + 1:
        return None, True
    return found[1], False


def _iso(text: str) -> tuple[int, str] | None:
    if is_date_prefix(text):  # '2022', '2022-01', '2022-01-10': as the date filters take them
        return int(text[:4]), text
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if _EXTENDED.match(text):
        return parsed.year, text
    # The basic format ('20220110T0930'): written out, so that dates sort and compare as text.
    return parsed.year, parsed.date().isoformat() if len(text) == 8 else parsed.isoformat()


def _rfc2822(text: str) -> tuple[int, str] | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.year, parsed.isoformat()


def language_hint(code: str | None) -> tuple[str | None, bool]:
    """(the ISO 639 code of a language hint, whether it was given but names no language).
    'uk-UA', 'uk_UA' and 'UK' all mean 'uk'; 'xx' and 'english' name none that CLDR knows."""
    text = (code or "").strip()
    if not text:
        return None, False
    base = text.replace("_", "-").split("-")[0].strip().lower()
    if base == "und":  # BCP 47's 'undetermined': no hint
        return None, False
    return (base, False) if _known_language(base) else (None, True)


@lru_cache(maxsize=512)
def _known_language(code: str) -> bool:
    if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
        return False
    from babel import Locale, UnknownLocaleError  # lazy: CLDR's tables load on first use

    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True
