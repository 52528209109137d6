"""Unicode normalization, mojibake repair and homoglyph folding.

Homoglyph folding is our own: no maintained library repairs a word that mixes scripts (a Latin
``c`` typed inside Ukrainian ``Підписуйтеcь``), and the confusables tables (Unicode TR39) map
both scripts to a skeleton rather than restoring the word's own script.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Latin letters that look like Cyrillic ones, and the reverse. Only shapes that are identical in
# common fonts, so that folding never changes a word a reader would see as different.
_LATIN_TO_CYRILLIC = str.maketrans(
    "aceopxyiABCEHIKMOPTXy",
    "асеорхуіАВСЕНІКМОРТХу",
)
_CYRILLIC_TO_LATIN = str.maketrans(
    "асеорхуіАВСЕНІКМОРТХ",
    "aceopxyiABCEHIKMOPTX",
)
_WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")

# Zero-width and bidi control characters carry no text and split words for matching.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u00ad"),
    None,
)


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    cyr = len(_CYRILLIC.findall(word))
    lat = len(_LATIN.findall(word))
    if not cyr or not lat:
        return word
    if cyr >= lat:
        return word.translate(_LATIN_TO_CYRILLIC)
    return word.translate(_CYRILLIC_TO_LATIN)


def fold_homoglyphs(text: str) -> str:
    """Rewrite each word that mixes Latin and Cyrillic letters into its majority script."""
    if not (_CYRILLIC.search(text) and _LATIN.search(text)):
        return text
    return _WORD.sub(_fold_word, text)


def normalize_text(text: str, *, repair: bool = True) -> str:
    """NFC-normalize, drop invisible characters, unify line breaks, and (optionally) repair
    mojibake with ftfy. Never raises on any ``str``."""
    if repair and text:
        # Invisible characters go first: left in, one can hide mojibake from ftfy (a soft hyphen
        # before 'À\x86'), which a second pass, without it, would then repair.
        text = ftfy.fix_text(
            text.translate(_INVISIBLE), normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False
        )
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.translate(_INVISIBLE)


# UTF-8 read as Latin-1/cp1252 ('Ð¾', 'â€™', 'Ã©') or as cp1251 ('РџСЂ'): a lead character
# followed by one that only ever stands for a continuation byte. Cyrillic needs two such pairs in
# a row: 'СЄ' alone is Ukrainian ('ОБСЄ'), every mis-decoded Cyrillic letter makes one pair.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
    "|(?:[РС][\u0402\u0403\u201a\u0453\u201e\u2026\u2020\u2021\u20ac\u2030\u0409\u2039\u040a\u040c\u040b\u040f"
    "\u0452\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u2122\u0459\u203a\u045a\u045c\u045b\u045f\u040e\u045e"
    "\u0408\u00a4\u0490\u00a6\u00a7\u0401\u00a9\u0404\u00ab\u00ac\u00ae\u0407\u00b0\u00b1\u0406\u0456\u0491"
    "\u00b5\u00b6\u00b7\u0451\u2116\u0454\u00bb\u0458\u0405\u0455\u0457]){2}"
)


def needs_repair(text: str) -> bool:
    """Whether ``text`` shows a sign of mojibake. A cheap pre-check: ftfy costs about a
    millisecond per article, more than the rest of cleaning."""
    return bool(_MOJIBAKE.search(text))
