"""The per-document stages, as plain functions over records: no store, no CLI, no global state;
whatever they need (site statistics, document frequencies, the language set) is passed in.

    prepare:   RawDocument -> PreparedDocument (clean, language, dates, analyse, count features)
    site_pass: PreparedDocument + the site's known boilerplate lines -> PreparedDocument
    (weighing against document frequencies and placing are the cluster writer's: they need the
    store's state as it grows; see crosswire.cluster.writer)

``prepare`` runs wherever an executor puts it (crosswire.executors); ``site_pass`` runs where
the site statistics are, beside the writer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from crosswire.analyze import analyze
from crosswire.analyze.quotes import find_statements
from crosswire.analyze.subtract import subtract
from crosswire.clean import clean
from crosswire.clean.site import NAME_PREFIX, drop_site_boilerplate, site_of
from crosswire.encode import encode_articles, get_encoder
from crosswire.errors import InputError
from crosswire.represent.compact import Counted, count_analysis, recount
from crosswire.types import Analysis, Article, RawDocument, Rejection


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A cleaned, analysed article with its feature counts: what the cluster writer weighs."""

    article: Article
    analysis: Analysis
    counted: Counted
    # The article's dense vector (unit length, float32) when an encoder is set: computed from the
    # article as prepared, before the site pass.
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


Prepared = PreparedDocument | Rejection


@dataclass(frozen=True, slots=True)
class StageContext:
    """What the per-document stages need from the job's settings, passed to every call (it
    travels to worker processes and, later, to other machines with the documents)."""

    languages: tuple[str, ...] = ()  # ISO 639-1 codes language detection chooses among; () = default set
    encoder: str | None = None  # the dense encoder's spec (crosswire.encode), None for none
    extractor: str = "default"  # how HTML pages are read: crosswire.clean.EXTRACTORS


DEFAULT_CONTEXT = StageContext()


def counted_of(analysis: Analysis) -> Counted:
    return count_analysis(analysis)


def prepare(raw: RawDocument, context: StageContext = DEFAULT_CONTEXT) -> Prepared:
    """Clean, analyse and count one document; any failure becomes a Rejection with a reason.
    (``context.languages`` is applied once per process by the executor: see crosswire.executors.)"""
    try:
        article = clean(raw, context.extractor)
        analysis = analyze(article)
        return PreparedDocument(article, analysis, counted_of(analysis))
    except InputError as err:
        return Rejection(raw.source, err.reason, err.detail)
    except Exception as err:
        return Rejection(raw.source, "failed", f"{type(err).__name__}: {err}"[:300])


def site_pass(docs: Sequence[PreparedDocument], boilerplate: Mapping[str, set[str]]) -> list[PreparedDocument]:
    """Drop the paragraphs that are known boilerplate of each article's site (``boilerplate``:
    site -> line keys) and take what they contributed out of the analysis and the counts."""
    out = []
    for doc in docs:
        site = site_of(doc.article)
        lines = boilerplate.get(site, set()) if site is not None else set()
        doc = _drop_site_names(doc, lines)
        trimmed = drop_site_boilerplate(doc.article, lines)
        if trimmed is doc.article:
            out.append(doc)
            continue
        dropped = "\n\n".join(line.text for line in trimmed.removed[len(doc.article.removed) :])
        analysis = subtract(doc.analysis, analyze(replace(doc.article, title=None, text=dropped)))
        # Quote offsets point into the text, which just lost paragraphs: find them again (cheap).
        statements = find_statements(trimmed.text, analysis.language, analysis.entities, analysis.places)
        analysis = replace(analysis, statements=statements)
        counted = recount(doc.counted, doc.analysis, analysis)
        if counted is None:  # the subtraction left a key the article lacked: count afresh
            counted = counted_of(analysis)
        out.append(PreparedDocument(trimmed, analysis, counted, doc.vector))
    return out


def _drop_site_names(doc: PreparedDocument, furniture: set[str]) -> PreparedDocument:
    """The analysis without the names, numbers and dates that are its site's furniture
    (``furniture_keys``: a copyright holder, the date every byline carries)."""
    if not furniture:
        return doc
    kept = {
        group: tuple(m for m in getattr(doc.analysis, group) if f"{NAME_PREFIX}{group}:{m.key}" not in furniture)
        for group in FURNITURE_GROUPS
    }
    if all(len(kept[group]) == len(getattr(doc.analysis, group)) for group in FURNITURE_GROUPS):
        return doc
    analysis = replace(doc.analysis, entities=kept["entities"], numbers=kept["numbers"], dates=kept["dates"])
    # Only the dropped mentions' counts come off: recounting the whole article here, beside the
    # writer, cost 3 ms an article of a site with furniture (its n-gram caches are the workers').
    counted = recount(doc.counted, doc.analysis, analysis)
    return PreparedDocument(doc.article, analysis, counted if counted is not None else counted_of(analysis), doc.vector)


# Places stay out: a local site names its city in most reports, and that is what they are about.
FURNITURE_GROUPS = ("entities", "numbers", "dates")


def furniture_keys(analysis: Analysis) -> set[str]:
    """The keys under which the site statistics count an article's names, numbers and dates."""
    return {f"{NAME_PREFIX}{group}:{m.key}" for group in FURNITURE_GROUPS for m in getattr(analysis, group)}


def encode(prepared: list[Prepared], context: StageContext = DEFAULT_CONTEXT) -> list[Prepared]:
    """Give the prepared documents their dense vectors, in one encoder call (the encoder is
    loaded once per process)."""
    if context.encoder is None:
        return prepared
    done = [item for item in prepared if isinstance(item, PreparedDocument)]
    if not done:
        return prepared
    vectors = iter(encode_articles(get_encoder(context.encoder), [doc.article for doc in done]))
    return [replace(item, vector=next(vectors)) if isinstance(item, PreparedDocument) else item for item in prepared]


def split(prepared: Sequence[Prepared]) -> tuple[list[PreparedDocument], list[Rejection]]:
    done = [item for item in prepared if isinstance(item, PreparedDocument)]
    return done, [item for item in prepared if isinstance(item, Rejection)]
