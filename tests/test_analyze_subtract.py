"""Taking dropped paragraphs out of an analysis gives what analysing the rest would."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from crosswire.analyze import analyze
from crosswire.analyze.subtract import subtract
from crosswire.types import Analysis, Article

BODY = [
    "Foreign ministers of Germany and France met in Berlin on 12 March 2024 to discuss aid to Ukraine.",
    "Annalena Baerbock said that 1.5 billion euros would be released before the summer.",
    "By Maria Schulz, Reuters. Follow us on Twitter for more news from Berlin.",
    "The talks will continue in Paris next week, officials of both ministries said.",
]


def _keys(analysis: Analysis) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    mentions = (*analysis.entities, *analysis.places, *analysis.dates, *analysis.numbers, *analysis.quotes)
    return Counter((m.key, m.kind) for m in mentions), Counter(analysis.terms)


def test_subtracting_a_dropped_paragraph_matches_analysing_the_rest() -> None:
    article = Article(
        id="a" * 16, source="t", title="Ministers meet in Berlin", text="\n\n".join(BODY), language="en", published=None
    )
    kept = replace(article, text="\n\n".join(BODY[:2] + BODY[3:]))
    dropped = replace(article, title=None, text=BODY[2])
    fast = subtract(analyze(article), analyze(dropped))
    assert _keys(fast) == _keys(analyze(kept))
    assert not any(m.surface.startswith("Maria") for m in fast.entities)
