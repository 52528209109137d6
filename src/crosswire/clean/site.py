"""Corpus cues: lines that recur across many articles of the same site are boilerplate, whatever
their shape or language (a newsletter pitch, an editorial disclaimer, a standing sign-off).

The statistics live in the store and grow as articles arrive; this module only names lines and
applies a set of known boilerplate lines to one article.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlsplit

from crosswire.types import Article, Removed

REASON = "site-boilerplate"
# Names, numbers and dates count with the lines, under this prefix: one in most of a site's
# articles is its furniture (a copyright holder, a comment plug-in, the date in every byline),
# not what they report.
NAME_PREFIX = "name:"
# ... when the site has this many articles at least, and the name is in this share of them:
# far above a line's share, since a site may well name its country's president in a third of
# its reports.
NAME_MIN_DOCS = 6
NAME_MIN_SHARE = 0.5
# Removing more than this share of an article's paragraphs means the article itself recurs (a
# re-published copy), not its furniture: then nothing is removed.
MAX_SHARE_REMOVED = 0.5


def name_floor(site_articles: int) -> int | None:
    """In how many of a site's articles a name must recur to count as its furniture; None
    while the site has too few to tell."""
    if site_articles < NAME_MIN_DOCS:
        return None
    return max(NAME_MIN_DOCS, int(NAME_MIN_SHARE * site_articles + 0.999))


def line_key(line: str) -> str:
    return hashlib.blake2b(
        " ".join(line.casefold().split()).encode("utf-8", "surrogatepass"), digest_size=8
    ).hexdigest()


def site_of(article: Article) -> str | None:
    """The site an article came from: its site name, else its address's host."""
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return article.site.casefold().strip() if article.site else None


def article_line_keys(article: Article) -> set[str]:
    """Keys of every line the article's input had: title, paragraphs and removed lines."""
    lines = [*article.text.split("\n\n"), *(item.text for item in article.removed)]
    if article.title:
        lines.append(article.title)
    return {line_key(line) for line in lines if line.strip()}


def boilerplate_floor(site_articles: int, min_docs: int, min_share: float) -> int | None:
    """In how many of a site's articles a line must recur to count as its boilerplate: at least
    ``min_docs`` and ``min_share`` of them; None while the site has fewer than ``min_docs``."""
    if site_articles < min_docs:
        return None
    return max(min_docs, int(min_share * site_articles + 0.999))


def drop_site_boilerplate(article: Article, boilerplate: set[str]) -> Article:
    """Move the article's paragraphs that are known boilerplate of its site into ``removed``."""
    if not boilerplate:
        return article
    paragraphs = article.text.split("\n\n")
    dropped = [p for p in paragraphs if line_key(p) in boilerplate]
    if not dropped or len(dropped) > MAX_SHARE_REMOVED * len(paragraphs):
        return article
    kept = [p for p in paragraphs if line_key(p) not in boilerplate]
    return replace(
        article, text="\n\n".join(kept), removed=article.removed + tuple(Removed(p, REASON) for p in dropped)
    )
