"""HTML pages: main text and metadata with trafilatura.

trafilatura finds the article in the page and reads its metadata (title, date, author, site,
canonical address). Its balanced default mode (with its fallback extractors) and tables kept gave
the best F on the trafilatura evaluation set; its precision mode lost more recall than our own
line cleaning, run afterwards, loses (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

from crosswire.errors import InputError

_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([a-zA-Z]{2,3})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ExtractedPage:
    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None
    language: str | None = None  # the page's own lang attribute: a weak hint


def extract_html(html: str, url: str | None = None) -> ExtractedPage:
    """The main text of ``html`` (one paragraph per line) and the page's metadata. Raises
    InputError('empty') when the page has no main text."""
    document = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=True,
        with_metadata=True,
    )
    if document is None or not (document.text or "").strip():
        raise InputError("empty", "no main text found in the HTML page")
    lang = _LANG.search(html, 0, 4096)
    return ExtractedPage(
        text=document.text,
        title=document.title or None,
        published=document.date or None,
        author=document.author or None,
        site=document.sitename or document.hostname or None,
        url=document.url or url,
        language=lang.group(1).lower() if lang else None,
    )
