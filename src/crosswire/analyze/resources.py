"""Packaged data tables of the analyzer (``crosswire/data/analyze_*.json`` and friends)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load_table(name: str) -> Any:
    """A JSON table from ``crosswire/data``, parsed once per process."""
    return json.loads(files("crosswire").joinpath("data", name).read_text(encoding="utf-8"))


@cache
def stopwords(language: str) -> frozenset[str]:
    """Lower-case function words of a language (empty for languages without a list)."""
    return frozenset(load_table("analyze_stopwords.json").get(language, "").split())
