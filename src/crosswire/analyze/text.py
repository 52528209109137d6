"""Word tokens with the layout facts the analyzers need: where sentences start and which words
are joined by plain spaces (so they can form one name)."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple


def _combining_marks() -> str:
    """A character-class body of the BMP's combining marks. Python's ``\\w`` leaves them out, which
    cut Devanagari, Bengali, Thai... words at every vowel sign (हिन्दी -> ह, न, द)."""
    spans: list[tuple[int, int]] = []
    for code in range(0x300, 0x10000):
        if unicodedata.category(chr(code)) in ("Mn", "Mc", "Me"):
            if spans and spans[-1][1] == code - 1:
                spans[-1] = (spans[-1][0], code)
            else:
                spans.append((code, code))
    return "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in spans)


_MARKS = _combining_marks()
_W = rf"[\w{_MARKS}]"
WORD_CHAR = _W  # a character class of word characters, combining marks included
# Letters-only abbreviations with dots (U.S., U.K.) or words with inner hyphens and apostrophes.
_WORD = re.compile(rf"(?:[^\W\d_]\.){{2,}}|{_W}+(?:[-'’]{_W}+)*")
# French, Italian and Catalan elide articles and prepositions onto the next word (l'OTAN, dell'Ucraina):
# the word starts after the apostrophe.
_ELISION = re.compile(r"(?:[^\W\d_]{1,2}|dell|nell|all|sull|dall|quell|qu)['’](?=[^\W\d_])", re.IGNORECASE)
_ELIDING_LANGUAGES = frozenset({"fr", "it", "ca"})
_SENTENCE_GAP = re.compile(r"[.!?…:\n«\"„“]")
# A straight quote mark beside a comma closes a quote ('…," Lavrov said'; '"…", Lavrov said'):
# the capital after it is a name's, not a sentence's.
_CLOSING_QUOTE = re.compile(r',"(?=\s)|"\s*,')
_TITLE_CASE_SHARE = 0.7  # a line this capitalized is a headline: its capitals say nothing


class Token(NamedTuple):
    """A word of a text. A named tuple, not a frozen dataclass: an article has hundreds of tokens,
    and a frozen dataclass's ``__init__`` (one ``object.__setattr__`` a field) took a third of
    ``tokenize``'s time."""

    text: str
    start: int
    end: int
    sentence_start: bool  # its capital letter may be only the sentence's (or the headline's)
    glued: bool  # only spaces between it and the previous token: they may form one name
    numeric: bool  # digits only (numbers are read separately)
    capitalized: bool

    @property
    def all_caps(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()


def tokenize(text: str, language: str | None = None) -> list[Token]:
    """Split ``text`` into word tokens in order."""
    elides = language in _ELIDING_LANGUAGES
    tokens: list[Token] = []
    line_start = 0  # index in ``tokens`` of the first token of the current line
    previous_end = 0
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group()
        if elides and ("'" in word or "’" in word) and (elided := _ELISION.match(word)):
            start, word = start + elided.end(), word[elided.end() :]
        if start == previous_end + 1 and text[previous_end] == " " and tokens:  # the common case, fast
            sentence_start, glued = False, True
        else:
            gap = text[previous_end:start]
            sentence_start = not tokens or bool(_SENTENCE_GAP.search(_CLOSING_QUOTE.sub(",", gap)))
            glued = bool(tokens) and not gap.strip(" \t\u00a0")
            if "\n" in gap:
                _mark_headline(tokens, line_start)
                line_start = len(tokens)
        tokens.append(Token(word, start, end, sentence_start, glued, word.isdigit(), word[0].isupper()))
        previous_end = end
    _mark_headline(tokens, line_start)
    return tokens


def _mark_headline(tokens: list[Token], start: int) -> None:
    """In Title Case Lines every word is capitalized: treat each like a sentence start."""
    words = [t for t in tokens[start:] if not t.numeric]
    if len(words) < 4 or sum(t.capitalized for t in words) < _TITLE_CASE_SHARE * len(words):
        return
    for i in range(start, len(tokens)):
        t = tokens[i]
        tokens[i] = Token(t.text, t.start, t.end, True, t.glued, t.numeric, t.capitalized)
