"""The use cases every face (CLI, API, web) calls. The faces hold no logic of their own."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.analyze import analyze
from crosswire.clean import article_id, clean, clean_batch
from crosswire.clean.site import article_line_keys, drop_site_boilerplate, site_of
from crosswire.cluster import Candidate, ClusterPolicy, assign
from crosswire.cluster.summary import summarize_story
from crosswire.encode import Encoder, encode_articles, get_encoder
from crosswire.errors import CrosswireError, InputError
from crosswire.evaluate import pairs as _pairs_eval
from crosswire.evaluate import retrieval as _retrieval_eval
from crosswire.ingest.files import raw_from_object, read_file, read_paths
from crosswire.link import similarity
from crosswire.pipeline import Prepared, Preparer
from crosswire.represent import feature_keys, represent
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import (
    Analysis,
    Article,
    Assignment,
    RawDocument,
    Rejection,
    Representation,
    Similarity,
    StorySummary,
)

# Key families that identify what an article is about; dates, numbers, places and n-grams are
# too common to retrieve candidates with.
_INDEX_FAMILIES = ("e:", "o:", "q:", "t:")


@dataclass
class IngestReport:
    added: int = 0
    present: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    stories: set[str] = field(default_factory=set)

    @property
    def seen(self) -> int:
        return self.added + self.present + sum(self.rejected.values())


class _StoreDocFreq(Mapping[str, int]):
    """Document frequencies read from the store on demand and kept for the run."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self.cache: dict[str, int] = {}

    def prefetch(self, keys: Iterable[str]) -> None:
        missing = [key for key in set(keys) if key not in self.cache]
        if missing:
            found = self.store.doc_freq(missing)
            for key in missing:
                self.cache[key] = found.get(key, 0)

    def add(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.cache[key] = self.cache.get(key, 0) + 1

    def __getitem__(self, key: str) -> int:
        if key not in self.cache:
            self.prefetch([key])
        return self.cache[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.cache)

    def __len__(self) -> int:
        return len(self.cache)


def index_keys(rep: Representation, limit: int) -> list[str]:
    """The most telling keys of an article: what the inverted index files it under."""
    keyed = [(weight, key) for key, weight in rep.features.items() if key.startswith(_INDEX_FAMILIES)]
    return [key for _, key in sorted(keyed, reverse=True)[:limit]]


class _StoreCandidates:
    def __init__(self, store: SQLiteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    def candidates(self, rep: Representation) -> list[Candidate]:
        ranked = self.store.sharing_keys(index_keys(rep, self.settings.index_keys), self.settings.max_candidates)
        ids = [article_id for article_id, _ in ranked if article_id != rep.article_id]
        reps = self.store.representations(ids)
        assigned = self.store.assignments(ids)
        return [Candidate(reps[i], assigned[i]) for i in ids if i in reps and i in assigned]


def encoder_of(settings: Settings) -> Encoder | None:
    """The configured dense encoder, loaded once per process; None for lexical-only settings."""
    return get_encoder(settings.encoder) if settings.encoder else None


def with_vectors(
    reps: Sequence[Representation], articles: Sequence[Article], encoder: Encoder | None
) -> list[Representation]:
    """``reps`` with the dense vectors of their ``articles`` (one encoder call per batch)."""
    if encoder is None or not reps:
        return list(reps)
    vectors = encode_articles(encoder, articles)
    return [replace(rep, vector=vector) for rep, vector in zip(reps, vectors, strict=True)]


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class _Writer:
    """Turns prepared articles into stored, represented and clustered ones, inside the caller's
    transaction. Holds what one run reuses: document frequencies, site boilerplate, candidates."""

    def __init__(self, store: SQLiteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.doc_freq = _StoreDocFreq(store)
        self.n_docs = store.article_count()
        self.policy = ClusterPolicy(settings.event_threshold, settings.story_threshold, settings.event_window_days)
        self.finder = _StoreCandidates(store, settings)
        self.encoder = encoder_of(settings)
        self._boilerplate: dict[str, set[str]] = {}
        self._pending: Counter[str] = Counter()  # document-frequency changes not yet written

    def new_batch(self) -> None:
        self._boilerplate.clear()  # site statistics moved on with the last batch

    def flush(self) -> None:
        """Write the batch's document-frequency changes in one statement (call in the transaction)."""
        if self._pending:
            self.store.count_keys(self._pending)
            self._pending.clear()

    def site_pass(self, article: Article, analysis: Analysis) -> tuple[Article, Analysis]:
        """Drop lines that recur across the site's stored articles; re-analyse if any went."""
        site = site_of(article)
        if site is None:
            return article, analysis
        if site not in self._boilerplate:
            self._boilerplate[site] = self.store.site_boilerplate(
                site, self.settings.boilerplate_min_docs, self.settings.boilerplate_min_share
            )
        trimmed = drop_site_boilerplate(article, self._boilerplate[site])
        return (article, analysis) if trimmed is article else (trimmed, analyze(trimmed))

    def vectors(self, articles: Sequence[Article]) -> list[np.ndarray | None]:
        if self.encoder is None:
            return [None] * len(articles)
        return list(encode_articles(self.encoder, articles))

    def represent(self, analysis: Analysis, vector: np.ndarray | None) -> tuple[Representation, list[str]]:
        counted = list(feature_keys(analysis))
        self.doc_freq.prefetch(counted)
        rep = represent(analysis, self.doc_freq, max(self.n_docs, 1))
        return (rep if vector is None else replace(rep, vector=vector)), counted

    def score(self, a: Representation, b: Representation) -> Similarity:
        return similarity(a, b, with_reasons=False, fusion=self.settings.fusion)  # reasons cost more

    def add(self, raw: RawDocument, article: Article, analysis: Analysis, vector: np.ndarray | None) -> Assignment:
        rep, counted = self.represent(analysis, vector)
        self.store.add_raw(article.id, raw)
        self.store.put_article(article)
        self.store.put_analysis(analysis)
        placed = assign(rep, self.finder.candidates(rep), self.policy, self.score)
        self.store.put_representation(rep, index_keys(rep, self.settings.index_keys))
        self._count(counted)
        site = site_of(article)
        if site is not None:
            self.store.count_site_lines(site, article_line_keys(article))
        self.store.new_story(placed.story_id)
        self.store.new_event(placed.event_id, placed.story_id)
        self.store.assign(placed)
        return placed

    def replace(self, article: Article, analysis: Analysis, vector: np.ndarray | None) -> None:
        """Store a re-cleaned article; its cluster assignment stays (``recluster`` moves it)."""
        old = self.store.analysis(article.id)
        if old is not None:
            stale = list(feature_keys(old))
            self.doc_freq.prefetch(stale)
            for key in stale:
                self.doc_freq.cache[key] = max(self.doc_freq.cache[key] - 1, 0)
                self._pending[key] -= 1
            self.n_docs -= 1
        rep, counted = self.represent(analysis, vector)
        self.store.put_article(article)
        self.store.put_analysis(analysis)
        self.store.put_representation(rep, index_keys(rep, self.settings.index_keys))
        self._count(counted)

    def _count(self, keys: list[str]) -> None:
        self._pending.update(keys)
        self.doc_freq.add(keys)
        self.n_docs += 1


def _preparer(settings: Settings, first_batch: Sequence[Any]) -> Preparer:
    workers = settings.workers
    if workers < 0:  # auto: worker processes pay off only beyond one batch
        workers = (os.cpu_count() or 1) if len(first_batch) >= settings.batch_size else 0
    return Preparer(workers, settings.document_timeout, settings.language_codes)


def _split(prepared: Sequence[Prepared]) -> tuple[list[tuple[Article, Analysis]], list[Rejection]]:
    done = [item for item in prepared if not isinstance(item, Rejection)]
    return done, [item for item in prepared if isinstance(item, Rejection)]


def ingest(
    store: SQLiteStore,
    items: Iterable[RawDocument | Rejection],
    settings: Settings,
    on_item: Callable[[int], None] | None = None,
) -> IngestReport:
    """Clean, analyse, represent, cluster and store ``items``, one transaction per batch."""
    report = IngestReport()
    writer = _Writer(store, settings)
    with ExitStack() as stack:
        preparer: Preparer | None = None
        for batch in _batches(items, settings.batch_size):
            if preparer is None:
                preparer = stack.enter_context(_preparer(settings, batch))
            rejections = [item for item in batch if isinstance(item, Rejection)]
            raws = [item for item in batch if isinstance(item, RawDocument)]
            ids = [article_id(raw) for raw in raws]
            present = store.existing_ids(ids)
            fresh: dict[str, RawDocument] = {}
            for raw, raw_id in zip(raws, ids, strict=True):
                if raw_id in present or raw_id in fresh:
                    report.present += 1
                else:
                    fresh[raw_id] = raw
            done, failed = _split(preparer.run(list(fresh.values())))
            rejections += failed
            writer.new_batch()
            done = [writer.site_pass(article, analysis) for article, analysis in done]
            vectors = writer.vectors([article for article, _ in done])
            with store.transaction():
                for rejection in rejections:
                    store.add_rejection(rejection)
                for (article, analysis), vector in zip(done, vectors, strict=True):
                    report.stories.add(writer.add(fresh[article.id], article, analysis, vector).story_id)
                writer.flush()
            report.added += len(done)
            for rejection in rejections:
                report.rejected[rejection.reason] += 1
            report.rejections += rejections
            if on_item:
                on_item(len(batch))
    return report


@dataclass
class RecleanReport:
    checked: int = 0
    changed: int = 0
    failed: Counter[str] = field(default_factory=Counter)


def reclean(store: SQLiteStore, settings: Settings, on_item: Callable[[int], None] | None = None) -> RecleanReport:
    """Clean every stored article again from its raw input, with today's rules and the site
    statistics gathered since; store those that changed. An article whose input no longer cleans
    keeps its stored version and is counted as failed."""
    report = RecleanReport()
    writer = _Writer(store, settings)
    ids = store.all_article_ids()
    with ExitStack() as stack:
        preparer = stack.enter_context(_preparer(settings, ids[: settings.batch_size]))
        for chunk in _batches(ids, settings.batch_size):
            raws = [raw for raw in (store.raw(i) for i in chunk) if raw is not None]
            done, failed = _split(preparer.run(raws))
            for rejection in failed:
                report.failed[rejection.reason] += 1
            writer.new_batch()
            done = [writer.site_pass(article, analysis) for article, analysis in done]
            changed = [(article, analysis) for article, analysis in done if article != store.article(article.id)]
            vectors = writer.vectors([article for article, _ in changed])
            with store.transaction():
                for (article, analysis), vector in zip(changed, vectors, strict=True):
                    writer.replace(article, analysis, vector)
                writer.flush()
            report.changed += len(changed)
            report.checked += len(raws)
            if on_item:
                on_item(len(chunk))
    return report


def ingest_paths(
    store: SQLiteStore, paths: Sequence[str | Path], settings: Settings, on_item: Callable[[int], None] | None = None
) -> IngestReport:
    return ingest(store, read_paths(paths), settings, on_item)


def clean_paths(paths: Sequence[str | Path]) -> Iterator[Article | Rejection]:
    """Clean files without storing them."""
    for batch in _batches(read_paths(paths), 64):
        raws = [item for item in batch if isinstance(item, RawDocument)]
        cleaned = iter(clean_batch(raws))
        for item in batch:
            yield item if isinstance(item, Rejection) else next(cleaned)


# -- stories -------------------------------------------------------------------------------
def stories(store: SQLiteStore) -> list[StorySummary]:
    grouped: dict[str, list[Any]] = {}
    for member in store.all_assignments():
        grouped.setdefault(member.story_id, []).append(member)
    summaries = []
    for story_id in store.story_ids():
        members = grouped[story_id]
        summaries.append(summarize_story(story_id, members, store.articles([m.article_id for m in members])))
    return summaries


def story(store: SQLiteStore, story_id: str) -> StorySummary:
    members = store.story_members(story_id)
    if not members:
        raise CrosswireError(f"no story {story_id!r} in {store.path}")
    return summarize_story(story_id, members, store.articles([m.article_id for m in members]))


# -- compare -------------------------------------------------------------------------------
def _article_from_file(path: Path) -> Article:
    for item in read_file(path):
        if isinstance(item, Rejection):
            raise InputError(item.reason, f"{item.source}: {item.detail}" if item.detail else item.source)
        return clean(item)
    raise InputError("empty", str(path))


def resolve_article(ref: str, store: SQLiteStore | None) -> Article:
    """``ref`` is a file, or the id (or an unambiguous prefix) of a stored article."""
    path = Path(ref)
    if path.is_file():
        return _article_from_file(path)
    if store is not None:
        matches = store.find_article_ids(ref)
        if len(matches) == 1:
            found = store.article(matches[0])
            if found:
                return found
        if len(matches) > 1:
            raise CrosswireError(f"{ref}: more than one stored article starts with this id")
    raise InputError("missing", f"{ref}: no such file or stored article")


def compare_articles(a: Article, b: Article, settings: Settings | None = None) -> Similarity:
    settings = settings or Settings()
    reps = with_vectors([represent(analyze(a)), represent(analyze(b))], [a, b], encoder_of(settings))
    return similarity(reps[0], reps[1], fusion=settings.fusion)


def _side(value: Any, source: str) -> RawDocument:
    raw = raw_from_object(value, source)
    if isinstance(raw, Rejection):
        raise InputError(raw.reason, f"{source}: {raw.detail}")
    return raw


_PAIR_CHUNK = 256


def _represent_prepared(prepared: Sequence[Prepared], encoder: Encoder | None) -> list[Representation | Rejection]:
    """Representations (with vectors when an encoder is set) of prepared documents, without a
    store; a Rejection stays in its place."""
    done = [item for item in prepared if not isinstance(item, Rejection)]
    reps = iter(with_vectors([represent(analysis) for _, analysis in done], [article for article, _ in done], encoder))
    return [item if isinstance(item, Rejection) else next(reps) for item in prepared]


def _parse_pair(number: int, line: str) -> tuple[Any, RawDocument, RawDocument] | dict[str, Any]:
    pair_id: Any = number
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise InputError("bad-json", f"line {number}: expected an object")
        pair_id = item.get("id", number)
        return pair_id, _side(item.get("a"), f"line {number}: a"), _side(item.get("b"), f"line {number}: b")
    except json.JSONDecodeError as err:
        return {"id": pair_id, "error": f"bad-json: line {number}: {err}"}
    except InputError as err:
        return {"id": pair_id, "error": str(err)}


def compare_pairs(lines: Iterable[str], settings: Settings | None = None) -> Iterator[dict[str, Any]]:
    """One result per input line, in input order; a bad line yields an ``error`` entry.

    Sides are cleaned and analysed in chunks through the worker pipeline (each distinct text once),
    then represented and scored here."""
    settings = settings or Settings()
    encoder = encoder_of(settings)
    numbered = ((number, line) for number, line in enumerate(lines, 1) if line.strip())
    with ExitStack() as stack:
        preparer: Preparer | None = None
        for chunk in _batches(numbered, _PAIR_CHUNK):
            parsed = [_parse_pair(number, line) for number, line in chunk]
            sides = {article_id(raw): raw for item in parsed if isinstance(item, tuple) for raw in item[1:]}
            if preparer is None:
                preparer = stack.enter_context(_preparer(settings, list(sides)))
            reps = dict(zip(sides, _represent_prepared(preparer.run(list(sides.values())), encoder), strict=True))
            for item in parsed:
                if isinstance(item, dict):
                    yield item
                    continue
                pair_id, a, b = item
                rep_a, rep_b = reps[article_id(a)], reps[article_id(b)]
                bad = next((r for r in (rep_a, rep_b) if isinstance(r, Rejection)), None)
                if bad is not None:
                    side = "a" if bad is rep_a else "b"
                    yield {"id": pair_id, "error": f"{bad.reason}: {side}" + (f": {bad.detail}" if bad.detail else "")}
                else:
                    result = similarity(rep_a, rep_b, with_reasons=False, fusion=settings.fusion)  # type: ignore[arg-type]
                    yield {"id": pair_id, "score": round(result.score, 4), "level": result.level}


# -- evaluation ----------------------------------------------------------------------------
# crosswire.evaluate holds the readers and metrics; the cleaning, analysis and scoring it
# measures are the ones `compare --pairs` uses, passed in from here.


def represent_documents(
    raws: Sequence[RawDocument], settings: Settings, on_item: Callable[[int], None] | None = None
) -> list[Representation | Rejection]:
    """Clean and analyse ``raws`` through the worker pipeline (each once), then represent them
    without a store; a document that cannot be cleaned comes back as its Rejection, in place."""
    results: list[Representation | Rejection] = []
    encoder = encoder_of(settings)
    with _preparer(settings, raws) as preparer:
        for chunk in _batches(raws, _PAIR_CHUNK):
            results += _represent_prepared(preparer.run(chunk), encoder)
            if on_item:
                on_item(len(chunk))
    return results


def evaluate_pairs(
    path: Path,
    settings: Settings,
    *,
    native_only: bool = False,
    limit: int | None = None,
    on_item: Callable[[int], None] | None = None,
) -> _pairs_eval.PairsReport:
    """Pearson of the pair score against human judgements on a SemEval-2022 Task 8 CSV, scored as
    `compare --pairs` scores (see crosswire.evaluate.pairs)."""
    return _pairs_eval.evaluate_pairs(
        path, lambda lines: compare_pairs(lines, settings), native_only=native_only, limit=limit, on_item=on_item
    )


def evaluate_retrieval(
    path: Path,
    settings: Settings,
    *,
    pairs: Sequence[str] = (),
    all_pairs: bool = False,
    on_item: Callable[[int], None] | None = None,
) -> _retrieval_eval.RetrievalReport:
    """P@1 and MRR of finding each document's translation among all candidates, per language
    pair (``pairs`` as "ru-en"; default every other language to English) and per domain (see
    crosswire.evaluate.retrieval)."""
    if pairs and all_pairs:
        raise CrosswireError("give either --pairs or --all-pairs, not both")
    directions = [_retrieval_eval.Direction.parse(spec) for spec in pairs]
    return _retrieval_eval.evaluate_retrieval(
        path,
        lambda raws: represent_documents(raws, settings, on_item),
        directions=directions or None,
        all_pairs=all_pairs,
        on_item=on_item,
    )
