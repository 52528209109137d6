"""The store as a sequential ingest's cluster writer saw it when a batch began, without the store.

A sequential ingest writes batch after batch; before batch ``b`` its store holds the document
frequencies, site statistics, vector sums, representations and postings of batches ``0..b-1``.
All of them are prefix sums over batches of what each batch adds, and none depends on where the
articles were placed: so they can be computed for every batch at once (group-bys by batch, then
running sums), and any batch's candidates and scores computed from them, in parallel
(crosswire.service.planned). ``PrefixState.as_of(b)`` answers the store reads the writer makes
(``feature_freq``, ``sharing_features``, ``representations``, ``site_lines``, the vector sums)
as the store would have before batch ``b``.

This is the writer's own store reads, re-implemented over arrays: the equivalence tests
(tests/test_planned.py) hold the two to the same answers, as the same stories.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from crosswire.represent.compact import CompactRepresentation

SiteKey = tuple[str, str]
VectorSums = dict[str, tuple[int, np.ndarray]]
SiteSums = dict[SiteKey, tuple[int, np.ndarray]]


@dataclass(frozen=True, slots=True)
class _Brief:
    site: str | None


class _Frequencies:
    """Document frequencies before each batch, from each batch's changes: one sorted array of
    (feature, batch) with running counts per feature, so a batch's look-up is two searchsorted."""

    def __init__(
        self, deltas: Sequence[tuple[np.ndarray, np.ndarray]], base: tuple[np.ndarray, np.ndarray] | None = None
    ) -> None:
        # What every batch starts from (sorted ids, counts): the stored frequencies a recluster
        # weighs against.
        self.base = base or (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        self.stride = len(deltas) + 1
        ids = np.concatenate([d[0] for d in deltas]) if deltas else np.zeros(0, dtype=np.int64)
        counts = np.concatenate([d[1] for d in deltas]) if deltas else np.zeros(0, dtype=np.int64)
        batch = np.concatenate([np.full(len(d[0]), b, dtype=np.int64) for b, d in enumerate(deltas)]) if deltas else ids
        order = np.lexsort((batch, ids))
        ids, counts, batch = ids[order], counts[order].astype(np.int64), batch[order]
        self.features, rank = np.unique(ids, return_inverse=True)
        self.keys = rank.astype(np.int64) * self.stride + batch  # ascending: by feature, then batch
        running = np.cumsum(counts)
        starts = np.searchsorted(ids, self.features)
        self.totals = running - (running[starts] - counts[starts])[rank]  # running count within each feature

    def before(self, ids: np.ndarray, batch: int) -> np.ndarray:
        """Counts of ``ids`` over the batches before ``batch``."""
        ids = np.asarray(ids, dtype=np.int64)
        out = np.zeros(len(ids), dtype=np.int64)
        base_ids, base_counts = self.base
        if len(base_ids) and len(ids):
            at = np.minimum(np.searchsorted(base_ids, ids), len(base_ids) - 1)
            found = base_ids[at] == ids
            out[found] = base_counts[at[found]]
        if not len(self.features) or not len(ids):
            return out
        rank = np.searchsorted(self.features, ids)
        known = rank < len(self.features)
        known[known] = self.features[rank[known]] == ids[known]
        at = np.searchsorted(self.keys, rank * self.stride + batch) - 1
        hit = known & (at >= 0)
        hit[hit] = self.keys[at[hit]] // self.stride == rank[hit]
        out[hit] += self.totals[at[hit]]
        return out


@dataclass
class _SiteLines:
    """Per site, the batches it appears in and its running article and line counts after each,
    over what the store held before the first (``base_docs``, ``base_lines``)."""

    batches: list[int] = field(default_factory=list)
    docs: list[int] = field(default_factory=list)
    lines: list[Counter[str]] = field(default_factory=list)
    base_docs: int = 0
    base_lines: Counter[str] = field(default_factory=Counter)

    def before(self, batch: int) -> tuple[int, Counter[str]]:
        at = bisect.bisect_left(self.batches, batch) - 1
        return (self.docs[at], self.lines[at]) if at >= 0 else (self.base_docs, self.base_lines)


class PrefixState:
    """What each batch adds, and the prefix sums over batches the writer's reads need. Filled in
    the order a planned ingest computes it: site statistics first (the site pass needs them),
    then frequencies and vector sums (weighing), then representations (candidates)."""

    def __init__(self, n_batches: int) -> None:
        self.n_batches = n_batches
        self._sites: dict[str, _SiteLines] = {}
        self._freq = _Frequencies([])
        self._language_sums: list[VectorSums] = [{} for _ in range(n_batches + 1)]
        self._site_sums: dict[SiteKey, tuple[list[int], list[tuple[int, np.ndarray]]]] = {}
        self._base_site_sums: SiteSums = {}
        self.stored_ids: list[str] = []  # stored articles in the postings, by filing number
        # Per article of the run, its nearest stored vectors (crosswire.cluster.writer).
        self.neighbours_ahead: dict[str, list[tuple[str, float]]] = {}
        self.batch_start = np.zeros(n_batches + 1, dtype=np.int64)
        self.ids: list[str] = []
        self.reps: dict[str, CompactRepresentation] = {}
        self.sites: dict[str, str | None] = {}
        self.centered = np.zeros((0, 0), dtype=np.float32)
        self.vector_positions = np.zeros(0, dtype=np.int64)
        self.vector_ids: list[str] = []
        self._posting_features = np.zeros(0, dtype=np.int64)
        self._posting_starts = np.zeros(1, dtype=np.int64)
        self._posting_positions = np.zeros(0, dtype=np.int64)

    # -- filling ---------------------------------------------------------------------------------
    def add_site_counts(
        self,
        counts: Sequence[tuple[Counter[str], Counter[tuple[str, str]]]],
        base: Mapping[str, tuple[int, Mapping[str, int]]] | None = None,
    ) -> None:
        """Each batch's articles per site and articles per (site, line key), in batch order, over
        ``base``: per site, the stored articles and the stored counts of the keys a read can ask
        for (the batches' keys, and those common enough to pass any floor on their own)."""
        for site, (docs_before, lines_before) in (base or {}).items():
            self._sites[site] = _SiteLines(base_docs=docs_before, base_lines=Counter(lines_before))
        for batch, (docs, lines) in enumerate(counts):
            by_site: dict[str, Counter[str]] = {}
            for (site, key), n in lines.items():
                by_site.setdefault(site, Counter())[key] += n
            for site in sorted(docs.keys() | by_site.keys()):
                kept = self._sites.setdefault(site, _SiteLines())
                docs_before, lines_before = kept.before(batch + 1)
                kept.batches.append(batch)
                kept.docs.append(docs_before + docs.get(site, 0))
                kept.lines.append(lines_before + by_site.get(site, Counter()))

    def add_frequencies(
        self, deltas: Sequence[tuple[np.ndarray, np.ndarray]], base: Mapping[int, int] | None = None
    ) -> None:
        """Each batch's document-frequency changes (feature ids, counts), in batch order, over
        ``base`` (the frequencies before the first batch)."""
        start = None
        if base:
            ids = np.array(sorted(base), dtype=np.int64)
            start = ids, np.array([base[i] for i in ids.tolist()], dtype=np.int64)
        self._freq = _Frequencies(deltas, start)

    def know_frequencies(self, more: Mapping[int, int]) -> None:
        """Stored frequencies of more features (those of stored candidates, read once they are
        known), added to what every batch starts from."""
        ids, counts = self._freq.base
        fresh = np.array(sorted(set(more) - set(ids.tolist())), dtype=np.int64)
        merged = np.concatenate([ids, fresh])
        order = np.argsort(merged, kind="stable")
        values = np.array([more[i] for i in fresh.tolist()], dtype=np.int64)
        self._freq.base = merged[order], np.concatenate([counts, values])[order]

    def keep_language_sums(self, sums: Mapping[str, tuple[int, np.ndarray]]) -> None:
        """The vector sums per language every batch sees (a recluster's: counted once, up front)."""
        self._language_sums = [dict(sums)] * (self.n_batches + 1)

    def add_vector_sums(
        self,
        languages: Sequence[Mapping[str, tuple[int, np.ndarray]]],
        sites: Sequence[Mapping[SiteKey, tuple[int, np.ndarray]]],
        base_languages: Mapping[str, tuple[int, np.ndarray]] | None = None,
        base_sites: Mapping[SiteKey, tuple[int, np.ndarray]] | None = None,
    ) -> None:
        """Each batch's vector-sum changes per language and per (site, language), added in order
        as the writer adds them (float sums depend on the order), to the stored sums (``base_*``)."""
        self._base_site_sums = dict(base_sites or {})
        running: VectorSums = dict(base_languages or {})
        for batch, deltas in enumerate(languages):
            self._language_sums[batch] = dict(running)
            for key, (count, total) in deltas.items():
                old_count, old_total = running.get(key, (0, np.zeros_like(total)))
                if old_total.shape != total.shape:  # another encoder's sums start again, as the store's
                    old_count, old_total = 0, np.zeros_like(total)
                running[key] = (max(old_count + count, 0), old_total + total)
        self._language_sums[len(languages)] = dict(running)
        for batch, site_deltas in enumerate(sites):
            for site_key, (count, total) in site_deltas.items():
                batches, sums = self._site_sums.setdefault(site_key, ([], []))
                old_count, old_total = (
                    sums[-1] if sums else self._base_site_sums.get(site_key, (0, np.zeros_like(total)))
                )
                if old_total.shape != total.shape:  # another encoder's sums start again, as the writer's
                    old_count, old_total = 0, np.zeros_like(total)
                batches.append(batch)
                sums.append((old_count + count, old_total + total))

    def add_representations(
        self,
        batches: Sequence[Sequence[CompactRepresentation]],
        index: Mapping[str, np.ndarray],
        centered: Mapping[str, np.ndarray],
        sites: Mapping[str, str | None],
        stored_postings: Sequence[tuple[int, int, str]] = (),
    ) -> None:
        """Every batch's weighed articles in order, their index features and centered vectors;
        ``stored_postings``: (feature, filing number, article) the store holds before them (the
        latest of each feature the batches look up)."""
        # Stored articles come first, in the order they were filed: a feature's postings are then
        # in filing order, as the store's.
        by_seq = {article: seq for _, seq, article in stored_postings}
        self.stored_ids = sorted(by_seq, key=lambda article: by_seq[article])
        self.ids = [*self.stored_ids, *(rep.article_id for batch in batches for rep in batch)]
        self.reps = {rep.article_id: rep for batch in batches for rep in batch}
        sizes = [len(self.stored_ids), *(len(batch) for batch in batches)]
        self.batch_start = np.cumsum(sizes).astype(np.int64)
        self.sites = dict(sites)
        # The writer's vector index holds the articles that have a vector, in the order placed.
        self.vector_positions = np.array([p for p, i in enumerate(self.ids) if i in centered], dtype=np.int64)
        self.vector_ids = [self.ids[p] for p in self.vector_positions.tolist()]
        if self.vector_ids:
            self.centered = np.stack([centered[i] for i in self.vector_ids]).astype(np.float32)
        # Postings as three arrays (features, where each one's run starts, positions by feature
        # then position): a dict of small arrays took most of a task's time to unpickle.
        stored_at = {article: p for p, article in enumerate(self.stored_ids)}
        filed = [np.asarray(index[article_id], dtype=np.int64) for article_id in self.ids[len(self.stored_ids) :]]
        features = np.concatenate(
            [np.array([f for f, _, _ in stored_postings], dtype=np.int64), np.zeros(0, dtype=np.int64), *filed]
        )
        positions = np.concatenate(
            [
                np.array([stored_at[a] for _, _, a in stored_postings], dtype=np.int64),
                np.repeat(np.arange(len(filed), dtype=np.int64) + len(self.stored_ids), [len(f) for f in filed]),
            ]
        )
        order = np.lexsort((positions, features))
        self._posting_features, starts = np.unique(features[order], return_index=True)
        self._posting_starts = np.append(starts, len(order)).astype(np.int64)
        self._posting_positions = positions[order]

    def know_stored(
        self,
        reps: Mapping[str, CompactRepresentation],
        sites: Mapping[str, str | None],
        site_lines: Mapping[str, tuple[int, Mapping[str, int]]],
        site_sums: Mapping[SiteKey, tuple[int, np.ndarray]],
    ) -> None:
        """What scoring the run's articles against stored candidates reads of them: their
        representations and sites, and the statistics of their sites (and languages) that the
        batches do not change (a stored candidate scored in a merge check reads its own)."""
        self.reps.update(reps)
        self.sites.update(sites)
        for site, (docs, lines) in site_lines.items():
            self._sites.setdefault(site, _SiteLines(base_docs=docs, base_lines=Counter(lines)))
        for key, sums in site_sums.items():
            self._base_site_sums.setdefault(key, sums)

    def known_sites(self) -> set[str]:
        """The sites whose statistics the state holds."""
        return set(self._sites)

    def postings(self, feature: int) -> np.ndarray | None:
        """Positions of the articles filed under ``feature``, ascending."""
        at = int(np.searchsorted(self._posting_features, feature))
        if at == len(self._posting_features) or self._posting_features[at] != feature:
            return None
        found: np.ndarray = self._posting_positions[self._posting_starts[at] : self._posting_starts[at + 1]]
        return found

    def language_sums_after(self) -> VectorSums:
        """The vector sums per language after the last batch: what the store ends up holding."""
        return dict(self._language_sums[self.n_batches])

    def site_sums_after(self) -> SiteSums:
        """The vector sums per (site, language) after the last batch (of those the batches changed)."""
        return {key: sums[-1] for key, (_, sums) in self._site_sums.items()}

    def as_of(self, batch: int) -> BatchView:
        return BatchView(self, batch)


class BatchView:
    """The reads of the cluster writer's store, answered as before batch ``batch``. Only reads:
    planning stores nothing."""

    def __init__(self, state: PrefixState, batch: int) -> None:
        self.state = state
        self.batch = batch
        self.start = int(state.batch_start[batch]) if batch < len(state.batch_start) else len(state.ids)

    def frequencies(self, ids: np.ndarray) -> np.ndarray:
        """Counts of ``ids`` (an array) before the batch."""
        return self.state._freq.before(ids, self.batch)

    def feature_freq(self, ids: Sequence[int]) -> dict[int, int]:
        wanted = np.asarray(list(ids), dtype=np.int64)
        counts = self.state._freq.before(wanted, self.batch)
        return {int(i): int(n) for i, n in zip(wanted.tolist(), counts.tolist(), strict=True) if n}

    def sharing_features(self, ids: Sequence[int], limit: int, per_feature: int = 500) -> list[tuple[str, int]]:
        shared: Counter[int] = Counter()
        for feature in ids:
            at = self.state.postings(int(feature))
            if at is None:
                continue
            end = int(np.searchsorted(at, self.start))
            shared.update(at[max(0, end - per_feature) : end].tolist())
        ranked = sorted(((self.state.ids[p], n) for p, n in shared.items()), key=lambda item: (-item[1], item[0]))
        return ranked[:limit]

    def representations(self, ids: Sequence[str]) -> dict[str, CompactRepresentation]:
        return {i: rep for i in ids if (rep := self.state.reps.get(i)) is not None}

    def article_briefs(self, ids: Sequence[str]) -> dict[str, _Brief]:
        return {i: _Brief(self.state.sites.get(i)) for i in ids if i in self.state.sites}

    def site_lines(self, site: str, min_articles: int) -> tuple[int, set[str]]:
        kept = self.state._sites.get(site)
        if kept is None:
            return 0, set()
        docs, lines = kept.before(self.batch)
        return docs, {key for key, n in lines.items() if n >= min_articles}

    def language_vector_sums(self) -> VectorSums:
        return dict(self.state._language_sums[min(self.batch, self.state.n_batches)])

    def site_vector_sums(self, keys: Sequence[SiteKey]) -> dict[SiteKey, tuple[int, np.ndarray]]:
        found = {}
        for key in keys:
            batches, sums = self.state._site_sums.get(key, ([], []))
            at = bisect.bisect_left(batches, self.batch) - 1
            if at >= 0:
                found[key] = sums[at]
            elif key in self.state._base_site_sums:
                found[key] = self.state._base_site_sums[key]
        return found

    def vectors(self) -> ExactVectors:
        """The centered vectors of the articles before the batch, as the writer's nearest-vector
        search holds them when the batch begins."""
        kept = int(np.searchsorted(self.state.vector_positions, self.start))
        return ExactVectors(self.state.vector_ids[:kept], self.state.centered[:kept])


class ExactVectors:
    """Nearest vectors by exact cosine: the writer's vector index (approximate HNSW) as planning
    uses it. On the test sets the two find the same stories (tests/test_planned.py); at scale the
    HNSW index can miss a neighbour the exact search finds. The rows before the batch are shared
    (a view), the batch's own kept apart: planning a batch copies nothing."""

    def __init__(self, ids: Sequence[str], rows: np.ndarray) -> None:
        self.ids = list(ids)
        self.base = rows if len(ids) else np.zeros((0, 0), dtype=np.float32)
        self.base_norms = np.linalg.norm(self.base, axis=1) if len(ids) else np.zeros(0, dtype=np.float32)
        self.extra: list[np.ndarray] = []

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, article_ids: Sequence[str], vectors: np.ndarray) -> None:
        self.ids += list(article_ids)
        self.extra += list(np.asarray(vectors, dtype=np.float32).reshape(len(article_ids), -1))

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        if not self.ids or k <= 0:
            return []
        query = np.asarray(vector, dtype=np.float32)
        parts, norms = [], []
        if len(self.base):
            parts.append(self.base @ query)
            norms.append(self.base_norms)
        if self.extra:
            rows = np.stack(self.extra)
            parts.append(rows @ query)
            norms.append(np.linalg.norm(rows, axis=1))
        dots, lengths = np.concatenate(parts), np.concatenate(norms) * float(np.linalg.norm(query))
        cosines = np.divide(dots, lengths, out=np.zeros(len(dots), dtype=np.float32), where=lengths > 0)
        k = min(k, len(cosines))
        best = np.argpartition(-cosines, k - 1)[:k]
        best = best[np.lexsort((best, -cosines[best]))]
        return [(self.ids[i], float(cosines[i])) for i in best.tolist()]
