"""Synthetic-but-realistic documents for the scale benchmark, from the 7,830 news-stream pages.

Document j is page j mod P (P pages, sorted by path) in round j div P. Round 0 is the pages as they
are. Round k moves each page's publication date k * SHIFT_DAYS days later (every ISO datetime in the
page, ``article:published_time`` and the ``<time>`` attribute among them, and the ``<time>``
element's visible date) and perturbs it lightly, deterministically from (seed, round, page):

* the last digit of about 30% of the numbers in the text changes (four-digit years stay);
* in every text block (p, h2-h4, li, blockquote, figcaption) and in the title, two adjacent words
  swap places, so no line of a copy repeats a line of another copy (per-site boilerplate
  statistics would otherwise see every paragraph of a small site recur and remove it);
* ``?r=k`` is added to ``og:url``;
* on pages of four paragraphs or more, with probability 1/2 each, two adjacent paragraphs swap and
  one paragraph (not the first) is dropped.

Dates mentioned in running text are not moved. Pages are read when a document is asked for: a
stream of any length holds nothing but the paths.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.common import unpacked
from crosswire.ingest.files import read_file
from crosswire.types import RawDocument

ARCHIVE = "data/news-stream/tgnews-2019-html.tar.xz"
SHIFT_DAYS = 30
SEED = 2019

_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(Z|[+-]\d{2}:?\d{2})?")
_TIME_TEXT = re.compile(r"(<time\b[^>]*>)(\d{1,2}) ([A-Z][a-z]{2}) (\d{4})")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_OG_URL = re.compile(r'(<meta property="og:url" content=")([^"]*)(")')
_OG_TITLE = re.compile(r'<meta property="og:title" content="([^"]*)"')
_BLOCK = re.compile(r"(<(p|h2|h3|h4|li|blockquote|figcaption)\b[^>]*>)(.*?)(</\2>)", re.DOTALL)
_PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.DOTALL)
_TAG = re.compile(r"(<[^>]*>)")
_WORD = re.compile(r"^[^\W\d_]+$")
_NUMBER = re.compile(r"\d+")
NUMBER_SHARE = 0.3


def shift_dates(html: str, days: int) -> str:
    """Move the page's machine-readable datetimes and the visible text of its <time> element."""
    if not days:
        return html
    delta = timedelta(days=days)

    def iso(match: re.Match[str]) -> str:
        stamp = match.group(1)
        moved = datetime.fromisoformat(stamp) + delta
        return moved.isoformat(timespec="seconds" if stamp.count(":") == 2 else "minutes") + (match.group(2) or "")

    def visible(match: re.Match[str]) -> str:
        day = datetime(int(match.group(4)), _MONTHS.index(match.group(3)) + 1, int(match.group(2))) + delta
        return f"{match.group(1)}{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"

    return _TIME_TEXT.sub(visible, _ISO.sub(iso, html))


def swap_words(text: str, rng: random.Random) -> str:
    """``text`` with two adjacent alphabetic words swapped (unchanged when it has no such pair)."""
    parts = re.split(r"(\s+)", text)
    words = parts[::2]
    pairs = [i for i in range(len(words) - 1) if _WORD.match(words[i]) and _WORD.match(words[i + 1])]
    if not pairs:
        return text
    i = rng.choice(pairs)
    words[i], words[i + 1] = words[i + 1], words[i]
    parts[::2] = words
    return "".join(parts)


def perturb_numbers(text: str, rng: random.Random) -> str:
    """Change the last digit of about NUMBER_SHARE of the numbers; four-digit years stay."""

    def one(match: re.Match[str]) -> str:
        digits = match.group(0)
        if (len(digits) == 4 and 1900 <= int(digits) <= 2099) or rng.random() >= NUMBER_SHARE:
            return digits
        return digits[:-1] + str((int(digits[-1]) + rng.randint(1, 9)) % 10)

    return _NUMBER.sub(one, text)


def _perturb_block(inner: str, rng: random.Random) -> str:
    """One text block: numbers perturbed in its text nodes, two words swapped in its longest."""
    parts = _TAG.split(inner)
    texts = [i for i in range(0, len(parts), 2) if parts[i].strip()]
    for i in texts:
        parts[i] = perturb_numbers(parts[i], rng)
    if texts:
        longest = max(texts, key=lambda i: len(parts[i]))
        parts[longest] = swap_words(parts[longest], rng)
    return "".join(parts)


def perturb(html: str, rng: random.Random) -> str:
    """Light, deterministic edits that make a copy a distinct document with distinct lines."""
    head, sep, body = html.partition("<body")
    title = _OG_TITLE.search(head)
    if title and title.group(1).strip():
        old = title.group(1)
        new = swap_words(old, rng)
        head = head.replace(f'content="{old}"', f'content="{new}"')
        body = body.replace(f">{old}</h1>", f">{new}</h1>")
    body = _BLOCK.sub(lambda m: m.group(1) + _perturb_block(m.group(3), rng) + m.group(4), body)
    spans = [m.span() for m in _PARAGRAPH.finditer(body)]
    if len(spans) >= 4:
        pieces = [body[a:b] for a, b in spans]
        if rng.random() < 0.5:
            i = rng.randrange(1, len(pieces) - 1)
            pieces[i], pieces[i + 1] = pieces[i + 1], pieces[i]
        if rng.random() < 0.5:
            pieces[rng.randrange(1, len(pieces))] = ""
        out, last = [], 0
        for (a, b), piece in zip(spans, pieces, strict=True):
            out += [body[last:a], piece]
            last = b
        body = "".join([*out, body[last:]])
    return head + sep + body


def _tag_url(html: str, round_: int) -> str:
    """The page's og:url with ``r=<round>`` added to its query: each copy has its own address."""

    def tag(match: re.Match[str]) -> str:
        joiner = "&" if "?" in match.group(2) else "?"
        return f"{match.group(1)}{match.group(2)}{joiner}r={round_}{match.group(3)}"

    return _OG_URL.sub(tag, html)


class ScaleCorpus:
    """Document j: page j mod P in round j div P, dates moved round * shift_days, perturbed from
    round 1 on. Pages are read when a document is asked for: nothing is held but the paths."""

    def __init__(self, pages: Sequence[Path], seed: int = SEED, shift_days: int = SHIFT_DAYS) -> None:
        self.pages = list(pages)
        self.seed = seed
        self.shift_days = shift_days

    def document(self, j: int) -> RawDocument | None:
        round_, index = divmod(j, len(self.pages))
        path = self.pages[index]
        raw = next(read_file(path))
        if not isinstance(raw, RawDocument):
            return None
        if round_ == 0:
            return raw
        rng = random.Random(f"{self.seed}:{round_}:{index}")
        body = perturb(_tag_url(shift_dates(raw.body, round_ * self.shift_days), round_), rng)
        return replace(raw, body=body, source=f"{raw.source}#r{round_}")

    def stream(self, start: int, count: int) -> Iterator[RawDocument]:
        for j in range(start, start + count):
            raw = self.document(j)
            if raw is not None:
                yield raw


def news_pages() -> list[Path]:
    return sorted(unpacked(ARCHIVE).rglob("*.html"))
