"""Main-text extraction quality on the trafilatura evaluation set: precision, recall and F over its
must-contain / must-not-contain snippets, for crosswire and for trafilatura alone, in one run.

Scoring follows trafilatura's own evaluation: a 'with' snippet found is a true positive, missed a
false negative; a 'without' snippet found is a false positive, absent a true negative.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable

import trafilatura

from benchmarks.common import Skip, unpacked
from crosswire.clean import clean
from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes
from crosswire.types import RawDocument


def load_cases() -> list[tuple[str, bytes, list[str], list[str]]]:
    root = unpacked("data/extraction/trafilatura-eval.tar.xz") / "tests"
    cases = []
    for url, item in json.loads((root / "evaldata.json").read_text(encoding="utf-8")).items():
        for folder in ("eval", "cache"):
            path = root / folder / item["file"]
            if path.exists():
                cases.append((url, path.read_bytes(), item.get("with", []), item.get("without", [])))
                break
    if not cases:
        raise Skip("no evaluation pages found")
    return cases


def crosswire_text(url: str, data: bytes) -> str:
    try:
        html, _ = decode_bytes(data)
        article = clean(RawDocument(source=url, body=html, kind="html", url=url))
    except InputError:
        return ""
    return f"{article.title or ''}\n{article.text}"


def trafilatura_text(url: str, data: bytes) -> str:
    return trafilatura.extract(data, url=url) or ""


def score(extract: Callable[[str, bytes], str], cases: list) -> dict[str, float]:  # type: ignore[type-arg]
    tp = fn = fp = tn = 0
    start = time.perf_counter()
    for url, data, with_snippets, without_snippets in cases:
        text = extract(url, data)
        for snippet in with_snippets:
            tp, fn = (tp + 1, fn) if snippet in text else (tp, fn + 1)
        for snippet in without_snippets:
            fp, tn = (fp + 1, tn) if snippet in text else (fp, tn + 1)
    seconds = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f_score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / (tp + tn + fp + fn)
    return {
        "precision": precision,
        "recall": recall,
        "f": f_score,
        "accuracy": accuracy,
        "pages_per_s": len(cases) / seconds,
    }


def main() -> None:
    cases = load_cases()
    if "--quick" in sys.argv:
        cases = cases[:100]
    ours = score(crosswire_text, cases)
    peer = score(trafilatura_text, cases)
    rows = "\n".join(
        f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f']:.3f}** | {r['accuracy']:.3f} | "
        f"{r['pages_per_s']:.0f} |"
        for name, r in (("crosswire", ours), ("trafilatura alone", peer))
    )
    markdown = (
        f"{len(cases)} pages of the trafilatura evaluation set (`../shared/data/extraction`), scored on its "
        "must-contain / must-not-contain snippets.\n\n"
        "| extractor | precision | recall | F | accuracy | pages/s (1 core) |\n|---|---|---|---|---|---|\n"
        f"{rows}\n\nF ratio crosswire / trafilatura: **{ours['f'] / peer['f']:.3f}** "
        "(target ≥ 1.0; trafilatura's published F is 0.924)."
    )
    json.dump(
        {
            "title": "Extraction quality (trafilatura evaluation set)",
            "markdown": markdown,
            "crosswire": ours,
            "trafilatura": peer,
            "pages": len(cases),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
