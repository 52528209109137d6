"""Specific evidence: what tells one happening from a topic.

Two reports of one happening in one language name the same people, organizations or places, or
quote the same words, and most of those keys are rare in the collection. Reports that share only
a topic (weather forecasts for different cities, road accidents in different regions, one site's
match reports of different games) share vocabulary, numbers, dates and country names, and the
encoder finds them alike too: among the 20 largest stories of 2,000 news pages, the members of
the four topic stories had no rare key in common with any of their three closest members in
about half the cases, those of the real stories almost never.

So a pair of one language that shares no rare name, place or quote is discounted (``UNSPECIFIC``).
A key is rare when at most ``RARE_SHARE`` of the stored articles hold it (``RARE_FLOOR`` at least:
a new store knows too little to say). Two articles of one site must share more than the site
itself: its places (a local site names its city in most reports; a shop its shipping countries)
and the names in at least ``SITE_NAME_SHARE`` of its articles (a business daily's "Di Live"
byline) do not count. Pairs of two languages are left alone: there a missing shared key says
little, since names are spelled, and found, differently (two thirds of the WMT 2024 translation
pairs share no rare key).

A pair that names places finer than a country on both sides, and none of them on both, is
discounted too (``ELSEWHERE``), in any pair of languages: place keys are the gazetteer's, one key
whatever the language ('Одеса', 'Одесса' and 'Odesa' are 'odesa'). Reports of one happening
name where it happened; forecasts for Kyiv and for Moscow, or road accidents in Dagestan and on
the Kola bridge, name different places. Countries and regions wider than one (Europe, the West)
do not count: a global story (a product launch) names the country of each outlet.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence
from functools import cache

import numpy as np

from crosswire.analyze.resources import load_table
from crosswire.clean.site import NAME_PREFIX
from crosswire.link.vectorized import find_shared
from crosswire.represent.compact import GROUP_INDEX, GROUP_SHIFT, CompactRepresentation, key_ids
from crosswire.represent.features import feature_key
from crosswire.store.base import Store

_GROUPS = np.array([GROUP_INDEX[g] for g in "eopq"], dtype=np.int64)
_PLACES = GROUP_INDEX["p"]
RARE_SHARE = 0.01
RARE_FLOOR = 10
UNSPECIFIC = 0.75
# Measured on the first 2,000 news-stream pages: it split ten stories of three or more, each
# time taking out a report of another happening (the road accidents of several regions, an
# Odesa anniversary from the Zolote disengagement), and moved no WMT 2024 mix figure. It costs
# the writer about 0.2 ms an article (4.2 -> 4.4 ms replaying 997 prepared pages).
ELSEWHERE = 0.85
SITE_NAME_MIN = 3
SITE_NAME_SHARE = 0.1
_ENTITY_LINES = NAME_PREFIX + "entities:"


def rare_keys(rep: CompactRepresentation, counts: Callable[[np.ndarray], np.ndarray], n_docs: int) -> np.ndarray:
    """The ids of ``rep``'s names, places and quotes held by few stored articles (``counts``:
    their document frequencies)."""
    own = rep.ids[np.isin(rep.ids >> GROUP_SHIFT, _GROUPS)]
    rare: np.ndarray = own[counts(own) <= max(RARE_FLOOR, RARE_SHARE * n_docs)]
    return rare


def site_names(store: Store, site: str) -> np.ndarray:
    """Feature ids of the names in at least ``SITE_NAME_SHARE`` of the site's articles (and
    ``SITE_NAME_MIN``), from the site statistics the site pass keeps."""
    total, _ = store.site_lines(site, 2**62)
    floor = max(SITE_NAME_MIN, int(SITE_NAME_SHARE * total + 0.999))
    keys = [key[len(_ENTITY_LINES) :] for key in store.site_lines(site, floor)[1] if key.startswith(_ENTITY_LINES)]
    if not keys:
        return np.zeros(0, dtype=np.int64)
    ids: np.ndarray = np.unique(key_ids([feature_key(k, "org" if k.startswith("org:") else "entity") for k in keys]))
    return ids


def unspecific(
    rep: CompactRepresentation,
    others: Sequence[CompactRepresentation],
    rare: np.ndarray,
    same_site: np.ndarray,
    names_of_site: Callable[[], np.ndarray],
) -> np.ndarray:
    """Which of ``others`` (in ``rep``'s language) share none of ``rare`` with ``rep``; for
    those of its site (``same_site``), none but its places and the site's own names."""
    out = np.zeros(len(others), dtype=bool)
    same_language = [i for i, other in enumerate(others) if other.language == rep.language]
    if not same_language:
        return out
    of_site = rare
    if same_site[same_language].any():
        of_site = rare[(rare >> GROUP_SHIFT) != _PLACES]
        of_site = of_site[~np.isin(of_site, names_of_site())]
    # All candidates' keys in one array and one lookup per key set (a test per candidate cost
    # about a millisecond an article in the writer); only the shared keys find their candidate.
    ids = np.concatenate([others[i].ids for i in same_language])
    ends = np.cumsum([len(others[i].ids) for i in same_language])

    def sharing(keys: np.ndarray) -> np.ndarray:
        shared = find_shared(keys, ids)[0] if len(keys) else np.zeros(0, dtype=np.intp)
        held: np.ndarray = np.bincount(np.searchsorted(ends, shared, side="right"), minlength=len(same_language)) > 0
        return held

    share_rare = sharing(rare)
    share_site = share_rare if of_site is rare else sharing(of_site)
    for j, i in enumerate(same_language):
        out[i] = not (share_site[j] if same_site[i] else share_rare[j])
    return out


@cache
def _broad_places() -> np.ndarray:
    """Feature ids of places no finer than a country: every ISO 3166 code (the gazetteer keys
    countries by theirs) and the regions it counts as no country (Europe, the Middle East)."""
    letters = string.ascii_uppercase
    wide = [key for key, place in load_table("places_cities.json")["places"].items() if place["country"] is None]
    keys = [feature_key(code, "place") for code in [a + b for a in letters for b in letters] + wide]
    ids: np.ndarray = np.unique(key_ids(keys))
    return ids


def _fine_places(ids: np.ndarray) -> np.ndarray:
    """The positions in ``ids`` of places finer than a country."""
    at = np.flatnonzero((ids >> GROUP_SHIFT) == _PLACES)
    found: np.ndarray = at[~np.isin(ids[at], _broad_places())]
    return found


def elsewhere(rep: CompactRepresentation, others: Sequence[CompactRepresentation]) -> np.ndarray:
    """Which of ``others`` name places finer than a country, none of which ``rep`` names, while
    ``rep`` names some: reports of happenings in different places."""
    out = np.zeros(len(others), dtype=bool)
    mine = rep.ids[_fine_places(rep.ids)]
    if not len(mine) or not others:
        return out
    # All candidates' keys in one array, as in ``unspecific``: a test per candidate costs more.
    ids = np.concatenate([other.ids for other in others])
    fine = _fine_places(ids)
    owner = np.searchsorted(np.cumsum([len(other.ids) for other in others]), fine, side="right")
    named = np.bincount(owner, minlength=len(others)) > 0
    shared = np.bincount(owner[np.isin(ids[fine], mine)], minlength=len(others)) > 0
    out[:] = named & ~shared
    return out
