"""Quoted speech: text inside «…», „…“, “…” or "…" of four words or more (shorter quoted text
is mostly a name or a term: «Газпром», "деловой")."""

from __future__ import annotations

import re

from crosswire.types import Mention

_QUOTED = re.compile(r"«([^«»\n]{3,600}?)»|„([^„“”\n]{3,600}?)[“”]|“([^“”\n]{3,600}?)”|\"([^\"\n]{3,600}?)\"")
_WORDS = re.compile(r"\w+")
_MIN_WORDS = 4


def quote_key(quote: str) -> str:
    """Lower-case words joined by single spaces: punctuation and spacing do not matter."""
    return " ".join(_WORDS.findall(quote.lower()))


def find_quotes(text: str) -> list[Mention]:
    found: list[Mention] = []
    for match in _QUOTED.finditer(text):
        quote = next(g for g in match.groups() if g is not None).strip()
        key = quote_key(quote)
        if key.count(" ") + 1 >= _MIN_WORDS:
            found.append(Mention(key=key, surface=quote, kind="quote"))
    return found
