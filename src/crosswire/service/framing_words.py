"""The words each outlet stresses against the rest of a story's coverage (the framing view's
distinctive words, ``crosswire.service.framing``).

Three things decide them:

- **keys**: a lemma counts under its folded key (``fold_term``: переговори/переговоры meet), and a
  lemma the analysis read as a person, organization or place under that name's feature key
  (Росія/Россия/Russia -> ``p:RU``, НАТО/NATO -> ``o:nato``), so what every side says cancels out;
- **evidence**: the log-odds z-score with an informative Dirichlet prior
  (``crosswire.analyze.log_odds``): an outlet against the other outlets of its main language when
  there are any, else against all the story's other coverage;
- **background**: the prior's reference, how common each word is beyond the story: the store's
  count of articles using it plus the reference corpus's count in the outlet's language
  (``crosswire.analyze.term_prior``). Where the story's counts are equal (one use each, none in
  the rest), the word that language's news rarely uses has the smaller prior and ranks first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat

from crosswire.analyze.keys import fold_term
from crosswire.analyze.log_odds import InformativePrior, log_odds_within
from crosswire.analyze.morphology import morphology
from crosswire.analyze.term_prior import background
from crosswire.represent.compact import key_ids
from crosswire.represent.features import feature_key
from crosswire.store.base import Store
from crosswire.types import Analysis, StoryMember

WORDS = 30  # distinctive words kept per outlet (the page shows 15, `show` 6)
_NAMED = re.compile(r"^[peo]:")  # a name's feature key (folded terms hold no colon)


@dataclass(frozen=True, slots=True)
class Word:
    word: str  # the outlet's most used lemma under the key
    key: str  # what the comparison counts under: the folded lemma, or a name's feature key (p:RU)
    z: float  # log-odds z-score against the rest (crosswire.analyze.log_odds)
    count: int  # the outlet's uses
    rest: int  # the rest's uses


def outlet_words(
    store: Store, sample: Sequence[StoryMember], analyses: dict[str, Analysis], outlet_of: Callable[[StoryMember], str]
) -> dict[str, tuple[str, tuple[Word, ...]]]:
    """Each outlet's (what it was compared with, its distinctive words)."""
    language = {m.article_id: m.language or "?" for m in sample}
    used = [m for m in sample if m.article_id in analyses]
    names = name_keys([analyses[m.article_id] for m in used])
    counts: dict[str, Counter[str]] = {}
    own: dict[str, list[str]] = defaultdict(list)
    for m in used:
        counts[m.article_id] = _keyed(analyses[m.article_id].terms, names)
        own[outlet_of(m)].append(m.article_id)
    stored = _store_counts(store, set().union(*counts.values()) if counts else set())
    members: dict[str, list[str]] = defaultdict(list)
    for term, key in names.items():
        members[key].append(term)
    groups: dict[str, tuple[Counter[str], float]] = {}  # counts, the store's counts summed
    priors: dict[tuple[str, str], InformativePrior] = {}
    backgrounds: dict[str, dict[str, int]] = {}

    def background_of(language: str) -> dict[str, int]:
        """The reference corpus's counts in ``language``, a name's feature key counted as its
        most common spelling there."""
        if language not in backgrounds:
            known, _ = background(language)
            named = (
                {key: n for key, terms in members.items() if (n := max(map(known.get, terms, repeat(0))))}
                if known
                else {}
            )
            backgrounds[language] = known | named if named else known
        return backgrounds[language]

    def compared(name: str, ids: Sequence[str], focus_language: str) -> InformativePrior:
        """Each group counted once, and its prior made once per language of the outlets compared
        in it (the background is theirs); an outlet's pseudo-counts are then made for its own
        words only: a story in thirty languages would otherwise redo the vocabulary thirty times."""
        if name not in groups:
            total: Counter[str] = Counter()
            for a in ids:
                total.update(counts[a])
            groups[name] = total, sum(map(stored.get, total, repeat(0.0)))
        total, in_store = groups[name]
        if (name, focus_language) not in priors:
            known = background_of(focus_language)
            in_background = sum(map(known.get, total, repeat(0))) if known else 0
            priors[name, focus_language] = InformativePrior(total, sum(total.values()), in_store + in_background)
        return priors[name, focus_language]

    outlets_in = Counter(lang for ids in own.values() for lang in {language[a] for a in ids})
    result: dict[str, tuple[str, tuple[Word, ...]]] = {}
    for outlet, ids in own.items():
        main = Counter(language[a] for a in ids).most_common(1)[0][0]
        if outlets_in[main] > 1:
            against, focus_ids = "same language", [a for a in ids if language[a] == main]
            prior = compared(main, [a for a in counts if language[a] == main], main)
        elif len(own) > 1:
            against, focus_ids = "all languages", ids
            prior = compared("", list(counts), main)
        else:
            continue
        focus: Counter[str] = Counter()
        for a in focus_ids:
            focus.update(counts[a])
        known = background_of(main)
        reference = {k: stored.get(k, 0.0) + known.get(k, 0) for k in focus}
        pseudo = prior.pseudo_counts(reference, focus)
        scored = [s for s in log_odds_within(focus, prior.words, pseudo, prior.a_0)[:WORDS] if s.z > 0]
        shown = _lemmas({s.word for s in scored}, [analyses[a] for a in focus_ids], names)
        words = tuple(Word(shown[s.word].most_common(1)[0][0], s.word, s.z, s.count, s.rest) for s in scored)
        result[outlet] = (against, words)
    return result


def _keyed(terms: Sequence[str], names: dict[str, str]) -> Counter[str]:
    """An article's uses of each key (counted by folded lemma first, then the names renamed:
    a tenth of the words are names, and this is the view's inner loop)."""
    found = Counter(map(fold_term, terms))
    found.pop("", None)
    for term in found.keys() & names.keys():
        found[names[term]] += found.pop(term)
    return found


def name_keys(analyses: Sequence[Analysis]) -> dict[str, str]:
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
    return {term: keys.most_common(1)[0][0] for term, keys in votes.items()}


def _lemmas(keys: set[str], analyses: Sequence[Analysis], names: dict[str, str]) -> dict[str, Counter[str]]:
    """The lemmas the outlet used under each of ``keys``: the most used one is what is shown."""
    found: dict[str, Counter[str]] = defaultdict(Counter)
    for analysis in analyses:
        for lemma in analysis.terms:
            if (key := fold_term(lemma)) and (key := names.get(key, key)) in keys:
                found[key][lemma] += 1
    return found


def _store_counts(store: Store, keys: set[str]) -> dict[str, float]:
    """How many stored articles use each key (a folded term, or a name's feature key)."""
    ordered = sorted(keys)
    ids = key_ids([key if _NAMED.match(key) else "t:" + key for key in ordered]).tolist()
    freq = store.feature_freq(ids)
    return {key: float(freq.get(i, 0)) for key, i in zip(ordered, ids, strict=True)}
