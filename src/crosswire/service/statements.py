"""Who said what in a story: each speaker, their statements (quote groups across articles and
languages), every language version side by side, and which outlets carried each.

Read time only: the story's quotes were extracted at ingest; grouping them and encoding them
(crosswire.service.quote_vectors, cached in-process) happens when the story is shown, bounded by
``MAX_QUOTES``, and writes nothing to the store.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.encode import get_encoder
from crosswire.encode.centering import LanguageCentering
from crosswire.errors import CrosswireError, MissingDependency
from crosswire.link.quote_groups import QuotedBy, QuoteGroup, group_quotes
from crosswire.service.common import encoder_spec
from crosswire.service.quote_vectors import quote_vectors
from crosswire.service.stories import MENTION_SAMPLE
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import UNATTRIBUTED, Article, StorySummary

log = logging.getLogger(__name__)

# Quotes grouped per story: attributed ones first, from the latest articles. Encoding 400 quotes
# and their sentences takes ~5 s once on one CPU core (then cached); grouping is quadratic.
MAX_QUOTES = 400


@dataclass(frozen=True, slots=True)
class Version:
    """A statement as one language reported it: its fullest wording, the speaker's form there,
    and the quotes (article id, site, start, end) that carried it."""

    language: str
    text: str
    speaker_surface: str
    members: tuple[QuotedBy, ...]

    @property
    def sites(self) -> tuple[str, ...]:
        return tuple(sorted({m.site for m in self.members if m.site}))


@dataclass(frozen=True, slots=True)
class Statement:
    group: QuoteGroup
    versions: tuple[Version, ...]

    @property
    def articles(self) -> int:
        return len({m.article_id for m in self.group.members})


@dataclass(frozen=True, slots=True)
class Speaker:
    key: str  # the cross-script key, or "unattributed"
    names: tuple[str, ...]  # the forms articles used, most used first
    statements: tuple[Statement, ...]
    outlets: int
    articles: int


@dataclass(frozen=True, slots=True)
class WhoSaidWhat:
    speakers: tuple[Speaker, ...]
    matched_by: str  # "encoder", or "lexical" where no encoder is installed (few cross-language matches)
    quotes: int  # quotes grouped
    capped: bool  # the story had more than MAX_QUOTES


def _story_articles(store: Store, summary: StorySummary) -> list[Article]:
    """The story's articles (read with it, or from the store: a page view has only a summary)."""
    if summary.articles:
        return list(summary.articles[-MENTION_SAMPLE:])
    # The latest of the story's articles by date (undated last, as ``story`` orders them), read
    # one page deep: a story of thousands of articles costs MENTION_SAMPLE of them.
    latest = store.story_articles(summary.id, MENTION_SAMPLE, max(0, summary.article_count - MENTION_SAMPLE))
    found = {a.id: a for a in store.articles([m.article_id for m in latest])}
    return [found[m.article_id] for m in latest if m.article_id in found]


def story_items(store: Store, summary: StorySummary) -> tuple[list[QuotedBy], bool]:
    """The story's quotes as grouping input, at most ``MAX_QUOTES`` (and whether it had more)."""
    articles = _story_articles(store, summary)
    analyses = store.analyses([a.id for a in articles])
    items = [
        QuotedBy(a.id, a.language, a.site, a.published, quote)
        for a in articles
        if (found := analyses.get(a.id))
        for quote in found.statements
    ]
    return capped(items)


def capped(items: list[QuotedBy], limit: int = MAX_QUOTES) -> tuple[list[QuotedBy], bool]:
    """At most ``limit`` of ``items``: attributed ones first, then the latest; in their order."""
    if len(items) <= limit:
        return items, False
    order = sorted(range(len(items)), key=lambda i: (items[i].quote.speaker == UNATTRIBUTED, -i))
    return [items[i] for i in sorted(order[:limit])], True


def group_items(store: Store, items: Sequence[QuotedBy], settings: Settings) -> list[QuoteGroup]:
    """``items`` grouped with the store's encoder (centered on the store's language means), or
    lexically where there is none."""
    spec = encoder_spec(settings)
    if spec is None or not items:
        return group_quotes(items)
    try:
        encoder = get_encoder(spec)
    except (MissingDependency, CrosswireError) as problem:
        log.warning("crosswire: quotes grouped without an encoder: %s", problem)
        return group_quotes(items)
    sums = {k: v for k, v in store.language_vector_sums().items() if len(v[1]) == encoder.dimension}
    centering = LanguageCentering.for_encoder(spec, encoder.dimension, sums)
    return group_quotes(items, quote_vectors(items, encoder, spec, centering))


def _versions(group: QuoteGroup) -> tuple[Version, ...]:
    by_language: dict[str, list[QuotedBy]] = {}
    for member in group.members:
        by_language.setdefault(member.language or "?", []).append(member)
    versions = []
    for language, members in by_language.items():
        fullest = max(members, key=lambda m: (len(m.quote.text), -members.index(m)))
        surface = next((m.quote.speaker_surface for m in members if m.quote.speaker_surface), "")
        versions.append(Version(language, fullest.quote.text, surface, tuple(members)))
    return tuple(sorted(versions, key=lambda v: (-len(v.members), v.language)))


def _speaker(key: str, groups: list[QuoteGroup]) -> Speaker:
    statements = tuple(Statement(g, _versions(g)) for g in groups)
    names: dict[str, int] = {}
    for group in groups:
        for member in group.members:
            if member.quote.speaker_surface:
                names[member.quote.speaker_surface] = names.get(member.quote.speaker_surface, 0) + 1
    members = [m for g in groups for m in g.members]
    return Speaker(
        key,
        tuple(sorted(names, key=lambda n: (-names[n], n))),
        statements,
        len({m.site for m in members if m.site}),
        len({m.article_id for m in members}),
    )


def who_said_what(store: Store, summary: StorySummary, settings: Settings) -> WhoSaidWhat:
    """Per speaker (most outlets, then articles, first; unattributed statements last), their
    statements (most outlets first), each with its language versions side by side."""
    items, capped = story_items(store, summary)
    groups = group_items(store, items, settings)
    by_speaker: dict[str, list[QuoteGroup]] = {}
    for group in groups:  # already most outlets, then members, first
        by_speaker.setdefault(group.speaker, []).append(group)
    speakers = [_speaker(key, found) for key, found in by_speaker.items()]
    speakers.sort(key=lambda s: (s.key == UNATTRIBUTED, -s.outlets, -s.articles, s.key))
    matched_by = groups[0].matched_by if groups else ("encoder" if encoder_spec(settings) else "lexical")
    return WhoSaidWhat(tuple(speakers), matched_by, len(items), capped)
