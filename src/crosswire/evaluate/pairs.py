"""Graded pairs: how well crosswire's score follows human judgements, on a SemEval-2022 Task 8
CSV (``pair_id, lang1, lang2, text1, text2, …, Overall``; Overall 1 = very similar .. 4 = very
dissimilar). Pearson's r of the score against −Overall, so higher is better, for native pairs
(both parts of ``pair_id`` all digits) and for all rows (ids with a language suffix, such as
``1484039360it_1484180228it``, are machine-translated copies), overall and per language pair."""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crosswire.errors import InputError
from crosswire.evaluate.metrics import pearson

REQUIRED = ("pair_id", "lang1", "lang2", "text1", "text2", "Overall")
OVERALL = "overall"
# Scores pairs given as `compare --pairs` input lines; yields {"id", "score"} or {"id", "error"}
# per line, in input order (crosswire.service.compare_pairs).
LineScorer = Callable[[Iterable[str]], Iterable[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class PairRow:
    pair_id: str
    lang1: str
    lang2: str
    text1: str
    text2: str
    overall: float  # 1 very similar .. 4 very dissimilar

    @property
    def native(self) -> bool:
        """Both articles as published (no machine-translated side)."""
        return all(part.isdigit() for part in self.pair_id.split("_"))

    @property
    def language_pair(self) -> str:
        return f"{self.lang1}-{self.lang2}"


@dataclass(frozen=True, slots=True)
class Correlation:
    n: int
    pearson: float | None  # None where undefined (n < 3 or a constant side)


@dataclass
class PairsReport:
    path: str
    rows: int  # rows evaluated (after --native-only and --limit)
    scored: int
    skipped: Counter[str] = field(default_factory=Counter)  # rows that could not be read, by reason
    failed: Counter[str] = field(default_factory=Counter)  # rows read but not scored, by reason
    # "native" and "all" (absent with --native-only) -> {"overall" | "de-en" | ...: Correlation}
    subsets: dict[str, dict[str, Correlation]] = field(default_factory=dict)


def _field_limit() -> None:
    limit = sys.maxsize
    while True:  # the largest the platform's C long takes
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def read_pairs(
    path: Path, *, native_only: bool = False, limit: int | None = None
) -> tuple[list[PairRow], Counter[str]]:
    """Rows of a SemEval-2022 Task 8 CSV, and counts of rows skipped by reason. A missing file or
    a missing required column is an InputError."""
    if not path.is_file():
        raise InputError("missing", f"{path}: no such file")
    _field_limit()
    rows: list[PairRow] = []
    skipped: Counter[str] = Counter()
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise InputError(
                "bad-csv",
                f"{path}: missing column(s) {', '.join(missing)}; a SemEval-2022 "
                f"Task 8 CSV needs {', '.join(REQUIRED)}",
            )
        for record in reader:
            if limit is not None and len(rows) >= limit:
                break
            values = [record.get(name) for name in REQUIRED]
            if any(value is None for value in values):
                skipped["short-row"] += 1
                continue
            pair_id, lang1, lang2, text1, text2, overall = (str(v) for v in values)
            try:
                judged = float(overall)
            except ValueError:
                judged = math.nan
            if not math.isfinite(judged):
                skipped["bad-overall"] += 1
                continue
            row = PairRow(pair_id.strip(), lang1.strip().lower(), lang2.strip().lower(), text1, text2, judged)
            if native_only and not row.native:
                continue
            rows.append(row)
    return rows, skipped


def _lines(rows: list[PairRow]) -> Iterator[str]:
    for number, row in enumerate(rows):
        yield json.dumps(
            {
                "id": number,
                "a": {"text": row.text1, "language": row.lang1 or None},
                "b": {"text": row.text2, "language": row.lang2 or None},
            },
            ensure_ascii=False,
        )


def _correlations(scored: list[tuple[PairRow, float]]) -> dict[str, Correlation]:
    groups: dict[str, list[tuple[PairRow, float]]] = defaultdict(list)
    for row, score in scored:
        groups[row.language_pair].append((row, score))
    result = {OVERALL: _correlation(scored)}
    result.update({name: _correlation(groups[name]) for name in sorted(groups)})
    return result


def _correlation(scored: list[tuple[PairRow, float]]) -> Correlation:
    return Correlation(len(scored), pearson([s for _, s in scored], [-row.overall for row, _ in scored]))


def evaluate_pairs(
    path: Path,
    score_lines: LineScorer,
    *,
    native_only: bool = False,
    limit: int | None = None,
    on_item: Callable[[int], None] | None = None,
) -> PairsReport:
    """Score every row with ``score_lines`` and correlate the scores with the human Overall."""
    rows, skipped = read_pairs(path, native_only=native_only, limit=limit)
    if not rows:
        raise InputError("empty", f"{path}: no pairs to evaluate")
    report = PairsReport(str(path), rows=len(rows), scored=0, skipped=skipped)
    scored: list[tuple[PairRow, float]] = []
    for result in score_lines(_lines(rows)):
        row = rows[int(result["id"])]
        if "score" in result:
            scored.append((row, float(result["score"])))
        else:
            report.failed[str(result.get("error", "failed")).split(":", 1)[0]] += 1
        if on_item:
            on_item(1)
    report.scored = len(scored)
    report.subsets["native"] = _correlations([item for item in scored if item[0].native])
    if not native_only:
        report.subsets["all"] = _correlations(scored)
    return report
