"""Cleaning speed on the 7,830 news-stream pages: crosswire's clean + language + dates (HTML
extraction, text cleaning, language, publication and mentioned dates) against trafilatura's
extraction alone, in one run; peak memory of the crosswire workers."""

from __future__ import annotations

import json
import sys
from multiprocessing import get_context

import trafilatura

from benchmarks.common import median_time, peak_rss_mib, unpacked
from crosswire.clean import clean
from crosswire.clean.dates import find_date_mentions
from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes
from crosswire.types import RawDocument


def load_pages(limit: int | None) -> list[bytes]:
    root = unpacked("data/news-stream/tgnews-2019-html.tar.xz")
    paths = sorted(root.rglob("*.html"))[:limit]
    return [path.read_bytes() for path in paths]


def crosswire_pages(pages: list[bytes]) -> tuple[int, float]:
    ok = 0
    for data in pages:
        try:
            html, _ = decode_bytes(data)
            article = clean(RawDocument(source="bench", body=html, kind="html"))
            find_date_mentions(article.text, article.language, article.published)
            ok += 1
        except InputError:
            pass
    return ok, peak_rss_mib()


def trafilatura_pages(pages: list[bytes]) -> int:
    return sum(1 for data in pages if trafilatura.extract(data))


def _split(pages: list[bytes], parts: int) -> list[list[bytes]]:
    return [pages[i::parts] for i in range(parts)]


def main() -> None:
    quick = "--quick" in sys.argv
    pages = load_pages(300 if quick else None)
    crosswire_pages(pages[:50])  # load models and caches once, as a long run would
    one_s, (ok, _) = median_time(lambda: crosswire_pages(pages), 1 if quick else 3)
    with get_context("fork").Pool(2) as pool:
        two_s, results = median_time(lambda: pool.map(crosswire_pages, _split(pages, 2)), 1 if quick else 3)
    peer_s, peer_ok = median_time(lambda: trafilatura_pages(pages), 1 if quick else 3)
    n = len(pages)
    ours_1, ours_2, peer = n / one_s, n / two_s, n / peer_s
    rss = max(r[1] for r in results)
    markdown = (
        f"{n} news-stream pages (`../shared/data/news-stream`, HTML, ~5,200 English, ~2,600 Russian).\n\n"
        "| pipeline | pages/s | articles out |\n|---|---|---|\n"
        f"| crosswire clean + language + dates, 1 process | {ours_1:.0f} | {ok} |\n"
        f"| crosswire clean + language + dates, 2 processes | **{ours_2:.0f}** | {sum(r[0] for r in results)} |\n"
        f"| trafilatura `extract` alone, 1 process | {peer:.0f} | {peer_ok} |\n\n"
        f"Ratio crosswire (1 process) / trafilatura alone: **{ours_1 / peer:.2f}**; "
        f"2 processes / trafilatura on 1: {ours_2 / peer:.2f}. Target ≥ 200 pages/s on 2 cores. "
        f"Peak memory per crosswire worker: {rss:.0f} MiB."
    )
    json.dump(
        {
            "title": "Cleaning speed (news-stream pages)",
            "markdown": markdown,
            "pages": n,
            "crosswire_1": ours_1,
            "crosswire_2": ours_2,
            "trafilatura": peer,
            "peak_rss_mib": rss,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
