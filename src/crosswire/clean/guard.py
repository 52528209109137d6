"""Bounds on what cleaning accepts: size, and text that is not text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from crosswire.errors import InputError

# Raw input, markup included, read at most: the largest of the 1,032 real pages of the
# trafilatura evaluation set is 1.6 million characters of HTML (p99 0.74 million).
MAX_CHARS = 4_000_000
# An article's text at most. Cleaned, those pages and 400 of the news stream's give at most 95,000
# characters (p99 32,000); a text this long is a dump, and every later stage (analysis,
# search, snippets, the story pages) does work in proportion to it.
MAX_TEXT_CHARS = 200_000
# A title from metadata at most (a headline runs to 100-250 characters).
MAX_TITLE_CHARS = 1_000
# Share of control characters (NUL and the like, not tab/newline) above which input is binary.
MAX_CONTROL_SHARE = 0.1
_SAMPLE = 65_536
# Also lone surrogates (from undecodable bytes): no parser downstream accepts them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def truncate(text: str, limit: int | None = None) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` (default ``MAX_CHARS``) characters, at a line break when
    there is one near the end, and whether it was cut."""
    limit = MAX_CHARS if limit is None else limit
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n", max(0, limit - 10_000), limit)
    return text[: cut if cut > 0 else limit], True


def bound_title(title: str | None) -> tuple[str | None, bool]:
    """``title`` cut to ``MAX_TITLE_CHARS`` at a space, and whether it was cut."""
    if title is None or len(title) <= MAX_TITLE_CHARS:
        return title, False
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS + 1)
    return title[: cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS].rstrip(), True


def input_limit(kind: str) -> int:
    """How much of a raw input of ``kind`` cleaning reads: HTML needs room for its markup; a
    plain text is mostly article, and cleaning would cut any more than twice the article limit."""
    return MAX_CHARS if kind == "html" else min(MAX_CHARS, 2 * MAX_TEXT_CHARS)


def bound_paragraphs(paragraphs: Sequence[str], limit: int | None = None) -> tuple[tuple[str, ...], bool]:
    """The leading ``paragraphs`` whose text (joined by blank lines) fits in ``limit`` (default
    ``MAX_TEXT_CHARS``) characters, and whether any were dropped. A first paragraph longer than
    that is cut at the last sentence end or space before the limit."""
    limit = MAX_TEXT_CHARS if limit is None else limit
    kept: list[str] = []
    used = 0
    for paragraph in paragraphs:
        used += len(paragraph) + (2 if kept else 0)
        if used > limit:
            break
        kept.append(paragraph)
    else:
        return tuple(paragraphs), False
    if not kept:
        first = paragraphs[0][:limit]
        cut = first.rfind(". ")
        if cut < limit // 2:
            cut = first.rfind(" ")
        kept.append(first[: cut + 1].rstrip() if cut >= limit // 2 else first)
    return tuple(kept), True


def check_text(text: str) -> str:
    """Raise InputError('binary') for mostly-control-character input, else return ``text`` with
    its stray control characters removed."""
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if sample and controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError("binary", f"{controls} of {len(sample)} characters are control characters")
    return _CONTROL.sub("", text) if controls or _CONTROL.search(text, _SAMPLE) else text
