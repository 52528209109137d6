"""The shape of one line: sentence or headline, bullet, name, address. Language-independent."""

from __future__ import annotations

import re

# Sentence-final punctuation, possibly followed by closing quotes or brackets.
_FINAL = re.compile(r"[.!?…。！？؟।][\"'»”’)\]]*$")
_FULL_STOP = re.compile(r"[.…。][\"'»”’)\]]*$")
_BULLET = re.compile(r"^(?:[•·▪▫◦●○■□►▶➤→✓✔*+–—-]|[0-9]{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W\d_]+")
# A web address: scheme or 'www.', or dotted lower-case labels (the last must be a top-level
# domain, checked in code: in the pattern it would make matching quadratic on 'a.a.a.a...').
_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?")
_TOP_LEVEL = re.compile(r"[a-z]{2,12}")
_ADDRESS_MAX_CHARS = 300
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

HEADLINE_MAX_WORDS = 30
HEADLINE_MAX_CHARS = 250
# A line this long is running text even without final punctuation (scrapers drop full stops).
PROSE_MIN_WORDS = 25
PROSE_MIN_CHARS = 200


def word_count(line: str) -> int:
    if _CJK.search(line):
        # Scripts without spaces: count roughly two characters per word.
        return max(len(line.split()), len(_CJK.findall(line)) // 2)
    return len(line.split())


def is_bullet(line: str) -> bool:
    return bool(_BULLET.match(line))


def is_prose(line: str) -> bool:
    """A sentence or paragraph: ends like a sentence, or is too long to be anything else."""
    words = word_count(line)
    if _FINAL.search(line):
        return words >= 2 and len(_WORD.findall(line)) >= 2
    return words >= PROSE_MIN_WORDS or len(line) >= PROSE_MIN_CHARS


def is_headline(line: str) -> bool:
    """Short, several words, and not closed by a full stop (a question or exclamation may end a
    headline)."""
    words = word_count(line)
    return (
        3 <= words <= HEADLINE_MAX_WORDS
        and len(line) <= HEADLINE_MAX_CHARS
        and not _FULL_STOP.search(line)
        and len(_WORD.findall(line)) >= 2
    )


def _is_address(found: str) -> bool:
    if found.startswith(("http://", "https://", "www.")):
        return True
    return bool(_TOP_LEVEL.fullmatch(found.split("/", 1)[0].rsplit(".", 1)[-1]))


def is_mostly_address(line: str) -> bool:
    """A short line that is mostly web addresses (a source credit, a bare link)."""
    if len(line) > _ADDRESS_MAX_CHARS:
        return False
    found = sum(len(m) for m in _ADDRESS.findall(line) if _is_address(m))
    return found > 0 and found * 2 >= len(line.replace(" ", ""))


def _name_token(token: str) -> bool:
    if len(token) == 2 and token[0].isupper() and token[1] == ".":  # an initial
        return True
    letters = token.replace("-", "").replace("'", "").replace("’", "")
    return len(letters) >= 2 and letters.isalpha() and token[0].isupper() and not letters.isupper()


def _unglue(token: str) -> tuple[str, str] | None:
    """Split 'ПетрукНовини' (a name run into the section label after it) into its two words.
    Short heads ('Mc', 'Mac', 'De') are name prefixes, not glue."""
    for i in range(4, len(token) - 3):
        if token[i].isupper() and token[i - 1].islower() and token[i - 1].isalpha():
            head, tail = token[:i], token[i:]
            if _name_token(head) and tail[1:].islower():
                return head, tail
    return None


def byline_name(line: str) -> str | None:
    """The person's name if the line is only a name of two to four words ('Ігор Петрук',
    'J. Smith'), possibly run into a section label ('Ігор ПетрукНовини' -> 'Ігор Петрук')."""
    tokens = line.split()
    if not 2 <= len(tokens) <= 4 or any(c.isdigit() for c in line):
        return None
    glued = _unglue(tokens[-1])
    if glued:
        tokens[-1] = glued[0]
    if all(_name_token(t) for t in tokens) and sum(t.endswith(".") for t in tokens) < len(tokens):
        return " ".join(tokens)
    return None
