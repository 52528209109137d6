"""Names of organizations, countries, cities and regions in many languages, matched in any case
form.

Countries come from CLDR territory names (through babel) in many locales plus an alias table; cities,
regions and organizations from our own tables. A name matches a run of tokens when each token's
lower-cased form or lemma equals the name's word, or failing that, when their stems (inflection
endings cut) are equal; stems that would point to two different keys are dropped, so 'Niger' and
'Nigeria' stay apart.
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce
from typing import Literal

from crosswire.analyze.morphology import STEMMED_LANGUAGES, Word
from crosswire.analyze.resources import load_table
from crosswire.analyze.text import Token, tokenize

EntryKind = Literal["org", "place", "ignore"]
Case = Literal["upper", "title", "any"]

# Locales whose CLDR territory names we match (scripts we tokenize into words).
_CLDR_LOCALES = [
    "uk",
    "ru",
    "be",
    "bg",
    "pl",
    "cs",
    "sk",
    "de",
    "en",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "tr",
    "sr",
    "hr",
    "sl",
    "lt",
    "lv",
    "ro",
    "hu",
    "sv",
    "fi",
    "da",
    "el",
    "ar",
]
# CLDR codes that are not countries (EU, the UN, eurozone, pseudo-locales, unknown region).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MAX_NAME_TOKENS = 8
_FORMS_CACHE_LIMIT = 500_000
_Forms = tuple[tuple[str, ...], tuple[str, ...], bool]
_NO_FORMS: _Forms = ((), (), False)
_MIN_GENITIVE = 4


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    key: str  # 'org:nato', an ISO country code, or a city or region key ('kyiv')
    country: str | None  # the country a place counts as
    case: Case  # what the first token's case must be
    forms: tuple[str, ...]  # the name's words, normalized
    language: str | None  # the CLDR locale a name comes from (None: our multilingual tables)


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # index of the first token
    end: int  # index after the last token
    entry: Entry


def cut_apostrophe(form: str) -> str:
    """Cut an elided article (l'Ukraine) or a suffix after an apostrophe (Rusya'nın, Putin's) in
    Latin script; Ukrainian apostrophes are inside words (Об'єднаних) and stay."""
    for mark in "'’":
        if mark in form and not _CYRILLIC.search(form):
            head, _, tail = form.partition(mark)
            if len(tail) <= 4:
                return head
            if len(head) <= 2:
                return tail
    return form


@lru_cache(maxsize=100_000)
def exact_form(text: str) -> str:
    return cut_apostrophe(text.lower().replace(".", "").replace("ё", "е"))


@lru_cache(maxsize=100_000)
def stem_form(text: str) -> str:
    form = exact_form(text)
    endings = _endings()["cyrillic" if _CYRILLIC.search(form) else "latin"]
    for ending in endings:
        if form.endswith(ending) and len(form) - len(ending) >= 3:
            return form[: -len(ending)]
    return form


@lru_cache(maxsize=1)
def _endings() -> dict[str, tuple[str, ...]]:
    table = load_table("analyze_names.json")["match_endings"]
    return {script: tuple(sorted(endings, key=len, reverse=True)) for script, endings in table.items()}


def _case(name: str, size: int) -> Case:
    if name.isupper() and size == 1:
        return "upper"
    if size == 1 and name[:1].isupper():
        return "title"
    return "any"


def _case_fits(case: Case, token: Token) -> bool:
    if case == "upper":
        return token.text.isupper()
    if case == "title":
        return not token.text[:1].islower()  # caseless scripts pass
    return True


def _names() -> Iterator[tuple[str, EntryKind, str, str | None, str | None]]:
    """(name, kind, key, country, locale) in priority order: our tables before CLDR."""
    orgs = load_table("orgs_multilingual.json")
    for key, names in orgs["orgs"].items():
        for name in names:
            yield name, "org", f"org:{key}", None, None
    for name in orgs["ignore"]:
        yield name, "ignore", "", None, None
    for key, place in load_table("places_cities.json")["places"].items():
        for name in place["names"]:
            yield name, "place", key, place["country"], None
    aliases = load_table("places_aliases.json")
    for section in ("aliases", "demonyms"):
        for code, names in aliases[section].items():
            for name in names:
                yield name, "place", code, code, None
    not_places = set(aliases["not_places"])
    from babel import Locale

    for locale in _CLDR_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and name not in not_places:
                yield name, "place", code, code, locale


class Gazetteer:
    """An index of names by their first word."""

    def __init__(self) -> None:
        self._exact: dict[str, list[Entry]] = defaultdict(list)
        self._stem: dict[str, list[Entry]] = defaultdict(list)
        self._forms_cache: dict[tuple[str, ...], _Forms] = {}
        seen: set[tuple[tuple[str, ...], str | None]] = set()
        stem_keys: dict[tuple[str, ...], set[str]] = defaultdict(set)
        stem_entries: list[Entry] = []
        for name, kind, key, country, locale in _names():
            tokens = [t.text for t in tokenize(name)]
            if not tokens or len(tokens) > _MAX_NAME_TOKENS:
                continue
            case = _case(name, len(tokens))
            forms = tuple(exact_form(t) for t in tokens)
            if (forms, None) not in seen:
                seen.add((forms, None))
                self._exact[forms[0]].append(Entry(kind, key, country, case, forms, locale))
            if case != "upper":
                stems = tuple(stem_form(t) for t in tokens)
                stem_keys[stems].add(key)
                if (stems, locale or "*") not in seen:
                    seen.add((stems, locale or "*"))
                    stem_entries.append(Entry(kind, key, country, case, stems, locale))
        for entry in stem_entries:
            if len(stem_keys[entry.forms]) == 1:
                self._stem[entry.forms[0]].append(entry)
        for index in (self._exact, self._stem):
            for entries in index.values():
                entries.sort(key=lambda e: -len(e.forms))

    def find(self, tokens: Sequence[Token], words: Sequence[Word | None], language: str | None) -> list[Match]:
        """Non-overlapping matches, longest first at each position, in text order. Inflected
        (stem) matches of CLDR names count only in the names' own language: elsewhere a stem
        match is mostly a person ('Dominik' is not 'Dominika', Dominica in Polish)."""
        # A Snowball stem is already cut: cutting endings again makes unrelated words meet
        # (Turkish 'Bakanı' -> 'baka' -> 'bak', as 'Baku'), so stems match exact forms only.
        snowball = language if language in STEMMED_LANGUAGES else ""
        forms = [
            self._token_forms((snowball, t.text, w.name_lemma if t.capitalized else w.lemma, w.lemma, *w.readings))
            if w is not None
            else _NO_FORMS
            for t, w in zip(tokens, words, strict=False)
        ]
        exact = [f[0] for f in forms]
        stems = [f[1] for f in forms]
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            if not forms[i][2]:
                i += 1
                continue
            match = (
                self._match_at(i, tokens, exact, self._exact, None)
                or self._match_at(i, tokens, stems, self._stem, language or "")
                or self._acronym_prefix(i, tokens)
            )
            if match is None:
                i += 1
                continue
            matches.append(match)
            i = match.end
        return matches

    def _token_forms(self, key: tuple[str, ...]) -> _Forms:
        """(exact forms, stem forms, whether a name may start here) of a token's text and
        lemmas (after the language whose Snowball stems the lemmas are, or ''), cached: most
        tokens start no name, and knowing that once per word type keeps ``find`` cheap. Every
        reading counts: the first of 'Києві' is the legendary Кий."""
        found = self._forms_cache.get(key)
        if found is None:
            snowball, text, *lemmas = key
            if snowball == "de" and text.endswith("s") and len(text) > _MIN_GENITIVE:
                lemmas.append(text[:-1])  # genitives the stemmer keeps: 'Europas', 'Großbritanniens'
            exact = tuple(dict.fromkeys(exact_form(x) for x in (text, *lemmas)))
            stems = tuple(dict.fromkeys(stem_form(x) for x in ((text,) if snowball else (text, *lemmas))))
            starts = (
                any(f in self._exact for f in exact)
                or any(f in self._stem for f in stems)
                or text.partition("-")[0].isupper()
            )
            found = (exact, stems, starts)
            if len(self._forms_cache) >= _FORMS_CACHE_LIMIT:
                self._forms_cache.clear()
            self._forms_cache[key] = found
        return found

    @staticmethod
    def _match_at(
        i: int,
        tokens: Sequence[Token],
        forms: list[tuple[str, ...]],
        index: dict[str, list[Entry]],
        language: str | None,
    ) -> Match | None:
        found = [index[form] for form in forms[i] if form in index]
        if not found:
            return None
        # Each list is kept longest first; merge only when more than one form matched.
        candidates = (
            found[0] if len(found) == 1 else sorted(reduce(operator.iadd, found, []), key=lambda e: -len(e.forms))
        )
        for entry in candidates:
            end = i + len(entry.forms)
            if end > len(tokens) or not _case_fits(entry.case, tokens[i]):
                continue
            if language is not None and entry.language not in (None, language):
                continue
            if all(tokens[j].glued and entry.forms[j - i] in forms[j] for j in range(i + 1, end)):
                return Match(i, end, entry)
        return None

    def _acronym_prefix(self, i: int, tokens: Sequence[Token]) -> Match | None:
        """'EU-Kommission', 'US-Präsident', 'NATO-Gipfel': an acronym before a hyphen."""
        head, dash, _ = tokens[i].text.partition("-")
        if not dash or not head.isupper():
            return None
        for entry in self._exact.get(exact_form(head), ()):
            if len(entry.forms) == 1 and entry.case == "upper":
                return Match(i, i + 1, entry)
        return None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide index, built on first use."""
    return Gazetteer()
