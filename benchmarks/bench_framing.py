"""What the framing view (crosswire.service.framing) costs when a story page or ``show`` is read.

    python -m benchmarks framing                        # ingests 1,500 news-stream pages first
    python -m benchmarks.bench_framing STORE.db [N ...]  # an existing store, printed only

Over a store ingested from news-stream pages, the latest N stored articles (100, 300 and 500)
are taken as one story's members (any articles will do: the cost is in reading their analyses,
folding their lemmas, the store's counts of those words and the log-odds per outlet), and
``framing_of`` is timed: the fastest of 5 runs after a warm-up (the warm-up also loads the
background table, ``crosswire.analyze.term_prior``, once per process). Framing is computed when read
only: ingest does none of this work. The pages are ingested with the lexical engine alone
(``encoder = "none"``): the framing view reads no vectors, and the ingest is only the setting.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import unpacked
from crosswire.service import ingest_paths
from crosswire.service.framing import framing_of
from crosswire.settings import Settings
from crosswire.store import SQLiteStore, open_store
from crosswire.store.base import Store

SIZES = (100, 300, 500)
PAGES = 1500


def timings(store: Store, sizes: list[int]) -> list[dict[str, float]]:
    members = [m for ms in store.story_summary_members(store.story_ids()).values() for m in ms]
    members.sort(key=lambda m: (m.published or "", m.article_id))
    rows = []
    for size in sizes:
        chosen = members[-size:]
        framing_of(store, "bench", chosen)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            found = framing_of(store, "bench", chosen)
            runs.append(time.perf_counter() - start)
        rows.append({"articles": len(chosen), "outlets": len(found.outlets), "ms": min(runs) * 1000})
    return rows


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--quick"]
    if args:  # an existing store: print only
        store = open_store(args[0], create=False)
        for row in timings(store, [int(n) for n in args[1:]] or list(SIZES)):
            print(f"{row['articles']:.0f} articles, {row['outlets']:.0f} outlets: {row['ms']:.0f} ms (fastest of 5)")
        return 0
    quick = "--quick" in argv
    pages = sorted(unpacked("data/news-stream/tgnews-2019-html.tar.xz").rglob("*.html"))[: 300 if quick else PAGES]
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "framing.db"
        store = SQLiteStore(db)
        report = ingest_paths(store, pages, Settings(db=str(db), encoder="none"))
        rows = timings(store, [100] if quick else list(SIZES))
        stories = len(store.story_ids())
        store.close()
    table = "\n".join(f"| {r['articles']:.0f} | {r['outlets']:.0f} | {r['ms']:.0f} ms |" for r in rows)
    markdown = (
        f"Store of the first {len(pages)} news-stream pages ({report.added} articles, {stories} stories; lexical "
        "engine: the view reads no vectors). The latest N stored articles are taken as one story's members and "
        "`crosswire.service.framing.framing_of` is timed (fastest of 5 after a warm-up): reading their analyses, "
        "folding their lemmas and linking the names among them, one query for the store's counts of those words, "
        "the background table's counts, and the log-odds for every outlet. Added to reading a story page or "
        "`show`, not to ingest; words and voices read at most the latest 500 articles, so the cost stops growing "
        "there.\n\n"
        f"| articles | outlets | framing |\n|---:|---:|---:|\n{table}"
    )
    json.dump({"title": "Framing at read time (story page, `show`)", "markdown": markdown, "rows": rows}, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
