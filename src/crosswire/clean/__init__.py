"""RawDocument -> Article: main text, boilerplate removal, language, publication date.

Metadata the source supplied (the RawDocument's hints) wins over anything guessed here. Every
problem with one document is an InputError with a countable reason; nothing else escapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from crosswire.clean.blocked import check_not_blocked
from crosswire.clean.fast import extract_fast
from crosswire.clean.fast import require as require_fast
from crosswire.clean.guard import bound_paragraphs, bound_title, check_text, input_limit, truncate
from crosswire.clean.hints import language_hint, published_hint
from crosswire.clean.html import ExtractedPage, extract_html
from crosswire.clean.normalize import needs_repair, normalize_text
from crosswire.clean.text import REASONS, CleanedText, clean_text
from crosswire.errors import CrosswireError, InputError
from crosswire.lang import detect_article_language
from crosswire.types import Article, RawDocument, Rejection

__all__ = ["EXTRACTORS", "REASONS", "article_id", "clean", "clean_batch", "require_extractor"]

# How an HTML page's main text and metadata are found (docs/cleaning.md, "Extractors"):
# "default" is trafilatura, "fast" Resiliparse (the ``fast`` extra), for bulk work.
EXTRACTORS = ("default", "fast")

# Below this many characters of text an article is flagged: too little to compare reliably.
SHORT_TEXT = 300


def article_id(raw: RawDocument) -> str:
    """Content hash: the same input always gets the same id."""
    return hashlib.sha256(raw.body.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def require_extractor(extractor: str) -> None:
    """Raise a CrosswireError for an unknown extractor and MissingDependency (with the pip
    command) for one whose package is not installed: before a job starts, not per document."""
    if extractor not in EXTRACTORS:
        raise CrosswireError(f"unknown extractor {extractor!r}; choose one of {', '.join(EXTRACTORS)}")
    if extractor == "fast":
        require_fast()


def _extract(html: str, url: str | None, extractor: str) -> ExtractedPage:
    return extract_fast(html, url) if extractor == "fast" else extract_html(html, url)


def _clean(raw: RawDocument, extractor: str) -> Article:
    if not isinstance(raw.body, str):
        raise InputError("unreadable", "the body is not decoded text")
    body, truncated = truncate(raw.body, input_limit(raw.kind))
    body = check_text(body)
    page = None
    if raw.kind == "html":
        page = _extract(body, raw.url, extractor)
        body = page.text
    elif raw.kind != "text":
        raise InputError("unknown-format", f"unknown document kind {raw.kind!r}")
    repair = needs_repair(body)
    normalized = normalize_text(body, repair=repair)
    repaired = repair and normalized != normalize_text(body, repair=False)
    body = normalized
    title_hint, long_title = bound_title(raw.title or (page.title if page else None))
    check_not_blocked(title_hint, [body])
    # Text an HTML extractor chose is trusted: only lines with a definite reason are removed.
    extracted = page is not None and not page.fallback
    cleaned: CleanedText = clean_text(body, title=title_hint, keep_unknown=extracted)
    if not cleaned.paragraphs:
        raise InputError("empty", "no article text left after cleaning")
    paragraphs, cut = bound_paragraphs(cleaned.paragraphs)
    truncated = truncated or cut or long_title

    language, mixed = detect_article_language(list(paragraphs))
    hinted_language, bad_language = language_hint(raw.language)
    language = hinted_language or language or (page.language if page else None)
    published, bad_date = published_hint(raw.published)
    flags = list(raw.flags)
    if bad_date:
        flags.append("bad-date-hint")
    if bad_language:
        flags.append("bad-language-hint")
    if truncated:
        flags.append("truncated")
    if repaired:
        flags.append("mojibake-repaired")
    if page is not None and page.fallback:
        flags.append("html-fallback")
    if mixed:
        flags.append("mixed-language")
    if cleaned.title is None:
        flags.append("no-title")
    text = "\n\n".join(paragraphs)
    if len(text) < SHORT_TEXT:
        flags.append("short-text")
    return Article(
        id=article_id(raw),
        source=raw.source,
        title=cleaned.title,
        text=text,
        language=language,
        published=published or (page.published if page else None) or cleaned.published,
        site=raw.site or (page.site if page else None),
        author=raw.author or (page.author if page else None) or cleaned.author,
        url=raw.url or (page.url if page else None),
        removed=cleaned.removed,
        flags=tuple(dict.fromkeys(flags)),
    )


def clean(raw: RawDocument, extractor: str = "default") -> Article:
    """Clean one document, finding an HTML page's text with ``extractor`` (one of EXTRACTORS).
    Raises InputError ('empty', 'binary', 'unparseable', ...) for the document, and
    CrosswireError (MissingDependency) for an extractor that cannot run here."""
    if extractor != "default":
        require_extractor(extractor)
    try:
        return _clean(raw, extractor)
    except InputError:
        raise
    except Exception as exc:  # a parser bug on odd input must not stop a batch
        raise InputError("unparseable", f"{type(exc).__name__}: {exc}"[:200]) from exc


def clean_batch(raws: Iterable[RawDocument], extractor: str = "default") -> list[Article | Rejection]:
    """Clean each document; a document that cannot be cleaned becomes a Rejection."""
    require_extractor(extractor)
    results: list[Article | Rejection] = []
    for raw in raws:
        try:
            results.append(clean(raw, extractor))
        except InputError as exc:
            results.append(Rejection(raw.source, exc.reason, exc.detail))
    return results
