"""Translation retrieval: for each document in language X, rank every document in language Y by
similarity and see where its own translation lands. P@1 (share ranked first) and MRR (mean
reciprocal rank of the true translation), per ordered language pair and per domain.

Input is JSON Lines, one document per line, in any of these shapes:

- generic: ``{"id": ..., "domain": optional, "texts": {"en": "...", "de": ["para", ...]}}``;
- WMT 2021/2022 (``../shared/data/wmt``): ``{doc_id, domain, src_lang, src_segs, ref_en_A[, ref_en_B]}``:
  the source segments in ``src_lang`` and, per ``ref_<lang>_<system>`` key, a translation into
  ``<lang>`` (the first system in name order, so ``ref_en_A``);
- WMT 2024: ``{doc_id, domain, en: [...], ru: [...], ...}``: one list of paragraphs per language
  (keys that look like language codes and hold lists).

A list of segments or paragraphs becomes one text, paragraphs separated by blank lines. A domain
equal to the document's own id (as WMT 2021 news documents have) counts as no domain. Every
document is represented once; a document without both languages of a pair, or whose text in
either could not be cleaned, is left out of that pair (as query and as candidate).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosswire.errors import CrosswireError, InputError
from crosswire.evaluate.metrics import Ranked, rank_of
from crosswire.ingest.decode import parse_json
from crosswire.link import similarity
from crosswire.types import RawDocument, Rejection, Representation

_LANGUAGE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
_REFERENCE = re.compile(r"^ref_([a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?)_(\w+)$")
_NOT_TEXT = {"id", "doc_id", "domain", "origlang", "src_lang"}

# Cleans, analyses and represents a batch (crosswire.service.represent_documents), in order.
Representer = Callable[[Sequence[RawDocument]], list[Representation | Rejection]]
Scorer = Callable[[Representation, Representation], float]


def similarity_score(a: Representation, b: Representation) -> float:
    return similarity(a, b, with_reasons=False).score


@dataclass(frozen=True, slots=True)
class EvalDocument:
    id: str
    domain: str | None
    texts: Mapping[str, str]  # language -> text


@dataclass(frozen=True, slots=True)
class Direction:
    query: str
    target: str

    @property
    def name(self) -> str:
        return f"{self.query}-{self.target}"

    @classmethod
    def parse(cls, spec: str) -> Direction:
        parts = [part.strip().lower() for part in spec.split("-")]
        if len(parts) != 2 or not all(_LANGUAGE.match(part) for part in parts) or parts[0] == parts[1]:
            raise CrosswireError(f"bad language pair {spec!r}: expected two different codes, as ru-en")
        return cls(parts[0], parts[1])


@dataclass
class DirectionResult:
    direction: Direction
    candidates: int  # documents with both languages: the queries, and the pool each is ranked in
    overall: Ranked = field(default_factory=Ranked)
    domains: dict[str | None, Ranked] = field(default_factory=dict)
    left_out: Counter[str] = field(default_factory=Counter)  # documents not in the pool, by reason


@dataclass
class RetrievalReport:
    path: str
    documents: int
    languages: Counter[str]  # documents per language
    skipped: Counter[str] = field(default_factory=Counter)  # input lines not read, by reason
    rejected: Counter[str] = field(default_factory=Counter)  # texts that could not be cleaned, by reason
    results: list[DirectionResult] = field(default_factory=list)


class _Skip(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "\n\n".join(part.strip() for part in value if part.strip()) or None
    return None


def _texts(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for language, value in pairs:
        text = _text(value)
        if text is not None and language.lower() not in texts:
            texts[language.lower()] = text
    return texts


def parse_document(item: Any) -> EvalDocument:
    """One JSON object in any of the supported shapes; raises _Skip with a reason."""
    if not isinstance(item, dict):
        raise _Skip("not-an-object")
    if "texts" in item:
        if not isinstance(item["texts"], dict):
            raise _Skip("bad-texts")
        texts = _texts((str(key), value) for key, value in item["texts"].items())
    elif "src_lang" in item and "src_segs" in item:
        pairs = [(str(item["src_lang"]), item["src_segs"])]
        for key in sorted(item):
            match = _REFERENCE.match(key)
            if match:
                pairs.append((match.group(1), item[key]))
        texts = _texts(pairs)
    else:
        # Only lists here: a string under a short key may be a url or a tag, not a text.
        texts = _texts(
            (key, value)
            for key, value in item.items()
            if key not in _NOT_TEXT and isinstance(value, list) and _LANGUAGE.match(key)
        )
    raw_id = item.get("id", item.get("doc_id"))
    if raw_id is None or str(raw_id).strip() == "":
        raise _Skip("no-id")
    if not texts:
        raise _Skip("no-texts")
    doc_id = str(raw_id).strip()
    domain = item.get("domain")
    domain = None if domain is None or str(domain).strip() in ("", doc_id) else str(domain).strip()
    return EvalDocument(doc_id, domain, texts)


def read_documents(path: Path) -> tuple[list[EvalDocument], Counter[str]]:
    """The documents of a JSON Lines file, and counts of lines skipped by reason."""
    if not path.is_file():
        raise InputError("missing", f"{path}: no such file")
    documents: list[EvalDocument] = []
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                document = parse_document(parse_json(line))
            except json.JSONDecodeError:
                skipped["bad-json"] += 1
                continue
            except _Skip as skip:
                skipped[skip.reason] += 1
                continue
            if document.id in seen:
                skipped["duplicate-id"] += 1
                continue
            seen.add(document.id)
            documents.append(document)
    return documents, skipped


def choose_directions(
    documents: Sequence[EvalDocument], requested: Sequence[Direction] | None = None, all_pairs: bool = False
) -> list[Direction]:
    """``requested``, else every ordered pair of languages found together (``all_pairs``), else
    every other language to English, else (no English) every ordered pair."""
    together: set[tuple[str, str]] = set()
    for document in documents:
        together.update((x, y) for x in document.texts for y in document.texts if x != y)
    languages = sorted({language for document in documents for language in document.texts})
    if requested:
        for direction in requested:
            if (direction.query, direction.target) not in together:
                raise CrosswireError(
                    f"{direction.name}: no document has both languages (languages found: {', '.join(languages)})"
                )
        return list(dict.fromkeys(requested))
    if len(languages) < 2:
        raise CrosswireError(
            f"retrieval needs documents in two or more languages; found only {', '.join(languages) or 'none'}"
        )
    if "en" in languages and not all_pairs:
        return [Direction(x, "en") for x in languages if x != "en" and (x, "en") in together]
    return [Direction(x, y) for x in languages for y in languages if (x, y) in together]


def evaluate_retrieval(
    path: Path,
    represent: Representer,
    *,
    directions: Sequence[Direction] | None = None,
    all_pairs: bool = False,
    score: Scorer = similarity_score,
    on_item: Callable[[int], None] | None = None,
) -> RetrievalReport:
    """Rank, for each chosen direction X-Y, every Y text against each X text."""
    documents, skipped = read_documents(path)
    if not documents:
        reasons = ", ".join(f"{n} {reason}" for reason, n in skipped.most_common())
        raise InputError("empty", f"{path}: no documents" + (f" (lines skipped: {reasons})" if reasons else ""))
    chosen = choose_directions(documents, directions, all_pairs)
    report = RetrievalReport(str(path), len(documents), Counter(lang for d in documents for lang in d.texts), skipped)
    needed = {language for direction in chosen for language in (direction.query, direction.target)}
    keys = [
        (i, language)
        for i, document in enumerate(documents)
        for language in sorted(needed)
        if language in document.texts
    ]
    raws = [
        RawDocument(source=f"{documents[i].id}/{language}", body=documents[i].texts[language], language=language)
        for i, language in keys
    ]
    reps = dict(zip(keys, represent(raws), strict=True))
    report.rejected.update(rep.reason for rep in reps.values() if isinstance(rep, Rejection))
    for direction in chosen:
        report.results.append(_rank(documents, reps, direction, score, on_item))
    return report


def _rank(
    documents: Sequence[EvalDocument],
    reps: Mapping[tuple[int, str], Representation | Rejection],
    direction: Direction,
    score: Scorer,
    on_item: Callable[[int], None] | None,
) -> DirectionResult:
    members: list[int] = []
    queries: list[Representation] = []
    pool: list[Representation] = []
    left_out: Counter[str] = Counter()
    for i, _document in enumerate(documents):
        query, target = reps.get((i, direction.query)), reps.get((i, direction.target))
        if query is None or target is None:
            left_out["missing-language"] += 1
        elif isinstance(query, Rejection) or isinstance(target, Rejection):
            left_out["not-cleaned"] += 1
        else:
            members.append(i)
            queries.append(query)
            pool.append(target)
    result = DirectionResult(direction, len(members), left_out=left_out)
    for position, (i, query) in enumerate(zip(members, queries, strict=True)):
        scores = [score(query, candidate) for candidate in pool]
        rank = rank_of(scores, position)
        result.overall.add(rank)
        result.domains.setdefault(documents[i].domain, Ranked()).add(rank)
        if on_item:
            on_item(1)
    return result
