"""Quote groups: the same statement, as each article of a story quoted it, in any language.

A pure stage: it is given a story's quotes (with the article each came from) and, when an
encoder ran, their vectors (centered per language, crosswire.encode.centering) and those of the
sentences of the longer ones; it returns groups. Two quotes are linked when

- they are in one language and one contains nearly all the other's words (a trimmed or repeated
  quote: no encoder needed), or
- their meaning matches: the centered cosine of the two (less half of each language's mean over
  the story: the topic all its statements share), or of the shorter against a sentence of
  the longer (a partial quote meets the part it was cut from), reaches ``same_speaker`` when the
  two have one speaker (cross-script key: Лавров and Lavrov are 'lvrv'; keys of two scripts also
  meet where they differ only in what one script cannot write, l/r in kana, h in Cyrillic),
  ``strong`` when one is unattributed or when their speakers' keys cannot meet (a name in
  Chinese characters against the Latin one),
- and never when both quote figures and none agree, nor when both name speakers whose keys could
  meet and do not.

Groups form along links, the two groups whose quotes match best on average first (average
linkage: a quote one strong pair draws toward a speaker's other statement goes to the group of
its translations, which it matches on the whole), one quote per article in a group unless the two
are the same words (a lead repeating the body), and a link joins two groups only when their quotes
match on average (``linkage``), so a chain of near matches does not merge two statements. The
average is over articles, each article's version of the statement being its best-matching quote
(a report and the words quoted inside it are two quotes of one statement); a low cosine pulls the
average down, only figures that disagree (or speakers that may not differ) forbid a merge. One
speaker adds ``speaker_bonus`` to a pair's score, in each quote's best match and in the mean.
Without an encoder, quotes in different languages link only when the same named speaker gives
the same figures: the grouping is then mostly within one language, and says so
(``QuoteGroup.matched_by``).
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from crosswire.link.quote_text import Surface, containment, numbers_conflict, shared_numbers, surface, text_length
from crosswire.types import UNATTRIBUTED, Quote


@dataclass(frozen=True, slots=True)
class QuotedBy:
    """One quote as one article carried it."""

    article_id: str
    language: str | None
    site: str | None
    published: str | None
    quote: Quote


@dataclass(frozen=True, slots=True)
class QuoteVectors:
    """Centered unit vectors: one row per quote (``whole``), and per sentence of the longer
    quotes (``windows``, ``window_owner[k]`` the index of the quote sentence k belongs to)."""

    whole: np.ndarray
    windows: np.ndarray
    window_owner: np.ndarray


_STORY_MEAN_MIN = 3


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Centered cosines for a link, tuned on WMT 2024 documents 0-39 (benchmarks/bench_quotes.py):
    the most recall with precision at least 0.94 there, then the most precision (recall 0.942,
    precision 0.968; ties go to the value nearest the one before)."""

    # Cosines after the story's centering (``story_centering``), which lowers them.
    same_speaker: float = 0.2
    strong: float = 0.325
    linkage: float = 0.15  # mean score between two groups' articles for a link to join them
    # Share of the mean of a story's quotes in one language taken from each of them (where it has
    # three or more): what all of a story's statements share (its topic) says nothing of which
    # two are one, and each statement's own content then weighs more.
    story_centering: float = 0.6
    # Two quotes in one language that are not the same words: their cosine runs higher (the
    # centering is of articles, not quotes; two statements of one speaker on one topic reach 0.4).
    same_language: float = 0.6
    # A link stands only within this much of each side's best match in the other's language: of a
    # speaker's two statements, a translation of one is far closer to it than to the other.
    margin: float = 0.15
    lexical: float = 0.8  # share of the shorter quote's words in the longer, one language
    # Link quotes whose named speakers differ in one script (at ``strong``): extraction often names
    # the outlet or an earlier name instead of the speaker (recall 0.70 -> 0.78, precision kept).
    cross_speaker: bool = True
    contain_ratio: float = 0.7  # a quote shorter than this share of another is matched to its sentences
    # What a shorter quote's best sentence of a longer one counts less than a whole match: the
    # best of several sentences is high by chance alone, and a short line drawn to one sentence
    # of a long statement would otherwise outbid that statement's own translations.
    partial: float = 0.06
    # Added to the cosine of two quotes whose speakers are the same, for choosing each quote's
    # best match and for the mean between groups: a short line's translations match it weakly,
    # and one speaker's line is drawn to another speaker's as close in meaning ('Get with your
    # squads' to 'All tanks, move out') unless who said it counts. Their link needs
    # ``same_speaker`` of meaning all the same.
    speaker_bonus: float = 0.15


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """One statement: its members by date, the speaker key (most members'; ``unattributed``
    when none names one), the forms used for the speaker, the languages and sites that carried
    it. ``id`` is a hash of the earliest member, so it stays as the group grows."""

    id: str
    speaker: str
    speaker_surfaces: tuple[str, ...]
    members: tuple[QuotedBy, ...]
    languages: tuple[str, ...]
    sites: tuple[str, ...]
    matched_by: str  # "encoder" or "lexical" (no encoder: same-language words, figures)


@lru_cache(maxsize=4096)  # a story has few speakers and many pairs of quotes
def _consonants(key: str) -> str:
    return re.sub(r"[aeiouy]", "", key)


@lru_cache(maxsize=4096)
def _script(text: str) -> str:
    for char in text:
        if char.isalpha():
            return unicodedata.name(char, "?").split(" ")[0]
    return ""


# What one script's spelling of a name may lose in another's: kana and Chinese have no l/r
# distinction and write v as b or f (Ravik ラヴィク 'lvk', Ivory アイボリー 'aibali', Lavrov ラブロフ
# 'lblf'), Cyrillic and kana have no h and write w as u (Shaw Шоу 'sau', Latin 'sav'; Cohren
# コーレン 'kln'); Arabic has no p and writes it as b (Putin بوتين 'btn').
_SCRIPT_LOSSES = str.maketrans({"l": "r", "b": "v", "f": "v", "p": "v", "u": "v", "h": None})
_LOOSE_VOWELS = re.compile(r"[aeioyj]")
_REPEATED = re.compile(r"(.)\1+")
_MIN_LOOSE = 2  # a skeleton of one consonant would meet too many names


@lru_cache(maxsize=4096)
def _loose(key: str) -> str:
    """A person key's consonants with the distinctions some scripts cannot write merged."""
    return _REPEATED.sub(r"\1", _LOOSE_VOWELS.sub("", key.translate(_SCRIPT_LOSSES)))


def _speakers(a: Quote, b: Quote) -> str:
    """'same', 'unknown' (one or both unattributed), 'apart' (keys from scripts that cannot
    meet: decided by meaning alone) or 'different'. Across scripts, keys that differ only where
    one script cannot write the other's distinction are the same speaker."""
    if a.speaker == UNATTRIBUTED or b.speaker == UNATTRIBUTED:
        return "unknown"
    if a.speaker == b.speaker or _consonants(a.speaker) == _consonants(b.speaker):
        return "same"
    if _script(a.speaker_surface) != _script(b.speaker_surface):
        person = not a.speaker.startswith("org:") and not b.speaker.startswith("org:")
        loose = _loose(a.speaker)
        return "same" if person and len(loose) >= _MIN_LOOSE and loose == _loose(b.speaker) else "apart"
    return "different"


def story_centered(vectors: QuoteVectors, languages: Sequence[str | None], share: float) -> QuoteVectors:
    """``vectors`` less ``share`` of their language's mean over the story (languages with at least
    ``_STORY_MEAN_MIN`` quotes: a mean of fewer is mostly the quotes themselves), unit length again;
    a quote's sentences lose their quote's language mean."""
    if share <= 0 or not len(languages):
        return vectors
    whole = np.array(vectors.whole, dtype=np.float32)
    windows = np.array(vectors.windows, dtype=np.float32)
    of = np.asarray([str(language) for language in languages])
    window_language = of[vectors.window_owner] if len(vectors.window_owner) else of[:0]
    for language in np.unique(of):
        rows = of == language
        if rows.sum() >= _STORY_MEAN_MIN:
            mean = share * np.asarray(vectors.whole, dtype=np.float32)[rows].mean(axis=0)
            whole[rows] -= mean
            windows[window_language == language] -= mean
    return QuoteVectors(_unit(whole), _unit(windows), vectors.window_owner)


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
    unit: np.ndarray = (rows / norms).astype(np.float32)
    return unit


def meaning_scores(
    vectors: QuoteVectors, lengths: Sequence[int], contain_ratio: float, partial: float = 0.0
) -> np.ndarray:
    """Pairwise centered cosines, raised to the best cosine of the shorter quote against a
    sentence of the longer, less ``partial``, when it is much shorter (a trimmed quote against
    its source)."""
    whole = np.asarray(vectors.whole, dtype=np.float32)
    scores = whole @ whole.T
    if len(vectors.window_owner):
        against = whole @ np.asarray(vectors.windows, dtype=np.float32).T
        size = np.asarray(lengths)
        for owner in np.unique(vectors.window_owner):
            best = against[:, vectors.window_owner == owner].max(axis=1) - partial
            shorter = size < contain_ratio * size[owner]
            raised = np.maximum(scores[shorter, owner], best[shorter])
            scores[shorter, owner] = raised
            scores[owner, shorter] = raised
    return scores


def _links(
    items: Sequence[QuotedBy], surfaces: Sequence[Surface], meaning: np.ndarray | None, limits: Thresholds
) -> tuple[list[tuple[float, int, int]], np.ndarray, np.ndarray]:
    """(score, i, j) of every link, the pairwise score matrix (for the linkage check) and the
    pairs that may never share a group (figures that disagree, speakers that may not differ): a
    low or negative cosine alone only weighs in the average."""
    n = len(items)
    scores = np.zeros((n, n), dtype=np.float32) if meaning is None else meaning.astype(np.float32, copy=True)
    blocked = np.zeros((n, n), dtype=bool)
    links = []
    relation = np.zeros((n, n), dtype=bool)  # one named speaker (a lower threshold)
    raised = np.zeros((n, n), dtype=np.float32)  # what the score gained by it (thresholds are of meaning)
    for i in range(n):
        for j in range(i + 1, n):
            a, b = items[i], items[j]
            if a.article_id == b.article_id and a.quote.start < b.quote.end and b.quote.start < a.quote.end:
                scores[i, j] = scores[j, i] = 1.0  # one statement read twice: a direct quote inside its report
                relation[i, j] = relation[j, i] = True
                continue
            who = _speakers(a.quote, b.quote)
            if numbers_conflict(surfaces[i], surfaces[j]) or (who == "different" and not limits.cross_speaker):
                scores[i, j] = scores[j, i] = -1.0
                blocked[i, j] = blocked[j, i] = True
                continue
            score = float(scores[i, j])
            if a.language == b.language and containment(surfaces[i], surfaces[j]) >= limits.lexical:
                score = 1.0
            elif meaning is None:
                # No encoder: across languages only the same named speaker with the same figures.
                same_figures = who == "same" and shared_numbers(surfaces[i], surfaces[j]) > 0
                score = limits.same_speaker if same_figures else 0.0
            elif a.article_id == b.article_id:
                score = 0.0  # one article quoting two statements, unless the same words (above)
            elif who == "same":
                raised[i, j] = min(limits.speaker_bonus, 0.999 - score)  # 1.0 is for the same words
                score += float(raised[i, j])
            scores[i, j] = scores[j, i] = score
            relation[i, j] = relation[j, i] = who == "same"
    best = _best_per_article(items, scores)
    near = _best_per_language(items, scores)
    for i in range(n):
        for j in range(i + 1, n):
            score = float(scores[i, j])
            a, b = items[i], items[j]
            mutual = best[i].get(b.article_id) == j and best[j].get(a.article_id) == i
            close = min(score - near[i].get(b.language, 0.0), score - near[j].get(a.language, 0.0)) >= -limits.margin
            needed = limits.same_speaker if relation[i, j] else limits.strong
            if a.language == b.language:
                needed = max(needed, limits.same_language)
            needed += float(raised[i, j])
            if score >= 1.0 or (mutual and close and score >= needed - 1e-6):  # scores are float32
                links.append((score, i, j))
    links.sort(key=lambda link: (-link[0], link[1], link[2]))
    return links, scores, blocked


def _best_per_language(items: Sequence[QuotedBy], scores: np.ndarray) -> list[dict[str | None, float]]:
    """For each quote, its best score against the quotes of each language (other articles)."""
    best: list[dict[str | None, float]] = [{} for _ in items]
    for i, a in enumerate(items):
        for j, b in enumerate(items):
            if a.article_id != b.article_id and scores[i, j] < 1.0:
                best[i][b.language] = max(best[i].get(b.language, 0.0), float(scores[i, j]))
    return best


def _best_per_article(items: Sequence[QuotedBy], scores: np.ndarray) -> list[dict[str, int]]:
    """For each quote, its best match in each other article. A statement is quoted once per
    article, so a link stands only between mutual best matches: of two statements by one speaker
    in one document (topically close: centered cosine 0.3-0.5 between them), each translation
    keeps only its own."""
    columns: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        columns.setdefault(item.article_id, []).append(index)
    best: list[dict[str, int]] = [{} for _ in items]
    for article_id, found in columns.items():
        block = scores[:, found]
        top = block.argmax(axis=1)
        for i in range(len(items)):
            if items[i].article_id != article_id and block[i, top[i]] > 0:
                best[i][article_id] = found[int(top[i])]
    return best


def group_quotes(
    items: Sequence[QuotedBy], vectors: QuoteVectors | None = None, limits: Thresholds | None = None
) -> list[QuoteGroup]:
    """The groups of ``items`` (every item in exactly one), largest first. ``vectors``: the
    encoder's, row for row with ``items``; ``None`` where no encoder is installed."""
    limits = limits or Thresholds()
    surfaces = [surface(item.quote.text) for item in items]
    meaning = None
    if vectors is not None and len(items):
        centered = story_centered(vectors, [item.language for item in items], limits.story_centering)
        lengths = [text_length(item.quote.text) for item in items]
        meaning = meaning_scores(centered, lengths, limits.contain_ratio, limits.partial)
    links, scores, blocked = _links(items, surfaces, meaning, limits)
    members = _merged(items, links, scores, blocked, limits)
    matched_by = "lexical" if vectors is None else "encoder"
    groups = [_group([items[k] for k in ks], matched_by) for ks in members.values()]
    return sorted(groups, key=lambda g: (-len({m.site for m in g.members}), -len(g.members), g.id))


def _merged(
    items: Sequence[QuotedBy],
    links: list[tuple[float, int, int]],
    scores: np.ndarray,
    blocked: np.ndarray,
    limits: Thresholds,
) -> dict[int, list[int]]:
    """Groups of item indices. The same words join first (a lead repeating the body, a quote
    inside its report); then, of the groups a link joins, those whose quotes match best on
    average merge first (average linkage), so a quote that one strong pair draws toward a
    speaker's other statement goes instead to the group of its translations, which it matches
    on the whole."""
    group_of = list(range(len(items)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(items))}
    articles: dict[int, set[str]] = {i: {item.article_id} for i, item in enumerate(items)}

    def mean(gi: int, gj: int) -> float | None:
        """The mean score between two groups, None where they may not merge."""
        if articles[gi] & articles[gj]:
            return None
        found = _linkage(items, members[gi], members[gj], scores, blocked)
        return None if found is None or found < limits.linkage else found

    def merge(gi: int, gj: int) -> None:
        members[gi] += members.pop(gj)
        articles[gi] |= articles.pop(gj)
        for k in members[gi]:
            group_of[k] = gi

    for score, i, j in links:
        gi, gj = group_of[i], group_of[j]
        if score >= 1.0 and gi != gj:
            found = _linkage(items, members[gi], members[gj], scores, blocked)
            if found is not None and found >= limits.linkage:
                merge(gi, gj)
    neighbours: dict[int, set[int]] = {g: set() for g in members}
    for _, i, j in links:
        gi, gj = group_of[i], group_of[j]
        if gi != gj:
            neighbours[gi].add(gj)
            neighbours[gj].add(gi)
    # (-mean, group, group, their sizes when pushed): an entry from before either grew is stale.
    heap: list[tuple[float, int, int, int, int]] = []

    def push(gi: int, gj: int) -> None:
        found = mean(gi, gj)
        if found is not None:
            low, high = min(gi, gj), max(gi, gj)
            heapq.heappush(heap, (-found, low, high, len(members[low]), len(members[high])))

    for gi in members:
        for gj in neighbours[gi]:
            if gi < gj:
                push(gi, gj)
    while heap:
        _, gi, gj, size_i, size_j = heapq.heappop(heap)
        if gi not in members or gj not in members or (size_i, size_j) != (len(members[gi]), len(members[gj])):
            continue
        merge(gi, gj)
        neighbours[gi] = (neighbours[gi] | neighbours.pop(gj)) - {gi, gj}
        for other in neighbours[gi]:
            neighbours[other].discard(gj)
            neighbours[other].add(gi)
            push(gi, other)
    return members


def _linkage(
    items: Sequence[QuotedBy], left: list[int], right: list[int], scores: np.ndarray, blocked: np.ndarray
) -> float | None:
    """The mean score between two groups' articles, None where a pair of them is blocked. An
    article's version of a statement may be several quotes (a report and the words quoted inside
    it, a lead repeating the body): the best of them stands for it, so the part that a trimmed
    quote elsewhere does not cover does not count against the match."""
    if blocked[np.ix_(left, right)].any():
        return None
    between = scores[np.ix_(left, right)]
    rows = _by_article(items, left)
    columns = _by_article(items, right)
    if len(rows) == len(left) and len(columns) == len(right):
        return float(between.mean())
    best = np.stack([between[r].max(axis=0) for r in rows])
    per_article = np.stack([best[:, c].max(axis=1) for c in columns], axis=1)
    return float(per_article.mean())


def _by_article(items: Sequence[QuotedBy], members: list[int]) -> list[list[int]]:
    """Positions in ``members`` grouped by article."""
    positions: dict[str, list[int]] = {}
    for position, k in enumerate(members):
        positions.setdefault(items[k].article_id, []).append(position)
    return list(positions.values())


def _earliest(item: QuotedBy) -> tuple[str, str, int]:
    return (item.published or "9999", item.article_id, item.quote.start)


def _group(found: list[QuotedBy], matched_by: str) -> QuoteGroup:
    ordered = sorted(found, key=_earliest)
    first = ordered[0]
    digest = hashlib.sha1(f"{first.article_id}:{first.quote.start}:{first.quote.end}".encode()).hexdigest()
    named = Counter(m.quote.speaker for m in ordered if m.quote.speaker != UNATTRIBUTED)
    speaker = named.most_common(1)[0][0] if named else UNATTRIBUTED
    surfaces = Counter(m.quote.speaker_surface for m in ordered if m.quote.speaker_surface)
    return QuoteGroup(
        id=f"q{digest[:12]}",
        speaker=speaker,
        speaker_surfaces=tuple(form for form, _ in surfaces.most_common()),
        members=tuple(ordered),
        languages=tuple(sorted({m.language for m in ordered if m.language})),
        sites=tuple(sorted({m.site for m in ordered if m.site})),
        matched_by=matched_by,
    )
