"""Proper names that no table knows: runs of capitalized words, keyed so that spellings and
inflections of one name in different languages meet (see ``keys.name_key``).

A capital letter is evidence of a name except where every sentence (or headline word) has one: a
word at a sentence start counts only when the tagger reads it as a name, it is an acronym, or the
same name appears capitalized inside a sentence elsewhere.

German capitalizes every noun, and no dictionary is loaded for it, so there a word is a name when
a run of two or more capitalized words holds it ('Angela Merkel'), when that run gave its key
earlier in the article (a later 'Merkel'), or when it follows a title ('Kremlsprecher Peskow').
Words that read as common nouns are not: those after an article, a quantifier, a number or an
adjective, those with a noun ending ('Regierung'), titles and compounds ending in one
('Außenminister'), and frequent nouns ('Menschen'); the tables are in ``analyze_names.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Literal

from crosswire.analyze.gazetteer import cut_apostrophe
from crosswire.analyze.keys import name_key
from crosswire.analyze.morphology import PYMORPHY_LANGUAGES, Word, stem
from crosswire.analyze.resources import load_table
from crosswire.analyze.text import Token
from crosswire.types import Mention

# Languages where names inflect and the stemmer cuts their endings without cutting into them
# ('Ławrowem', 'Ławrowa' -> 'ławrow'). Not Czech and Slovak: their stemmer cuts the '-ov' of
# 'Lavrov'; their table of name endings serves them.
_STEMMED_NAMES = frozenset({"pl", "lt", "sr", "hr", "bs"})
_NOUN_CAPITALIZING = frozenset({"de", "lb"})
_MIN_HEAD = 3  # letters a German noun or adjective ending must leave ('zwischen' is no adjective)
_MAX_FULL_NAME = 4
_MAX_DIGITS = 2  # 'G20', 'F-16' can be names; 'MENAFN3112201900670000' cannot
_ROMAN = re.compile(r"[IVXLCDM]+")
_MIN_KEY = 2


@lru_cache(maxsize=1)
def _particles() -> frozenset[str]:
    return frozenset(load_table("analyze_names.json")["particles"])


@cache
def _determiners(language: str) -> frozenset[str]:
    return frozenset(load_table("analyze_names.json")["determiners"].get(language, ()))


@cache
def _name_endings(language: str) -> tuple[str, ...]:
    endings = load_table("analyze_names.json")["name_endings"].get(language, ())
    return tuple(sorted(endings, key=len, reverse=True))


@cache
def _calendar_words(language: str) -> frozenset[str]:
    """Month and weekday names: capitalized in English, never names of anything we track."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    words: set[str] = set()
    for table in (locale.months, locale.days):
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                words.update(str(n).lower().rstrip(".") for n in table[context][width].values())
    return frozenset(words)


@cache
def _unnamed_calendar_words(language: str) -> frozenset[str]:
    """Calendar words whose capital names no one in a text of ``language``: its own, and English
    ones too where the language is not written in Latin letters, since its pages quote English
    dates as they are ('15 Nov 2019' on a Persian page)."""
    own = _calendar_words(language)
    return own if any(word.isascii() for word in own) else own | _calendar_words("en")


def is_calendar_word(word: str, language: str | None) -> bool:
    """Whether ``word`` names a month or a weekday in ``language`` (capitalized, never a name)."""
    return word.lower().rstrip(".") in _calendar_words(language or "en")


@cache
def _german_table(name: str) -> tuple[str, ...]:
    return tuple(load_table("analyze_names.json")[name]["de"])


@lru_cache(maxsize=1)
def _common_noun_stems() -> frozenset[str]:
    return frozenset(stem("de", w) for w in _german_table("common_nouns"))


def _suffixed(form: str, endings: tuple[str, ...], head: int) -> bool:
    return any(form.endswith(e) and len(form) - len(e) >= head for e in endings)


@lru_cache(maxsize=100_000)
def _german_noun(form: str) -> bool:
    """Whether a capitalized German word reads as a common noun by its ending ('Regierung'), as a
    title or a compound ending in one ('Außenministerin'), or as a frequent noun ('Menschen')."""
    lower = form.lower()
    return (
        _suffixed(lower, _german_table("noun_endings"), _MIN_HEAD)
        or _suffixed(lower, _german_table("noun_tails"), 0)
        or stem("de", lower) in _common_noun_stems()
    )


@lru_cache(maxsize=100_000)
def _german_title(form: str) -> bool:
    """Whether a German word is a title or role, alone or as the tail of a compound."""
    return _suffixed(form.lower(), _german_table("noun_tails"), 0)


def _german_noun_context(previous: Token | None, token: Token) -> bool:
    """Whether the word before a capitalized German word makes it a common noun: an article, a
    quantifier or a number ('zwei Millionen', '1,5 Milliarden'), or an adjective ('russischen')."""
    if previous is None:
        return False
    before = previous.text.lower()
    if before in _determiners("de"):
        return True
    if token.sentence_start or not token.glued:
        return False
    if previous.numeric:
        return True
    return previous.text[:1].islower() and _suffixed(before, _german_table("adjective_endings"), _MIN_HEAD)


def name_form(text: str, word: Word, language: str | None) -> str:
    """The form of a name word (``text``, analysed as ``word``) to key: its lemma where names
    inflect, else the word itself without a case ending the stemmer did not remove."""
    if language in PYMORPHY_LANGUAGES:
        return word.name_lemma
    if language in _STEMMED_NAMES and word.lemma != text.lower():
        return word.lemma
    form = cut_apostrophe(text.lower())  # "Putin's", "I'm", "l'Ukraine"
    for ending in _name_endings(language or ""):
        if form.endswith(ending) and len(form) - len(ending) >= 3:
            return form[: -len(ending)]
    return form


class _Reader:
    def __init__(self, tokens: Sequence[Token], words: Sequence[Word | None], covered: set[int], language: str | None):
        self.tokens, self.words, self.language = tokens, words, language or ""
        self.german = self.language in _NOUN_CAPITALIZING
        self.calendar = _unnamed_calendar_words(self.language or "en")
        self.status = [self._status(i, covered) for i in range(len(tokens))]
        self.keys = [
            name_key(name_form(t.text, w, language)) if s and w is not None else ""
            for t, w, s in zip(tokens, words, self.status, strict=False)
        ]
        self.seen_inside = {
            k for k, t, s in zip(self.keys, tokens, self.status, strict=False) if s and not t.sentence_start
        }

    def _status(self, i: int, covered: set[int]) -> str:
        """'' when the token cannot be part of a name, else how sure we are that it is one."""
        token, word = self.tokens[i], self.words[i]
        if i in covered or word is None or word.function or not token.capitalized:
            return ""
        if token.text.lower() in self.calendar or _ROMAN.fullmatch(token.text):
            return ""
        if sum(c.isdigit() for c in token.text) > _MAX_DIGITS:
            return ""
        if not self.german or token.all_caps:
            return "name"
        previous = self.tokens[i - 1] if i > 0 else None
        if _german_noun_context(previous, token) or _german_noun(token.text):
            return ""
        if previous is not None and token.glued and _german_title(previous.text):
            return "name"  # 'Außenminister Maas', 'Kremlsprecher Peskow', 'Frau Merkel'
        return "known"  # else a German name needs a run of capitals, or the same name in one

    def _evidenced(self, i: int) -> bool:
        token, word = self.tokens[i], self.words[i]
        if not token.sentence_start or token.all_caps:
            return True
        # Any reading as a person's name counts (a surname's first reading is often a common word:
        # 'Лаврова'), a place or an organization only as the best one: 'Выше', 'Пару' and
        # 'Кампания' open sentences far more often than they name a place.
        known = word is not None and (word.name_kind == "person" or word.best_kind is not None)
        return known or self.keys[i] in self.seen_inside

    def _is_particle(self, i: int) -> bool:
        return (
            not self.german  # German 'von', 'der' join nouns far more often than names
            and self.tokens[i].text in _particles()
            and i + 1 < len(self.tokens)
            and bool(self.status[i + 1])
            and self.tokens[i + 1].glued
        )

    def runs(self) -> list[list[int]]:
        runs: list[list[int]] = []
        current: list[int] = []
        for i in range(len(self.tokens)):
            if self.status[i] and len(self.keys[i]) >= _MIN_KEY:
                if current and not self.tokens[i].glued:
                    runs.append(current)
                    current = []
                current.append(i)
            elif current and not self._is_particle(i):
                runs.append(current)
                current = []
        if current:
            runs.append(current)
        trimmed = [kept for run in runs if (kept := self._trim(run))]
        # A lone German word without evidence of its own is a name only if a surer mention gave
        # its key.
        sure = {self.keys[i] for run in trimmed for i in run if len(run) > 1 or self.status[i] == "name"}
        return [run for run in trimmed if len(run) > 1 or self.status[run[0]] == "name" or self.keys[run[0]] in sure]

    def _trim(self, run: list[int]) -> list[int]:
        while run and not self._evidenced(run[0]):
            run = run[1:]
        return run


# Languages that write every syllable as a word and capitalize each syllable of a name (Việt Nam,
# Trung Quốc, Nguyễn Xuân Phúc): one syllable alone is no name, and its consonant key meets
# hundreds of others (Trung, Trọng and Trưng are all 'trnh'). Nine unrelated Vietnamese articles
# formed one story on such keys. Names there count only whole.
SYLLABIC_LANGUAGES = frozenset({"vi"})


def find_names(
    tokens: Sequence[Token], words: Sequence[Word | None], covered: set[int], language: str | None
) -> tuple[list[Mention], list[Mention]]:
    """(entities, places) named by capitalized words outside ``covered`` token positions."""
    reader = _Reader(tokens, words, covered, language)
    entities: list[Mention] = []
    places: list[Mention] = []
    syllabic = language in SYLLABIC_LANGUAGES
    for run in reader.runs():
        kinds = {w.name_kind for i in run if (w := words[i]) is not None}
        surface = " ".join(tokens[i].text for i in run)
        if len(run) == 1 and kinds == {"place"}:
            places.append(Mention(reader.keys[run[0]], surface, "place"))
            continue
        if syllabic and len(run) == 1:
            continue
        kind: Literal["person", "org", "entity"] = (
            "person" if "person" in kinds else "org" if kinds == {"org"} else "entity"
        )
        if len(run) <= _MAX_FULL_NAME:
            entities.append(Mention("_".join(reader.keys[i] for i in run), surface, kind))
        last = run[-1]
        if len(run) > 1 and not tokens[last].all_caps and not syllabic:
            # The surname alone, so that 'Lavrov' meets 'Sergei Lavrov'.
            entities.append(Mention(reader.keys[last], tokens[last].text, kind))
    return entities, places
