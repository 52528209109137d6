"""Chinese, Japanese and Korean text: digits and scale words set apart from the ideographs around
them, and dates in the 年月日 pattern.

These scripts write no spaces between words, so '共88件' or '2022年3月' is one word token to the
tokenizer and the number reader (which wants a number between word boundaries). The numbers, years
and dates are what such an article most plainly shares with its translation (its words and names
meet an English text in no key), so they are set apart before analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from crosswire.types import Mention

CJK_LANGUAGES = frozenset({"ja", "zh", "ko"})
_IDEOGRAPHIC = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# Full-width ASCII (０-９, ％, ，, ．) -> ASCII.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DIGIT_GAP = re.compile(rf"(?<=\d)(?=[{_IDEOGRAPHIC}])|(?<=[{_IDEOGRAPHIC}])(?=\d)")
# A scale word right after a number ('1.5 万人') is its own word, so the number reader can see it.
_SCALE_WORD = re.compile(r"(?<=\d )(百万|百萬|[万萬亿億千])(?=[^\W\d_])")
_DATE = re.compile(r"(?<!\d)(\d{4}) ?年(?: ?(\d{1,2}) ?月(?: ?(\d{1,2}) ?日)?)?")
_YEARS = range(1800, 2200)


def is_cjk(language: str | None) -> bool:
    return bool(language) and language.split("-")[0].lower() in CJK_LANGUAGES  # type: ignore[union-attr]


def spaced(text: str) -> str:
    """``text`` with full-width ASCII folded and digits set apart from the ideographs around them."""
    text = _DIGIT_GAP.sub(" ", text.translate(_FULL_WIDTH))
    return _SCALE_WORD.sub(r"\1 ", text)


def find_dates(text: str, known: Iterable[Mention] = ()) -> list[Mention]:
    """Dates written 2022年, 2022年3月 or 2022年3月5日 (in a ``spaced`` text), at their precision,
    but for those inside a ``known`` date's surface (the date reader's)."""
    found: list[Mention] = []
    surfaces = [mention.surface for mention in known]
    for match in _DATE.finditer(text):
        if any(match.group(0) in surface for surface in surfaces):
            continue
        year, month, day = (int(g) if g else None for g in match.groups())
        if year not in _YEARS:
            continue
        key = f"{year}"
        if month is not None and 1 <= month <= 12:
            key += f"-{month:02d}"
            if day is not None and 1 <= day <= 31:
                key += f"-{day:02d}"
        found.append(Mention(key=key, surface=match.group(0), kind="date"))
    return found
