"""Main-text extraction, per extractor, in one run: quality on the trafilatura evaluation set
(precision, recall and F over its must-contain / must-not-contain snippets) for crosswire with
each of its extractors, trafilatura alone and Resiliparse alone; extraction speed per core on
those pages and on the news-stream pages; and, on the news pages (which have no gold text), how
closely the fast path's articles match the default path's.

Scoring follows trafilatura's own evaluation: a 'with' snippet found is a true positive, missed a
false negative; a 'without' snippet found is a false positive, absent a true negative.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from functools import partial

import trafilatura

from benchmarks.common import Skip, unpacked
from crosswire.clean import EXTRACTORS, clean
from crosswire.clean.fast import extract_fast
from crosswire.clean.html import extract_html
from crosswire.errors import InputError, MissingDependency
from crosswire.ingest.decode import decode_bytes
from crosswire.types import Article, RawDocument

Case = tuple[str, str, list[str], list[str]]  # url, decoded page, must contain, must not contain


def load_cases() -> list[Case]:
    root = unpacked("data/extraction/trafilatura-eval.tar.xz") / "tests"
    cases = []
    for url, item in json.loads((root / "evaldata.json").read_text(encoding="utf-8")).items():
        for folder in ("eval", "cache"):
            path = root / folder / item["file"]
            if path.exists():
                html, _ = decode_bytes(path.read_bytes())
                cases.append((url, html, item.get("with", []), item.get("without", [])))
                break
    if not cases:
        raise Skip("no evaluation pages found")
    return cases


def news_pages(limit: int) -> list[str]:
    root = unpacked("data/news-stream/tgnews-2019-html.tar.xz")
    return [decode_bytes(path.read_bytes())[0] for path in sorted(root.rglob("*.html"))[:limit]]


def crosswire_article(extractor: str, url: str | None, html: str) -> Article | None:
    try:
        return clean(RawDocument(source=url or "bench", body=html, kind="html", url=url), extractor)
    except InputError:
        return None


def crosswire_text(extractor: str, url: str, html: str) -> str:
    article = crosswire_article(extractor, url, html)
    return f"{article.title or ''}\n{article.text}" if article else ""


def trafilatura_text(url: str, html: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def resiliparse_text(url: str, html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(html, main_content=True)


def score(extract: Callable[[str, str], str], cases: list[Case]) -> dict[str, float]:
    tp = fn = fp = tn = 0
    start = time.process_time()
    for url, html, with_snippets, without_snippets in cases:
        text = extract(url, html)
        for snippet in with_snippets:
            tp, fn = (tp + 1, fn) if snippet in text else (tp, fn + 1)
        for snippet in without_snippets:
            fp, tn = (fp + 1, tn) if snippet in text else (fp, tn + 1)
    seconds = time.process_time() - start
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


def pages_per_s(extract: Callable[[str], object], pages: list[str], repeats: int) -> float:
    """Pages per second of CPU time in this process (one core), median of ``repeats`` passes:
    CPU time, not wall time, because the machines here are shared."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        for html in pages:
            with contextlib.suppress(InputError):
                extract(html)
        times.append(time.process_time() - start)
    return len(pages) / statistics.median(times)


def _tokens(text: str) -> Counter[str]:
    return Counter(text.split())


def agreement(pages: list[str], extractor: str) -> dict[str, float]:
    """How closely ``extractor``'s articles match the default path's: token F1 of the texts (mean
    over pages), and the share of pages with the same title and the same publication date."""
    f1s, titles, dates, both = [], 0, 0, 0
    for html in pages:
        ours, theirs = crosswire_article(extractor, None, html), crosswire_article("default", None, html)
        if ours is None or theirs is None:
            f1s.append(float(ours is None and theirs is None))
            continue
        both += 1
        a, b = _tokens(ours.text), _tokens(theirs.text)
        common = sum((a & b).values())
        f1s.append(2 * common / (sum(a.values()) + sum(b.values())) if a or b else 1.0)
        titles += ours.title == theirs.title
        dates += ours.published == theirs.published
    return {"text_f1": statistics.fmean(f1s), "same_title": titles / max(both, 1), "same_date": dates / max(both, 1)}


def main() -> None:
    quick = "--quick" in sys.argv
    cases = load_cases()[: 100 if quick else None]
    news = news_pages(300 if quick else 2000)
    extractors = list(EXTRACTORS)
    try:
        extract_fast("<p>warm-up</p>")
    except MissingDependency:
        extractors.remove("fast")  # the `fast` extra is not installed: its rows are left out
    quality = {f"crosswire ({name})": score(partial(crosswire_text, name), cases) for name in extractors}
    quality["trafilatura alone"] = score(trafilatura_text, cases)
    if "fast" in extractors:
        quality["Resiliparse alone"] = score(resiliparse_text, cases)
    peer = quality["trafilatura alone"]["f"]
    default_f = quality["crosswire (default)"]["f"]
    rows = "\n".join(
        f"| {name} | {r['precision']:.3f} | {r['recall']:.3f} | **{r['f']:.3f}** | {r['f'] / peer:.3f} | "
        f"{r['f'] - default_f:+.3f} | {r['pages_per_s']:.0f} |"
        for name, r in quality.items()
    )
    pages = [html for _, html, _, _ in cases]
    functions: dict[str, Callable[[str], object]] = {"default (trafilatura + metadata)": extract_html}
    if "fast" in extractors:
        functions["fast (Resiliparse + metadata)"] = extract_fast
    functions["trafilatura `extract` alone"] = trafilatura.extract
    speed = {
        name: {"eval": pages_per_s(function, pages, 1), "news": pages_per_s(function, news, 1 if quick else 3)}
        for name, function in functions.items()
    }
    base = speed["default (trafilatura + metadata)"]
    speed_rows = "\n".join(
        f"| {name} | {s['eval']:.0f} | {s['eval'] / base['eval']:.1f}× | {s['news']:.0f} | "
        f"{s['news'] / base['news']:.1f}× |"
        for name, s in speed.items()
    )
    agree = agreement(news, "fast") if "fast" in extractors else None
    markdown = (
        f"{len(cases)} pages of the trafilatura evaluation set (`../shared/data/extraction`), scored on its "
        "must-contain / must-not-contain snippets; crosswire with each extractor (`extractor` setting, "
        "docs/cleaning.md), the whole clean included.\n\n"
        "| extractor | precision | recall | F | F / trafilatura | F − default | pages/s (1 core, whole clean) |\n"
        "|---|---|---|---|---|---|---|\n"
        f"{rows}\n\nF ratio crosswire (default) / trafilatura: **{default_f / peer:.3f}** "
        "(target ≥ 1.0; trafilatura's published F is 0.924)"
        + (
            f"; fast path F − default: **{quality['crosswire (fast)']['f'] - default_f:+.3f}** (target within 0.02)."
            if "fast" in extractors
            else "; the fast path was not measured (the `fast` extra is not installed)."
        )
        + f"\n\nExtraction alone (text and metadata, no cleaning), pages per second of CPU on one core, on the "
        f"evaluation pages (mean {sum(map(len, pages)) // len(pages):,} characters) and on {len(news)} "
        f"news-stream pages (mean {sum(map(len, news)) // len(news):,} characters, median of 3 passes):\n\n"
        "| extractor | eval pages/s | × default | news pages/s | × default |\n|---|---|---|---|---|\n"
        f"{speed_rows}\n"
    )
    if agree:
        markdown += (
            f"\nOn the {len(news)} news pages (no gold text), the fast path's articles against the default "
            f"path's: token F1 of the texts **{agree['text_f1']:.3f}** (mean per page), same title "
            f"{agree['same_title']:.1%}, same publication date {agree['same_date']:.1%}.\n"
        )
    json.dump(
        {
            "title": "Extraction quality and speed (trafilatura evaluation set, news pages)",
            "markdown": markdown,
            "crosswire": quality["crosswire (default)"],
            "trafilatura": quality["trafilatura alone"],
            "quality": quality,
            "speed": speed,
            "news_agreement": agree,
            "pages": len(cases),
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
