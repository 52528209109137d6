"""HTML pages: main text and metadata with trafilatura.

trafilatura finds the article in the page and reads its metadata (title, date, author, site,
canonical address). Its balanced default mode (with its fallback extractors) and tables kept gave
the best F on the trafilatura evaluation set; its precision mode lost more recall than our own
line cleaning, run afterwards, loses (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import trafilatura
from trafilatura.settings import Document

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
    fallback: bool = False  # the page defeated the extractor; text came from the tag stripper


# Elements whose text is never article text, and elements that end a line.
_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "iframe",
        "head",
    }
)
_BLOCK = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "article",
        "section",
        "blockquote",
        "pre",
        "table",
        "ul",
        "ol",
        "header",
        "main",
        "figure",
        "figcaption",
        "dd",
        "dt",
    }
)


class _TextOnly(HTMLParser):
    """A tag stripper for pages lxml cannot parse (nesting thousands deep, say). HTMLParser is a
    tokenizer, so depth costs it nothing; the plain-text cleaner then removes the furniture."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def strip_tags(html: str) -> str:
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


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
    # A Document (as_dict is off); the isinstance rules out the dict form for the type checker too.
    if not isinstance(document, Document) or not document.text or not document.text.strip():
        text = strip_tags(html)
        if not text:
            raise InputError("empty", "no main text found in the HTML page")
        return ExtractedPage(text=text, url=url, fallback=True)
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
