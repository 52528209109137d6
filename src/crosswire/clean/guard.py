"""Bounds on what cleaning accepts: size, and text that is not text."""

from __future__ import annotations

import re

from crosswire.errors import InputError

# No news article is near this; a body this long is a dump, and parsing it whole would stall
# the batch it is in.
MAX_CHARS = 5_000_000
# Share of control characters (NUL and the like, not tab/newline) above which input is binary.
MAX_CONTROL_SHARE = 0.1
_SAMPLE = 65_536
# Also lone surrogates (from undecodable bytes): no parser downstream accepts them.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def truncate(text: str, limit: int | None = None) -> tuple[str, bool]:
    """``text`` cut to at most ``limit`` (default ``MAX_CHARS``) characters, at a line break when
    there is one near the end, and whether it was cut."""
    limit = MAX_CHARS if limit is None else limit
    if len(text) <= limit:
        return text, False
    cut = text.rfind("\n", max(0, limit - 10_000), limit)
    return text[: cut if cut > 0 else limit], True


def check_text(text: str) -> str:
    """Raise InputError('binary') for mostly-control-character input, else return ``text`` with
    its stray control characters removed."""
    sample = text[:_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if sample and controls > MAX_CONTROL_SHARE * len(sample):
        raise InputError("binary", f"{controls} of {len(sample)} characters are control characters")
    return _CONTROL.sub("", text) if controls or _CONTROL.search(text, _SAMPLE) else text
