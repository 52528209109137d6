"""Typed feature counts of an Analysis, with the surface form each key came from.

Key scheme (the prefix is the group; groups are weighted separately in the similarity):

====  ==========================================  ===================================
e:    names without a table entry (name_key)       e:lvrv, e:srh_lvrv
o:    organizations from the table                 o:nato
p:    countries, cities, regions                   p:US, p:moskva
d:    dates at their precision, plus coarser ones  d:2022-02-15, d:2022-02, d:2022
n:    numbers                                      n:1500000, n:12.5%
q:    quotes                                       q:ми продовжимо наш діалог
t:    lemmas, transliterated and folded            t:perehovori
g:    character 4-grams of the folded lemmas       g:pere, g:^per, g:ri$
====  ==========================================  ===================================
"""

from __future__ import annotations

from functools import lru_cache

from crosswire.analyze.keys import fold_term
from crosswire.types import Analysis

GROUPS = "eopdnqtg"
NGRAM = 4
# A coarser date counts for less: two reports of one day share its month and year too.
_COARSER_DATE = 0.5
# The headline and first sentence say what an article is about; their lemmas count double.
LEAD_TERMS = 20
_LEAD_WEIGHT = 2.0
_ORG_PREFIX = "org:"


@lru_cache(maxsize=200_000)
def ngrams(folded: str) -> tuple[str, ...]:
    """Character n-grams of a folded term with word-boundary marks ('^' and '$')."""
    padded = f"^{folded}$"
    if len(padded) <= NGRAM:
        return (padded,)
    return tuple(padded[i : i + NGRAM] for i in range(len(padded) - NGRAM + 1))


def term_keys(lemma: str) -> tuple[str, tuple[str, ...]] | None:
    """The 't:' key and the 'g:' keys of a lemma (None when it folds to nothing)."""
    folded = fold_term(lemma)
    if not folded:
        return None
    padded = f"^{folded}$"
    grams = (padded,) if len(padded) <= NGRAM else tuple(padded[i : i + NGRAM] for i in range(len(padded) - NGRAM + 1))
    return "t:" + folded, tuple("g:" + gram for gram in grams)


_term_keys = lru_cache(maxsize=200_000)(term_keys)  # the dict path (compare, eval): cached


def feature_key(mention_key: str, kind: str) -> str:
    """The feature key of an analysis key ('org:nato' -> 'o:nato', 'US' place -> 'p:US')."""
    if kind == "org" and mention_key.startswith(_ORG_PREFIX):
        return "o:" + mention_key[len(_ORG_PREFIX) :]
    return {"place": "p:", "date": "d:", "number": "n:", "quote": "q:"}.get(kind, "e:") + mention_key


def analysis_key(feature: str) -> str:
    """The analysis key a feature key came from (the inverse of ``feature_key``)."""
    return _ORG_PREFIX + feature[2:] if feature.startswith("o:") else feature[2:]


def count_features(analysis: Analysis) -> tuple[dict[str, float], dict[str, str]]:
    """Raw counts per feature key and the first surface form seen for each non-n-gram key."""
    counts: dict[str, float] = {}
    surfaces: dict[str, str] = {}
    get = counts.get

    def add(key: str, surface: str, weight: float = 1.0) -> None:
        counts[key] = get(key, 0.0) + weight
        surfaces.setdefault(key, surface)

    for mention in (*analysis.entities, *analysis.places, *analysis.numbers, *analysis.quotes):
        add(feature_key(mention.key, mention.kind), mention.surface)
    for mention in analysis.dates:
        add("d:" + mention.key, mention.surface)
        parts = mention.key.split("-")
        for cut in range(len(parts) - 1, 0, -1):
            add("d:" + "-".join(parts[:cut]), mention.surface, _COARSER_DATE)
    for position, lemma in enumerate(analysis.terms):
        keys = _term_keys(lemma)
        if keys is None:
            continue
        weight = _LEAD_WEIGHT if position < LEAD_TERMS else 1.0
        add(keys[0], lemma, weight)
        for gram in keys[1]:
            counts[gram] = get(gram, 0.0) + weight
    return counts, surfaces


def feature_keys(analysis: Analysis) -> frozenset[str]:
    """Every key an analysis yields: what a document-frequency table counts once per article."""
    return frozenset(count_features(analysis)[0])
