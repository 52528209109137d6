"""Lemmas and word classes, cached per (language, word form).

pymorphy3 for Ukrainian and Russian (it tags proper names and function words); for the other
languages Snowball has an algorithm for, the Snowball stem (PyStemmer: C, under a microsecond a
word, nothing to load); the lower-cased form otherwise. A stem is no word ('regierung' ->
'regier'), but what the terms and the name keys need is that the inflections of a word meet, and
they do. (Dictionary lemmatizers cost 25-430 MB and up to seconds to load per language: a stream
of twenty languages thrashed through them.) News text is Zipfian, so a per-form cache makes the
analyzers run once per distinct word.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import Stemmer

from crosswire.analyze.resources import stopwords

NameKind = Literal["person", "place", "org"]

PYMORPHY_LANGUAGES = frozenset({"uk", "ru"})
# ISO 639-1 code -> Snowball algorithm (PyStemmer 3.1). Slovak is close enough to Czech, Bokmål
# and Nynorsk share the Norwegian one, and the Serbian algorithm is written for all of
# Serbo-Croatian (it reads Cyrillic and Latin).
SNOWBALL: dict[str, str] = {
    "ar": "arabic",
    "hy": "armenian",
    "eu": "basque",
    "ca": "catalan",
    "cs": "czech",
    "sk": "czech",
    "da": "danish",
    "nl": "dutch",
    "en": "english",
    "eo": "esperanto",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "de": "german",
    "el": "greek",
    "hi": "hindi",
    "hu": "hungarian",
    "id": "indonesian",
    "ga": "irish",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "no": "norwegian",
    "nb": "norwegian",
    "nn": "norwegian",
    "fa": "persian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "sr": "serbian",
    "hr": "serbian",
    "bs": "serbian",
    "es": "spanish",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
    "st": "sesotho",
}
STEMMED_LANGUAGES = frozenset(SNOWBALL)
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "NUMR", "PRED"})
_VERB_POS = frozenset({"VERB", "INFN", "PRTS", "GRND"})
# OpenCorpora tags that mark a proper-name reading, in the order we prefer them.
_NAME_TAGS: tuple[tuple[str, NameKind], ...] = (
    ("Surn", "person"),
    ("Name", "person"),
    ("Patr", "person"),
    ("Geox", "place"),
    ("Orgn", "org"),
    ("Abbr", "org"),
)
_CACHE_LIMIT = 500_000
_READINGS = 6


@dataclass(frozen=True, slots=True)
class Word:
    """What the analyzers say about one word form."""

    lemma: str  # lower-case lemma (a Snowball stem outside Ukrainian and Russian)
    function: bool  # a function word: no evidence of what a text is about
    name_lemma: str  # lower-case lemma under a proper-name reading (same as lemma when none)
    name_kind: NameKind | None  # what the tagger says the name is, when it says
    readings: tuple[str, ...] = ()  # other lemmas the tagger allows ('Києві': кий, київ)
    best_kind: NameKind | None = None  # what the best reading names, if a known name ('Николай': person)


@cache
def _pymorphy(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def _analyze_pymorphy(language: str, form: str, stop: frozenset[str]) -> Word:
    parses = _pymorphy(language).parse(form)
    best = parses[0]
    readings = tuple(dict.fromkeys(p.normal_form.replace("ё", "е") for p in parses[:_READINGS]))
    lemma = best.normal_form.replace("ё", "е")
    tag = best.tag
    function = tag.POS in _FUNCTION_POS or "Apro" in tag.grammemes or lemma in stop
    name_lemma, name_kind = lemma, None
    best_kind = next((kind for tag_name, kind in _NAME_TAGS if tag_name in tag.grammemes), None)
    if form[:1].isupper():
        # The first reading of a capitalized surname is often a common word ('Лаврова' ->
        # 'лавровий'); a name reading anywhere in the list wins. Only the dictionary's name
        # readings say 'this is a name': the predictor tags any unknown capitalized word so.
        for tag_name, kind in _NAME_TAGS:
            named = next((p for p in parses if tag_name in p.tag.grammemes), None)
            if named is not None:
                name_lemma = named.normal_form.replace("ё", "е")
                name_kind = kind if named.is_known else None
                break
        else:
            if tag.POS in _VERB_POS:
                # A name is no verb form: a surname the dictionary knows only as one ('Корен', a
                # participle of 'корить') keeps a noun reading, else its own form, so it meets its
                # spellings in other scripts ('krn' like Cohren, not 'krt').
                noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
                name_lemma = noun.normal_form.replace("ё", "е") if noun is not None else form.lower().replace("ё", "е")
    return Word(lemma, function, name_lemma, name_kind, readings, best_kind if best.is_known else None)


_local = threading.local()


def stemmer(language: str) -> Any:
    """This thread's Snowball stemmer of a language in ``SNOWBALL`` (stemmers are not
    thread-safe; each is made on first use)."""
    stemmers: dict[str, Any] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    found = stemmers.get(language)
    if found is None:
        found = stemmers[language] = Stemmer.Stemmer(SNOWBALL[language], 0)  # 0: no cache of its own
    return found


def stem(language: str, lower: str) -> str:
    """The Snowball stem of a lower-case word (the word itself when the stemmer leaves nothing)."""
    try:
        return stemmer(language).stemWord(lower) or lower
    except (UnicodeError, ValueError):  # lone surrogates cannot be encoded for the C stemmer
        return lower


def _analyze_stemmed(language: str, lower: str, stop: frozenset[str]) -> Word:
    lemma = stem(language, lower)
    return Word(lemma, lemma in stop, lemma, None)


class Morphology:
    """Per-process cache of word analyses for all languages."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], Word] = {}

    def word(self, language: str | None, form: str) -> Word:
        key = (language or "", form)
        found = self._cache.get(key)
        if found is not None:
            return found
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()  # a long stream must not grow without bound
        found = self._analyze(language or "", form)
        self._cache[key] = found
        return found

    @staticmethod
    def _analyze(language: str, form: str) -> Word:
        stop = stopwords(language)
        lower = form.lower()
        if lower in stop:
            return Word(lower, True, lower, None)
        if len(form) > 1 and form.isupper():
            return Word(lower, False, lower, None)  # acronyms: lemmatizers misread them ('НАТО' -> 'ната')
        if language in PYMORPHY_LANGUAGES:
            try:
                return _analyze_pymorphy(language, form, stop)
            except ValueError:  # pymorphy3 asks unicodedata for names some characters lack ('𗀀')
                return Word(lower, False, lower, None)
        if language in STEMMED_LANGUAGES:
            return _analyze_stemmed(language, lower, stop)
        return Word(lower, False, lower, None)


@cache
def morphology() -> Morphology:
    """The process-wide cache (loaded lazily: importing this module loads no dictionary)."""
    return Morphology()
