"""Errors the faces turn into one-line messages (CLI) or one JSON error shape (API)."""

from __future__ import annotations


class CrosswireError(Exception):
    """Base class: a problem a user can act on, with a short message and no traceback."""


class InputError(CrosswireError):
    """One input cannot become an article. ``reason`` is a stable, countable slug
    ("empty", "binary", "too-large", "unknown-format", "unreadable", "timeout", ...)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class MissingDependency(CrosswireError):
    """An optional backend was asked for but its package is not installed."""

    def __init__(self, package: str, extra: str, *, command: str | None = None, note: str = "") -> None:
        command = command or f"pip install 'crosswire[{extra}]'"
        super().__init__(f"{package} is not installed; run: {command}{note}")


class NotFound(CrosswireError):
    """A stored story or article that is not there (the API answers 404)."""


class StoreNotFound(CrosswireError):
    """A store opened for reading that does not exist (a mistyped --db, say)."""
