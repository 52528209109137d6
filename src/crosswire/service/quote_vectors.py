"""Quote vectors for grouping, made when a story is read, not at ingest.

Encoding every quote at ingest would double the encoder's work for statements most stories never
show; a story's quotes are encoded when its "who said what" is asked for, once per process: raw
vectors are cached by (encoder, article id, offsets), so a second view of the story, or of a
story that shares its articles, encodes only what is new. The cache is bounded (oldest out) and
never written to the store: reads do not write.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from crosswire.encode import Encoder
from crosswire.encode.centering import LanguageCentering
from crosswire.link.quote_groups import QuotedBy, QuoteVectors
from crosswire.link.quote_text import text_length, windows

MAX_WINDOWS = 6  # sentences of one long quote matched against shorter ones
CACHE_SIZE = 50_000  # vectors kept (384 floats each: ~80 MB at most)
MIN_WINDOW_SOURCE = 40  # quotes shorter than this (letters, quote_text.text_length) are matched whole only

_CACHE: OrderedDict[tuple[str, str, int, int], np.ndarray] = OrderedDict()
_LOCK = threading.Lock()


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def _spans(items: Sequence[QuotedBy]) -> tuple[list[tuple[str, int, int, str]], list[int]]:
    """(article id, start, end, text) of every quote, then of the sentences of the long ones;
    and for each sentence the index of its quote."""
    spans = [(i.article_id, i.quote.start, i.quote.end, i.quote.text) for i in items]
    owners = []
    for index, item in enumerate(items):
        text = item.quote.text
        if text_length(text) < MIN_WINDOW_SOURCE:
            continue
        for start, end in windows(text, MAX_WINDOWS):
            spans.append((item.article_id, item.quote.start + start, item.quote.start + end, text[start:end]))
            owners.append(index)
    return spans, owners


def _encode(encoder: Encoder, spec: str, spans: list[tuple[str, int, int, str]]) -> np.ndarray:
    keys = [(spec, article_id, start, end) for article_id, start, end, _ in spans]
    with _LOCK:
        found = {key: _CACHE[key] for key in keys if key in _CACHE}
    missing = [(key, text) for key, (*_, text) in zip(keys, spans, strict=True) if key not in found]
    if missing:
        made = encoder.encode([text for _, text in missing])
        with _LOCK:
            for (key, _), vector in zip(missing, made, strict=True):
                found[key] = _CACHE[key] = np.asarray(vector, dtype=np.float32)
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
    return np.stack([found[key] for key in keys]) if keys else np.zeros((0, encoder.dimension), np.float32)


def quote_vectors(items: Sequence[QuotedBy], encoder: Encoder, spec: str, centering: LanguageCentering) -> QuoteVectors:
    """The centered vectors of ``items`` and of the sentences of the long ones (a sentence is
    centered on its quote's language, as the quote is)."""
    spans, owners = _spans(items)
    raw = _encode(encoder, spec, spans)
    languages = [item.language for item in items] + [items[owner].language for owner in owners]
    centered = centering.center(raw, languages).astype(np.float32)
    n = len(items)
    return QuoteVectors(centered[:n], centered[n:], np.asarray(owners, dtype=np.int64))
