"""Comparing articles: two files or stored ids, or many pairs from JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from crosswire.analyze import analyze
from crosswire.clean import article_id, clean
from crosswire.errors import InputError
from crosswire.executors import Executor
from crosswire.ingest.decode import parse_json
from crosswire.ingest.files import raw_from_object, read_file
from crosswire.link import similarity
from crosswire.link.calibration import calibration
from crosswire.link.vectorized import scores as vectorized_scores
from crosswire.represent import count_features, represent, represent_counted
from crosswire.represent.compact import key_id, language_key
from crosswire.service.common import (
    CHUNK,
    batches,
    count_vectors,
    encoder_of,
    fusion_for,
    preparer_for,
    represent_prepared,
    with_vectors,
)
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import Analysis, Article, RawDocument, Rejection, Representation, Similarity


def _article_from_file(path: Path) -> Article:
    for item in read_file(path):
        if isinstance(item, Rejection):
            raise InputError(item.reason, f"{item.source}: {item.detail}" if item.detail else item.source)
        return clean(item)
    raise InputError("empty", str(path))


def resolve_article(ref: str, store: Store | None) -> Article:
    """``ref`` is a file, or the id (or an unambiguous prefix) of a stored article."""
    path = Path(ref)
    if path.is_file():
        return _article_from_file(path)
    if store is not None:
        from crosswire.service.articles import find_stored

        found = find_stored(store, ref)
        if found is not None:
            return found
    raise InputError("missing", f"{ref}: no such file or stored article")


def compare_articles(a: Article, b: Article, settings: Settings | None = None) -> Similarity:
    settings = settings or Settings()
    reps = with_vectors([represent(analyze(a)), represent(analyze(b))], [a, b], encoder_of(settings))
    return similarity(reps[0], reps[1], fusion=fusion_for(settings))


def _store_represent(store: Store, analysis: Analysis, n_docs: int) -> Representation:
    """The dict form of a stored article weighed with the store's document frequencies, as the
    cluster writer weighs it (for reasons: the dict form keeps the surface forms)."""
    counts, surfaces = count_features(analysis)
    language = language_key(analysis.language)
    by_id = {key_id(key): key for key in [*counts, language]}
    found = store.feature_freq(list(by_id))
    df = {key: found.get(i, 0) for i, key in by_id.items()}
    return represent_counted(analysis, (counts, surfaces), df, max(n_docs, 1), max(df[language], 1))


def compare_stored_articles(store: Store, a: Article, b: Article, settings: Settings | None = None) -> Similarity:
    """Two stored articles as clustering sees them: the score of their stored representations
    (with their dense vectors, when stored), and the shared evidence behind it."""
    settings = settings or Settings()
    stored = store.representations([a.id, b.id])
    analyses = store.analyses([a.id, b.id])
    n_docs = store.article_count()
    reps = [_store_represent(store, analyses.get(x.id) or analyze(x), n_docs) for x in (a, b)]
    fusion = fusion_for(settings, store)
    reasons = similarity(reps[0], reps[1], fusion=fusion).reasons
    if a.id in stored and b.id in stored:
        score = float(vectorized_scores(stored[a.id], [stored[b.id]], fusion)[0])
    else:  # not placed yet: weigh them now
        score = similarity(*with_vectors(reps, [a, b], encoder_of(settings)), fusion=fusion).score
    return Similarity(score=score, level=calibration().level(score), reasons=reasons)


def _side(value: Any, source: str) -> RawDocument:
    raw = raw_from_object(value, source)
    if isinstance(raw, Rejection):
        raise InputError(raw.reason, f"{source}: {raw.detail}")
    return raw


def _parse_pair(number: int, line: str) -> tuple[Any, RawDocument, RawDocument] | dict[str, Any]:
    pair_id: Any = number
    try:
        item = parse_json(line)
        if not isinstance(item, dict):
            raise InputError("bad-json", f"line {number}: expected an object")
        pair_id = item.get("id", number)
        return pair_id, _side(item.get("a"), f"line {number}: a"), _side(item.get("b"), f"line {number}: b")
    except json.JSONDecodeError as err:
        return {"id": pair_id, "error": f"bad-json: line {number}: {err}"}
    except InputError as err:
        return {"id": pair_id, "error": str(err)}


def _rejected_side(pair_id: Any, side: str, bad: Rejection) -> dict[str, Any]:
    return {"id": pair_id, "error": f"{bad.reason}: {side}" + (f": {bad.detail}" if bad.detail else "")}


def compare_pairs(lines: Iterable[str], settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """One result per input line, in input order; a bad line yields an ``error`` entry.

    Sides are cleaned and analysed in chunks through the worker pipeline (each distinct text once),
    then represented and scored here."""
    settings = settings or Settings()
    encoder = encoder_of(settings)
    fusion = fusion_for(settings)
    numbered = ((number, line) for number, line in enumerate(lines, 1) if line.strip())
    with ExitStack() as stack:
        preparer: Executor | None = None
        for chunk in batches(numbered, CHUNK):
            parsed = [_parse_pair(number, line) for number, line in chunk]
            sides = {article_id(raw): raw for item in parsed if isinstance(item, tuple) for raw in item[1:]}
            if preparer is None:
                preparer = stack.enter_context(preparer_for(settings, list(sides)))
            reps = dict(zip(sides, represent_prepared(preparer.run(list(sides.values())), encoder), strict=True))
            count_vectors(fusion, reps.values())
            for item in parsed:
                if isinstance(item, dict):
                    yield item
                    continue
                pair_id, a, b = item
                rep_a, rep_b = reps[article_id(a)], reps[article_id(b)]
                if isinstance(rep_a, Rejection):
                    yield _rejected_side(pair_id, "a", rep_a)
                elif isinstance(rep_b, Rejection):
                    yield _rejected_side(pair_id, "b", rep_b)
                else:
                    result = similarity(rep_a, rep_b, with_reasons=False, fusion=fusion)
                    yield {"id": pair_id, "score": round(result.score, 4), "level": result.level}
