"""Month and weekday names for date parsing: CLDR's (through babel) plus our own forms.

CLDR gives each language's month names in format and stand-alone forms, wide and abbreviated
('января', 'январь', 'янв.'); it lacks the locative forms Slavic news writes for 'in January'
('в январе', 'у грудні', 'w styczniu') and some abbreviations sites use ('вер', 'лис'). Those live
in ``data/clean_dates.json``. Tables are built once, on first use.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TypeAlias

from babel import Locale

# Languages whose month names we recognise. Order matters: when two languages spell different
# months alike (Czech 'listopad' is November, Croatian 'listopad' October), the earlier wins
# unless the caller names the language.
LANGUAGES: tuple[str, ...] = (
    "en", "uk", "ru", "be", "bg", "pl", "cs", "sk", "sl", "sr", "mk", "de", "fr", "es", "it", "pt", "nl",
    "sv", "da", "nb", "fi", "tr", "hu", "ro", "lt", "lv", "et", "el", "ca", "hr", "ar", "he",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MonthTables:
    by_name: dict[str, int]  # every known form -> month, conflicts resolved by LANGUAGES order
    by_language: dict[str, dict[str, int]]
    wide: frozenset[str]  # full (non-abbreviated) forms in any language
    weekdays: frozenset[str]


def _clean(name: str) -> str:
    return name.lower().rstrip(".")


@cache
def date_words() -> dict[str, list[str]]:
    """The word lists of ``clean_dates.json`` other than month forms (prepositions, year words...)."""
    raw = json.loads(files("crosswire").joinpath("data/clean_dates.json").read_text("utf-8"))
    return {key: sorted(set(value)) for key, value in raw.items() if isinstance(value, list)}


@cache
def month_tables() -> MonthTables:
    raw = json.loads(files("crosswire").joinpath("data/clean_dates.json").read_text("utf-8"))
    extra: dict[str, dict[str, list[str]]] = raw["month_forms"]
    by_language: dict[str, dict[str, int]] = {}
    wide: set[str] = set()
    weekdays: set[str] = set()
    for language in LANGUAGES:
        locale = Locale.parse(language)
        names: dict[str, int] = {}
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for month, name in locale.months[context][width].items():
                    form = _clean(name)
                    # Two-letter abbreviations ('ag') are ordinary words far more often than months.
                    if len(form) >= 3:
                        names.setdefault(form, month)
                        if width == "wide":
                            wide.add(form)
                for name in locale.days[context][width].values():
                    weekdays.add(_clean(name))
        for month, forms in extra.get(language, {}).items():
            for form in forms:
                names.setdefault(form, int(month))
                # Our locative forms are full words; short extras are abbreviations.
                if len(form) > 4:
                    wide.add(form)
        by_language[language] = names
    by_name: dict[str, int] = {}
    for names in by_language.values():
        for form, month in names.items():
            by_name.setdefault(form, month)
    return MonthTables(by_name, by_language, frozenset(wide), frozenset(weekdays))


def month_number(name: str, language: str | None) -> int | None:
    """The month a matched name stands for, or None when the name is an abbreviation that is not
    used in ``language`` (a bare 'led' or 'sie' in an English or German text is no month)."""
    tables = month_tables()
    form = _clean(name)
    if language:
        own = tables.by_language.get(language, {})
        if form in own:
            return own[form]
        if form not in tables.wide and form not in tables.by_language["en"]:
            return None
    return tables.by_name.get(form)


Trie: TypeAlias = dict[str, "Trie"]  # one node: next character -> child; "" marks a word's end


def trie_pattern(words: Iterable[str]) -> str:
    """One regex alternation for many words, factored by common prefixes so that matching tries
    a handful of branches per position rather than every word."""
    trie: Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: Trie) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        core = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Optional tails are greedy, so the longest form is tried first.
        return f"(?:{core})?" if "" in node else core

    return build(trie)
