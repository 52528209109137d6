"""Shared keys and per-group cosines of two representations."""

from __future__ import annotations

from collections.abc import Mapping, Set


def shared_keys(a: Mapping[str, float], b: Mapping[str, float]) -> Set[str]:
    """Keys in both (a C-level set intersection: the hot loops then see only shared keys)."""
    return b.keys() & a.keys()


def group_cosines(a: Mapping[str, float], b: Mapping[str, float], shared: Set[str] | None = None) -> dict[str, float]:
    """Cosine per feature group (the key's first letter). Each group is L2-normalized in the
    representation, so the cosine is the dot product over shared keys."""
    sums: dict[str, float] = {}
    for key in shared_keys(a, b) if shared is None else shared:
        group = key[0]
        sums[group] = sums.get(group, 0.0) + a[key] * b[key]
    return sums
