"""Multilingual cue words ('read also', 'subscribe', 'photo:') from ``data/clean_cues.json``.

Cues only support what line shape and position suggest; each matcher below also checks the shape
of the line (a label, a short line, a line naming a network) so that a body sentence which
happens to contain a cue word stays.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from crosswire.clean.months import trie_pattern
from crosswire.clean.normalize import fold_homoglyphs

# Bullets, quote marks, emoji and other non-letters that may open a line before its first word.
_LEAD = re.compile(r"^[^\w(]*\(?")
# What may follow a label: nothing, a colon or dash, an arrow, an opening quote.
_AFTER_LABEL = r"\s*(?:$|[:：|»>«\"“„(]|[—–-]\s)"


def key(line: str) -> str:
    """The form cues are matched against: homoglyphs folded, lower-case, leading bullets,
    quotes and emoji dropped."""
    return _LEAD.sub("", fold_homoglyphs(line).lower()).strip()


@dataclass(frozen=True, slots=True)
class Cues:
    read_also: re.Pattern[str]
    call_to_action: re.Pattern[str]
    networks: re.Pattern[str]
    credit: re.Pattern[str]
    byline: re.Pattern[str]
    ui: frozenset[str]
    ui_label: re.Pattern[str]
    footer: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    return "(?:" + trie_pattern(w.lower() for w in words) + ")"


@cache
def cues() -> Cues:
    data = json.loads(files("crosswire").joinpath("data/clean_cues.json").read_text("utf-8"))
    anywhere = [c for c in data["call_to_action"] if not c.startswith("^")]
    at_start = [c[1:] for c in data["call_to_action"] if c.startswith("^")]
    return Cues(
        read_also=re.compile(rf"^{_alternation(data['read_also'])}(?!\w)(?={_AFTER_LABEL})"),
        call_to_action=re.compile(rf"(?:^{_alternation(at_start)}|(?<!\w){_alternation(anywhere)})(?!\w)"),
        networks=re.compile(rf"(?<![\w.@]){_alternation(data['networks'])}(?![\w@])"),
        credit=re.compile(rf"^{_alternation(data['credit_labels'])}\s*(?:[:：/|©]|[—–-]\s)"),
        byline=re.compile(rf"^{_alternation(data['byline_prefixes'])}(?:\s+|(?<=:))"),
        ui=frozenset(data["ui"]),
        ui_label=re.compile(rf"^{_alternation(data['ui_labels'])}\s*[:：]"),
        footer=re.compile(rf"©|\(c\)\s|(?<!\w){_alternation(data['footer'])}(?!\w)"),
    )
