"""Where quote marks open and close: «…», „…“, „…”, “…”, ‚…‘, ‘…’, "…", ”…” (Swedish), 「…」, 『…』.

One pass over the marks of a text with a small stack per paragraph (quotes never cross a line
break here: a line break empties the stack). Marks that serve both sides (“ opens in English and
closes in German; " and ’ are also inch and apostrophe) are read by what stands beside them: an
opening mark follows a space or an opening bracket and precedes a letter, a closing one the
reverse. Every matched pair is a candidate; pairs inside another pair (a name quoted inside a
statement) are left to the outer one. Linear in the text: each mark is pushed and popped at most
once, and the stack is capped so that a page of stray marks costs no more than a page of text.
"""

from __future__ import annotations

import re

_MARK = re.compile('[«»„“”‚‘’"「」『』\n]')
# Opening mark -> the marks that close it.
_CLOSERS = {"«": "»", "„": "“”", "“": "”", "‚": "‘’", "‘": "’", '"': '"', "”": "”", "「": "」", "『": "』"}
_ALWAYS_OPEN = frozenset("«„「『")
# Closing marks that are also something else, closing only where they stand like one: '"' and
# '’' (inch, apostrophe), and '”' after an opening '”' (Swedish), though not after '“'
# ('“…”라고', '“…”表示').
_AMBIGUOUS = {opening: '"’' + ("”" if opening == "”" else "") for opening in _CLOSERS}
_MAX_DEPTH = 16


def _opening(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isalnum() and not after.isspace()


def _closing(text: str, i: int) -> bool:
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not after.isalnum()


def _closes(stack: list[tuple[str, int]], mark: str) -> int:
    """Index of the nearest open mark that ``mark`` closes, -1 for none."""
    for j in range(len(stack) - 1, -1, -1):
        if mark in _CLOSERS[stack[j][0]]:
            return j
    return -1


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each outermost pair of quote marks, in text order."""
    pairs: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for match in _MARK.finditer(text):
        mark, i = match.group(), match.start()
        if mark == "\n":
            stack.clear()
            continue
        top = stack[-1][0] if stack else ""
        if top and mark in _CLOSERS[top] and (mark not in _AMBIGUOUS[top] or _closing(text, i)):
            j = len(stack) - 1
        elif mark in _ALWAYS_OPEN or (mark in _CLOSERS and _opening(text, i)):
            if len(stack) >= _MAX_DEPTH:
                del stack[0]
            stack.append((mark, i))
            continue
        else:
            j = _closes(stack, mark) if mark not in '"’' or _closing(text, i) else -1
            if j < 0:
                continue
        pairs.append((stack[j][1] + 1, i))
        del stack[j:]
    pairs.sort()
    outer: list[tuple[int, int]] = []
    for start, end in pairs:
        if outer and start < outer[-1][1]:
            continue  # inside the previous pair
        outer.append((start, end))
    return outer
