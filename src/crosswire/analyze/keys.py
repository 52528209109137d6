"""Keys under which one word or name meets its spellings in other scripts and languages.

Two folds over the ASCII transliteration (anyascii):

- ``fold_term`` for ordinary words: first the letters one Cyrillic language has for another's
  (Russian ы = Ukrainian и, Ukrainian є = Russian е, ...), so 'переговори' and 'переговоры' fold
  alike. Nothing more: merging Latin letters too ('g'/'h', 'y'/'i') makes frequent letter groups of
  unrelated languages collide, which costs more across German and English than it gains.
- ``name_key`` for proper names: a consonant skeleton with sound classes, because names vary in
  their vowels across languages (Харків/Харьков, Пєсков/Песков, Олександр/Aleksandr) and in how each
  language writes the same consonant (Zelensky/Selenskyj/Zełenski, Lavrov/Ławrow/Lawrow). Skeletons
  of fewer than three consonants would collide too often, so short names keep folded vowels
  (Kyiv/Kiev/Kiew -> 'kiv').
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_REPEATS = re.compile(r"(.)\1+")

# Ordered rewrites, longest first. Each maps a way of writing a sound to one class letter.
_NAME_DIGRAPHS = (
    ("shch", "s"),
    ("szcz", "s"),
    ("tsch", "s"),
    ("sch", "s"),
    ("tch", "s"),
    ("dzh", "s"),
    ("zh", "s"),
    ("sh", "s"),
    ("sz", "s"),
    ("cz", "s"),
    ("ch", "s"),
    ("ts", "s"),
    ("tz", "s"),
    ("kh", "h"),
    ("gh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("qu", "kv"),
)
_NAME_DIGRAPH_RE = re.compile("|".join(d for d, _ in _NAME_DIGRAPHS))
_NAME_DIGRAPH_MAP = dict(_NAME_DIGRAPHS)
# Latin c is /k/ before a back vowel or consonant and a sibilant before e, i, y.
_SOFT_C = re.compile(r"c(?=[eiy])")
_CONSONANT_CLASS = str.maketrans({"z": "s", "c": "k", "q": "k", "g": "h", "w": "v", "x": "ks"})
_VOWEL_CLASS = str.maketrans({"o": "a", "e": "i", "y": "i", "j": "i"})
_VOWELS = re.compile(r"[aeiouyj]")

# Devanagari writes the sounds of borrowed names with a dot below (nukta): ज़ is z, फ़ is f. Unicode
# leaves the letter and the dot apart (NFC does not join them), and the transliteration reads the
# pair as the plain letter ('j'kharova' for Zakharova): the joined letters read right.
_NUKTA = "\u093c"
_NUKTA_MAP = {base + _NUKTA: chr(0x958 + i) for i, base in enumerate("कखगजडढफय")}
_NUKTA_LETTERS = re.compile("|".join(_NUKTA_MAP))

# Each of these letters belongs to one Cyrillic language only, so the map needs no language.
_CYRILLIC_COUSINS = str.maketrans({"ы": "и", "э": "е", "ё": "е", "є": "е", "ї": "і", "ґ": "г", "ў": "в"})


def ascii_lower(text: str) -> str:
    """Transliterate to ASCII and keep only lower-case letters and digits."""
    if _NUKTA in text:
        text = _NUKTA_LETTERS.sub(lambda m: _NUKTA_MAP[m.group(0)], text)
    return _NON_ALNUM.sub("", anyascii(text).lower())


@lru_cache(maxsize=200_000)
def fold_term(word: str) -> str:
    """Fold a lower-case lemma so that related languages' spellings of one word meet."""
    return ascii_lower(word.translate(_CYRILLIC_COUSINS))


def _sound_classes(word: str) -> str:
    text = _SOFT_C.sub("s", ascii_lower(word))
    text = _NAME_DIGRAPH_RE.sub(lambda m: _NAME_DIGRAPH_MAP[m.group(0)], text)
    return text.translate(_CONSONANT_CLASS)


@lru_cache(maxsize=200_000)
def name_key(word: str) -> str:
    """Key of one name word (lemmatized by the caller): its consonant skeleton, or for short
    names the folded sounds with vowels. Empty when the word has no letters or digits."""
    sounds = _sound_classes(word)
    skeleton = _REPEATS.sub(r"\1", _VOWELS.sub("", sounds))
    if len(skeleton) >= 3:
        return skeleton
    return _REPEATS.sub(r"\1", sounds.translate(_VOWEL_CLASS))
