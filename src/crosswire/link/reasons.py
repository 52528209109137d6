"""Shared evidence two articles have, as reasons a person can check: the key both articles
yield and the form each used, strongest first."""

from __future__ import annotations

from collections.abc import Set

from crosswire.represent import analysis_key
from crosswire.types import Reason, Representation

KINDS = {"e": "entity", "o": "org", "p": "place", "d": "date", "n": "number", "q": "quote", "t": "term"}
MAX_REASONS = 15


def shared_reasons(
    a: Representation, b: Representation, weights: dict[str, float], shared_keys: Set[str], limit: int = MAX_REASONS
) -> tuple[Reason, ...]:
    """``shared_keys`` of the groups in ``KINDS``, weighted by ``weights[group]`` times the keys'
    weights in both articles; names, places, dates, numbers and quotes before terms. A full name is
    left out when its surname is shared too (the surname reason says the same)."""
    fa, fb = a.features, b.features
    shared = [k for k in shared_keys if k[0] in KINDS and weights.get(k[0], 0.0) > 0.0]
    shared_set = set(shared)
    scored = []
    for key in shared:
        if key[0] == "e" and "_" in key and "e:" + key.rsplit("_", 1)[1] in shared_set:
            continue
        scored.append((weights[key[0]] * fa[key] * fb[key], key))
    scored.sort(key=lambda wk: (wk[1][0] == "t", -wk[0], wk[1]))
    return tuple(
        Reason(
            kind=KINDS[key[0]],
            key=analysis_key(key),
            a=a.surfaces.get(key, key[2:]),
            b=b.surfaces.get(key, key[2:]),
            weight=round(weight, 4),
        )
        for weight, key in scored[:limit]
    )
