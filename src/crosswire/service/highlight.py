"""What two compared articles share, located in each text: the forms each article used for the
entities, places, dates, numbers and quotes of a comparison's reasons, as spans a face can mark.

The result is plain text in pieces (never markup): a face escapes every piece and wraps the
marked ones itself, so nothing from an article's text is ever taken as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from crosswire.types import Analysis, Reason

# Reasons whose forms appear in the text as written (terms are lemmas: rarely the text's own form).
MARKED_KINDS = frozenset({"person", "org", "entity", "place", "date", "number", "quote"})
_MENTION_FIELDS = ("entities", "places", "dates", "numbers", "quotes")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text; ``key`` and ``kind`` say which shared evidence it is, when it is;
    ``said`` the quote group it is part of when both compared texts quote that statement."""

    text: str
    kind: str | None = None
    key: str | None = None
    said: str | None = None


Paragraph = tuple[Piece, ...]


def shared_forms(reasons: Iterable[Reason], analysis: Analysis | None, side: str) -> dict[str, tuple[str, str]]:
    """Surface form -> (kind, key) for one side ("a" or "b") of a comparison: the form the
    reason names, and every other form that article used for the same key."""
    keys: dict[str, str] = {}
    forms: dict[str, tuple[str, str]] = {}
    for reason in reasons:
        if reason.kind in MARKED_KINDS:
            keys.setdefault(reason.key, reason.kind)
            form = reason.a if side == "a" else reason.b
            if form.strip():
                forms.setdefault(form, (reason.kind, reason.key))
    if analysis is not None:
        for name in _MENTION_FIELDS:
            for mention in getattr(analysis, name):
                if mention.key in keys and mention.surface.strip():
                    forms.setdefault(mention.surface, (keys[mention.key], mention.key))
    return forms


def _pattern(forms: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(set(forms), key=lambda form: (-len(form), form))  # the longest form wins
    if not ordered:
        return None
    # Whole words only: 'США' inside a longer word, or '15' inside '2015', is not the evidence.
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(form) for form in ordered) + r")(?!\w)")


def mark(text: str, forms: Mapping[str, tuple[str, str]]) -> Paragraph:
    """``text`` cut into pieces, the occurrences of ``forms`` marked with their kind and key."""
    pattern = _pattern(forms)
    if pattern is None or not text:
        return (Piece(text),) if text else ()
    pieces: list[Piece] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() > last:
            pieces.append(Piece(text[last : match.start()]))
        kind, key = forms[match.group()]
        pieces.append(Piece(match.group(), kind, key))
        last = match.end()
    if last < len(text):
        pieces.append(Piece(text[last:]))
    return tuple(pieces)


def mark_paragraphs(text: str, forms: Mapping[str, tuple[str, str]]) -> tuple[Paragraph, ...]:
    """Each paragraph of ``text`` (separated by blank lines) as marked pieces."""
    return tuple(mark(paragraph, forms) for paragraph in text.split("\n\n") if paragraph.strip())
