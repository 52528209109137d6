"""The sources file ``crosswire watch`` reads: one feed per line, with optional settings.

    # comments and blank lines are ignored
    https://example.com/rss.xml
    https://example.org/atom.xml  every=10m  language=de

``every``: poll interval (``90``, ``90s``, ``10m``, ``2h``, ``1d``; default: what the feed asks
for, else the ``poll_interval`` setting); ``language``: an ISO 639-1 code given to every article
of the feed (trusted over detection).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crosswire.errors import CrosswireError

_COMMENT = re.compile(r"(?:^|\s)#")  # a '#' inside a URL is a fragment, not a comment
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_INTERVAL = 60.0  # no feed is polled more often than once a minute


@dataclass(frozen=True, slots=True)
class SourceSpec:
    url: str
    every: float | None = None  # seconds
    language: str | None = None


def parse_duration(text: str) -> float:
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise ValueError(f"not a duration: {text!r} (use 90, 90s, 10m, 2h or 1d)")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_sources(text: str, where: str = "sources") -> list[SourceSpec]:
    specs: dict[str, SourceSpec] = {}
    for number, line in enumerate(text.splitlines(), 1):
        words = _COMMENT.split(line, maxsplit=1)[0].split()
        if not words:
            continue
        url, options = words[0], words[1:]
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CrosswireError(f"{where}:{number}: {url!r} is not an http(s) URL")
        values: dict[str, str] = {}
        for option in options:
            key, sep, value = option.partition("=")
            if not sep or key not in ("every", "language"):
                raise CrosswireError(f"{where}:{number}: unknown option {option!r} (every=, language=)")
            values[key] = value
        try:
            every = parse_duration(values["every"]) if "every" in values else None
        except ValueError as err:
            raise CrosswireError(f"{where}:{number}: {err}") from err
        if every is not None and every < MIN_INTERVAL:
            raise CrosswireError(f"{where}:{number}: every={values['every']} is below one minute")
        specs[url] = SourceSpec(url, every, values.get("language") or None)
    return list(specs.values())


def read_sources(path: Path) -> list[SourceSpec]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise CrosswireError(f"cannot read sources file {path}: {err.strerror or err}") from err
    specs = parse_sources(text, str(path))
    if not specs:
        raise CrosswireError(f"{path}: no feeds in it (one URL per line)")
    return specs
