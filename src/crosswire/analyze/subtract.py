"""Take the analysis of some dropped paragraphs out of an article's analysis.

When the writer learns that a few paragraphs of an article are its site's boilerplate (a byline, a
comment-form label), analysing the whole article again cost a quarter of the writer's time at
100,000 stored articles. Analysing only the dropped paragraphs and removing what they contributed
(one occurrence per mention, term by term) gives the same keys for the rest at a small cost;
``crosswire reclean`` still analyses every article from scratch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from crosswire.types import Analysis, Mention


def _without(mentions: Sequence[Mention], dropped: Sequence[Mention]) -> tuple[Mention, ...]:
    if not dropped:
        return tuple(mentions)
    left = Counter((m.key, m.kind) for m in dropped)
    kept = []
    for mention in mentions:
        tag = (mention.key, mention.kind)
        if left[tag] > 0:
            left[tag] -= 1
        else:
            kept.append(mention)
    return tuple(kept)


def subtract(analysis: Analysis, dropped: Analysis) -> Analysis:
    """``analysis`` less what ``dropped`` (the analysis of removed paragraphs) holds."""
    left = Counter(dropped.terms)
    terms = []
    for term in analysis.terms:
        if left[term] > 0:
            left[term] -= 1
        else:
            terms.append(term)
    return replace(
        analysis,
        entities=_without(analysis.entities, dropped.entities),
        places=_without(analysis.places, dropped.places),
        dates=_without(analysis.dates, dropped.dates),
        numbers=_without(analysis.numbers, dropped.numbers),
        quotes=_without(analysis.quotes, dropped.quotes),
        terms=tuple(terms),
    )
