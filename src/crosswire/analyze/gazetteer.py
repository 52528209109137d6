"""Names of organizations, countries, cities and regions in many languages, matched in any case
form.

Countries come from CLDR territory names (through babel) in many locales plus an alias table; cities,
regions and organizations from our own tables. Nationality adjectives ('Czech', 'český', 'чеський')
count as their country: 'the Czech premier' points at the same country in every language.

Every wrong match so far was a word of one kind read as a name of another, so the rules are about
which word a name may be:

- A name written in known languages (a CLDR locale, a demonym's or an inflected alias's language)
  matches only in texts of those languages, except in a language its table does not cover: CLDR
  spells Iceland 'Island' in Czech and Mauritius 'Maurice' in French, which in English are other
  words. Names of our multilingual tables (cities, regions, aliases) match in any language.
- A token matches a name when its lower-cased form or lemma equals the name's word, or, where names
  inflect, when the token is an inflected form of it: its stem (an inflection ending cut) equals
  the name's stem (the ending of the name's citation form cut). The token must carry an ending
  ('Mal' is no form of 'Mali', 'Amburg' none of 'Amburgo'); a name loses only an ending its
  citation form has (the -ев of Николаев is no ending, so Николай is no form of it); stems keep four
  letters; stems that would point to two different keys are dropped, so 'Niger' and 'Nigeria'
  stay apart; inflected matches of a name with languages count only in those languages.
- Where names do not decline (English, Romance, German, Dutch, Scandinavian, East Asian; Turkish
  puts its suffixes after an apostrophe), a one-word place matches as written, with the language's
  own name suffixes (German 'Europas', 'Berliner'): 'Seule' is no form of Seoul's 'Seul' there.
  Only nationality adjectives inflect, in their own language ('Russians', 'británica'), and
  adjectives inside longer names still agree ('des Vereinigten Königreichs').
- Ukrainian and Russian have a dictionary: at a sentence start, where a capital says nothing, only
  its best reading counts (capitalized 'Досі', 'still', is no Доха); a word it reads as a person's
  name matches no place by its stem (Николай, Чехова), and a place right after one is a surname
  ('Сергей Николаев').
"""

from __future__ import annotations

import operator
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, reduce
from typing import Literal

from crosswire.analyze.keys import ascii_lower
from crosswire.analyze.morphology import PYMORPHY_LANGUAGES, STEMMED_LANGUAGES, Word, stem
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
    # Scripts without capitals: a country not known as a place is read as a person's name
    # after a title ('نخست وزیر ایتالیا', Italy's prime minister; 'مورالس ... بولیوی').
    "fa",
    "ur",
    "ko",
    "hi",
]
# CLDR codes that are not countries (EU, the UN, eurozone, pseudo-locales, unknown region).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
# Languages that do not decline names: a place name is written as it is (see the module's notes).
_FIXED_NAMES = frozenset(
    {"en", "fr", "es", "it", "pt", "ca", "gl", "nl", "af", "de", "lb", "da", "sv", "no", "nb", "nn", "id", "ms", "tr"}
    | {"zh", "ja", "ko", "vi", "th"}
)
# Languages that write place names alike (a detector tells Bosnian, Croatian and Serbian apart
# by little more than a few words).
_KIN = (frozenset({"bs", "hr", "sr"}), frozenset({"nb", "nn", "no"}))
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MAX_NAME_TOKENS = 8
_FORMS_CACHE_LIMIT = 500_000
_MIN_STEM = 4
# A Korean name less its particle keeps at least two syllables ('미국은' -> '미국', the United States).
_MIN_SYLLABLES = 2
_ADJECTIVE_KEY = 3


@dataclass(frozen=True, slots=True)
class _Forms:
    """What one token can be: its exact forms, its stems with an ending cut, the word and its
    Snowball stem (for nationality adjectives), and whether a name may start at it."""

    exact: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()
    snowball: tuple[str, ...] = ()  # (the word, its Snowball stem), folded to ASCII
    starts: bool = False


_NO_FORMS = _Forms()


@dataclass(frozen=True, slots=True)
class Entry:
    kind: EntryKind
    key: str  # 'org:nato', an ISO country code, or a city or region key ('kyiv')
    country: str | None  # the country a place counts as
    case: Case  # what the first token's case must be
    forms: tuple[str, ...]  # the name's words, normalized (in the stem index: their stems)
    languages: frozenset[str] | None = None  # the languages the name is written in (None: any)
    scope: frozenset[str] | None = None  # the languages its table covers (None: all of them)
    whole: tuple[bool, ...] = ()  # in the stem index: which words kept their whole form

    def fits(self, language: str | None) -> bool:
        """Whether the name, as written, may be a word of a text in ``language``."""
        return (
            self.languages is None
            or language is None
            or not self.languages.isdisjoint(_kin(language))
            or (self.scope is not None and language not in self.scope)
        )

    def inflects_in(self, language: str | None) -> bool:
        """Whether an inflected form in ``language`` may be this name: only in its own."""
        return self.languages is None or (language is not None and not self.languages.isdisjoint(_kin(language)))


@dataclass(frozen=True, slots=True)
class _Adjective:
    folded: str  # the adjective in lower-case ASCII
    stem: str  # its Snowball stem, folded alike
    entry: Entry


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # index of the first token
    end: int  # index after the last token
    entry: Entry


def cut_apostrophe(form: str) -> str:
    """Cut an elided article (l'Ukraine, L'Aia) or a suffix after an apostrophe (Rusya'nın,
    Putin's) in Latin script; Ukrainian apostrophes are inside words (Об'єднаних) and stay."""
    for mark in "'’":
        if mark in form and not _CYRILLIC.search(form):
            head, _, tail = form.partition(mark)
            if len(head) == 1:  # an elided article: 'L'Aia' must not become 'l', every initial
                return tail
            if len(tail) <= 4:
                return head
            if len(head) <= 2:
                return tail
    return form


@lru_cache(maxsize=100_000)
def exact_form(text: str) -> str:
    return cut_apostrophe(text.lower().replace(".", "").replace("ё", "е"))


@lru_cache(maxsize=128)
def _kin(language: str) -> frozenset[str]:
    return next((kin for kin in _KIN if language in kin), frozenset({language}))


def _script(form: str) -> str:
    return "cyrillic" if _CYRILLIC.search(form) else "latin"


def _cut(form: str, endings: _Endings) -> str:
    """``form`` without the longest of ``endings`` it has, if a stem of four letters stays (a
    shorter ending of a short word is no ending: 'самый' is no 'самы' + 'й')."""
    for length, same_length in endings:
        if form[-length:] in same_length:
            return form[:-length] if len(form) - length >= _MIN_STEM else form
    return form


@lru_cache(maxsize=100_000)
def stem_form(text: str) -> str:
    """A word of a text without its inflection ending (itself when none is cut)."""
    form = exact_form(text)
    return _cut(form, _endings("match_endings")[_script(form)])


@lru_cache(maxsize=10_000)
def citation_stem(text: str) -> str:
    """A name's word without the ending its citation (nominative) form has."""
    form = exact_form(text)
    return _cut(form, _endings("citation_endings")[_script(form)])


# A script's endings grouped by length, longest first: the longest ending a word has is found
# with one set lookup per length (cutting runs for every new word type of every article).
_Endings = tuple[tuple[int, frozenset[str]], ...]


@lru_cache(maxsize=2)
def _endings(table: str) -> dict[str, _Endings]:
    endings = load_table("analyze_names.json")[table]
    return {
        script: tuple(
            (length, frozenset(e for e in items if len(e) == length))
            for length in sorted({len(e) for e in items}, reverse=True)
        )
        for script, items in endings.items()
    }


@lru_cache(maxsize=64)
def _name_suffixes(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (suffix, instead) for suffix, instead in load_table("analyze_names.json")["name_suffixes"].get(language, ())
    )


@lru_cache(maxsize=100_000)
def _fold(text: str) -> str:
    """Lower-case ASCII letters, so that 'francés' meets 'franceses' and 'İtalyan' 'italyan'."""
    return ascii_lower(text)


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


_Name = tuple[str, EntryKind, str, str | None, frozenset[str] | None, frozenset[str] | None, bool]


def _names() -> Iterator[_Name]:
    """(name, kind, key, country, languages, scope, adjective) in priority order: our tables
    before CLDR."""
    orgs = load_table("orgs_multilingual.json")
    for key, names in orgs["orgs"].items():
        for name in names:
            yield name, "org", f"org:{key}", None, None, None, False
    for name in orgs["ignore"]:
        yield name, "ignore", "", None, None, None, False
    for key, place in load_table("places_cities.json")["places"].items():
        for name in place["names"]:
            yield name, "place", key, place["country"], None, None, False
    aliases = load_table("places_aliases.json")
    for code, names in aliases["aliases"].items():
        for name in names:
            yield name, "place", code, code, None, None, False
    for language, table in aliases["inflected"].items():
        for code, names in table.items():
            for name in names:
                yield name, "place", code, code, frozenset({language}), None, False
    demonyms = aliases["demonyms"]
    covered = frozenset(lang for by_language in demonyms.values() for key in by_language for lang in key.split())
    for code, by_language in demonyms.items():
        for languages, names in by_language.items():
            for name in names:
                yield name, "place", code, code, frozenset(languages.split()), covered, True
    not_places = set(aliases["not_places"])
    from babel import Locale

    locales = frozenset(_CLDR_LOCALES)
    for locale in _CLDR_LOCALES:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and name not in not_places:
                yield name, "place", code, code, frozenset({locale}), locales, False


def _union(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    return None if a is None or b is None else a | b


def _merged(old: Entry | None, new: Entry) -> Entry:
    """One entry per form: the first name's key wins; the same key spelled alike in several
    languages is one name of all of them."""
    if old is None:
        return new
    whole = tuple(a or b for a, b in zip(old.whole, new.whole, strict=True))
    if (old.kind, old.key) != (new.kind, new.key) or (old.languages is None and whole == old.whole):
        return old
    return replace(old, languages=_union(old.languages, new.languages), scope=_union(old.scope, new.scope), whole=whole)


def _mode(language: str | None) -> str:
    """How a language's tokens meet names: 'dictionary' (lemmas), 'fixed' (names as written),
    'stemmed' (Snowball stems and endings) or 'plain' (endings only)."""
    if language in PYMORPHY_LANGUAGES:
        return "dictionary"
    if language in _FIXED_NAMES:
        return "fixed"
    return "stemmed" if language in STEMMED_LANGUAGES else "plain"


class Gazetteer:
    """An index of names by their first word."""

    def __init__(self) -> None:
        self._exact: dict[str, list[Entry]] = defaultdict(list)
        self._stem: dict[str, list[Entry]] = defaultdict(list)
        self._adjectives: list[Entry] = []  # one-word nationality adjectives
        self._adjective_stems: dict[str, dict[str, list[_Adjective]]] = {}
        self._forms_cache: dict[tuple[str | bool, ...], _Forms] = {}
        exact: dict[tuple[str, ...], Entry] = {}
        stems: dict[tuple[str, ...], Entry] = {}
        stem_keys: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for name, kind, key, country, languages, scope, adjective in _names():
            tokens = [t.text for t in tokenize(name)]
            if not tokens or len(tokens) > _MAX_NAME_TOKENS:
                continue
            case = _case(name, len(tokens))
            forms = tuple(exact_form(t) for t in tokens)
            entry = Entry(kind, key, country, case, forms, languages, scope, (True,) * len(forms))
            exact[forms] = _merged(exact.get(forms), entry)
            if adjective and len(forms) == 1:
                self._adjectives.append(entry)
            if case != "upper":
                cut = tuple(citation_stem(t) for t in tokens)
                stem_keys[cut].add(key)
                whole = tuple(c == f for c, f in zip(cut, forms, strict=True))
                stems[cut] = _merged(stems.get(cut), Entry(kind, key, country, case, cut, languages, scope, whole))
        for entry in exact.values():
            self._exact[entry.forms[0]].append(entry)
        for entry in stems.values():
            if len(stem_keys[entry.forms]) == 1:
                self._stem[entry.forms[0]].append(entry)
        for index in (self._exact, self._stem):
            for entries in index.values():
                entries.sort(key=lambda e: -len(e.forms))

    def place(self, name: str, language: str | None) -> Entry | None:
        """The place a one-word ``name`` (as a dictionary would cite it: 'Харьков') is, if any."""
        for entry in self._exact.get(exact_form(name), ()):
            if entry.kind == "place" and len(entry.forms) == 1 and entry.fits(language):
                return entry
        return None

    def find(self, tokens: Sequence[Token], words: Sequence[Word | None], language: str | None) -> list[Match]:
        """Non-overlapping matches, longest first at each position, in text order."""
        mode = _mode(language)
        forms = [
            self._token_forms(self._forms_key(mode, language or "", t, w)) if w is not None else _NO_FORMS
            for t, w in zip(tokens, words, strict=False)
        ]
        matches: list[Match] = []
        i = 0
        while i < len(tokens):
            if not forms[i].starts:
                i += 1
                continue
            match = (
                self._exact_at(i, tokens, forms, language)
                or self._stem_at(i, tokens, forms, language, mode)
                or self._adjective_at(i, tokens, forms, language)
                or self._acronym_prefix(i, tokens)
            )
            if match is None:
                i += 1
                continue
            matches.append(match)
            i = match.end
        return [m for m in matches if not _after_a_given_name(m, tokens, words, language)]

    @staticmethod
    def _forms_key(mode: str, language: str, token: Token, word: Word) -> tuple[str | bool, ...]:
        if mode != "dictionary":
            return (mode, language, token.text, word.lemma)
        person = word.best_kind == "person"
        if token.sentence_start:
            return (mode, language, token.text, person, word.lemma)
        first = word.name_lemma if token.capitalized else word.lemma
        return (mode, language, token.text, person, first, word.lemma, *word.readings)

    def _token_forms(self, key: tuple[str | bool, ...]) -> _Forms:
        """A token's forms, cached per word type: most tokens start no name, and knowing that once
        per word type keeps ``find`` cheap."""
        found = self._forms_cache.get(key)
        if found is None:
            found = self._compute_forms(key)
            if len(self._forms_cache) >= _FORMS_CACHE_LIMIT:
                self._forms_cache.clear()
            self._forms_cache[key] = found
        return found

    def _compute_forms(self, key: tuple[str | bool, ...]) -> _Forms:
        mode, language, text, *rest = key
        assert isinstance(mode, str) and isinstance(language, str) and isinstance(text, str)
        if mode == "dictionary" or (mode == "fixed" and _name_suffixes(language)):
            return self._forms_of(mode, language, text, rest)
        # One word (and its Snowball stem), one cut: what ``_forms_of`` finds, without its lists
        # and generators. Most new tokens of a stream come here, and this took half their cost.
        lemma = rest[0]
        assert isinstance(lemma, str)
        form = exact_form(text)
        other = exact_form(lemma) if mode == "stemmed" else form
        exact: tuple[str, ...] = (form,) if other == form else (form, other)
        stemmed = stem_form(text)
        cut: tuple[str, ...] = (stemmed,) if stemmed != form else ()
        snowball: tuple[str, ...] = (_fold(text), _fold(lemma)) if mode != "plain" else ()
        index, stems = self._exact, self._stem
        starts = (
            form in index
            or form in stems
            or other in index
            or other in stems
            or (bool(cut) and stemmed in stems)
            or bool(snowball and snowball[0][:_ADJECTIVE_KEY] in self._adjectives_in(language))
            or text.partition("-")[0].isupper()
        )
        return _Forms(exact, cut, snowball, starts)

    def _forms_of(self, mode: str, language: str, text: str, rest: list[str | bool]) -> _Forms:
        """A token's forms, in general (``_compute_forms`` takes a shortcut where it can)."""
        if mode == "dictionary":
            person, *lemmas = rest
            # Every reading counts: the first of 'Києві' is the legendary Кий.
            sources = [text, *(str(x) for x in lemmas)]
            # A person's name ('Николай') is no form of a place; a Latin word is foreign here.
            cut_from = [] if person or not _CYRILLIC.search(text) else sources
        else:
            (lemma,) = rest
            assert isinstance(lemma, str)
            if mode == "fixed":
                lower = text.lower()
                sources = [text]
                sources += [lower[: -len(s)] + instead for s, instead in _name_suffixes(language) if lower.endswith(s)]
                shortest = _MIN_SYLLABLES if language == "ko" else _MIN_STEM
                sources = [s for s in sources if len(s) >= shortest or s == text]
            else:
                # A Snowball stem is already cut: cutting endings again makes unrelated words
                # meet, so it meets exact forms only (Czech 'Kyjeva' -> 'kyjev').
                sources = [text, lemma] if mode == "stemmed" else [text]
            cut_from = [text]
        exact = tuple(dict.fromkeys(exact_form(x) for x in sources))
        cut = tuple(dict.fromkeys(s for x in cut_from if (s := stem_form(x)) != exact_form(x)))
        snowball = (_fold(text), _fold(str(rest[0]))) if mode in ("fixed", "stemmed") else ()
        starts = (
            any(f in self._exact or f in self._stem for f in exact)
            or any(f in self._stem for f in cut)
            or bool(snowball and snowball[0][:_ADJECTIVE_KEY] in self._adjectives_in(language))
            or text.partition("-")[0].isupper()
        )
        return _Forms(exact, cut, snowball, starts)

    def _adjectives_in(self, language: str) -> dict[str, list[_Adjective]]:
        """A language's own nationality adjectives of four letters or more, by their first
        three (built on first use)."""
        index = self._adjective_stems.get(language)
        if index is None:
            index = self._adjective_stems[language] = defaultdict(list)
            for entry in self._adjectives:
                folded = _fold(entry.forms[0])
                if entry.languages is not None and language in entry.languages and len(folded) >= _MIN_STEM:
                    index[folded[:_ADJECTIVE_KEY]].append(
                        _Adjective(folded, _fold(stem(language, entry.forms[0])), entry)
                    )
            for adjectives in index.values():
                adjectives.sort(key=lambda a: -len(a.folded))
        return index

    @staticmethod
    def _candidates(lists: list[list[Entry]]) -> list[Entry]:
        # Each list is kept longest first; merge only when more than one form matched.
        return lists[0] if len(lists) == 1 else sorted(reduce(operator.iadd, lists, []), key=lambda e: -len(e.forms))

    def _exact_at(self, i: int, tokens: Sequence[Token], forms: list[_Forms], language: str | None) -> Match | None:
        found = [self._exact[f] for f in forms[i].exact if f in self._exact]
        if not found:
            return None
        for entry in self._candidates(found):
            end = i + len(entry.forms)
            if end > len(tokens) or not _case_fits(entry.case, tokens[i]) or not entry.fits(language):
                continue
            if all(tokens[j].glued and entry.forms[j - i] in forms[j].exact for j in range(i + 1, end)):
                return Match(i, end, entry)
        return None

    def _stem_at(
        self, i: int, tokens: Sequence[Token], forms: list[_Forms], language: str | None, mode: str
    ) -> Match | None:
        here = forms[i]
        found = [self._stem[f] for f in dict.fromkeys((*here.cut, *here.exact)) if f in self._stem]
        if not found:
            return None
        for entry in self._candidates(found):
            end = i + len(entry.forms)
            if end > len(tokens) or not _case_fits(entry.case, tokens[i]) or not entry.inflects_in(language):
                continue
            if mode == "fixed" and len(entry.forms) == 1:
                continue  # a one-word place is written as it is there
            if all((j == i or tokens[j].glued) and _inflected(entry, j - i, forms[j]) for j in range(i, end)) and any(
                entry.forms[j - i] in forms[j].cut for j in range(i, end)
            ):
                return Match(i, end, entry)
        return None

    def _adjective_at(self, i: int, tokens: Sequence[Token], forms: list[_Forms], language: str | None) -> Match | None:
        """A nationality adjective inflected ('française', 'Russians', 'italiana'): the word is
        the adjective with its last letter changed or endings added (no shorter), and the language's stemmer
        agrees (the stems are equal, or the word's stem begins the adjective). 'francs' and
        'Francis' stem as 'français' does but are no forms of it; 'Indiana' is none of 'Indian'."""
        if not forms[i].snowball or language is None:
            return None
        word, stemmed = forms[i].snowball
        for adjective in self._adjectives_in(language).get(word[:_ADJECTIVE_KEY], ()):
            if (
                word.startswith(adjective.folded[:-1])
                and len(word) >= len(adjective.folded)  # a bare stem is no form: 'American' in Spanish
                and (stemmed == adjective.stem or adjective.folded.startswith(stemmed))
                and _case_fits(adjective.entry.case, tokens[i])
            ):
                return Match(i, i + 1, adjective.entry)
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


def _after_a_given_name(
    match: Match, tokens: Sequence[Token], words: Sequence[Word | None], language: str | None
) -> bool:
    """Whether a place is a surname: it follows a word the dictionary reads as a person's name
    ('Сергей Николаев', 'Виктор Львов'). Only the dictionary knows given names: elsewhere a capital
    before a place is as often a title or an institution ('Western Canada', 'Банк России')."""
    if match.entry.kind != "place" or language not in PYMORPHY_LANGUAGES or match.start == 0:
        return False
    before, word = tokens[match.start - 1], words[match.start - 1]
    return tokens[match.start].glued and before.capitalized and word is not None and word.best_kind == "person"


def _inflected(entry: Entry, k: int, forms: _Forms) -> bool:
    """Whether a token may be word ``k`` of a name in the stem index: an inflected form (its
    stem with an ending cut), or the word itself where the name keeps it whole. A bare token never
    meets a word whose ending was cut: 'Mal' is no form of 'Mali'."""
    return entry.forms[k] in forms.cut or (entry.whole[k] and entry.forms[k] in forms.exact)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide index, built on first use."""
    return Gazetteer()
