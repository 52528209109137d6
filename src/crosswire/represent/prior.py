"""A reference table of n-gram document frequencies, added to the store's own counts as
pseudo-documents.

Without document frequencies every n-gram weighs the same, and the few that all texts of a
language share ('^the', 'ung$', 'ння$') swamp the ones that tell articles apart; a fresh store has
too few articles to know which are which. The table (``crosswire/data/analyze_df_prior.json``)
holds the n-grams in at least ``MIN_DF`` documents of the WMT news test sets in ../shared; see
``crosswire.represent.build_prior``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

NAME = "analyze_df_prior.json"
MIN_DF = 20
GROUP = "g:"


@lru_cache(maxsize=1)
def prior() -> tuple[dict[str, int], int]:
    """(document frequency per feature key, number of documents) of the reference corpus."""
    data = json.loads(files("crosswire").joinpath("data", NAME).read_text(encoding="utf-8"))
    return {GROUP + gram: df for gram, df in data["g"].items()}, int(data["n_docs"])
