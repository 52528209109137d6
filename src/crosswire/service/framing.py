"""How each outlet covered a story: its headlines beside the others', the words it stresses
against the rest of the story's coverage, whose voices it carries, when it reported, and where
the outlets are from (the user's outlets file, ``crosswire.outlets``).

Computed when read, from what ingest already stored (each article's lemmas and statements): it
adds nothing to ingest. Counts, timeline and headlines cover every article of the story; words
and voices its latest ``FRAMING_SAMPLE`` (their analyses are what costs).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.analyze.keys import fold_term
from crosswire.analyze.log_odds import informative_prior, log_odds_within
from crosswire.analyze.morphology import morphology
from crosswire.analyze.term_prior import background
from crosswire.errors import NotFound
from crosswire.outlets import Outlet, outlet_of, site_key
from crosswire.represent.compact import key_ids
from crosswire.represent.features import feature_key
from crosswire.store.base import Store
from crosswire.types import UNATTRIBUTED, Analysis, StoryMember

FRAMING_SAMPLE = 500  # latest articles whose words and voices are compared
WORDS = 30  # distinctive words kept per outlet (the page shows 15, `show` 6)
VOICES = 6  # speakers kept per outlet
HEADLINES = 12  # headlines kept per language
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NAMED = re.compile(r"^[peo]:")  # a name's feature key (folded terms hold no colon)


@dataclass(frozen=True, slots=True)
class Word:
    word: str  # the outlet's most used lemma under the key
    key: str  # the cross-script key (``fold_term``) the comparison counts under
    z: float  # log-odds z-score against the rest (crosswire.analyze.log_odds)
    count: int  # the outlet's uses
    rest: int  # the rest's uses


@dataclass(frozen=True, slots=True)
class Voice:
    speaker: str  # cross-script key, or ``unattributed``
    name: str  # the form the outlet's articles used most
    quotes: int
    share: float  # of the outlet's quotes


@dataclass(frozen=True, slots=True)
class OutletFraming:
    outlet: str  # the site key, or "unknown site (xx)" for articles without one, by language
    site: str | None
    articles: int
    languages: tuple[tuple[str, int], ...]  # most first
    first: str | None  # its first publication date
    against: str  # the rest it was compared with: "same language" or "all languages"
    words: tuple[Word, ...]
    quotes: int
    voices: tuple[Voice, ...]
    info: Outlet | None  # its row in the outlets file


@dataclass(frozen=True, slots=True)
class Headline:
    article_id: str
    outlet: str
    published: str | None
    headline: str


@dataclass(frozen=True, slots=True)
class Framing:
    story_id: str
    articles: int
    sample: int  # articles whose words and voices were compared
    headlines: tuple[tuple[str, tuple[Headline, ...]], ...]  # by language, most covered first
    outlets: tuple[OutletFraming, ...]  # first to report first, undated last
    days: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (day, (language, articles)) by day
    undated: int
    by_language: tuple[tuple[str, int], ...]
    by_country: tuple[tuple[str, int], ...]  # "" for outlets the outlets file does not list


def _outlet(member: StoryMember) -> str:
    return site_key(member.site) or f"unknown site ({member.language or '?'})"


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def story_framing(store: Store, story_id: str, outlets: dict[str, Outlet] | None = None) -> Framing:
    """The framing view of one story (``outlets``: the user's outlets file, by site key)."""
    members = store.story_summary_members([story_id]).get(story_id)
    if not members:
        raise NotFound(f"no story {story_id!r}")
    return framing_of(store, story_id, members, outlets)


def framing_of(
    store: Store, story_id: str, members: Sequence[StoryMember], outlets: dict[str, Outlet] | None = None
) -> Framing:
    """The framing view of ``members`` (a story's articles; the benchmark passes any set)."""
    members = sorted(members, key=lambda m: (m.published or "9999", m.article_id))
    outlets = outlets or {}
    sample = members[-FRAMING_SAMPLE:]
    analyses = store.analyses([m.article_id for m in sample])
    by_outlet: dict[str, list[StoryMember]] = defaultdict(list)
    for member in members:
        by_outlet[_outlet(member)].append(member)
    words = _words(store, sample, analyses)
    found = []
    for name, own in by_outlet.items():
        site = site_key(own[0].site) or None
        voices, quotes = _voices([analyses[m.article_id] for m in own if m.article_id in analyses])
        against, scored = words.get(name, ("", ()))
        found.append(
            OutletFraming(
                name,
                site,
                len(own),
                _ranked(Counter(m.language or "?" for m in own)),
                own[0].published,
                against,
                scored,
                quotes,
                voices,
                outlet_of(outlets, site) if site else None,
            )
        )
    found.sort(key=lambda o: (o.first or "9999", -o.articles, o.outlet))
    return Framing(
        story_id,
        len(members),
        len(analyses),
        _headlines(members),
        tuple(found),
        *_days(members),
        _ranked(Counter(m.language or "?" for m in members)),
        _countries(members, outlets),
    )


def _headlines(members: Sequence[StoryMember]) -> tuple[tuple[str, tuple[Headline, ...]], ...]:
    """Each language's headlines, one per distinct text, earliest first."""
    found: dict[str, list[Headline]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for m in members:
        language = m.language or "?"
        if (language, m.headline) in seen or len(found[language]) >= HEADLINES:
            continue
        seen.add((language, m.headline))
        found[language].append(Headline(m.article_id, _outlet(m), m.published, m.headline))
    order = Counter(m.language or "?" for m in members)
    return tuple((lang, tuple(found[lang])) for lang, _ in _ranked(order))


def _days(members: Sequence[StoryMember]) -> tuple[tuple[tuple[str, tuple[tuple[str, int], ...]], ...], int]:
    per_day: dict[str, Counter[str]] = defaultdict(Counter)
    undated = 0
    for m in members:
        if m.published and _DAY.match(m.published):
            per_day[m.published[:10]][m.language or "?"] += 1
        else:
            undated += 1
    return tuple((day, _ranked(per_day[day])) for day in sorted(per_day)), undated


def _countries(members: Sequence[StoryMember], outlets: dict[str, Outlet]) -> tuple[tuple[str, int], ...]:
    if not outlets:
        return ()
    counts = Counter((row.country if (row := outlet_of(outlets, m.site)) else "") for m in members)
    return _ranked(counts)


def _voices(analyses: Sequence[Analysis]) -> tuple[tuple[Voice, ...], int]:
    counts: Counter[str] = Counter()
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        for quote in analysis.statements:
            counts[quote.speaker] += 1
            names[quote.speaker][quote.speaker_surface or quote.speaker] += 1
    total = sum(counts.values())
    voices = tuple(
        Voice(speaker, UNATTRIBUTED if speaker == UNATTRIBUTED else names[speaker].most_common(1)[0][0], n, n / total)
        for speaker, n in _ranked(counts)[:VOICES]
    )
    return voices, total


def _words(
    store: Store, sample: Sequence[StoryMember], analyses: dict[str, Analysis]
) -> dict[str, tuple[str, tuple[Word, ...]]]:
    """Each outlet's distinctive words: against the other outlets in its main language when
    there are any, else against all the story's other coverage. Words meet across scripts and
    languages under one key (``_groups``), so what both sides say cancels out."""
    language = {m.article_id: m.language or "?" for m in sample}
    used = [m for m in sample if m.article_id in analyses]
    group = _groups([analyses[m.article_id] for m in used])
    counts: dict[str, Counter[str]] = {}
    own: dict[str, list[str]] = defaultdict(list)
    for m in used:
        counts[m.article_id] = Counter(
            group.get(key, key) for lemma in analyses[m.article_id].terms if (key := fold_term(lemma))
        )
        own[_outlet(m)].append(m.article_id)
    stored = _store_counts(store, set().union(*counts.values()) if counts else set())
    members: dict[str, set[str]] = defaultdict(set)
    for term, key in group.items():
        members[key].add(term)
    # Each group (a language's coverage, and all of it) is counted once, and its prior made once
    # per language of the outlets compared in it (the background is that language's); an outlet
    # is scored against its group's total less its own (its words' cost only).
    totals: dict[str, Counter[str]] = {}
    priors: dict[tuple[str, str], tuple[dict[str, float], float]] = {}
    outlets_in = Counter(language_key for ids in own.values() for language_key in {language[a] for a in ids})

    def compared(name: str, ids: Sequence[str], focus_language: str) -> tuple[Counter[str], dict[str, float], float]:
        if name not in totals:
            total: Counter[str] = Counter()
            for a in ids:
                total.update(counts[a])
            totals[name] = total
        total = totals[name]
        if (name, focus_language) not in priors:
            prior = informative_prior(_reference(total, stored, members, focus_language), total)
            priors[name, focus_language] = (prior, sum(prior.values()))
        return (total, *priors[name, focus_language])

    found: dict[str, tuple[str, tuple[Word, ...]]] = {}
    for outlet, ids in own.items():
        main = Counter(language[a] for a in ids).most_common(1)[0][0]
        if outlets_in[main] > 1:
            against, focus_ids = "same language", [a for a in ids if language[a] == main]
            total, prior, a_0 = compared(main, [a for a in counts if language[a] == main], main)
        elif len(own) > 1:
            against, focus_ids = "all languages", ids
            total, prior, a_0 = compared("", list(counts), main)
        else:
            continue
        focus: Counter[str] = Counter()
        for a in focus_ids:
            focus.update(counts[a])
        scored = [s for s in log_odds_within(focus, total, prior, a_0)[:WORDS] if s.z > 0]
        shown = _lemmas({s.word for s in scored}, [analyses[a] for a in focus_ids], group)
        words = tuple(Word(shown[s.word].most_common(1)[0][0], s.word, s.z, s.count, s.rest) for s in scored)
        found[outlet] = (against, words)
    return found


def _groups(analyses: Sequence[Analysis]) -> dict[str, str]:
    """Folded terms that name a person, organization or place the analysis recognized, mapped to
    that name's language-independent feature key: 'Росія', 'Россия' and 'Russia' all count as
    'p:RU', 'НАТО' and 'Альянс' (when the analysis read it as NATO) as 'o:nato'. A term named
    differently in different articles goes with its most frequent name."""
    morph = morphology()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        previous = ""
        for mention in (*analysis.places, *analysis.entities):
            # A place is followed by its country under the same surface (Москва: moskva, RU):
            # the place itself is the name; one-word names only (the terms are single words).
            if mention.surface == previous or " " in mention.surface:
                continue
            previous = mention.surface
            key = fold_term(morph.word(analysis.language, mention.surface).name_lemma)
            if key:
                votes[key][feature_key(mention.key, mention.kind)] += 1
    return {term: names.most_common(1)[0][0] for term, names in votes.items()}


def _reference(
    total: Counter[str], stored: dict[str, float], members: dict[str, set[str]], language: str
) -> dict[str, float]:
    """How common each compared word is beyond the story: the store's count of articles using it
    plus, as pseudo-documents, the reference corpus's count in ``language``
    (``crosswire.analyze.term_prior``), which decides while the store is small."""
    known, _ = background(language)
    return {
        key: stored.get(key, 0.0) + max((known.get(term, 0) for term in members.get(key, (key,))), default=0)
        for key in total
    }


def _lemmas(keys: set[str], analyses: Sequence[Analysis], group: dict[str, str]) -> dict[str, Counter[str]]:
    """The lemmas the outlet used under each of ``keys``: the most used one is what is shown."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        for lemma in analysis.terms:
            if (key := fold_term(lemma)) and (key := group.get(key, key)) in keys:
                found[key][lemma] += 1
    return found


def _store_counts(store: Store, keys: set[str]) -> dict[str, float]:
    """How many stored articles use each key (a folded term, or a name's feature key)."""
    ordered = sorted(keys)
    ids = key_ids([key if _NAMED.match(key) else "t:" + key for key in ordered]).tolist()
    freq = store.feature_freq(ids)
    return {key: float(freq.get(i, 0)) for key, i in zip(ordered, ids, strict=True)}
