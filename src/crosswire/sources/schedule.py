"""When to poll a feed next: its own pace, never faster than it asks, spread out with jitter so
feeds added together do not stay in step, and backing off while it fails."""

from __future__ import annotations

import random
from collections.abc import Callable

MAX_INTERVAL = 24 * 3600.0  # a feed asking for a longer pause is still polled daily
MAX_BACKOFF = 6 * 3600.0  # a failing feed is still tried this often
JITTER = 0.1  # +-10 %


def poll_interval(every: float | None, ttl: float | None, max_age: float | None, default: float) -> float:
    """``every`` from the sources file wins; otherwise the default, or longer when the feed asks
    (RSS ttl, Cache-Control max-age) for a longer pause."""
    if every:
        return every
    asked = max(ttl or 0.0, max_age or 0.0)
    return max(default, min(asked, MAX_INTERVAL))


def next_poll(
    now: float,
    interval: float,
    failures: int = 0,
    retry_after: float | None = None,
    uniform: Callable[[float, float], float] = random.uniform,
) -> float:
    """The time of the next poll: ``interval`` on, doubled per consecutive failure up to
    ``MAX_BACKOFF``, at least ``retry_after`` when the server said so."""
    delay = interval
    if failures:
        delay = min(interval * 2**failures, max(MAX_BACKOFF, interval))
    if retry_after:
        delay = max(delay, retry_after)
    return now + delay * uniform(1 - JITTER, 1 + JITTER)
