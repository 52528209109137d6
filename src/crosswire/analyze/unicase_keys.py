"""Latin readings of names written in Arabic script (Arabic, Persian, Urdu) and in Hangul, so that
``keys.name_key`` keys them as it keys the same name in Latin or Cyrillic letters (ترامب, 트럼프 and
Трамп all 'trmp').

The readings are spelled in the sound classes ``name_key`` knows ('sh', 'kh', 'gh', 'th'), not in a
scholarly transliteration: what matters is the consonant skeleton. Where a script writes one letter
for two sounds that Latin spellings keep apart, a name gets one reading per sound, as Japanese
katakana gets one with r and one with l (``cjk.katakana_names``): Arabic writes p as ب and v as ف
(بوتين Putin, لافروف Lavrov), Korean has one letter for r and l (라브로프 Lavrov, 트럼프 Trump) and
writes f as ㅍ and v as ㅂ. Every letter of a kind switches together (a name mixing b and p is
rare), and the first reading is the one the script's own names have (b, f; Revised Romanization),
the key under which the name speaks.

Korean adds a vowel 'eu' after a consonant that a foreign name ends or clusters with (트럼프
teu-reom-peu): the reading leaves it out ('trmp'), so that a short name keeps the vowels it has
(아사드 'asad', Assad).
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from crosswire.analyze.keys import name_key

_ARABIC = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ٱ": "a", "ء": "", "ئ": "", "ؤ": "", "ة": "a",
    "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "z", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ق": "k",
    "ك": "k", "ک": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ہ": "h", "ھ": "h", "ۃ": "a",
    "ی": "i", "ي": "i", "ے": "e", "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ٹ": "t", "ڈ": "d",
    "ڑ": "r", "ں": "n", "ڤ": "v", "ڨ": "g",
}  # fmt: skip
# Letters with two readings in Arabic, the native one first (Persian and Urdu have پ and و for p, v).
_ARABIC_CHOICES = {"ب": ("b", "p"), "ف": ("f", "v")}
_PERSIAN_CHOICES = {"ب": ("b",), "ف": ("f",)}
_HAMZA_SEATS = "أإآا"

_HANGUL_BASE, _HANGUL_LAST = 0xAC00, 0xD7A3
_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_MEDIALS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
    "eu", "ui", "i",
)  # fmt: skip
_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
    "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
_RIEUL, _BIEUP, _JIEUT, _PIEUP = 5, 7, 12, 17
_FINAL_RIEUL, _FINAL_IEUNG = 8, 21
_EU = 18
# How a foreign name's consonants read where Korean has none of its own: v, z, f.
_FOREIGN = {_BIEUP: "v", _JIEUT: "z", _PIEUP: "f"}
_MAX_READINGS = 4


def _arabic_letters(word: str, language: str | None) -> list[tuple[str, ...]]:
    """Each letter's readings, in order."""
    choices = _PERSIAN_CHOICES if language in ("fa", "ur") else _ARABIC_CHOICES
    letters: list[tuple[str, ...]] = []
    previous = ""
    for i, char in enumerate(word):
        if char in choices:
            letters.append(choices[char])
        elif char == "و":  # a consonant at the start and after a long a ('لاوروف', 'واشنطن'), else a vowel
            letters.append(("v",) if i == 0 or (i > 1 and previous in _HAMZA_SEATS) else ("u",))
        elif char in ("ه", "ہ") and i == len(word) - 1 and language in ("fa", "ur"):
            letters.append(("e",))  # a final silent h ('خامنه')
        elif char in _ARABIC:
            letters.append((_ARABIC[char],))
        previous = char
    return letters


def arabic_readings(word: str, language: str | None = None) -> list[str]:
    """Latin readings of an Arabic-script name word, the native reading first."""
    return _combine(_arabic_letters(word, language))


def _combine(letters: list[tuple[str, ...]]) -> list[str]:
    """Readings where every letter with the same choices takes the same one (all b or all p)."""
    kinds = list(dict.fromkeys(option for option in letters if len(option) > 1))
    readings: list[str] = []
    for picks in itertools.product(*(range(len(kind)) for kind in kinds)):
        chosen = dict(zip(kinds, picks, strict=True))
        readings.append("".join(option[chosen[option]] if option in chosen else option[0] for option in letters))
    return readings[:_MAX_READINGS]


def is_hangul(char: str) -> bool:
    return _HANGUL_BASE <= ord(char) <= _HANGUL_LAST


def hangul_readings(word: str) -> list[str]:
    """Revised Romanization of a Hangul name word without the added 'eu' ('트럼프' 'treomp'), then the readings of a
    foreign name: an initial ㄹ as l ('라브로프' Lavrov), ㅂ, ㅈ and ㅍ as v, z and f ('젤렌스키'
    Zelensky). A final ㅇ that ends the word reads n: it writes the nasal vowel of French names
    ('마크롱' Macron)."""
    syllables: list[tuple[int, int, int]] = []
    for char in word:
        if is_hangul(char):
            rest, final = divmod(ord(char) - _HANGUL_BASE, 28)
            syllables.append((*divmod(rest, 21), final))
    if not syllables:
        return []
    readings: list[str] = []
    for initial_l, foreign in ((False, False), (True, False), (False, True), (True, True)):
        if initial_l and syllables[0][0] != _RIEUL:
            continue
        if foreign and not any(s[0] in _FOREIGN for s in syllables):
            continue
        parts: list[str] = []
        for i, (initial, medial, final) in enumerate(syllables):
            sound = _INITIALS[initial]
            if initial == _RIEUL and ((i == 0 and initial_l) or (i > 0 and syllables[i - 1][2] == _FINAL_RIEUL)):
                sound = "l"  # after a final ㄹ the pair reads 'll' (힐러리 Hillary)
            elif foreign and initial in _FOREIGN:
                sound = _FOREIGN[initial]
            coda = "n" if final == _FINAL_IEUNG and i == len(syllables) - 1 else _FINALS[final]
            vowel = "" if medial == _EU and not final else _MEDIALS[medial]  # the added 'eu' (트럼프)
            parts.append(sound + vowel + coda)
        readings.append("".join(parts))
    return readings


_ANUSVARA, _CANDRABINDU, _VIRAMA = "\u0902", "\u0901", "\u094d"
_LABIALS = frozenset("पफबभम")


def _nasals(word: str) -> str:
    """The anusvara as the nasal it is sounded as, n (m before p, b, m), and the candrabindu (a
    nasal vowel) dropped: transliterated as written, 'नरेंद्र' reads 'nremdr' and 'मैक्रों'
    'maikrom', where their Latin spellings have n (Narendra, Macron)."""
    out = []
    for i, char in enumerate(word):
        if char == _ANUSVARA:
            labial = i + 1 < len(word) and word[i + 1] in _LABIALS
            out.append(("म" if labial else "न") + _VIRAMA)
        elif char != _CANDRABINDU:
            out.append(char)
    return "".join(out)


@lru_cache(maxsize=50_000)
def unicase_keys(word: str, language: str | None) -> tuple[str, ...]:
    """``name_key`` of each reading of a name word in Arabic script, Hangul or Devanagari, the native
    reading's first, without repeats; empty for a word in none of them."""
    if any("\u0900" <= c <= "\u097f" for c in word):
        readings = [_nasals(word)]  # Devanagari writes a name's sounds: ``name_key`` transliterates it
    else:
        readings = hangul_readings(word) if any(is_hangul(c) for c in word) else arabic_readings(word, language)
    return tuple(k for k in dict.fromkeys(name_key(r) for r in readings) if k)
