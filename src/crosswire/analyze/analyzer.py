"""Article -> Analysis: what an article names, keyed for matching across languages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from crosswire.analyze import cjk
from crosswire.analyze.gazetteer import gazetteer
from crosswire.analyze.morphology import Word, morphology
from crosswire.analyze.names import find_names
from crosswire.analyze.numbers import find_numbers
from crosswire.analyze.quotes import find_quotes, find_statements
from crosswire.analyze.regions import region_places
from crosswire.analyze.text import tokenize
from crosswire.analyze.unicase_names import find_unicase_names
from crosswire.clean.normalize import fold_homoglyphs, normalize_text
from crosswire.types import Analysis, Article, Mention

DateFinder = Callable[[str, str | None, str | None], list[Mention]]

_LETTER = re.compile(r"[^\W\d_]")
# Script-level guesses for articles that arrive without a language (Cyrillic letters that only
# one of the languages uses).
_SCRIPT_GUESSES = (
    (re.compile(r"[іїєґ]", re.I), "uk"),
    (re.compile(r"[ў]", re.I), "be"),
    (re.compile(r"[ыэъё]", re.I), "ru"),
    (re.compile(r"[\u0400-\u04ff]"), "ru"),
)


def _date_finder() -> DateFinder | None:
    try:
        from crosswire.clean.dates import find_date_mentions
    except ImportError:  # the date reader is optional: without it there are no dates
        return None
    return find_date_mentions


def guess_language(text: str) -> str | None:
    """A guess from the script alone, for articles that carry no language."""
    sample = text[:2000]
    for pattern, language in _SCRIPT_GUESSES:
        if pattern.search(sample):
            return language
    return None


def _full_text(article: Article) -> str:
    text = article.text
    if article.title and not text.startswith(article.title):
        text = f"{article.title}\n\n{text}"
    return fold_homoglyphs(normalize_text(text, repair=False))


def analyze(article: Article) -> Analysis:
    """Entities, places, dates, numbers, quotes and content lemmas of one article."""
    text = _full_text(article)
    language = article.language or guess_language(text)
    cjk_text = cjk.is_cjk(language)
    if cjk_text:
        text = cjk.spaced(text)
    morph = morphology()
    tokens = tokenize(text, language)
    words: list[Word | None] = [None if t.numeric else morph.word(language, t.text) for t in tokens]

    entities: list[Mention] = []
    places: list[Mention] = []
    covered: set[int] = set()
    for match in gazetteer().find(tokens, words, language):
        covered.update(range(match.start, match.end))
        entry = match.entry
        if entry.kind == "ignore":
            continue
        surface = text[tokens[match.start].start : tokens[match.end - 1].end]
        if entry.kind == "org":
            entities.append(Mention(entry.key, surface, "org"))
            continue
        places.append(Mention(entry.key, surface, "place"))
        if entry.country and entry.country != entry.key:
            places.append(Mention(entry.country, surface, "place"))
    regions, region_tokens = region_places(tokens, words, covered, language)
    places.extend(regions)
    covered |= region_tokens
    names, named_places = find_names(tokens, words, covered, language)
    entities.extend(names)
    if language == "ja":
        entities.extend(cjk.katakana_names(text))
    places.extend(named_places)
    entities.extend(find_unicase_names(text, language, places))

    finder = _date_finder()
    dates = finder(text, language, article.published) if finder else []
    if cjk_text:
        dates += cjk.find_dates(text, dates)
    terms = tuple(
        (w.name_lemma if t.capitalized else w.lemma)
        for t, w in zip(tokens, words, strict=False)
        if w is not None and not w.function and len(t.text) > 1 and _LETTER.search(t.text)
    )
    return Analysis(
        article_id=article.id,
        language=language,
        published=article.published,
        entities=tuple(entities),
        places=tuple(places),
        dates=tuple(dates),
        numbers=tuple(find_numbers(text, language, (d.surface for d in dates))),
        quotes=tuple(find_quotes(text)),
        terms=terms,
        statements=find_statements(article.text, language, entities, places),
    )


def analyze_batch(articles: Iterable[Article]) -> list[Analysis]:
    """``analyze`` over a batch (the unit a distributed engine maps over)."""
    return [analyze(article) for article in articles]
