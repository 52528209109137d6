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

from crosswire.errors import NotFound
from crosswire.outlets import Outlet, outlet_of, site_key
from crosswire.service.framing_words import Word, outlet_words
from crosswire.store.base import Store
from crosswire.types import UNATTRIBUTED, Analysis, StoryMember

FRAMING_SAMPLE = 500  # latest articles whose words and voices are compared
VOICES = 6  # speakers kept per outlet
HEADLINES = 12  # headlines kept per language
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


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
    words = outlet_words(store, sample, analyses, _outlet)
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
