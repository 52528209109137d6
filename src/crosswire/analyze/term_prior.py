"""How many documents of a reference corpus use each word, per language: the background the
framing view's log-odds prior falls back on where the store is too small to know which words
are common (``crosswire.service.framing``).

A word one outlet uses once and the rest of a small story never uses is no evidence by its
counts alone; what sets 'шантаж' (blackmail) apart from 'почати' (to start) is that the language's
news rarely uses the first. The store's own counts say so once it holds enough articles of that
language; until then this table does, as the n-gram table does for the lexical features
(``crosswire.represent.prior``). It is derived by us, with crosswire's own analyzer, from the
WMT news test sets in ../shared (the same corpus as that table):

    python -m crosswire.analyze.term_prior ../shared/data/wmt

Keys are folded lemmas (``crosswire.analyze.keys.fold_term``), the unit framing counts under.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from crosswire.analyze.keys import fold_term
from crosswire.types import Analysis

NAME = "analyze_term_prior.json"


Table = dict[str, tuple[dict[str, int], int]]  # language -> (df per folded term, documents)


def parse(data: dict[str, Any]) -> Table:
    """The table from its JSON content (``build``'s output)."""
    found: Table = {}
    for language, entry in data["languages"].items():
        # stored as {df: "key key ..."}: a third of the size of {key: df}
        df = {key: int(count) for count, keys in entry["df"].items() for key in keys.split(" ")}
        found[language] = (df, int(entry["n_docs"]))
    return found


@lru_cache(maxsize=1)
def _table() -> Table:
    return parse(json.loads(files("crosswire").joinpath("data", NAME).read_text(encoding="utf-8")))


def background(language: str | None) -> tuple[dict[str, int], int]:
    """(documents using each folded term, documents) of ``language`` in the reference corpus;
    empty for a language it lacks."""
    return _table().get(language or "", ({}, 0))


def build(analyses: Iterable[Analysis]) -> dict[str, object]:
    """The table's JSON content from a corpus of analyses."""
    df: dict[str, Counter[str]] = defaultdict(Counter)
    docs: Counter[str] = Counter()
    for analysis in analyses:
        language = analysis.language or ""
        docs[language] += 1
        df[language].update({key for lemma in analysis.terms if (key := fold_term(lemma))})
    languages: dict[str, object] = {}
    for language in sorted(df):
        by_count: dict[int, list[str]] = defaultdict(list)
        for key, count in sorted(df[language].items()):
            by_count[count].append(key)
        languages[language] = {
            "n_docs": docs[language],
            "df": {str(count): " ".join(keys) for count, keys in sorted(by_count.items())},
        }
    return {"_about": "Written by crosswire.analyze.term_prior.", "languages": languages}


def main(argv: Sequence[str] | None = None) -> int:
    from crosswire.analyze import analyze_batch
    from crosswire.represent.build_prior import wmt_articles, write_data

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    table = build(analyze_batch(wmt_articles(Path(args[0]))))
    print(f"wrote {write_data(NAME, table)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
