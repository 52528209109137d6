"""The cluster writer: weighs a batch of counted articles against the store's document
frequencies, places each among its candidates (inverted index over feature ids, plus nearest
dense vectors when an encoder is set), and persists the batch in a few bulk statements.

Placement is sequential (an article can join a cluster opened by the one before it), so the
batch's own placements are kept in an overlay (``_Overlay``) that candidate finding and story
sizes read along with the store; the store is written once per batch, inside the caller's
transaction. Online ingest, ``reclean`` and ``recluster`` all go through it.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from crosswire.cluster import specific
from crosswire.cluster.ann import NearestVectors, VectorIndex, open_index, vector_index_path
from crosswire.cluster.online import Candidate, ClusterPolicy, place
from crosswire.cluster.plan import Plan
from crosswire.cluster.sites import SiteMeans
from crosswire.encode.centering import LanguageCentering
from crosswire.encode.fusion import combine
from crosswire.link.vectorized import DenseRows, scores_and_lexical
from crosswire.represent.compact import (
    DOCS_KEY,
    GROUP_INDEX,
    GROUP_SHIFT,
    CompactRepresentation,
    Counted,
    key_id,
    language_key,
    represent_compact,
)
from crosswire.settings import Settings
from crosswire.store.base import Store
from crosswire.types import Assignment

# Names, organizations, quotes and terms find same-language reports; numbers, places and dates
# are most of what a translation into another script still shares with its original.
_INDEX_GROUPS = np.array([GROUP_INDEX[g] for g in "eoqtnpd"], dtype=np.int64)
# Features in more articles than this are not looked up for candidates: their posting lists grow
# with the store (p:US, n:2019) and they tell little apart, so a lookup's cost stays bounded.
MAX_POSTINGS = 5000
# Document frequencies kept in memory between batches (about 100 bytes each).
_FREQ_CACHE = 2_000_000
# Two articles of one site share its template (bylines, section names, sign-offs, the lead the
# encoder reads), which both kinds of evidence take for content: their score is discounted. Among
# the 20 largest stories of 2,000 news pages, five were one site's unrelated articles (match
# reports of one sports site, a K-pop shop's release notes, a business daily's briefs). Their
# cosine is also taken on vectors centered on the site's mean (crosswire.cluster.sites).
SAME_SITE = 0.8
SEARCH_PAGE = 2000  # vectors sent to the store's own search index per statement when it is filled
_SITE_CACHE = 200_000


def policy_of(settings: Settings) -> ClusterPolicy:
    return ClusterPolicy(
        settings.event_threshold,
        settings.story_threshold,
        settings.event_window_days,
        settings.margin_floor,
        settings.margin_ratio,
        settings.undated_event_threshold,
        settings.merge_threshold,
        settings.cluster_support,
    )


def index_features(rep: CompactRepresentation, limit: int) -> np.ndarray:
    """The most telling feature ids of an article (largest weight first, then largest id): what
    the inverted index files it under."""
    telling = np.isin(rep.ids >> GROUP_SHIFT, _INDEX_GROUPS)
    ids, weights = rep.ids[telling], rep.weights[telling]
    order = np.lexsort((-ids, -weights.astype(np.int64)))
    return ids[order[:limit]]


def frequency_changes(counted: Sequence[Counted], sign: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(feature ids, changes) of the document frequencies when ``counted`` are added (``sign``
    -1: removed), the article count and each language's included."""
    languages = np.array(
        [key_id(language_key(item.language)) for item in counted] + [key_id(DOCS_KEY)] * len(counted),
        dtype=np.int64,
    )
    ids, times = np.unique(np.concatenate([languages, *(item.ids for item in counted)]), return_counts=True)
    return ids, sign * times


class FeatureFreq:
    """Document frequencies by feature id, read from the store on demand and kept for the run as
    two sorted arrays (ids, counts): looking up a batch's ~30,000 ids is then one ``searchsorted``,
    where a dict cost a Python call per id."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.ids = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self.emptied = 0  # times the cache was emptied: ids fetched before may be gone

    def _positions(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.searchsorted(self.ids, ids)
        known = at < len(self.ids)
        known[known] = self.ids[at[known]] == ids[known]
        return at, known

    def prefetch(self, ids: np.ndarray) -> None:
        wanted = np.unique(ids)
        _, known = self._positions(wanted)
        missing = wanted[~known]
        if len(missing) == 0:
            return
        if len(self.ids) + len(missing) > _FREQ_CACHE:
            self.ids, self.counts, missing = self.ids[:0], self.counts[:0], wanted
            self.emptied += 1
        found = self.store.feature_freq(missing.tolist())
        values = np.fromiter((found.get(i, 0) for i in missing.tolist()), dtype=np.int64, count=len(missing))
        merged = np.concatenate([self.ids, missing])
        order = np.argsort(merged, kind="stable")
        self.ids, self.counts = merged[order], np.concatenate([self.counts, values])[order]

    def of(self, ids: np.ndarray) -> np.ndarray:
        """Counts of ``ids`` (0 for ids never fetched)."""
        found = np.zeros(len(ids), dtype=np.int64)
        if len(self.ids):
            at, known = self._positions(ids)
            found[known] = self.counts[at[known]]
        return found

    def get(self, feature: int) -> int:
        return int(self.of(np.array([feature], dtype=np.int64))[0])

    def add(self, ids: np.ndarray, deltas: np.ndarray) -> None:
        at, known = self._positions(ids)
        self.counts[at[known]] = np.maximum(self.counts[at[known]] + deltas[known], 0)


@dataclass
class _Overlay:
    """What this batch has placed and merged, not yet in the store."""

    reps: dict[str, CompactRepresentation] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    postings: dict[int, list[str]] = field(default_factory=dict)
    index: dict[str, np.ndarray] = field(default_factory=dict)
    merged_into: dict[str, str] = field(default_factory=dict)  # absorbed story -> the one it joined
    merges: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)  # (into, absorbed, article)

    def story(self, story_id: str) -> str:
        while story_id in self.merged_into:
            story_id = self.merged_into[story_id]
        return story_id

    # The store as it stood when the batch began (it is written once the batch is placed): what
    # the articles before in the batch read of it, the next ones need not read again.
    assigned: dict[str, Assignment | None] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)

    def stored_assignments(self, store: Store, ids: Sequence[str]) -> dict[str, Assignment]:
        missing = [i for i in ids if i not in self.assigned]
        if missing:
            found = store.assignments(missing)
            self.assigned.update({i: found.get(i) for i in missing})
        return {i: placed for i in ids if (placed := self.assigned[i]) is not None}

    def stored_sizes(self, store: Store, story_ids: Sequence[str]) -> dict[str, int]:
        missing = [i for i in story_ids if i not in self.sizes]
        if missing:
            found = store.story_sizes(missing)
            self.sizes.update({i: found.get(i, 0) for i in missing})
        return {i: self.sizes[i] for i in story_ids}

    def sharing(self, ids: Iterable[int]) -> Counter[str]:
        found: Counter[str] = Counter()
        for i in ids:
            found.update(self.postings.get(i, ()))
        return found


class ClusterWriter:
    """Places represented articles into events and stories, one batch at a time. Holds what one
    run reuses: document frequencies, recent representations, the dense-vector index."""

    CACHE = 4096  # recent representations: the likeliest candidates of the next articles

    def __init__(self, store: Store, settings: Settings, cause: str = "ingest") -> None:
        self.store = store
        self.settings = settings
        self.policy = policy_of(settings)
        self.freq = FeatureFreq(store)
        self.n_docs = store.feature_freq([key_id(DOCS_KEY)]).get(key_id(DOCS_KEY), 0)
        self.cause = cause  # what merges are recorded as
        self.absorbed: set[str] = set()  # stories merged away since the caller last looked
        self._reps: OrderedDict[str, CompactRepresentation] = OrderedDict()
        # The nearest-vector search: the HNSW index beside the store, or a plan's exact search.
        self.vectors: NearestVectors | None = None
        # A plan's nearest stored vectors per article, found ahead in the store's index (which a
        # planned run leaves as it is until it loads): merged with what ``vectors`` finds.
        self.neighbours_ahead: Mapping[str, Sequence[tuple[str, float]]] = {}
        # The store's own search index (pgvector), where it has one: vectors waiting to be sent.
        self.server_search = False
        self._search_pending: list[tuple[str, np.ndarray]] = []
        self.fresh_vectors = False  # a recluster places every article again: start the index empty
        # After recount_vectors the language sums hold every stored vector: placing the articles
        # again must not add them a second time.
        self.language_sums_final = False
        # Language means of the stored vectors, read when the first vector arrives; scores and the
        # vector index compare vectors centered on them (crosswire.encode.centering).
        self.centering: LanguageCentering | None = None
        self.fusion = settings.fusion
        # Each candidate's centered vector, kept while the language means stand (one batch).
        self._dense = DenseRows(self.fusion)
        self._site_dense: dict[tuple[str, str], np.ndarray] = {}
        self._sites: dict[str, str | None] = {}  # article id -> site name, for SAME_SITE
        self._batch_sites: dict[str, str | None] = {}
        self.site_means = SiteMeans(store)
        self._site_names: dict[str, np.ndarray] = {}  # per batch: crosswire.cluster.specific
        # The batch just weighed: article id -> FeatureFreq.emptied when its keys were fetched.
        self._weighed: dict[str, int] = {}

    # -- weighing ------------------------------------------------------------------------------
    def represent(
        self, counted: Sequence[Counted], vectors: Sequence[np.ndarray | None] | None = None
    ) -> list[CompactRepresentation]:
        """Weigh a batch against one snapshot of the document frequencies (updated per batch by
        ``count``, not per article)."""
        languages = {c.language: key_id(language_key(c.language)) for c in counted}
        self._weighed = {}
        if counted:
            self.freq.prefetch(
                np.concatenate([np.array(list(languages.values()), dtype=np.int64), *(c.ids for c in counted)])
            )
        n_docs = max(self.n_docs, 1)
        reps = []
        if vectors is not None and (first := next((v for v in vectors if v is not None), None)) is not None:
            self.center_on(len(first))
        for i, item in enumerate(counted):
            language_docs = max(self.freq.get(languages[item.language]), 1)
            rep = represent_compact(item, self.freq.of(item.ids).astype(np.float64), n_docs, language_docs)
            self._weighed[item.article_id] = self.freq.emptied
            vector = vectors[i] if vectors is not None else None
            reps.append(rep if vector is None else replace(rep, vector=vector))
        return reps

    def count(self, counted: Sequence[Counted], sign: int = 1) -> dict[int, int]:
        """Document-frequency changes of adding (or, ``sign`` -1, removing) articles."""
        if not counted:
            return {}
        ids, deltas = frequency_changes(counted, sign)
        self.freq.add(ids, deltas)
        self.n_docs += sign * len(counted)
        return dict(zip(ids.tolist(), deltas.tolist(), strict=True))

    def center_on(self, ndim: int) -> LanguageCentering:
        """The language means of the stored vectors of this length (read once per run)."""
        if self.centering is None or self.centering.ndim != ndim:
            sums = {k: v for k, v in self.store.language_vector_sums().items() if len(v[1]) == ndim}
            self.centering = LanguageCentering.for_encoder(self.settings.dense_encoder or "", ndim, sums)
            self.fusion = self.settings.fusion.with_centering(self.centering)
            self._forget_centered()
        return self.centering

    def _forget_centered(self) -> None:
        """The means moved: vectors centered on the old ones are stale."""
        self._dense.clear(self.fusion)
        self._site_dense.clear()

    def recount_vectors(self) -> None:
        """Sum the stored vectors per language again (``recluster``: every article is placed
        again, all against the same, final means)."""
        counted: LanguageCentering | None = None
        for _, vector, language in self.store.all_vectors():
            counted = counted or LanguageCentering(len(vector))
            if len(vector) == counted.ndim:  # one encoder's vectors: scoring refuses a mix anyway
                counted.add([vector], [language])
        if counted is not None:
            old = self.store.language_vector_sums()
            none = (0, np.zeros(counted.ndim))
            self.store.add_language_vector_sums(
                {
                    key: (
                        counted.sums.get(key, none)[0] - old.get(key, none)[0],
                        counted.sums.get(key, none)[1] - old.get(key, none)[1],
                    )
                    for key in counted.sums.keys() | old.keys()
                    if old.get(key, none)[1].shape == (counted.ndim,)
                }
            )
            self.language_sums_final = True
        self.centering = None

    def centered(self, rep: CompactRepresentation) -> np.ndarray:
        assert rep.vector is not None
        self.center_on(len(rep.vector))
        centered: np.ndarray = self._dense(rep).astype(np.float32)
        return centered

    # -- candidates ------------------------------------------------------------------------------
    def open_vectors(self, ndim: int) -> NearestVectors:
        """The vector index beside the store (of vectors centered on their language's mean),
        rebuilt from the stored vectors unless it holds exactly them."""
        if self.vectors is None:
            self._sync_server_search(ndim)
            index = open_index(ndim, vector_index_path(self.store.path))
            if self.fresh_vectors:
                index.clear()
            elif len(index) != self.store.vector_count():
                centering = self.center_on(ndim)
                index.rebuild(
                    (article_id, centering.center(vector[None, :], [language])[0])
                    for article_id, vector, language in self.store.all_vectors()
                    if len(vector) == ndim
                )
            self.vectors = index
        return self.vectors

    def _remember(self, rep: CompactRepresentation) -> None:
        self._reps[rep.article_id] = rep
        self._reps.move_to_end(rep.article_id)
        while len(self._reps) > self.CACHE:
            self._reps.popitem(last=False)

    def candidate_ids(self, rep: CompactRepresentation, overlay: _Overlay, filed: np.ndarray) -> list[str]:
        """The articles ``rep`` is scored against, best first: those filed under the most of its
        index features (``filed``), then its nearest vectors. Where the articles before it were
        placed does not enter: a plan (``plan``) computes them ahead of the decisions."""
        limit = self.settings.max_candidates
        if self._weighed.get(rep.article_id) != self.freq.emptied:  # a merge check's look-ups emptied it since
            self.freq.prefetch(filed)
        lookup = filed[self.freq.of(filed) <= MAX_POSTINGS].tolist()
        ranked = [
            *self.store.sharing_features(lookup, limit, self.settings.postings_per_key),
            *overlay.sharing(lookup).items(),
        ]
        # The store's top ``limit`` and the batch's own: together they hold the overall top.
        ranked.sort(key=lambda item: (-item[1], item[0]))
        ids = [article_id for article_id, _ in ranked[:limit] if article_id != rep.article_id]
        if rep.vector is not None:
            known = set(ids)
            nearest = self.open_vectors(len(rep.vector)).nearest(self.centered(rep), limit // 2)
            if ahead := self.neighbours_ahead.get(rep.article_id):
                nearest = sorted([*nearest, *ahead], key=lambda near: (-near[1], near[0]))[: limit // 2]
            for near, _ in nearest:
                if near != rep.article_id and near not in known:
                    ids.append(near)
        return ids

    def _stored_reps(self, ids: Sequence[str]) -> dict[str, CompactRepresentation]:
        """The stored representations of ``ids``, from the cache or the store (read from the
        result, not the cache: loading some can evict others)."""
        found = {i: self._reps[i] for i in ids if i in self._reps}
        loaded = self.store.representations([i for i in ids if i not in found])
        for rep in loaded.values():
            self._remember(rep)
        return found | loaded

    def candidates(
        self, rep: CompactRepresentation, overlay: _Overlay, filed: np.ndarray | None = None
    ) -> list[Candidate[CompactRepresentation]]:
        """``filed``: ``rep``'s ``index_features``, where the caller has them."""
        if filed is None:
            filed = index_features(rep, self.settings.index_keys)
        ids = self.candidate_ids(rep, overlay, filed)
        stored = [i for i in ids if i not in overlay.reps]
        reps = self._stored_reps(stored)
        assigned = overlay.stored_assignments(self.store, stored)
        out = []
        for i in ids:
            if i in overlay.assignments:
                found, placed = overlay.reps[i], overlay.assignments[i]
            elif i in reps and i in assigned:
                found, placed = reps[i], assigned[i]
            else:
                continue
            story = overlay.story(placed.story_id)  # a merge earlier in the batch moved it
            out.append(Candidate(found, placed if story == placed.story_id else replace(placed, story_id=story)))
        return out

    def _story_sizes(self, overlay: _Overlay, story_ids: Sequence[str]) -> dict[str, int]:
        merged_from: dict[str, list[str]] = {}
        for old in overlay.merged_into:
            merged_from.setdefault(overlay.story(old), []).append(old)
        everyone = sorted({s for story in story_ids for s in (story, *merged_from.get(story, ()))})
        stored = overlay.stored_sizes(self.store, everyone)
        sizes = {
            story: stored.get(story, 0) + sum(stored.get(s, 0) for s in merged_from.get(story, ()))
            for story in story_ids
        }
        for assignment in overlay.assignments.values():
            story = overlay.story(assignment.story_id)
            if story in sizes:
                sizes[story] += 1
        return sizes

    # -- placing -------------------------------------------------------------------------------
    def learn_sites(self, sites: Mapping[str, str | None]) -> None:
        """Articles' site names (pairs from one site are discounted, ``SAME_SITE``): the batch's,
        kept when the cache of the others is emptied."""
        self._batch_sites = dict(sites)
        self._sites.update(sites)

    def _same_site(self, article_id: str, found: Sequence[CompactRepresentation]) -> np.ndarray:
        """Which of ``found`` come from the site of ``article_id`` (sites unknown: none)."""
        site = self._sites.get(article_id)
        if site is None or not found:
            return np.zeros(len(found), dtype=bool)
        missing = [c.article_id for c in found if c.article_id not in self._sites]
        if missing:
            if len(self._sites) > _SITE_CACHE:
                self._sites = {**self._batch_sites, article_id: site}
            briefs = self.store.article_briefs(missing)
            self._sites.update({i: briefs[i].site if i in briefs else None for i in missing})
        return np.array([self._sites.get(c.article_id) == site for c in found], dtype=bool)

    def _site_centered(self, rep: CompactRepresentation, site: str) -> np.ndarray:
        assert rep.vector is not None
        found = self._site_dense.get((rep.article_id, site))
        if found is None:
            language_mean = self.center_on(len(rep.vector)).mean(rep.language)
            found = self.site_means.center(rep.vector, language_mean, (site, rep.language or ""))
            self._site_dense[(rep.article_id, site)] = found
        return found

    def _site_scores(
        self,
        rep: CompactRepresentation,
        found: Sequence[CompactRepresentation],
        same: np.ndarray,
        scored: np.ndarray,
        lexical: np.ndarray,
    ) -> np.ndarray:
        """``scored`` with each pair of one site scored again on site-centered vectors
        (``lexical``: the lexical scores of ``found``)."""
        site = self._sites.get(rep.article_id)
        if rep.vector is None or site is None:
            return scored
        at = [
            i for i in np.flatnonzero(same).tolist() if (v := found[i].vector) is not None and len(v) == len(rep.vector)
        ]
        if not at:
            return scored
        others = [found[i] for i in at]
        here = self._site_centered(rep, site)
        cosines = np.array([here @ self._site_centered(other, site) for other in others])
        out = scored.copy()
        out[at] = np.round(combine(lexical[at], cosines, self.fusion.weight, self.fusion.low, self.fusion.high), 6)
        return out

    def _names_of_site(self, article_id: str) -> np.ndarray:
        site = self._sites.get(article_id)
        if site is None:
            return np.zeros(0, dtype=np.int64)
        if site not in self._site_names:
            self._site_names[site] = specific.site_names(self.store, site)
        return self._site_names[site]

    def score(self, rep: CompactRepresentation, found: Sequence[CompactRepresentation]) -> np.ndarray:
        """How well ``rep`` matches each of ``found``: the fused score, pairs of one site compared
        on site-centered vectors and discounted (``SAME_SITE``), pairs of one language that share
        no rare name, place or quote discounted too, and pairs that name different places
        (``crosswire.cluster.specific``)."""
        if rep.vector is not None:  # vectors are compared centered: the means must be read first
            self.center_on(len(rep.vector))
        scored, lexical = scores_and_lexical(rep, found, self.fusion, dense_row=self._dense)
        same_site = self._same_site(rep.article_id, found)
        if same_site.any():
            scored = np.where(same_site, self._site_scores(rep, found, same_site, scored, lexical) * SAME_SITE, scored)
        if self._weighed.get(rep.article_id) != self.freq.emptied:
            self.freq.prefetch(rep.ids)  # a stored candidate's own keys when it is the one scored
        rare = specific.rare_keys(rep, self.freq.of, self.n_docs)
        vague = specific.unspecific(rep, found, rare, same_site, lambda: self._names_of_site(rep.article_id))
        scored = np.where(vague, scored * specific.UNSPECIFIC, scored)
        out: np.ndarray = np.where(specific.elsewhere(rep, found), scored * specific.ELSEWHERE, scored)
        return out

    def plan_candidates(self, reps: Sequence[CompactRepresentation]) -> list[list[str]]:
        """Each of ``reps``' candidate ids, as ``place`` finds them placing the batch in order (the
        articles before in the batch included); nothing is stored."""
        overlay = _Overlay()
        limit = self.settings.index_keys
        self._forget_centered()
        # Weighed elsewhere (crosswire.service.planned): the look-ups read the frequencies cached.
        self.freq.prefetch(np.concatenate([np.zeros(0, dtype=np.int64), *(rep.ids for rep in reps)]))
        found = []
        for rep in reps:
            filed = index_features(rep, limit)
            found.append(self.candidate_ids(rep, overlay, filed))
            overlay.reps[rep.article_id] = rep
            for i in filed.tolist():
                overlay.postings.setdefault(i, []).append(rep.article_id)
            self._keep(rep)
        return found

    def plan(
        self,
        reps: Sequence[CompactRepresentation],
        sites: Mapping[str, str | None] | None = None,
        candidates: Sequence[Sequence[str]] | None = None,
    ) -> list[Plan]:
        """What placing ``reps`` in order needs that does not depend on where the articles before
        them went: each one's candidates (``candidates``, where ``plan_candidates`` found them
        already) and its scores against them (``place`` computes the same, interleaved with its
        decisions). ``crosswire.cluster.plan.Decider`` then places them; nothing is stored."""
        if candidates is None:
            candidates = self.plan_candidates(reps)
        self.learn_sites(sites or {})
        self._site_names.clear()
        self._forget_centered()
        self.freq.prefetch(np.concatenate([np.zeros(0, dtype=np.int64), *(rep.ids for rep in reps)]))
        in_batch: dict[str, CompactRepresentation] = {}
        plans = []
        for rep, ids in zip(reps, candidates, strict=True):
            reps_stored = self._stored_reps([i for i in ids if i not in in_batch])
            found = [r for i in ids if (r := in_batch.get(i) or reps_stored.get(i)) is not None]
            chosen = tuple(other.article_id for other in found)
            plans.append(Plan(rep.article_id, rep.published, chosen, self.score(rep, found).tolist()))
            in_batch[rep.article_id] = rep
        return plans

    def place(
        self,
        reps: Sequence[CompactRepresentation],
        *,
        fresh: bool = False,
        sites: Mapping[str, str | None] | None = None,
    ) -> list[Assignment]:
        """Place ``reps`` in order and store them with their placements (inside the caller's
        transaction). ``fresh``: the articles have no postings yet. ``sites``: the articles' site
        names (pairs from one site are discounted, ``SAME_SITE``)."""
        overlay = _Overlay()
        limit = self.settings.index_keys
        self.learn_sites(sites or {})
        self._site_names.clear()  # the site statistics grow with each batch
        self._forget_centered()
        for rep in reps:
            filed = index_features(rep, limit)
            found = self.candidates(rep, overlay, filed)
            scored = self.score(rep, [c.representation for c in found]).tolist()
            placement = place(
                rep.article_id,
                rep.published,
                found,
                scored,
                self.policy,
                lambda ids: self._story_sizes(overlay, ids),
                self.score,
            )
            placed = placement.assignment
            for story in placement.absorbed:
                overlay.merged_into[story] = placed.story_id
            if placement.absorbed:
                overlay.merges.append((placed.story_id, placement.absorbed, rep.article_id))
                self.absorbed.update(placement.absorbed)
            overlay.reps[rep.article_id] = rep
            overlay.assignments[rep.article_id] = placed
            overlay.index[rep.article_id] = filed
            for i in filed.tolist():
                overlay.postings.setdefault(i, []).append(rep.article_id)
            self._keep(rep)
        placed_all = [replace(a, story_id=overlay.story(a.story_id)) for a in overlay.assignments.values()]
        self.store.put_representations(list(reps), overlay.index, fresh=fresh)
        self._send_search_vectors()
        with_vectors = [rep for rep in reps if rep.vector is not None]
        if with_vectors and self.centering is not None:
            vectors = [rep.vector for rep in with_vectors if rep.vector is not None]
            if not self.language_sums_final:
                self.store.add_language_vector_sums(self.centering.add(vectors, [rep.language for rep in with_vectors]))
            self.store.add_site_vector_sums(
                self.site_means.add(
                    [
                        ((site, rep.language or ""), rep.vector)
                        for rep in with_vectors
                        if rep.vector is not None and (site := self._sites.get(rep.article_id)) is not None
                    ]
                )
            )
            self._forget_centered()
        # Stories first (a merge moves stored articles into a story this batch opened), then the
        # merges in the order they happened, each into the story its target ended up in.
        self.store.put_placements(placed_all)
        for into, absorbed, article_id in overlay.merges:
            self.store.merge_stories(overlay.story(into), absorbed, article_id, self.cause)
        return placed_all

    def replace(self, reps: Sequence[CompactRepresentation]) -> None:
        """Store re-weighed representations of articles that keep their placement (``reclean``)."""
        limit = self.settings.index_keys
        self.store.put_representations(list(reps), {r.article_id: index_features(r, limit) for r in reps})
        for rep in reps:
            self._keep(rep)
        self._send_search_vectors()

    def _keep(self, rep: CompactRepresentation) -> None:
        """A placed or re-weighed article as the next articles' candidate: cached, and its vector
        in the nearest-neighbour index (and the store's own search index, sent after the batch's
        articles are written)."""
        self._remember(rep)
        if rep.vector is not None:
            centered = self.centered(rep)
            self.open_vectors(len(rep.vector)).add([rep.article_id], centered[None, :])
            if self.server_search:
                self._search_pending.append((rep.article_id, centered))

    def _send_search_vectors(self) -> None:
        if self._search_pending:
            self.server_search = self.store.put_search_vectors(self._search_pending)
            self._search_pending = []

    def _sync_server_search(self, ndim: int) -> None:
        """Fill the store's own search index (pgvector on a PostgreSQL server) where it can have
        one and does not hold every stored vector: a store written before the extension was
        installed, a run that ended before its vectors were sent."""
        count = self.store.search_vector_count(ndim, create=True)
        self.server_search = count is not None
        if count is None or count == self.store.vector_count():
            return
        centering = self.center_on(ndim)
        page: list[tuple[str, np.ndarray]] = []
        for article_id, vector, language in self.store.all_vectors():
            if len(vector) == ndim:
                page.append((article_id, centering.center(vector[None, :], [language])[0]))
            if len(page) >= SEARCH_PAGE:
                self.store.put_search_vectors(page)
                page = []
        self.store.put_search_vectors(page)

    def save_vectors(self, wait: bool = True) -> None:
        """Keep the vector index for the next run (after the data it mirrors is committed); with
        ``wait=False`` written in a thread of its own (crosswire.cluster.ann)."""
        if isinstance(self.vectors, VectorIndex):
            self.vectors.save(wait=wait)
