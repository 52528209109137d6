"""HTML pages, the fast way: main text with Resiliparse, metadata read straight from the tags.

Resiliparse (a C HTML parser with a main-content heuristic) extracts about 10 times faster than
trafilatura and keeps more of the page's furniture (docs/cleaning.md, "Extractors"). trafilatura's
metadata pass alone costs several times Resiliparse's whole extraction, and so does walking
Resiliparse's tree from Python (each element it hands over costs tens of microseconds), so the
metadata comes from the tags that carry it (OpenGraph and article:* properties, author, JSON-LD,
<time>, the canonical link, <title>), found with regular expressions over the raw page.

Resiliparse is an extra (``pip install 'crosswire[fast]'``): its wheels cover glibc Linux, macOS
and Windows but not musl, and it does not build from source without its C libraries.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

from crosswire.clean.html import _LANG, ExtractedPage, strip_tags
from crosswire.errors import InputError, MissingDependency

# Meta names and properties that carry each field, in order of preference (lower-case).
_TITLE = ("og:title", "twitter:title", "title", "headline", "dc.title", "parsely-title")
_SITE = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")
_URL = ("og:url", "twitter:url")
_AUTHOR = (
    "author",
    "article:author",
    "parsely-author",
    "byl",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "citation_author",
)
_PUBLISHED = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.date",
    "date",
    "datecreated",
    "uploaddate",
)

# Tags are matched case-insensitively by hand ([mM]...): an IGNORECASE scan of a whole page is
# several times slower. Every repeat is bounded: an unclosed tag repeated thousands of times would
# otherwise cost a scan to the end of the page for each.
_META = re.compile(r"<[mM][eE][tT][aA]\s([^>]{0,2000})>")
_LINK = re.compile(r"<[lL][iI][nN][kK]\s([^>]{0,2000})>")
_ATTR = re.compile(r"""([^\s"'=<>/]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# The title and the headline are read only at the first <title> and when there is a single <h1>.
_TITLE_OPEN = re.compile(r"<[tT][iI][tT][lL][eE]\b")
_TITLE_TAG = re.compile(r"<[tT][iI][tT][lL][eE]\b[^>]{0,500}>(.{0,2000}?)</[tT][iI][tT][lL][eE]\s*>", re.DOTALL)
_H1_OPEN = re.compile(r"<[hH]1\b")
_H1 = re.compile(r"<[hH]1\b[^>]{0,500}>(.{0,2000}?)</[hH]1\s*>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_TIME = re.compile(r"""<[tT][iI][mM][eE]\b[^>]{0,500}?\bdatetime\s*=\s*["']?([^"'\s>]{1,100})""")
_AUTHOR_LINK = re.compile(
    r"""<[aA]\s[^>]{0,500}?\brel\s*=\s*["']?author\b[^>]{0,500}>(.{0,500}?)</[aA]\s*>""", re.DOTALL
)
_LD_PUBLISHED = re.compile(r"""["']datePublished["']\s*:\s*["']([^"']{8,40})""")
_URL_DATE = re.compile(r"/(\d{4})/(\d{1,2})/(\d{1,2})/")
# 'Headline | Site', 'Headline - Site', 'Site » Headline'
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|–—»·:/-]|::)\s+")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_HANDLE = re.compile(r"\(?@[^\s)]*\)?|\S+://\S*")
_BY = re.compile(r"^(?:by|von|par|por|от|автор)\s*:?\s+", re.IGNORECASE)
# '<iframe src=... />': XML serializers write empty elements so, but in HTML only void elements
# (img, br, embed...) close themselves; an HTML5 parser takes everything after an <iframe> or a
# <textarea> as its raw text. lxml, under trafilatura, reads them as XML would: so do we. (In the
# news-stream pages this hid the article after a video in 6% of them.)
_SELF_CLOSED = re.compile(
    r"<((?i:iframe|video|audio|object|textarea|script|style|noscript|title|canvas|template))(\b[^<>]*?)/>"
)
_ANCHOR = re.compile(r"<a\b[^>]*>(.*?)</a>", re.DOTALL)
# A line of the main content that is mostly link text is a link to elsewhere (a related story, a
# tag, a 'next article'), not article text: dropping lines above this share raised the F of the
# fast path on the trafilatura evaluation set by 0.01 (precision 0.81 -> 0.83, recall kept).
MAX_LINK_SHARE = 0.5
# Resiliparse drops the author's link from 'by <a rel="author">Name</a>' and leaves the 'by'.
_BY_ALONE = re.compile(r"(?:by|von|par|por|door|di|av|af|от|автор)\s*:?", re.IGNORECASE)
# Metadata sits in the head; a page's first this many characters hold it (microdata in the body
# comes early too), and a bound keeps a pathological page from costing a full scan per field.
_SCAN = 300_000

_extract_plain_text: Callable[..., str] | None = None


def _resiliparse() -> Callable[..., str]:
    global _extract_plain_text
    if _extract_plain_text is None:
        try:
            from resiliparse.extract.html2text import extract_plain_text
        except ImportError as err:
            raise MissingDependency("resiliparse", "fast") from err
        _extract_plain_text = extract_plain_text
    return _extract_plain_text


def require() -> None:
    """Raise MissingDependency (with the pip command) when the fast extractor cannot run here."""
    _resiliparse()


def _main_text(marked: str) -> str:
    """Plain lines from Resiliparse's minimal HTML (one block a line, links kept as <a>), less
    the lines that are mostly links."""
    lines = []
    for line in marked.split("\n"):
        if "<" not in line and "&" not in line:
            text = " ".join(line.split())
        else:
            text = " ".join(htmllib.unescape(_TAG.sub("", line)).split())
            if text and "<a" in line:
                linked = sum(len(" ".join(htmllib.unescape(_TAG.sub("", a)).split())) for a in _ANCHOR.findall(line))
                if linked > MAX_LINK_SHARE * len(text):
                    continue
        if text and not _BY_ALONE.fullmatch(text):
            lines.append(text)
    return "\n".join(lines)


def _printable(value: str) -> str:
    """One line, without zero-width and control characters (trafilatura drops them too)."""
    if not value.isprintable():
        value = "".join(c for c in value if c.isprintable() or c.isspace())
    return " ".join(value.split())


def _text(markup: str) -> str:
    return _printable(htmllib.unescape(_TAG.sub(" ", markup)))


def _attributes(inside: str) -> dict[str, str]:
    # One of the three value groups matched: "double", 'single' or bare.
    return {m[1].lower(): next(v for v in m.groups()[1:] if v is not None) for m in _ATTR.finditer(inside)}


def _meta(head: str) -> dict[str, str]:
    """The first non-empty content of each meta property/name/itemprop (lower-case key)."""
    found: dict[str, str] = {}
    for match in _META.finditer(head):
        attributes = _attributes(match[1])
        content = _printable(htmllib.unescape(attributes.get("content", "")))
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            name = attributes.get(attribute, "").strip().lower()
            if name:
                found.setdefault(name, content)
    return found


def _first(meta: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((meta[name] for name in names if meta.get(name)), None)


def _iso_date(value: str | None) -> str | None:
    """'2019-11-01T12:00:46+00:00' -> '2019-11-01' (the form trafilatura gives); None for
    anything that is not a real date."""
    match = _ISO_DATE.search(value or "")
    if not match:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day.isoformat() if day.year >= 1990 else None


def _published(head: str, meta: dict[str, str], url: str | None) -> str | None:
    for name in _PUBLISHED:
        if found := _iso_date(meta.get(name)):
            return found
    for pattern in (_LD_PUBLISHED, _TIME):
        match = pattern.search(head)
        if match and (found := _iso_date(htmllib.unescape(match[1]))):
            return found
    match = _URL_DATE.search(url or "")
    return _iso_date("-".join(match.groups())) if match else None


def _title(head: str, meta: dict[str, str]) -> str | None:
    if found := _first(meta, _TITLE):
        return found
    openings = _H1_OPEN.findall(head)
    if len(openings) == 1 and (heading := _H1.search(head)) and (text := _text(heading[1])):
        return text
    opening = _TITLE_OPEN.search(head)
    match = _TITLE_TAG.match(head, opening.start()) if opening else None
    if match is None:
        return None
    # The headline is the longest part of the <title>; the others name the site or section.
    return max(_TITLE_SEPARATOR.split(_text(match[1])), key=len) or None


def _web_address(value: str | None) -> str | None:
    parts = urlsplit(value) if value else None
    return value if parts and parts.scheme in ("http", "https") and parts.hostname else None


def _url(head: str, meta: dict[str, str], given: str | None) -> str | None:
    if found := _web_address(_first(meta, _URL)):
        return found
    for match in _LINK.finditer(head):
        attributes = _attributes(match[1])
        if attributes.get("rel", "").lower() == "canonical":
            if found := _web_address(htmllib.unescape(attributes.get("href", "")).strip()):
                return found
            break
    return given


def _site(meta: dict[str, str], url: str | None) -> str | None:
    site = (_first(meta, _SITE) or "").lstrip("@")
    if site:
        return site
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def _author(head: str, meta: dict[str, str]) -> str | None:
    value = _first(meta, _AUTHOR)
    if not value and (link := _AUTHOR_LINK.search(head)):
        value = _text(link[1])
    # 'By Jane Roe (@janeroe)' -> 'Jane Roe'; an address or a handle alone is no name, and
    # (as trafilatura has it) neither is a single word.
    value = " ".join(_HANDLE.sub(" ", _BY.sub("", value or "")).split())
    return value if " " in value and "/" not in value else None


def extract_fast(html: str, url: str | None = None) -> ExtractedPage:
    """The main text of ``html`` (one paragraph per line) and the page's metadata, with
    Resiliparse. Raises InputError('empty') when the page has no text, MissingDependency
    without the ``fast`` extra."""
    extract_plain_text = _resiliparse()
    try:
        marked = extract_plain_text(
            _SELF_CLOSED.sub(r"<\1\2></\1>", html),
            main_content=True,
            preserve_formatting="minimal_html",
            links=True,
            alt_texts=False,
            comments=False,
            list_bullets=False,
        )
        text = _main_text(marked)
    except Exception:  # the parser gave up: the tag stripper still reads what text there is
        text = ""
    if not text.strip():
        text = strip_tags(html)
        if not text:
            raise InputError("empty", "no main text found in the HTML page")
        return ExtractedPage(text=text, url=url, fallback=True)
    head = html[:_SCAN]
    meta = _meta(head)
    page_url = _url(head, meta, url)
    lang = _LANG.search(html, 0, 4096)
    return ExtractedPage(
        text=text,
        title=_title(head, meta),
        published=_published(head, meta, page_url),
        author=_author(head, meta),
        site=_site(meta, page_url),
        url=page_url,
        language=lang.group(1).lower() if lang else None,
    )
