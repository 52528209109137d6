"""The sentence-transformers backend: any model name or local folder that
``SentenceTransformer(name)`` loads.

Loading is the library's own: a folder path loads from disk; a hub id loads from the Hugging
Face cache or the hub. ``HF_HUB_OFFLINE`` is left as the user set it, so with ``HF_HUB_OFFLINE=1``
only folders and cached models load (and a missing one fails at once instead of retrying the
network for about a minute).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from crosswire.encode.text import MAX_CHARS, truncate
from crosswire.errors import CrosswireError, MissingDependency

BACKEND = "sentence-transformers"
# E5 models were trained with "query: " / "passage: " before every text; for symmetric tasks
# (article vs article) their authors use "query: " on both sides.
E5_PREFIX = "query: "
_E5_NAME = re.compile(r"(^|[-_/\\:])e5([-_/\\]|$)", re.IGNORECASE)
# Packages whose absence means "the dense extra is not installed" (rather than a broken install).
_EXTRA_PACKAGES = {"sentence_transformers", "torch", "transformers", "tokenizers", "huggingface_hub", "safetensors"}
_HOW = (
    "to use it without network access, download it where there is one and point the encoder at "
    "the model folder, or put it in the Hugging Face cache and set HF_HUB_OFFLINE=1 (docs/encoders.md)"
)


def _import() -> tuple[Any, Any]:
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as err:
        if (err.name or "").split(".")[0] in _EXTRA_PACKAGES:
            raise MissingDependency("sentence-transformers", "dense") from err
        raise CrosswireError(f"encoder: sentence-transformers cannot be imported: {_one_line(err)}") from err
    return torch, SentenceTransformer


def _one_line(err: BaseException, limit: int = 200) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    text = lines[0].rstrip(".") if lines else type(err).__name__
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def default_threads() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def set_threads(threads: int | None) -> None:
    """Let torch use ``threads`` CPU threads (``None`` or 0: one per available core)."""
    torch, _ = _import()
    torch.set_num_threads(threads or default_threads())


def is_e5(name: str) -> bool:
    """Whether a model name, path or spec names an E5 model (``e5`` as a word:
    ``intfloat/multilingual-e5-small``, ``/srv/models/multilingual-e5-base``)."""
    return _E5_NAME.search(name) is not None


def default_prefix(model: str) -> str:
    """``"query: "`` for E5 models, else no prefix."""
    return E5_PREFIX if is_e5(model) else ""


def _looks_like_path(model: str) -> bool:
    # Hub ids are "name" or "owner/name"; anything else that is not an existing path is a path
    # that does not exist.
    return os.path.isabs(model) or model.startswith((".", "~")) or "\\" in model or model.count("/") > 1


class SentenceTransformerEncoder:
    """A loaded sentence-transformers model (see ``crosswire.encode.Encoder``)."""

    def __init__(self, model: Any, model_name: str, *, prefix: str = "", max_chars: int = MAX_CHARS) -> None:
        self._model = model
        self.model_name = model_name
        self.name = f"{BACKEND}:{model_name}"
        self.prefix = prefix
        self.max_chars = max_chars
        dimension = _dimension(model)
        self.dimension = dimension if dimension is not None else int(self._raw([""], 1).shape[1])

    def __repr__(self) -> str:
        return f"SentenceTransformerEncoder({self.name!r}, dimension={self.dimension})"

    def _raw(self, texts: list[str], batch_size: int) -> np.ndarray:
        torch, _ = _import()
        with torch.inference_mode():
            vectors = self._model.encode(
                texts,
                batch_size=batch_size,
                prompt=self.prefix or None,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(vectors, dtype=np.float32)

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One unit-length float32 row per text; each text is first cut to ``max_chars``
        characters (crosswire.encode.text explains why)."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        if isinstance(texts, str):
            raise TypeError("encode takes a sequence of texts, not one string")
        if len(texts) == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._raw([truncate(text, self.max_chars) for text in texts], batch_size)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        np.divide(vectors, norms, out=vectors, where=norms > 0)
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _dimension(model: Any) -> int | None:
    get = getattr(model, "get_embedding_dimension", None)  # sentence-transformers >= 5.4
    if get is None:
        get = model.get_sentence_embedding_dimension
    dimension = get()
    return int(dimension) if dimension else None


def load_sentence_transformer(
    model: str, *, prefix: str | None = None, threads: int | None = None
) -> SentenceTransformerEncoder:
    """Load ``model`` (a folder, or a hub id from the cache or the hub) the normal way.

    Raises ``MissingDependency`` without the ``dense`` extra and a one-line ``CrosswireError``
    naming the model when it cannot be loaded.
    """
    torch, sentence_transformer = _import()
    path = Path(model).expanduser()
    local = path.exists()
    if not local and _looks_like_path(model):
        raise CrosswireError(f"encoder: no model folder at {model}; {_HOW}")
    if local and not path.is_dir():
        raise CrosswireError(f"encoder: {model} is a file; point the encoder at the model folder")
    torch.set_num_threads(threads or default_threads())
    try:
        loaded = sentence_transformer(str(path) if local else model)
        encoder = SentenceTransformerEncoder(loaded, model, prefix=default_prefix(model) if prefix is None else prefix)
    except Exception as err:  # loading fails in many ways (I/O, JSON, hub, weights): all mean "not usable"
        offline = " (HF_HUB_OFFLINE is set: only folders and cached models load)" if not local and _offline() else ""
        how = "check that the folder holds a model saved by sentence-transformers or transformers" if local else _HOW
        raise CrosswireError(
            f"encoder: cannot load sentence-transformers model {model!r}{offline}: {_one_line(err)}; {how}"
        ) from err
    return encoder


def _offline() -> bool:
    try:
        from huggingface_hub import constants
    except ImportError:
        return False
    return bool(getattr(constants, "HF_HUB_OFFLINE", False))
