"""Story summaries: titles per language, who covered a story and when, its timeline of events,
and the people, organizations and countries its articles name.

Pure functions over a story's members (``StoryMember``) and the entity and place mentions of its
articles; the store keeps the result so that listing stories reads one row per story. Mentions
come as (key, surface, kind) sequences, as the store keeps them, rather than ``Mention`` records:
a big story's summary counts tens of thousands of them, and building a record for each cost more
than the rest of the summary.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter

from crosswire.types import EventSummary, StoryMember, StoryMention, StorySummary

Mentions = Mapping[str, Sequence[Sequence[str]]]  # article id -> its mentions as (key, surface, kind)

TOP_ENTITIES = 10
TOP_PLACES = 8
SURFACES = 3  # forms shown per entity or place
_COUNTRY = re.compile(r"[A-Z]{2}")  # place keys are ISO 3166 codes or normalized city/region names


def _order(member: StoryMember) -> tuple[str, str]:
    return (member.published or "9999", member.article_id)  # undated last


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _title(members: Sequence[StoryMember]) -> str:
    """The earliest real title, else the earliest headline (a first sentence). Earliest rather
    than most central: the first report named the news that opened the story, and the title of
    a story a reader saw yesterday does not change as later reports arrive."""
    titled = next((m for m in members if m.title), members[0] if members else None)
    return titled.headline if titled else ""


def _top(
    mentions: Iterable[Sequence[Sequence[str]]], limit: int, keep: Callable[[str], bool] = bool
) -> tuple[StoryMention, ...]:
    """Keys by the number of articles naming them (then by mentions), with their commonest forms."""
    articles: Counter[str] = Counter()
    counted: Counter[tuple[str, ...]] = Counter()
    first = itemgetter(0)
    for found in mentions:
        articles.update(set(map(first, found)))
        counted.update(map(tuple, found))
    total: Counter[str] = Counter()
    for (key, _, _), n in counted.items():
        total[key] += n
    ranked = heapq.nsmallest(limit, filter(keep, articles), key=lambda key: (-articles[key], -total[key], key))
    forms: dict[str, Counter[str]] = {key: Counter() for key in ranked}
    kinds: dict[str, Counter[str]] = {key: Counter() for key in ranked}
    for (key, surface, kind), n in counted.items():
        if key in forms:
            forms[key][surface] += n
            kinds[key][kind] += n
    return tuple(
        StoryMention(
            key,
            _ranked(kinds[key])[0][0],
            tuple(form for form, _ in _ranked(forms[key])[:SURFACES]),
            articles[key],
        )
        for key in ranked
    )


def _event(event_id: str, group: Sequence[StoryMember]) -> EventSummary:
    dates = [m.published for m in group if m.published]
    return EventSummary(
        id=event_id,
        article_ids=tuple(m.article_id for m in group),
        first_date=min(dates) if dates else None,
        title=_title(group),
        article_count=len(group),
        languages=tuple(lang for lang, _ in _ranked(Counter(m.language for m in group if m.language))),
        last_date=max(dates) if dates else None,
    )


def _country(key: str) -> bool:
    return _COUNTRY.fullmatch(key) is not None


def summarize(
    story_id: str, members: Sequence[StoryMember], entities: Mentions | None = None, places: Mentions | None = None
) -> StorySummary:
    """Summarize a story from its members and the entity and place mentions of (some of) its
    articles, by article id: the counts of entities and places are over the articles in
    ``entities`` (an article that names nothing is there with no mentions)."""
    ordered = sorted(members, key=_order)
    languages = _ranked(Counter(m.language for m in ordered if m.language))
    by_language: dict[str, list[StoryMember]] = defaultdict(list)
    events: dict[str, list[StoryMember]] = defaultdict(list)
    for member in ordered:
        events[member.event_id].append(member)
        if member.language:
            by_language[member.language].append(member)
    dates = [m.published for m in ordered if m.published]
    entities = entities or {}
    return StorySummary(
        id=story_id,
        title=_title(ordered),
        languages=tuple(lang for lang, _ in languages),
        sites=_ranked(Counter(m.site for m in ordered if m.site)),
        first_date=min(dates) if dates else None,
        last_date=max(dates) if dates else None,
        articles=(),
        # Events in the order of their first article: by date, undated last.
        events=tuple(_event(event_id, group) for event_id, group in events.items()),
        article_count=len(ordered),
        event_count=len(events),
        titles=tuple((lang, _title(by_language[lang])) for lang, _ in languages),
        language_counts=languages,
        entities=_top(entities.values(), TOP_ENTITIES),
        places=_top((places or {}).values(), TOP_PLACES, _country),
        mention_sample=len(entities),
    )
