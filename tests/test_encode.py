"""Dense encoders without a model: specs, the registry and its cache, the missing-package error,
the text an encoder reads, and the fusion of dense and lexical scores. (Loading and encoding with
a real sentence-transformers model: test_encode_sentence_transformers.py.)"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from crosswire import encode
from crosswire.encode import fusion
from crosswire.encode.fusion import cosine_to_unit, dense_cosine, fuse
from crosswire.encode.text import MAX_CHARS, article_text_for_encoding, truncate
from crosswire.errors import CrosswireError, MissingDependency
from crosswire.types import Article, Representation


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    encode.clear_cache()
    yield
    encode.clear_cache()


# --- specs and registry -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("sentence-transformers:sentence-transformers/LaBSE", ("sentence-transformers", "sentence-transformers/LaBSE")),
        ("sentence-transformers:/models/e5-small", ("sentence-transformers", "/models/e5-small")),
        ("  sentence-transformers: ./models/x ", ("sentence-transformers", "./models/x")),
        ("intfloat/multilingual-e5-small", ("sentence-transformers", "intfloat/multilingual-e5-small")),
        ("/srv/models/LaBSE", ("sentence-transformers", "/srv/models/LaBSE")),
        ("C:\\models\\LaBSE", ("sentence-transformers", "C:\\models\\LaBSE")),
    ],
)
def test_parse_spec(spec: str, expected: tuple[str, str]) -> None:
    assert encode.parse_spec(spec) == expected


@pytest.mark.parametrize("spec", ["nosuch:model", "sentence-transformers:", "  "])
def test_bad_specs_are_one_line_errors(spec: str) -> None:
    with pytest.raises(CrosswireError) as info:
        encode.get_encoder(spec)
    assert "\n" not in str(info.value)


class _FakeEncoder:
    dimension = 3

    def __init__(self, name: str, prefix: str | None) -> None:
        self.name = name
        self.prefix = prefix

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        rows = np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32).reshape(-1, 3)
        unit: np.ndarray = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return unit


def test_backends_are_pluggable_and_loaded_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def factory(model: str, *, prefix: str | None = None, threads: int | None = None) -> _FakeEncoder:
        calls.append(model)
        return _FakeEncoder(f"fake:{model}", prefix)

    monkeypatch.setitem(encode._BACKENDS, "fake", factory)
    assert "fake" in encode.available_backends()
    first = encode.get_encoder("fake:m1")
    assert isinstance(first, encode.Encoder)
    assert encode.get_encoder("fake:m1") is first
    assert encode.get_encoder("fake:m1", prefix="query: ") is not first  # a prefix changes every vector
    assert calls == ["m1", "m1"]
    article = Article(id="a", source="s", title="T", text="body", language="en", published=None)
    assert encode.encode_articles(first, [article, article]).shape == (2, 3)


def test_register_backend_rejects_bad_names() -> None:
    with pytest.raises(ValueError):
        encode.register_backend("a:b", lambda model, **_: _FakeEncoder(model, None))


def test_negative_threads_are_refused() -> None:
    with pytest.raises(CrosswireError, match="threads"):
        encode.get_encoder("sentence-transformers:/nowhere", threads=-1)


def test_missing_package_names_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import sentence_transformers` raise ImportError, as when the
    # `dense` extra is not installed.
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(MissingDependency) as info:
        encode.get_encoder("sentence-transformers:/models/LaBSE")
    message = str(info.value)
    assert "sentence-transformers is not installed" in message
    assert "pip install 'crosswire[dense]'" in message
    assert "\n" not in message


def test_importing_the_package_loads_no_torch() -> None:
    import subprocess

    code = (
        "import sys, crosswire.encode, crosswire.encode.fusion, crosswire.encode.text;"
        "print('torch' in sys.modules or 'sentence_transformers' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


# --- the text an encoder reads ------------------------------------------------------------------


def _article(title: str | None, text: str) -> Article:
    return Article(id="a1", source="x.txt", title=title, text=text, language="uk", published=None)


def test_article_text_is_title_then_body() -> None:
    article = _article("Закон про бюджет", "Перший абзац.\n\nДругий абзац.")
    assert article_text_for_encoding(article) == "Закон про бюджет\nПерший абзац.\nДругий абзац."
    assert article_text_for_encoding(_article(None, "Лише текст.")) == "Лише текст."
    assert article_text_for_encoding(_article("Лише заголовок", "")) == "Лише заголовок"


def test_long_articles_are_cut_at_a_word() -> None:
    body = " ".join(["слово"] * 2000)
    text = article_text_for_encoding(_article("Заголовок", body))
    assert len(text) <= MAX_CHARS
    assert text.startswith("Заголовок\nслово")
    assert text.endswith("слово")
    assert truncate("x" * 5000, 100) == "x" * 100  # no space: a hard cut
    assert truncate("short", 100) == "short"


# --- fusion -------------------------------------------------------------------------------------


def test_ramp_maps_the_centered_cosine_bands() -> None:
    assert cosine_to_unit(0.0) == 0.0  # unrelated: centered cosines sit near 0
    assert cosine_to_unit(fusion.COSINE_LOW) == 0.0
    assert cosine_to_unit(0.7) == 1.0  # translations
    assert cosine_to_unit(0.2) < cosine_to_unit(0.3) < cosine_to_unit(0.4)
    with pytest.raises(ValueError):
        cosine_to_unit(0.5, low=0.8, high=0.2)


def test_fuse_adds_independent_evidence_and_stays_in_range() -> None:
    assert fuse(0.7, None) == 0.7
    assert fuse(0.7, 0.95, weight=0.0) == 0.7
    assert fuse(0.0, 0.95, weight=1.0) == 1.0  # a lexical miss the encoder is sure of: linked
    assert fuse(0.0, 0.95, weight=0.4) == pytest.approx(0.4)
    assert fuse(0.6, 0.2) == pytest.approx(1 - 0.4 * 0.8)  # both half sure: more than either
    for lexical in (-0.5, 0.0, 0.3, 1.0, 1.5):
        for cosine in (-1.0, 0.0, 0.5, 1.0):
            assert 0.0 <= fuse(lexical, cosine) <= 1.0
    with pytest.raises(ValueError):
        fuse(0.5, 0.5, weight=1.5)


def test_the_encoder_vetoes_keys_it_finds_unrelated() -> None:
    # Shared keys alone (a script's common n-grams, a site's byline) against an encoder that finds
    # the texts unrelated: the score is scaled down, to half at a centered cosine of 0 and below.
    assert fuse(0.7, 0.0) == pytest.approx(0.35)
    assert fuse(0.7, -0.5) == pytest.approx(0.35)
    assert fuse(0.7, 0.1) == pytest.approx(0.7 * 0.75)
    assert fuse(0.7, 0.2) == pytest.approx(1 - 0.3 * 0.8)  # from 0.2 up the keys stand, and the encoder adds
    assert fuse(0.7, 0.0, weight=0.0) == 0.7  # no say for the encoder, no veto
    assert all(fuse(0.5, c) <= fuse(0.5, c + 0.05) for c in (-0.2, -0.1, 0.0, 0.1, 0.2, 0.3))


def _rep(article_id: str, vector: list[float] | None) -> Representation:
    return Representation(
        article_id=article_id,
        language="en",
        published=None,
        vector=None if vector is None else np.array(vector, dtype=np.float32),
    )


def test_dense_cosine() -> None:
    a, b, c = _rep("a", [1.0, 0.0]), _rep("b", [0.6, 0.8]), _rep("c", [0.0, 2.0])
    assert dense_cosine(a, a) == pytest.approx(1.0)
    assert dense_cosine(a, b) == pytest.approx(0.6)
    assert dense_cosine(b, c) == pytest.approx(0.8)  # not unit length: still a cosine
    assert dense_cosine(a, _rep("n", None)) is None
    assert dense_cosine(_rep("z", [0.0, 0.0]), a) is None
    with pytest.raises(CrosswireError, match="different models"):
        dense_cosine(a, _rep("d", [1.0, 0.0, 0.0]))
