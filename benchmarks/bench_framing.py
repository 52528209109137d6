"""What the framing view (crosswire.service.framing) costs when a story page or ``show`` is read.

    python -m benchmarks.bench_framing STORE.db [ARTICLES ...]

Over a store ingested from news-stream pages, the latest ARTICLES stored articles (default 100,
300 and 500) are taken as one story's members (any articles will do: the cost is in reading
their analyses, folding their lemmas, the store's counts of those words and the log-odds per
outlet), and ``framing_of`` is timed: the fastest of 5 runs after a warm-up. Framing is computed
when read only: ingest does none of this work.
"""

from __future__ import annotations

import sys
import time

from crosswire.service.framing import framing_of
from crosswire.store import open_store


def main(argv: list[str]) -> int:
    store = open_store(argv[0], create=False)
    sizes = [int(n) for n in argv[1:]] or [100, 300, 500]
    members = [m for ms in store.story_summary_members(store.story_ids()).values() for m in ms]
    members.sort(key=lambda m: (m.published or "", m.article_id))
    for size in sizes:
        chosen = members[-size:]
        framing_of(store, "bench", chosen)
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            found = framing_of(store, "bench", chosen)
            runs.append(time.perf_counter() - start)
        print(f"{len(chosen)} articles, {len(found.outlets)} outlets: {min(runs) * 1000:.0f} ms (fastest of 5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
