"""Person names in scripts without capitals: Arabic, Persian, Hindi (Devanagari) and Korean
(Hangul), where ``names.find_names`` has no capital letter to go by (the tables hold Urdu too, not
yet used: ``UNICASE_LANGUAGES``).

A word is taken for a name only on evidence, a wrong name being worse than a missing one (names
link articles): a title or role next to it ('الرئيس ترامب', 'وزير الخارجية الروسي سيرغي لافروف',
'ظریف وزیر امور خارجه', '트럼프 미국 대통령은'), past the words that may stand between (adjectives
with the article, ministries, countries), and then only where the article names it again (in any
inflection: 'ولافروف', '트럼프가') or names it in full ('دونالد ترامب'). Korean names of Koreans
(a family syllable and a two-syllable given name, '문재인') are confirmed as well by the family
name alone with a title ('문 대통령'), which then names the same person.

Every occurrence of a confirmed name is a mention with its surface as written (with its clitic or
particle), so that the quote reader finds the speaker where the text has it; its keys are those of
``unicase_keys`` (one per reading, the first the person's, the others of unknown kind).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from crosswire.analyze.keys import name_key
from crosswire.analyze.quote_cues import cues
from crosswire.analyze.resources import load_table, stopwords
from crosswire.analyze.speakers import WORD
from crosswire.analyze.unicase_keys import hangul_readings, is_hangul, unicase_keys
from crosswire.types import Mention

ARABIC_SCRIPT = frozenset({"ar", "fa", "ur"})
# Where names are looked for. Not Urdu: untried on news (its titles are in the table).
UNICASE_LANGUAGES = frozenset({"ar", "ko", "hi", "fa"})
_TABLE = "analyze_unicase_names.json"
_CLITICS = "وفبلك"  # one-letter words Arabic writes onto the next ('ولافروف', 'بترامب')
_ARTICLE = "ال"
_CONNECTORS = frozenset({"بن", "ابن", "بنت", "آل", "أبو", "ابو", "عبد", "أبي"})
_NAME_WORDS = 3  # name words after a connector-free title ('رجب طيب أردوغان')
_SKIPPED = 4  # words between a title and its name ('وزير الخارجية الروسي')
_DEVANAGARI = re.compile(r"[\u0900-\u0963\u0971-\u097f\u200c\u200d]+")  # letters and signs, not digits or dandas
# Letters, not the tatweel (U+0640) that stretches a word across a line ('لـ«أوبك»', to OPEC).
_ARABIC_LETTERS = re.compile(r"[\u0621-\u063f\u0641-\u064a\u0671-\u06d3]+")
_ADJECTIVE_ENDING = "ية"  # 'الروسية', 'مفوضية': an adjective or an abstract noun, never a name
# A preposition written onto a noun of the m- pattern or one opening with hamza ('بمحافظة', 'لأردوغان'):
# no name opens so.
_PREPOSITION = re.compile(r"^[بل][مأإآ]")
_MIN_LETTERS = 2
_NATIVE_SYLLABLES = 3  # '문재인': a family syllable and a given name of two
_GIVEN_NAME_ENDINGS = ("한", "된", "는", "던", "을", "할", "될", "온", "간", "난", "진", "적")  # adnominal verbs


@dataclass(frozen=True, slots=True)
class _Tables:
    titles_before: tuple[tuple[str, ...], ...]  # longest first
    titles_after: tuple[tuple[str, ...], ...]
    title_words: frozenset[str]
    modifiers: frozenset[str]
    not_names: frozenset[str]
    family: frozenset[str]
    particles: tuple[str, ...]  # longest first
    institution_endings: tuple[str, ...]
    between: frozenset[str]
    given_names: frozenset[str]  # common given names: no name alone
    honorifics: tuple[tuple[str, ...], ...]  # Persian: titles only a person takes ('آقای', 'سردار')


@cache
def _tables(language: str) -> _Tables:
    table = load_table(_TABLE)

    def phrases(name: str) -> tuple[tuple[str, ...], ...]:
        found = {tuple(p.split()) for p in table[name].get(language, ())}
        return tuple(sorted(found, key=len, reverse=True))

    before, after = phrases("titles_before"), phrases("titles_after")
    verbs = cues(language).verbs if language in table["not_names"] else frozenset()
    suffixes = load_table("analyze_names.json")["name_suffixes"].get(language, ())  # Korean particles
    return _Tables(
        titles_before=before,
        titles_after=after,
        title_words=frozenset(w for p in (*before, *after) for w in p),
        modifiers=frozenset(table["modifiers"].get(language, ())),
        not_names=frozenset(table["not_names"].get(language, ())) | stopwords(language) | verbs,
        family=frozenset(table["ko_family"]),
        particles=tuple(sorted((s for s, _ in suffixes), key=len, reverse=True)),
        institution_endings=tuple(table["ko_institution_endings"]),
        between=frozenset(table["ko_between"]),
        given_names=frozenset(table["given_names"].get(language, ())),
        honorifics=tuple(
            sorted({tuple(h.split()) for h in table["honorifics"].get(language, ())}, key=len, reverse=True)
        ),
    )


@dataclass(frozen=True, slots=True)
class _Name:
    words: tuple[str, ...]  # as the title found them: given names, then the surname
    native: bool = False  # a Korean's name: family syllable and given name in one word
    placed: bool = False  # Korean: a country or ministry stands between it and its title
    honored: bool = False  # Persian: after a title only a person takes


_EU = 18  # the vowel ㅡ


def _foreign_sounding(word: str) -> bool:
    """Whether a Hangul word has the vowel Korean adds to a foreign consonant ('트', '프', '스'):
    native words seldom end a syllable on it without a final consonant."""
    return any(is_hangul(c) and (ord(c) - 0xAC00) % 28 == 0 and (ord(c) - 0xAC00) // 28 % 21 == _EU for c in word)


class _Text:
    """The words of one article and what the finders ask of them."""

    def __init__(self, text: str, language: str, places: Sequence[Mention]):
        self.text, self.language = text, language
        self.tables = _tables(language)
        self.spans = [m.span() for m in WORD.finditer(text)]
        self.words = [text[s:e] for s, e in self.spans]
        self.place_words = {w for p in places for w in WORD.findall(p.surface)}
        self.bare_counts = Counter(b for w in self.words for b in self.bare(w))

    def joined(self, i: int) -> bool:
        """Whether word ``i`` follows word ``i - 1`` with only spaces between."""
        return i > 0 and not self.text[self.spans[i - 1][1] : self.spans[i][0]].strip()

    def bare(self, word: str) -> set[str]:
        """The forms a word may be of a name: itself, without a clitic (Arabic script) or
        without a particle (Korean)."""
        forms = {word}
        if self.language == "ko":
            forms.update(word[: -len(p)] for p in self.tables.particles if word.endswith(p) and len(word) > len(p))
        elif len(word) > 3 and self.language != "hi":
            if word[0] in _CLITICS:
                forms.add(word[1:])
            if word.startswith("لل"):
                forms.update((word[2:], _ARTICLE + word[2:]))  # 'للافروف' li + Lavrov, 'للرئيس' li + al-raʾīs
        return forms

    def title_at(self, i: int, titles: tuple[tuple[str, ...], ...]) -> int:
        """Length in words of the title starting at word ``i``, 0 for none."""
        first = self.words[i]
        forms = self.bare(first)
        # A title's first word takes no particle; its last may, in Korean ('대통령은').
        heads = forms if self.language != "ko" else {first}
        index = _by_first_word(titles)
        for _, title in sorted({entry for form in forms for entry in index.get(form, ())}):
            n = len(title)
            if i + n > len(self.words) or not all(self.joined(i + k) for k in range(1, n)):
                continue
            tail = self.words[i + n - 1]
            tails = self.bare(tail) if self.language == "ko" else {tail}
            if n == 1 and (title[0] in heads or title[0] in tails):
                return 1
            if (
                n > 1
                and title[0] in heads
                and list(title[1:-1]) == self.words[i + 1 : i + n - 1]
                and title[-1] in tails
            ):
                return n
        return 0

    def name_word(self, i: int) -> bool:
        """Whether word ``i`` may be part of a name: letters of the script, no function word,
        title, place or word of a role."""
        word = self.words[i]
        tables = self.tables
        if (
            len(word.replace("\u0640", "")) < _MIN_LETTERS
            or word in tables.title_words
            or not tables.not_names.isdisjoint(self.bare(word))
        ):
            return False
        if word in tables.modifiers or word in self.place_words:
            return False
        if self.language == "ko":
            return all(is_hangul(c) for c in word)
        if self.language == "hi":
            return bool(_DEVANAGARI.fullmatch(word))
        if self.language == "ar" and (word.startswith("لل") or (word[:1] in _CLITICS and word[1:3] == _ARTICLE)):
            return False  # 'بالصحفيين', 'والحكومة': a noun with the article
        if self.language == "ar" and (_PREPOSITION.match(word) or word.endswith(_ADJECTIVE_ENDING)):
            return False
        return bool(_ARABIC_LETTERS.fullmatch(word.replace("\u200c", "")))


def _after_title(text: _Text, i: int) -> list[int]:
    """The name words after the title ending before word ``i`` (Arabic script)."""
    skipped = 0
    arabic = text.language == "ar"
    while i < len(text.words) and skipped < _SKIPPED and text.joined(i):
        word = text.words[i]
        modifier = word in text.tables.modifiers or word in text.place_words
        if arabic and not modifier:
            modifier = (
                word.startswith(_ARTICLE) or word.startswith("لل") or (word[:1] in _CLITICS and word[1:3] == _ARTICLE)
            )
        if not modifier:
            break
        i += 1
        skipped += 1
    if (
        arabic
        and skipped
        and text.words[i : i + 1]
        and text.words[i][0] in "بل"
        and text.bare_counts[text.words[i]] < 2
    ):
        return []  # 'العميد الأسبق لكلية الإعلام': 'of', not a name, after the title's adjective
    run: list[int] = []
    while i < len(text.words) and text.joined(i) and len(run) < _NAME_WORDS + 1:
        word = text.words[i]
        after_connector = bool(run) and text.words[run[-1]] in _CONNECTORS
        if run and word[0] == "و" and word not in text.tables.not_names:
            break  # 'رمضان صبحي وصلاح': and another name
        if word in _CONNECTORS and run and i + 1 < len(text.words):
            run.append(i)
        elif arabic and word.startswith(_ARTICLE):
            # 'عبد الله', 'نصر الله', and a surname closing the name before a pause ('بشار الأسد،')
            ends = i + 1 == len(text.words) or not text.joined(i + 1)
            closes = run and (ends or text.words[i + 1] in text.tables.not_names)
            if not (after_connector or word == "الله" or closes) or word in text.tables.not_names:
                break
            if word in text.tables.title_words:
                break
            if word.endswith(_ADJECTIVE_ENDING):
                break
            run.append(i)
            if not after_connector and word != "الله":
                break
        elif text.name_word(i) and (not run or len([k for k in run if text.words[k] not in _CONNECTORS]) < _NAME_WORDS):
            run.append(i)
        else:
            break
        i += 1
    while run and text.words[run[-1]] in _CONNECTORS:
        run.pop()
    return run


def _before_title(text: _Text, i: int) -> tuple[list[int], bool]:
    """The name words before the title starting at word ``i`` (Persian, Korean): the surname
    right before it, or before a country or ministry in between ('트럼프 미국 대통령'); given
    names before the surname only where a pause or a function word opens the name."""
    j = i - 1
    if text.language == "ko":
        while j > 0 and i - j <= 2 and text.words[j] in text.tables.between and text.joined(j + 1):
            j -= 1
    placed = j < i - 1
    if j < 0 or not text.joined(j + 1) or not _surname_slot(text, j):
        return [], False
    run = [j]
    k = j - 1
    while k >= 0 and len(run) < _NAME_WORDS and text.joined(k + 1) and _given_slot(text, k):
        run.insert(0, k)
        k -= 1
    opened = k < 0 or not text.joined(k + 1) or text.words[k] in text.tables.not_names
    return (run if opened else [j]), placed


def _surname_slot(text: _Text, j: int) -> bool:
    if not text.name_word(j):
        return False
    if text.language != "ko":
        return True
    word = text.words[j]
    if word in text.tables.between:
        return False
    no_particle = not any(word.endswith(p) for p in text.tables.particles if len(p) > 1 or p in "은는을를의에")
    return len(word) >= _MIN_LETTERS and no_particle and not word.endswith(text.tables.institution_endings)


def _given_slot(text: _Text, k: int) -> bool:
    word = text.words[k]
    if not _surname_slot(text, k):
        return False
    return text.language != "ko" or (_foreign_sounding(word) and not word.endswith(_GIVEN_NAME_ENDINGS))


def _native(text: _Text, word: str) -> bool:
    """A Korean's name: a family syllable (or two) and a two-syllable given name."""
    family = word[:2] if len(word) == _NATIVE_SYLLABLES + 1 and word[:2] in text.tables.family else word[:1]
    return text.language == "ko" and len(word) - len(family) == _NATIVE_SYLLABLES - 1 and family in text.tables.family


@cache
def _by_first_word(titles: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[int, tuple[str, ...]], ...]]:
    """The titles by their first word, each with its place in ``titles`` (longest first): a word
    is then checked against the few titles it can open, not all of them (the scan of every title
    at every word was nine tenths of an Arabic article's analysis)."""
    index: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    for order, title in enumerate(titles):
        index.setdefault(title[0], []).append((order, title))
    return {word: tuple(entries) for word, entries in index.items()}


def _candidates(text: _Text) -> list[_Name]:
    found: list[_Name] = []
    tables = text.tables
    for i in range(len(text.words)):
        n = text.title_at(i, tables.titles_before) if tables.titles_before else 0
        if n:
            run = _after_title(text, i + n)
            if run:
                honored = bool(tables.honorifics) and text.title_at(i, tables.honorifics) == n
                found.append(_Name(tuple(text.words[k] for k in run), honored=honored))
        if tables.titles_after and text.title_at(i, tables.titles_after):
            run, placed = _before_title(text, i)
            if run:
                words = tuple(text.words[k] for k in run)
                found.append(_Name(words, native=len(run) == 1 and _native(text, words[0]), placed=placed))
    return found


# Word shapes of Arabic verbs and of nouns with a pronoun ('قوله', 'يريد', 'أبرزت', 'امام'): a word
# of such a shape said only once closes no name.
_VERB_LIKE = re.compile(r"^(?:[يا]|ال).{2,}|.{2,}(?:ه|ها|هم|ت|وا|ون|ين)$")
_SURE_REPEATS = 3


def _trimmed(text: _Text, name: _Name) -> _Name | None:
    """Arabic: ``name`` less the words at its end of a verb's or a pronoun-suffixed noun's shape
    that the article has once ('جبران باسيل قوله' his saying); None where nothing is left or a lone
    such word remains that the article has fewer than three times."""
    if text.language != "ar":
        return name
    words = list(name.words)
    while len(words) > 1 and _VERB_LIKE.match(words[-1]) and text.bare_counts[words[-1]] < 2:
        words.pop()
    if len(words) == 1 and _VERB_LIKE.match(words[0]) and text.bare_counts[words[0]] < _SURE_REPEATS:
        return None
    return _Name(tuple(words), name.native, name.placed)


# Languages whose titles chain nouns after them with the ezafe ('وزیر صنعت، معدن و تجارت', minister
# of industry, mines and trade): a word after a title is a name only on more evidence.
_EZAFE = frozenset({"fa"})


def _anchored(text: _Text, names: list[_Name]) -> list[_Name]:
    """Persian candidates that are names: those after an honorific, and full names opening with a
    known given name (the words before it dropped: 'حضور رضا اردکانیان', the presence of Reza
    Ardakanian); a single word after any other title only where the article names that person in
    full."""
    given = text.tables.given_names
    kept: list[_Name] = []
    for name in names:
        if name.honored:
            kept.append(name)
            continue
        opening = next((k for k, word in enumerate(name.words) if word in given), None)
        if opening is not None and len(name.words) - opening > 1 and name.words[-1] not in given:
            kept.append(_Name(name.words[opening:], honored=True))
    in_full = {name.words[-1] for name in kept if len(name.words) > 1}
    kept += [name for name in names if len(name.words) == 1 and not name.honored and name.words[0] in in_full]
    return kept


def _confirmed(text: _Text, names: list[_Name]) -> list[_Name]:
    """The candidates named again in the article, or in full, or (a Korean's) by family name and
    title."""
    names = [short for name in names if (short := _trimmed(text, name)) is not None]
    surnames = Counter(name.words[-1] for name in names)
    families = {name.words[0][0] for name in names if name.native}
    titled_families = {
        text.words[i - 1]
        for i in range(1, len(text.words))
        if text.words[i - 1] in families and text.joined(i) and text.title_at(i, text.tables.titles_after)
    }
    if text.language in _EZAFE:
        names = _anchored(text, names)
        surnames = Counter(name.words[-1] for name in names)
    kept: dict[tuple[str, ...], _Name] = {}
    for name in names:
        surname = name.words[-1]
        full = len([w for w in name.words if w not in _CONNECTORS]) > 1
        again = text.bare_counts[surname] > 1 or surnames[surname] > 1
        if text.language == "ko" and not name.native:
            sure = name.placed or (_foreign_sounding(surname) and (full or again))
        elif not full and surname in text.tables.given_names:
            sure = False  # 'اللواء أشرف': a given name alone names nobody in particular
        else:
            sure = full or again or (name.native and surname[0] in titled_families)
        if sure:
            kept.setdefault(name.words, name)
    return list(kept.values())


def _keys(text: _Text, word: str, native: bool) -> tuple[str, ...]:
    if native:
        family = word[:-2]
        readings = [hangul_readings(part)[0] for part in (family, word[-2:])]
        return (f"{name_key(readings[0])}_{name_key(readings[1])}",)
    return unicase_keys(word, text.language)


def _mentions(key_sets: Sequence[tuple[str, ...]], surface: str) -> list[Mention]:
    """One mention per reading (the readings of each word taken together), the first a person's."""
    count = max(len(keys) for keys in key_sets)
    found = []
    for v in range(count):
        key = "_".join(keys[min(v, len(keys) - 1)] for keys in key_sets)
        found.append(Mention(key, surface, "person" if v == 0 else "entity"))
    return found


def find_unicase_names(text: str, language: str | None, places: Sequence[Mention] = ()) -> list[Mention]:
    """People named in an Arabic, Persian, Urdu or Korean ``text`` (``places``: the analysis's,
    never names), one mention per occurrence and reading; empty for other languages."""
    base = (language or "").split("-")[0].lower()
    if base not in UNICASE_LANGUAGES:
        return []
    article = _Text(text, base, places)
    names = _confirmed(article, _candidates(article))
    if not names:
        return []
    surnames: dict[str, tuple[str, ...]] = {}
    found: list[Mention] = []
    for name in names:
        key_sets = [_keys(article, w, name.native) for w in name.words if w not in _CONNECTORS]
        if not key_sets or not all(key_sets):
            continue  # connectors alone, or a word with no letters to key
        surnames.setdefault(name.words[-1], key_sets[-1])
        if len(key_sets) > 1:
            found += _mentions(key_sets, " ".join(name.words))
    # A Korean named by family name and title ('문 대통령') is the one confirmed Korean of that family.
    natives: dict[str, list[str]] = {}
    for name in names:
        if name.native:
            natives.setdefault(name.words[0][0], []).append(name.words[0])
    families = {family: surnames[full[0]] for family, full in natives.items() if len(full) == 1}
    for i, word in enumerate(article.words):
        for form in article.bare(word):
            keys = surnames.get(form)
            if keys is None and form in families and i + 1 < len(article.words) and article.joined(i + 1):
                keys = families[form] if article.title_at(i + 1, article.tables.titles_after) else None
            if keys is not None:
                found += _mentions([keys], word)
                break
    return found
