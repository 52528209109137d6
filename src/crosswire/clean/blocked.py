"""Pages a site serves instead of the article: access denied, a robot check, a rate limit.

A scraper or a feed reader that was refused keeps what it got, often with status 200: Cloudflare's
"Sorry, you have been blocked", Akamai's "Access Denied", a captcha page, a news site's "we noticed
too many connections from your IP address". Taken for articles, they carry the scraped URL's
headline into a store as text that says nothing about it, and they link with each other across
sites (one wording, many sites). So cleaning refuses them (reason ``blocked``), as it refuses an
empty page, and the rejection says which phrases it found.

The test is short text holding two different phrases of ``data/clean_blocked.json``: block pages
run to a few hundred characters and name the block twice or more (the block, the robot check, the
IP address, the reference id), while an article about blocking is longer or says it once. No
library does this: block pages are served by too many vendors in too many languages.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib.resources import files

from crosswire.errors import InputError

# Longer than any block page seen (Cloudflare's, with its footer, is about 700 characters), far
# shorter than a report: an article this short that quotes a block message twice is refused too.
MAX_BLOCK_CHARS = 3_000
MIN_PHRASES = 2


@lru_cache(maxsize=1)
def phrases() -> tuple[str, ...]:
    data = json.loads(files("crosswire").joinpath("data/clean_blocked.json").read_text("utf-8"))
    return tuple(dict.fromkeys(str(phrase).casefold() for phrase in data["phrases"]))


def _fold(text: str) -> str:
    return text.casefold().replace("\u2019", "'")


def found_phrases(text: str) -> list[str]:
    """The phrases of a block page in ``text``, none inside another found one (so "not a robot"
    inside "i am not a robot" counts once however the table grows)."""
    folded = _fold(text)
    hits = [phrase for phrase in phrases() if phrase in folded]
    return [phrase for phrase in hits if not any(phrase != other and phrase in other for other in hits)]


def check_not_blocked(title: str | None, paragraphs: Sequence[str]) -> None:
    """Raise InputError('blocked') when ``title`` and ``paragraphs`` are a block page."""
    size = sum(len(p) for p in paragraphs)
    if size > MAX_BLOCK_CHARS:
        return
    hits = found_phrases("\n".join([title or "", *paragraphs]))
    if len(hits) >= MIN_PHRASES:
        shown = ", ".join(repr(hit) for hit in hits[:4])
        raise InputError("blocked", f"an access-denied or robot-check page, not an article ({shown})")
