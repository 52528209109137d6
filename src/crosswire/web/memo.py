"""What a story page derives at read time (who said what, how each outlet framed it), kept per
server process until the store changes.

Both read up to 500 of a story's articles and compare them: about 330 and 370 ms for the largest
story of a 100,000-article store (9,736 articles), so its page took about 950 ms, against 13 ms
for a typical one. Pages are read far more often than stories change, so a result is kept under
the story's id and article count and the store's ``data_version`` (which moves with every
commit: an ingest, an upload, a reclean). Only what took ``KEEP_FROM_S`` or more to derive is
kept: the large stories. A store that cannot say (PostgreSQL) keeps nothing.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from crosswire.store.base import Store
from crosswire.types import StorySummary

T = TypeVar("T")
KEPT = 64  # results kept per process, least recently used dropped first
# Only what took this long to derive is kept: the large stories. A typical story's page takes
# about 13 ms whole, and keeping every story a reader cycles through (the web benchmark visits
# 50, two results each) would drop the large ones before they come round again.
KEEP_FROM_S = 0.02

_kept: OrderedDict[Hashable, object] = OrderedDict()
_lock = threading.Lock()


def remembered(store: Store, story: StorySummary, what: Hashable, derive: Callable[[], T]) -> T:
    """``derive()`` for ``story``, or what it gave for the same story, ``what`` and store version."""
    version = store.data_version()
    if version is None:
        return derive()
    key = (str(store.path), story.id, story.article_count, version, what)
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[return-value]  # stored under this key by this function
    started = time.perf_counter()
    value = derive()
    if time.perf_counter() - started < KEEP_FROM_S:
        return value
    with _lock:
        _kept[key] = value
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return value


def forget() -> None:
    with _lock:
        _kept.clear()
