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
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, fix_latin_ligatures=False)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return text.translate(_INVISIBLE)
