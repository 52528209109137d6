"""Full-text search: articles ranked by bm25 over their title, text and lemmas, grouped by story.

The index holds each article's lemmas (the analysis terms: pymorphy3 lemmas for Ukrainian and
Russian, Snowball stems elsewhere) under its language, and a query word is lemmatized the same
way in every language of its script the store covers, so 'переговорів' finds 'переговори' and
'переговоры' finds 'переговорах', and a stem finds only articles of the language that made it.
Names are also looked up by their cross-script keys (``word_name_keys``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from crosswire.analyze.keys import name_key
from crosswire.analyze.morphology import PYMORPHY_LANGUAGES, morphology
from crosswire.analyze.names import name_form
from crosswire.analyze.text import tokenize
from crosswire.link.calibration import calibration
from crosswire.service.meaning import meaning_matches
from crosswire.service.snippets import SCAN_CHARS, snippet
from crosswire.service.stories import rebuild_summaries
from crosswire.settings import Settings, load_settings
from crosswire.store.base import Store
from crosswire.store.search import SNIPPET_END, SNIPPET_START, Hit, SearchRow, lemma_form, lemma_words, name_keys
from crosswire.types import Analysis, Article, StoryFilter, StoryMember, StorySummary

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 16
# Articles ranked per query (stories are grouped from these): ten per story shown, at least 200,
# at most 1,000. bm25 scores every matching article, so ranking is most of a search's cost.
MIN_RANKED, MAX_RANKED = 200, 1000
PER_STORY = 3  # matching articles shown under each story
SNIPPET_CONTEXT = 160  # characters of a snippet's piece at most
_PHRASE = re.compile(r'"([^"]+)"')
# A query word is also looked up as a name (by its cross-script key) from this many letters, when
# its key has at least MIN_NAME_KEY sounds: shorter skeletons meet too many unrelated names.
MIN_NAME_CHARS = 4
MIN_NAME_KEY = 3
# A key this short that begins a longer key of the same word is a stem's skeleton ('mrk' of a
# Croatian stem of 'Merkel'): it meets every name that starts alike (Mark, Marko, Mirko).
STEM_KEY = 4
# A letter's Unicode script (the first word of its name) as the calibration names the scripts of
# languages (crosswire.link.calibration: language -> script, Latin where unlisted).
_SCRIPTS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "DEVANAGARI": "Deva",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "HANGUL": "Hang",
    "THAI": "Thai",
    "CJK": "Hani",
    "HIRAGANA": "Hani",
    "KATAKANA": "Hani",
}


# -- indexing -------------------------------------------------------------------------------
def search_rows(pairs: Iterable[tuple[Article, Analysis]]) -> list[SearchRow]:
    return [
        SearchRow(
            article.id,
            article.title,
            article.text,
            lemma_words(analysis.terms, article.language),
            name_keys(m.key for m in analysis.entities),
        )
        for article, analysis in pairs
    ]


def index_for_search(store: Store, pairs: Iterable[tuple[Article, Analysis]]) -> None:
    """Index stored (or re-cleaned) articles for search: call inside the writer's transaction."""
    store.index_for_search(search_rows(pairs))


def ensure_search_index(store: Store) -> int:
    """Index the articles of a store that predates the search index, once; returns how many."""
    if not store.search_index_stale():
        return 0
    with store.transaction():
        return store.rebuild_search_index() if store.search_index_stale() else 0


def ensure_summaries(store: Store) -> None:
    """Build the story summaries of a store whose stories predate them, once."""
    if store.story_summaries_stale():
        with store.transaction():
            if store.story_summaries_stale():
                rebuild_summaries(store)


# -- queries --------------------------------------------------------------------------------
def _quoted(form: str) -> str:
    return '"' + form.replace('"', '""') + '"'


def word_forms(word: str) -> list[str]:
    """A query word as written, to look for in every column."""
    lower = word.lower()
    return list(dict.fromkeys([lower, lower.replace("ё", "е")]))


def word_lemmas(word: str, languages: Iterable[str]) -> list[str]:
    """A query word's lemma (and, for Ukrainian and Russian, the other lemmas the tagger allows)
    in each language of its script that the store covers, as the lemmas column holds them
    (``lemma_form``: 'ru0переговор'), so 'переговорами' finds 'переговорів' and 'переговоров' and
    a stem meets only articles of its own language."""
    forms: dict[str, None] = {}
    for language in _readers(word, languages):
        analysed = morphology().word(language, word)
        lemmas = (analysed.lemma, *analysed.readings) if language in PYMORPHY_LANGUAGES else (analysed.lemma,)
        forms.update(dict.fromkeys(lemma_form(lemma, language) for lemma in lemmas if lemma))
    return list(forms)


def _readers(word: str, languages: Iterable[str]) -> list[str]:
    """The languages of ``languages`` written in ``word``'s script (calibration: Latin where unlisted)."""
    script, scripts = _script(word), calibration().scripts
    return [language for language in languages if scripts.get(language, "Latn") == script]


def word_name_keys(word: str, languages: Iterable[str]) -> list[str]:
    """The cross-script name keys a query word may stand for: its key as an article in each
    language written in the word's script would index it (``crosswire.analyze.names.name_form``);
    'Зеленский', 'Зеленський' and 'Zelensky' all give 'slnsk', which meets the name in every
    script. None for short words, whose skeletons would meet too many unrelated names.

    Only languages of the word's own script read it, each as its articles' names are keyed: a
    Croatian stemmer run over 'Эрдоган', or a Czech one over 'Lavrov' (Czech names are keyed
    unstemmed), cut skeletons ('rdh', 'lvr') that meet dozens of unrelated names: on 2,000 news
    pages 'Lavrov' found 19 articles, one of which names him. A stem's short skeleton is dropped
    too (``STEM_KEY``); an article of that language still matches by its lemmas."""
    if len(word) < MIN_NAME_CHARS or not word.isalpha():
        return []
    readers: list[str | None] = [*_readers(word, languages)] or [None]  # None: read as written
    read = (name_key(name_form(word, morphology().word(language, word), language)) for language in readers)
    keys = [key for key in dict.fromkeys(read) if len(key) >= MIN_NAME_KEY]
    return [key for key in keys if len(key) >= STEM_KEY or not any(k != key and k.startswith(key) for k in keys)]


def _script(word: str) -> str | None:
    """The script of ``word``'s first letter, as the calibration names scripts (None: another)."""
    letter = next((char for char in word if char.isalpha()), "")
    return _SCRIPTS.get(unicodedata.name(letter, "").split(" ")[0]) if letter else None


def query_expression(query: str, languages: Sequence[str]) -> str | None:
    """An FTS5 expression for ``query``: every word (in any of its forms, or as a name in any
    script) and every "quoted phrase" (as written) must match. None when the query has no words.
    Each form is quoted, so no FTS5 syntax in the query reaches SQLite."""
    query = query[:MAX_QUERY_CHARS]
    parts = [_quoted(phrase.strip().lower()) for phrase in _PHRASE.findall(query) if phrase.strip()]
    rest = _PHRASE.sub(" ", query)
    for token in tokenize(rest)[:MAX_QUERY_WORDS]:
        forms = [_quoted(form) for form in word_forms(token.text)]
        forms += [f"lemmas : {_quoted(form)}" for form in word_lemmas(token.text, languages)]
        forms += [f"names : {_quoted(key)}" for key in word_name_keys(token.text, languages)]
        parts.append("(" + " OR ".join(forms) + ")")
    return " AND ".join(parts[:MAX_QUERY_WORDS]) or None


def _query_languages(store: Store, language: str | None) -> list[str]:
    if language:
        return [language]
    return sorted({*store.covered_languages(), *PYMORPHY_LANGUAGES})


# -- results --------------------------------------------------------------------------------
Snippet = tuple[tuple[str, bool], ...]  # pieces of text; True where the query matched


@dataclass(frozen=True, slots=True)
class ArticleMatch:
    article: StoryMember
    snippet: Snippet  # around what matched: for each story's best article only (else empty)
    rank: float  # bm25: lower is better


@dataclass(frozen=True, slots=True)
class StoryMatch:
    story: StorySummary
    matches: tuple[ArticleMatch, ...]  # its best-ranked matching articles (up to PER_STORY)
    articles: int  # its matching articles among the ranked ones


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    expression: str  # the FTS5 expression the query became ("" when it had no words)
    stories: tuple[StoryMatch, ...]
    total_stories: int  # stories among the ranked articles
    total_articles: int  # articles ranked (MIN_RANKED to MAX_RANKED, as deep as the page)
    capped: bool  # more articles matched than were ranked


def split_snippet(marked: str, context: int = SNIPPET_CONTEXT) -> Snippet:
    """Split a snippet at its match marks into (text, matched) pieces, each cut to
    ``context`` characters (a snippet counts words, and one word of an article may be a
    million characters long): the text before the first match keeps its end, the rest their
    starts."""
    pieces: list[tuple[str, bool]] = []
    for number, part in enumerate(marked.split(SNIPPET_START)):
        hit, _, after = part.partition(SNIPPET_END) if number else ("", "", part)
        pieces += [(text, flag) for text, flag in ((hit, True), (after, False)) if text]
    cut: list[tuple[str, bool]] = []
    for index, (text, matched) in enumerate(pieces):
        if len(text) > context:
            text = "…" + text[-context:] if index == 0 and not matched else text[:context] + "…"
        cut.append((text, matched))
    return tuple(cut)


def _ranked(store: Store, expression: str, where: StoryFilter, limit: int) -> list[Hit]:
    """The best ``limit`` matching articles: those that match in their title first (a headline
    about the thing outranks a passing mention, however often repeated), each group by bm25."""
    in_titles = store.search_hits(f"title : ({expression})", where, limit)
    if len(in_titles) >= limit:
        return in_titles  # a broad query: ranking every body match too would cost most of the search
    seen = {hit.article_id for hit in in_titles}
    rest = [hit for hit in store.search_hits(expression, where, limit) if hit.article_id not in seen]
    return in_titles + rest[: limit - len(in_titles)]


def _by_meaning(
    store: Store, settings: Settings, query: str, where: StoryFilter, limit: int, found: Sequence[Hit]
) -> list[Hit]:
    """Articles close to the query in meaning that its words did not find, ranked after them
    (rank grows as the cosine falls, past every bm25 rank, which is negative)."""
    seen = {hit.article_id for hit in found}
    close = [(i, c) for i, c in meaning_matches(store, settings, query, where, limit + len(seen)) if i not in seen]
    stories = store.assignments([i for i, _ in close])
    return [Hit(i, stories[i].story_id, 1.0 - c) for i, c in close[:limit] if i in stories]


def search(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    language: str | None = None,
    site: str | None = None,
    since: str | None = None,
    until: str | None = None,
    per_story: int = PER_STORY,
    settings: Settings | None = None,
) -> SearchPage:
    """Stories whose articles match ``query``, best first: the articles (in those of
    ``language`` or from ``site``, dated within ``since``..``until``) that contain its words
    are ranked by bm25 over title, text and lemmas (title matches first), then come those
    closest to it in meaning in any language (``crosswire.service.meaning``, when the store
    has dense vectors); each story is placed by its best article."""
    ensure_search_index(store)
    ensure_summaries(store)
    expression = query_expression(query, _query_languages(store, language))
    if expression is None:
        return SearchPage(query, "", (), 0, 0, False)
    where = StoryFilter(language, site, since, until)
    wanted = min(MAX_RANKED, max(MIN_RANKED, 10 * (offset + limit)))
    ranked = _ranked(store, expression, where, wanted + 1)
    capped = len(ranked) > wanted
    ranked = ranked[:wanted]
    if len(ranked) < wanted:
        ranked += _by_meaning(store, settings or load_settings(), query, where, wanted - len(ranked), ranked)
    by_story: dict[str, list[tuple[str, float]]] = {}
    for hit in ranked:
        by_story.setdefault(hit.story_id, []).append((hit.article_id, hit.rank))
    page = list(by_story.items())[offset : offset + limit]
    shown = [article_id for _, found in page for article_id, _ in found[:per_story]]
    briefs = store.article_briefs(shown)
    # A snippet for each story's best article only.
    texts = store.search_texts([found[0][0] for _, found in page], SCAN_CHARS)
    snippets = {article_id: snippet(text, expression) for article_id, text in texts.items()}
    summaries = store.story_briefs([story_id for story_id, _ in page])
    stories = []
    for story_id, found in page:
        summary = summaries.get(story_id)
        if summary is None:
            continue
        matches = tuple(
            ArticleMatch(briefs[article_id], split_snippet(snippets.get(article_id, "")), rank)
            for article_id, rank in found[:per_story]
            if article_id in briefs
        )
        stories.append(StoryMatch(summary, matches, len(found)))
    return SearchPage(query, expression, tuple(stories), len(by_story), len(ranked), capped)
