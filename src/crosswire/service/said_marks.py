"""Quotes two compared articles share (one quote group), marked in both texts.

The compare page's text is already cut into marked pieces (crosswire.service.highlight); here the
pieces inside a shared quote are cut again at the quote's ends and carry the group's id
(``Piece.said``), so a face can mark the statement in both texts and tie the two together.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from crosswire.link.quote_groups import QuoteGroup
from crosswire.service.highlight import Paragraph, Piece


def shared_quotes(groups: Sequence[QuoteGroup], a_id: str, b_id: str) -> dict[str, list[tuple[int, int, str]]]:
    """Per article id, the (start, end, group id) of its quotes whose group the other has too."""
    spans: dict[str, list[tuple[int, int, str]]] = {a_id: [], b_id: []}
    for group in groups:
        ids = {m.article_id for m in group.members}
        if a_id in ids and b_id in ids:
            for member in group.members:
                spans[member.article_id].append((member.quote.start, member.quote.end, group.id))
    return spans


def _paragraph_starts(text: str) -> list[int]:
    """Offsets of the paragraphs ``mark_paragraphs`` keeps (the non-blank ones)."""
    starts, at = [], 0
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            starts.append(at)
        at += len(paragraph) + 2
    return starts


def _cut(piece: Piece, offset: int, spans: Sequence[tuple[int, int, str]]) -> list[Piece]:
    """``piece`` (at ``offset`` in the text) cut where quotes begin and end."""
    end = offset + len(piece.text)
    bounds = sorted({offset, end, *(p for s, e, _ in spans for p in (s, e) if offset < p < end)})
    cut = []
    for left, right in itertools.pairwise(bounds):
        inside = next((group for s, e, group in spans if s <= left and right <= e), None)
        cut.append(replace(piece, text=piece.text[left - offset : right - offset], said=inside))
    return cut


def mark_said(
    text: str, paragraphs: Sequence[Paragraph], spans: Sequence[tuple[int, int, str]]
) -> tuple[Paragraph, ...]:
    """``paragraphs`` (``mark_paragraphs(text, ...)``) with the pieces inside ``spans`` cut out
    and marked with the span's group id."""
    if not spans:
        return tuple(paragraphs)
    marked = []
    for start, paragraph in zip(_paragraph_starts(text), paragraphs, strict=True):
        pieces: list[Piece] = []
        at = start
        for piece in paragraph:
            pieces.extend(_cut(piece, at, spans))
            at += len(piece.text)
        marked.append(tuple(pieces))
    return tuple(marked)
