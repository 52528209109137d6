"""A regression set of words the analyzer once took for places: given names and surnames
(Николай, Dominik, Mauricio), adjectives and common words (Малое, Mal, ceci), words of one language
that spell a place in another (Island, Seule, indienen), each in a snippet of a real page
(``false_places.json``). None may be that place again, and the true places beside them must still
be found."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crosswire.analyze import analyze
from crosswire.types import Article, Mention

_CASES: list[dict[str, Any]] = json.loads((Path(__file__).parent / "false_places.json").read_text(encoding="utf-8"))[
    "cases"
]
_WITH_PLACES = [case for case in _CASES if case.get("places")]


def _places(case: dict[str, Any]) -> tuple[Mention, ...]:
    article = Article(id="t", source="test", title=None, text=case["text"], language=case["lang"], published=None)
    return analyze(article).places


def _id(case: dict[str, Any]) -> str:
    return f"{case['lang']}-{'-'.join(case['false'])}"


@pytest.mark.parametrize("case", _CASES, ids=[_id(c) for c in _CASES])
def test_a_false_place_is_not_that_place(case: dict[str, Any]) -> None:
    wrong = {(surface, key) for surface, keys in case["false"].items() for key in keys}
    found = {(m.surface, m.key) for m in _places(case)}
    assert not found & wrong


@pytest.mark.parametrize("case", _WITH_PLACES, ids=[_id(c) for c in _WITH_PLACES])
def test_the_true_places_beside_them_are_found(case: dict[str, Any]) -> None:
    assert set(case["places"]) <= {m.key for m in _places(case)}


def test_the_set_comes_from_real_pages_in_many_languages() -> None:
    assert len(_CASES) >= 30
    assert len({case["lang"] for case in _CASES}) >= 10
    assert {case["source"].split("/")[0] for case in _CASES} == {"news-stream", "wmt", "semeval2022-task8"}
