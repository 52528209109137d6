"""Clustering quality: B-cubed precision, recall and F1 of stored stories (and events) against
gold groups, scored on the gold items only (distractors in the store count only through the gold
items they pull into the wrong cluster).

Gold comes in the document formats of ``crosswire.evaluate.retrieval``: each document with its
texts in several languages is one group (the WMT 2024 file: 170 groups of ten languages). A gold
item is matched to a stored article by content: its text is turned into a raw document exactly
as ``ingest --ingest`` would store it, and its id is the content hash.

B-cubed (Bagga and Baldwin, 1998): for each item, precision is the share of its cluster that is in
its gold group, recall the share of its gold group that is in its cluster; both are averaged
over items and F1 is their harmonic mean.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from crosswire.clean import article_id
from crosswire.evaluate.retrieval import read_documents
from crosswire.types import RawDocument


@dataclass(frozen=True, slots=True)
class GoldItem:
    group: str
    raw: RawDocument


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    items: int


@dataclass
class ClustersReport:
    stories: BCubed | None
    events: BCubed | None
    gold_items: int
    groups: int
    missing: int = 0  # gold items not in the store (never ingested, or rejected)
    skipped: Counter[str] = field(default_factory=Counter)


def gold_items(path: Path) -> tuple[list[GoldItem], Counter[str]]:
    """One item per text of each gold document; a text that occurs in two groups is ambiguous
    (its content hash would name one article) and is skipped."""
    documents, skipped = read_documents(path)
    items: list[GoldItem] = []
    for document in documents:
        for language, text in sorted(document.texts.items()):
            source = f"{path.name}:{document.id}:{language}"
            items.append(GoldItem(document.id, RawDocument(source=source, body=text, language=language)))
    groups_of: defaultdict[str, set[str]] = defaultdict(set)
    for item in items:
        groups_of[article_id(item.raw)].add(item.group)
    kept, seen = [], set()
    for item in items:
        key = article_id(item.raw)
        if len(groups_of[key]) > 1:
            skipped["ambiguous-text"] += 1
        elif key in seen:
            skipped["duplicate-text"] += 1
        else:
            seen.add(key)
            kept.append(item)
    return kept, skipped


def bcubed(gold: Mapping[str, Hashable], predicted: Mapping[str, Hashable]) -> BCubed | None:
    """B-cubed over the items of ``gold`` that ``predicted`` has; None when there are none."""
    items = [item for item in gold if item in predicted]
    if not items:
        return None
    gold_members: defaultdict[Hashable, set[str]] = defaultdict(set)
    predicted_members: defaultdict[Hashable, set[str]] = defaultdict(set)
    for item in items:
        gold_members[gold[item]].add(item)
        predicted_members[predicted[item]].add(item)
    precision = recall = 0.0
    for item in items:
        cluster, group = predicted_members[predicted[item]], gold_members[gold[item]]
        both = len(cluster & group)
        precision += both / len(cluster)
        recall += both / len(group)
    precision, recall = precision / len(items), recall / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(items))
