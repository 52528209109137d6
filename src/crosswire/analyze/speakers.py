"""Who can speak in an article: its people and organizations, found where the text names them,
with the key under which their spellings in other scripts meet.

The analyzer has found the names already (``Analysis.entities``); here their forms are located in
the article's body in one pass over its words (a dictionary of word sequences, not one regular
expression per name, so a long article with many names stays linear). A place or a date is never
a speaker: names that the analysis also read as places are left out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crosswire.analyze.text import WORD_CHAR
from crosswire.types import Mention

# The zero-width non-joiner joins the parts of one Persian word ('گفت‌وگو', conversation, is no 'گفت', said).
WORD = re.compile(rf"{WORD_CHAR}+(?:[-'’\u200c]{WORD_CHAR}+)*")
_MAX_NAME_WORDS = 5
_MAX_NAMES = 500
_SPEAKING_KINDS = frozenset({"person", "org", "entity"})
_RANK = {"person": 0, "entity": 1, "org": 2}  # who speaks, most likely first


@dataclass(frozen=True, slots=True)
class Named:
    """A name where the body has it."""

    start: int
    end: int
    key: str  # the speaker key: a person's surname key, an organization's key
    kind: str


def speaker_key(mention: Mention) -> str:
    """A person is keyed by the surname (the last word's key), so that 'Сергей Лавров' meets
    'Lavrov'; an organization ('org:nato') by its whole key."""
    if mention.kind == "org" or mention.key.startswith("org:"):
        return mention.key
    return mention.key.rsplit("_", 1)[-1]


def _words(surface: str) -> tuple[str, ...]:
    return tuple(WORD.findall(surface))


def locate(
    text: str, words: list[tuple[int, int]], entities: Iterable[Mention], places: Iterable[Mention]
) -> list[Named]:
    """Every occurrence in ``text`` (whose word spans are ``words``) of a person's or an
    organization's form, longest form first, in text order."""
    place_forms = {_words(p.surface) for p in places}
    place_keys = {p.key for p in places}
    forms: dict[tuple[str, ...], tuple[str, str]] = {}
    for mention in entities:
        if mention.kind not in _SPEAKING_KINDS or mention.key in place_keys:
            continue
        form = _words(mention.surface)
        if not form or len(form) > _MAX_NAME_WORDS or form in place_forms:
            continue
        if form not in forms or mention.kind == "person":
            forms[form] = (speaker_key(mention), mention.kind)
        if len(forms) >= _MAX_NAMES:
            break
    if not forms:
        return []
    longest = max(len(form) for form in forms)
    firsts = {form[0] for form in forms}
    found: list[Named] = []
    i = 0
    while i < len(words):
        if text[words[i][0] : words[i][1]] not in firsts:
            i += 1
            continue
        for n in range(min(longest, len(words) - i), 0, -1):
            form = tuple(text[s:e] for s, e in words[i : i + n])
            hit = forms.get(form)
            if hit is not None:
                found.append(Named(words[i][0], words[i + n - 1][1], *hit))
                i += n
                break
        else:
            i += 1
    return found


def locate_unspaced(text: str, entities: Iterable[Mention], places: Iterable[Mention]) -> list[Named]:
    """``locate`` for scripts written without spaces (Chinese, Japanese): forms found as
    substrings, longest first, each place in the text taken once."""
    place_keys = {p.key for p in places}
    forms: dict[str, tuple[str, str]] = {}
    for mention in entities:
        form = mention.surface.replace(" ", "")
        if mention.kind in _SPEAKING_KINDS and mention.key not in place_keys and len(form) > 1:
            key = speaker_key(mention)
            if form not in forms or key < forms[form][0]:  # one key of several readings, the same each run
                forms[form] = (key, mention.kind)
        if len(forms) >= _MAX_NAMES:
            break
    taken = bytearray(len(text))
    found: list[Named] = []
    for form in sorted(forms, key=len, reverse=True):
        at = text.find(form)
        while at >= 0:
            if not any(taken[at : at + len(form)]):
                taken[at : at + len(form)] = b"\x01" * len(form)
                found.append(Named(at, at + len(form), *forms[form]))
            at = text.find(form, at + len(form))
    found.sort(key=lambda item: item.start)
    return found


def nearest(
    named: list[Named],
    starts: list[int],
    lo: int,
    hi: int,
    anchor: int,
    skip: int = -1,
    allowed: Callable[[Named], bool] | None = None,
) -> Named | None:
    """The name within [lo, hi) closest to ``anchor``, a person before a name of unknown kind
    before an organization; the one starting at ``skip`` (a listener), and those ``allowed``
    refuses, are not candidates."""
    first = bisect.bisect_left(starts, lo)
    best: Named | None = None
    best_rank = (len(_RANK), 0)
    for item in named[first:]:
        if item.start >= hi:
            break
        if item.end > hi or item.start == skip or (allowed is not None and not allowed(item)):
            continue
        distance = item.start - anchor if item.start >= anchor else anchor - item.end
        rank = (_RANK.get(item.kind, 1), distance)
        if rank < best_rank:
            best, best_rank = item, rank
    return best


def first_named(named: list[Named], starts: list[int], lo: int, hi: int) -> Named | None:
    """The first person (or name of unknown kind) within [lo, hi), else the first organization."""
    first = bisect.bisect_left(starts, lo)
    org: Named | None = None
    for item in named[first:]:
        if item.start >= hi or item.end > hi:
            break
        if item.kind != "org":
            return item
        org = org or item
    return org


def other_person_between(named: list[Named], starts: list[int], lo: int, hi: int, key: str) -> bool:
    """Whether a person (or a name of unknown kind) other than ``key`` is named within [lo, hi):
    then 'he' may be them."""
    first = bisect.bisect_left(starts, lo)
    for item in named[first:]:
        if item.start >= hi:
            return False
        if item.kind != "org" and item.key != key:
            return True
    return False
