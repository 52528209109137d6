"""Records that flow between stages.

Data flows one way: RawDocument -> Article -> Analysis -> Representation -> Assignment.
Every record is a frozen, slotted dataclass so stages cannot mutate what they were given and a
batch of records can be shipped to another process (or a distributed engine) as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

import numpy as np

DocumentKind = Literal["text", "html"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input as a reader found it, before any cleaning.

    ``body`` is already decoded to ``str`` (readers own decoding); ``hints`` are metadata the
    source supplied (a JSON object's ``title``, ``published``, ``site``, ``language``, ``author``)
    and are trusted over what cleaning would guess.
    """

    source: str
    body: str
    kind: DocumentKind = "text"
    url: str | None = None
    title: str | None = None
    published: str | None = None
    site: str | None = None
    language: str | None = None
    author: str | None = None
    # Problems found while reading (e.g. "encoding-guessed", "mojibake-repaired").
    flags: tuple[str, ...] = ()
    # When the page was fetched or archived (ISO 8601, e.g. a WARC record's date): kept with the
    # raw input, never taken for the publication date (an archive may capture old pages).
    captured: str | None = None


@dataclass(frozen=True, slots=True)
class Removed:
    """A line the cleaner dropped, with the reason it was dropped."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: the body as paragraphs joined by blank lines, and its metadata."""

    id: str
    source: str
    title: str | None
    text: str
    language: str | None
    published: str | None
    site: str | None = None
    author: str | None = None
    url: str | None = None
    removed: tuple[Removed, ...] = ()
    # Quality flags (e.g. "mixed-language", "no-title", "short-text").
    flags: tuple[str, ...] = ()

    @property
    def headline(self) -> str:
        """A label for display: the title, else the first sentence of the text."""
        return headline(self.title, self.text)


HEADLINE_CHARS = 160  # a headline never needs more of the text than its first 160 characters


def headline(title: str | None, text: str) -> str:
    """The title, else the first sentence of ``text`` (cut to ``HEADLINE_CHARS``)."""
    if title:
        return title
    first = text.split("\n", 1)[0]
    cut = first.find(". ")
    sentence = first if cut < 0 else first[: cut + 1]
    return sentence if len(sentence) <= HEADLINE_CHARS else sentence[: HEADLINE_CHARS - 3].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Mention:
    """Something named in an article, with a key under which spellings in other scripts and
    inflections meet (``key``) and the form the article used (``surface``)."""

    key: str
    surface: str
    kind: Literal["person", "org", "place", "entity", "date", "number", "quote"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement an article quotes (``direct``: inside quote marks or after a speech dash) or
    reports (``reported``: 'said that ...', 'заявив, що ...'), and who made it.

    ``start``/``end`` are offsets into ``Article.text`` (``text == article.text[start:end]``, quote
    marks outside). ``speaker`` is the speaker's cross-script key (a person's surname key, so
    'Лавров', 'Lavrov' and 'Ławrow' give 'lvrv'; an organization's 'org:...' key) or
    ``UNATTRIBUTED``; ``speaker_surface`` the form the article used for that speaker (the name a
    pronoun referred back to, when it did); ``cue`` the verb or phrase that introduced the
    statement as written ('заявив', 'said', 'according to'), ':' after a bare colon, '' for none.
    """

    text: str
    start: int
    end: int
    kind: Literal["direct", "reported"]
    speaker: str
    speaker_surface: str = ""
    cue: str = ""


UNATTRIBUTED = "unattributed"


@dataclass(frozen=True, slots=True)
class Analysis:
    """What an article mentions, normalized for matching across languages."""

    article_id: str
    language: str | None
    published: str | None
    entities: tuple[Mention, ...] = ()  # people, organizations, other names
    places: tuple[Mention, ...] = ()  # key: ISO 3166 country code or normalized place name
    dates: tuple[Mention, ...] = ()  # key: ISO date at its precision (2022, 2022-01, 2022-01-13)
    numbers: tuple[Mention, ...] = ()  # key: canonical number
    quotes: tuple[Mention, ...] = ()  # key: normalized quote text (what linking compares)
    terms: tuple[str, ...] = ()  # content lemmas, lower-case, in text order
    statements: tuple[Quote, ...] = ()  # quoted and reported speech with speakers, in text order


@dataclass(frozen=True, slots=True)
class Representation:
    """A language-independent, weighted feature set for one article.

    ``features`` maps typed keys ("e:lavrov", "p:US", "d:2022-01", "n:1997", "t:...", "g:...") to
    weights; ``surfaces`` maps the same keys to the form the article used, for reasons a person
    can check.
    """

    article_id: str
    language: str | None
    published: str | None
    features: dict[str, float] = field(default_factory=dict)
    surfaces: dict[str, str] = field(default_factory=dict)
    # A unit-length dense embedding (float32) when an encoder is configured; None otherwise.
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of shared evidence between two articles."""

    kind: str  # entity, org, place, date, number, quote, term; "content" for the encoder's cosine
    key: str
    a: str  # surface form in the first article
    b: str  # surface form in the second article
    weight: float


@dataclass(frozen=True, slots=True)
class Similarity:
    """A graded similarity: ``score`` in 0..1 (higher is closer) and ``level`` in the SemEval-2022
    Task 8 convention (1 very similar .. 4 very dissimilar)."""

    score: float
    level: int
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where the clusterer put an article."""

    article_id: str
    event_id: str
    story_id: str
    score: float  # similarity to the cluster it joined (0 when it opened a new one)


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be turned into an article, and why."""

    source: str
    reason: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class StoryMember:
    """What a story summary needs of one of its articles (the text only as far as a headline)."""

    article_id: str
    event_id: str
    language: str | None
    site: str | None
    published: str | None
    title: str | None
    headline: str


@dataclass(frozen=True, slots=True)
class StoryMention:
    """Something a story's articles name, under its key, with the forms they used."""

    key: str  # entity key ("lvrv", "org:nato") or ISO 3166 country code for places
    kind: str  # person, org, entity, place
    surfaces: tuple[str, ...]  # the most common forms, most first
    articles: int  # how many articles mention it


@dataclass(frozen=True, slots=True)
class EventSummary:
    id: str
    article_ids: tuple[str, ...]  # empty when the summary was read without its articles
    first_date: str | None
    title: str
    article_count: int = 0
    languages: tuple[str, ...] = ()  # most articles first
    last_date: str | None = None


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as the faces show it: what it is called, who covered it, when, and its events."""

    id: str
    title: str
    languages: tuple[str, ...]
    sites: tuple[tuple[str, int], ...]  # (site, article count), most first
    first_date: str | None
    last_date: str | None
    articles: tuple[Article, ...]  # empty when the summary was read without its articles
    events: tuple[EventSummary, ...]  # the timeline: by date, undated last (empty when not read)
    article_count: int = 0
    event_count: int = 0
    titles: tuple[tuple[str, str], ...] = ()  # (language, title) in the order of ``languages``
    language_counts: tuple[tuple[str, int], ...] = ()  # (language, article count), most first
    entities: tuple[StoryMention, ...] = ()  # people, organizations, other names: most articles first
    places: tuple[StoryMention, ...] = ()  # countries, by ISO code
    mention_sample: int = 0  # articles the entity and place counts come from (the latest, when capped)


def is_date_prefix(value: str) -> bool:
    """'2022', '2022-01' or '2022-01-13', a real month and day."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or len(parts[0]) != 4 or any(len(p) != 2 for p in parts[1:]):
        return False
    if not all(p.isascii() and p.isdigit() for p in parts):
        return False
    try:
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class StoryFilter:
    """Which stories a listing shows: any of them with ``None``. Dates are ISO prefixes
    ("2022", "2022-01-13"); a story matches when its span of dates meets the range, and an
    undated story matches no range."""

    language: str | None = None
    site: str | None = None
    since: str | None = None
    until: str | None = None

    def __post_init__(self) -> None:
        # A date that is no ISO prefix would match nothing and say nothing ('--since yesterday':
        # an empty list): refuse it where every face (CLI, Python API) builds its filter.
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not is_date_prefix(value):
                from crosswire.errors import CrosswireError  # lazy: types stays the first import

                raise CrosswireError(f"{name}: {value!r} is no date; give an ISO prefix: 2022, 2022-01 or 2022-01-13")
