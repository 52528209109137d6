"""The sentence-transformers backend with a real model built here: a WordPiece tokenizer trained
on a few sentences and a one-layer BERT (hidden size 32), saved as a sentence-transformers folder
and loaded through the same code as a downloaded model. Nothing is downloaded."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sentence_transformers", reason="the dense extra is not installed: pip install 'crosswire[dense]'")

import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

from crosswire import encode
from crosswire.encode.fusion import dense_cosine, fuse
from crosswire.encode.st_backend import E5_PREFIX
from crosswire.encode.text import MAX_CHARS
from crosswire.errors import CrosswireError
from crosswire.types import Article, Representation

SENTENCES = [
    "Президент підписав закон про державний бюджет на 2024 рік.",
    "Президент подписал закон о государственном бюджете на 2024 год.",
    "The president signed the state budget law for 2024.",
    "Der Präsident hat das Haushaltsgesetz für 2024 unterzeichnet.",
    "Повінь у Карпатах зруйнувала три мости.",
    "Floods in the Carpathians destroyed three bridges.",
]
REVISION = "0123456789abcdef0123456789abcdef01234567"


def _build(root: Path) -> dict[str, Path]:
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    tokenizer.train_from_iterator(SENTENCES * 3, trainers.WordPieceTrainer(vocab_size=400, special_tokens=specials))
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)]
    )
    plain = root / "transformers"  # what transformers saves: no sentence-transformers files
    PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        unk_token="[UNK]",
        pad_token="[PAD]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        mask_token="[MASK]",
        model_max_length=64,
    ).save_pretrained(plain)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(plain)

    current = root / "tiny-st"  # as this sentence-transformers version saves a model
    transformer = Transformer(str(plain), max_seq_length=64)
    pooling = Pooling(transformer.get_embedding_dimension(), "mean")
    SentenceTransformer(modules=[transformer, pooling]).save(str(current))

    # As the published multilingual models are laid out (saved by sentence-transformers 2.x).
    legacy = root / "tiny-legacy"
    shutil.copytree(current, legacy)
    (legacy / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            ]
        )
    )
    (legacy / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 64, "do_lower_case": False}))
    (legacy / "1_Pooling" / "config.json").write_text(
        json.dumps(
            {
                "word_embedding_dimension": 32,
                "pooling_mode_cls_token": False,
                "pooling_mode_mean_tokens": True,
                "pooling_mode_max_tokens": False,
                "pooling_mode_mean_sqrt_len_tokens": False,
            }
        )
    )

    # The same model in a Hugging Face cache, as `hf download crosswire-test/tiny` would leave it.
    cache = root / "hf-cache"
    repo = cache / "models--crosswire-test--tiny"
    shutil.copytree(legacy, repo / "snapshots" / REVISION)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(REVISION)
    return {"plain": plain, "current": current, "legacy": legacy, "cache": cache}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _build(tmp_path_factory.mktemp("encoders"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    threads = torch.get_num_threads()
    encode.clear_cache()
    yield
    encode.clear_cache()
    torch.set_num_threads(threads)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    # HF_HUB_OFFLINE is read when huggingface_hub is imported; set what it was read into.
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)


def _spec(path: Path) -> str:
    return f"sentence-transformers:{path}"


def test_loads_a_folder_and_encodes_unit_float32_rows(tiny: dict[str, Path]) -> None:
    encoder = encode.get_encoder(_spec(tiny["current"]))
    assert isinstance(encoder, encode.Encoder)
    assert encoder.name == _spec(tiny["current"])
    assert encoder.dimension == 32
    vectors = encoder.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 32)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, 32)


def test_encoding_is_deterministic_and_batching_changes_nothing(tiny: dict[str, Path]) -> None:
    encoder = encode.get_encoder(_spec(tiny["current"]))
    batched = encoder.encode(SENTENCES, batch_size=4)
    assert np.array_equal(batched, encoder.encode(SENTENCES, batch_size=4))
    one_by_one = np.vstack([encoder.encode([text], batch_size=1) for text in SENTENCES])
    assert np.allclose(batched, one_by_one, atol=1e-5)


def test_identical_texts_have_cosine_one(tiny: dict[str, Path]) -> None:
    encoder = encode.get_encoder(_spec(tiny["current"]))
    vectors = encoder.encode([SENTENCES[0], SENTENCES[0], SENTENCES[4]])
    assert float(vectors[0] @ vectors[1]) == pytest.approx(1.0, abs=1e-5)
    assert float(vectors[0] @ vectors[2]) < 0.9999  # the model is not constant


def test_loaded_once_per_process(tiny: dict[str, Path]) -> None:
    encoder = encode.get_encoder(_spec(tiny["current"]))
    assert encode.get_encoder(_spec(tiny["current"])) is encoder
    assert encode.get_encoder(str(tiny["current"])) is encoder  # a bare path means sentence-transformers


def test_published_layout_and_plain_transformers_folders_load_alike(tiny: dict[str, Path]) -> None:
    expected = encode.get_encoder(_spec(tiny["current"])).encode(SENTENCES)
    legacy = encode.get_encoder(_spec(tiny["legacy"]))
    assert np.allclose(legacy.encode(SENTENCES), expected, atol=1e-5)
    plain = encode.get_encoder(_spec(tiny["plain"]))  # sentence-transformers adds mean pooling
    assert np.allclose(plain.encode(SENTENCES), expected, atol=1e-5)


def test_long_texts_are_cut_before_tokenizing(tiny: dict[str, Path]) -> None:
    encoder = encode.get_encoder(_spec(tiny["current"]))
    words = " ".join(SENTENCES * 200)
    assert len(words) > 5 * MAX_CHARS
    cut = words[: words.rfind(" ", 0, MAX_CHARS + 1)]
    assert np.allclose(encoder.encode([words]), encoder.encode([cut]), atol=1e-6)


def test_prefixes(tiny: dict[str, Path], tmp_path: Path) -> None:
    plain = encode.get_encoder(_spec(tiny["current"]))
    assert plain.prefix == ""  # type: ignore[attr-defined]
    prefixed = encode.get_encoder(_spec(tiny["current"]), prefix=E5_PREFIX)
    assert np.allclose(prefixed.encode(SENTENCES[:2]), plain.encode([E5_PREFIX + s for s in SENTENCES[:2]]), atol=1e-5)
    e5 = tmp_path / "multilingual-e5-tiny"
    shutil.copytree(tiny["current"], e5)
    assert encode.get_encoder(_spec(e5)).prefix == E5_PREFIX  # type: ignore[attr-defined]
    assert encode.get_encoder(_spec(e5), prefix="").prefix == ""  # type: ignore[attr-defined]


def test_threads_setting(tiny: dict[str, Path]) -> None:
    encode.get_encoder(_spec(tiny["current"]), threads=1)
    assert torch.get_num_threads() == 1
    encode.get_encoder(_spec(tiny["current"]), threads=2)  # already loaded: still applied
    assert torch.get_num_threads() == 2


def test_articles_to_fused_scores(tiny: dict[str, Path]) -> None:
    encoder = encode.get_encoder(_spec(tiny["current"]))
    articles = [
        Article(id=f"a{i}", source="s", title=text, text=text, language=None, published=None)
        for i, text in enumerate(SENTENCES[:2])
    ]
    vectors = encode.encode_articles(encoder, articles)
    reps = [
        Representation(article_id=a.id, language=None, published=None, vector=v)
        for a, v in zip(articles, vectors, strict=True)
    ]
    assert dense_cosine(reps[0], reps[0]) == pytest.approx(1.0, abs=1e-5)
    cosine = dense_cosine(reps[0], reps[1])
    assert cosine is not None and -1.0 <= cosine <= 1.0
    assert 0.0 <= fuse(0.5, cosine) <= 1.0


def test_hub_id_from_the_cache_while_offline(
    tiny: dict[str, Path], offline: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tiny["cache"]))
    encoder = encode.get_encoder("sentence-transformers:crosswire-test/tiny")
    assert encoder.name == "sentence-transformers:crosswire-test/tiny"
    expected = encode.get_encoder(_spec(tiny["current"])).encode(SENTENCES[:2])
    assert np.allclose(encoder.encode(SENTENCES[:2]), expected, atol=1e-5)


def _one_line_error(spec: str) -> str:
    with pytest.raises(CrosswireError) as info:
        encode.get_encoder(spec)
    message = str(info.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def test_missing_folder(tmp_path: Path) -> None:
    message = _one_line_error(_spec(tmp_path / "no-such-model"))
    assert str(tmp_path / "no-such-model") in message
    assert "HF_HUB_OFFLINE=1" in message


def test_broken_folder(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{not json")
    message = _one_line_error(_spec(broken))
    assert str(broken) in message


def test_file_instead_of_folder(tiny: dict[str, Path]) -> None:
    assert "folder" in _one_line_error(_spec(tiny["current"] / "modules.json"))


def test_uncached_hub_id_offline_fails_fast(offline: None) -> None:
    message = _one_line_error("sentence-transformers:crosswire-test/not-cached-anywhere")
    assert "crosswire-test/not-cached-anywhere" in message
    assert "HF_HUB_OFFLINE" in message


def test_ingest_and_compare_with_an_encoder(tiny: dict[str, Path], tmp_path: Path) -> None:
    from crosswire.service import compare_articles, ingest
    from crosswire.settings import Settings
    from crosswire.store import SQLiteStore
    from crosswire.types import RawDocument

    settings = Settings(db=str(tmp_path / "dense.db"), workers=0, encoder=_spec(tiny["current"]))
    raws = [
        RawDocument(source=f"s{i}", body=f"Budget news\n\n{text} More details follow later today.")
        for i, text in enumerate(SENTENCES)
    ]
    store = SQLiteStore(settings.db)
    assert ingest(store, raws, settings).added == len(SENTENCES)
    assert store.db.execute("SELECT count(*) FROM vectors").fetchone()[0] == len(SENTENCES)
    ids = store.all_article_ids()
    reps = store.representations(ids)
    assert all(rep.vector is not None and rep.vector.shape == (32,) for rep in reps.values())

    a, b = store.articles(ids[:2])
    lexical = compare_articles(a, b, Settings(workers=0))
    fused = compare_articles(a, b, settings)
    cosine = float(np.dot(reps[ids[0]].vector, reps[ids[1]].vector))  # type: ignore[arg-type]
    assert fused.score == pytest.approx(settings.fusion.apply(lexical.score, cosine), abs=1e-3)


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_the_vector_index_mirrors_the_store_and_feeds_candidates(
    tiny: dict[str, Path], tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    from crosswire.cluster.ann import VectorIndex, vector_index_path
    from crosswire.encode.centering import LanguageCentering
    from crosswire.service import ingest, recluster
    from crosswire.settings import Settings
    from crosswire.store import open_store
    from crosswire.types import RawDocument

    # On PostgreSQL the index is a cache in the machine's cache folder (docs/postgres.md).
    db = request.getfixturevalue("postgres_url") if kind == "postgres" else str(tmp_path / "dense.db")
    settings = Settings(db=db, workers=0, encoder=_spec(tiny["current"]))
    store = open_store(settings.db)
    raws = [
        RawDocument(source=f"s{i}", body=f"News\n\n{text} More details follow.") for i, text in enumerate(SENTENCES)
    ]
    ingest(store, raws[:2], settings)
    path = vector_index_path(store.path)
    assert len(VectorIndex(32, path)) == 2
    path.unlink()  # a lost cache is rebuilt from the stored vectors on the next run
    ingest(store, raws[2:], settings)
    index = VectorIndex(32, path)
    assert len(index) == len(SENTENCES) == store.vector_count()
    # The index holds the vectors centered on their language's mean (crosswire.encode.centering)
    # as the means stood when each was filed: each article is still its own nearest neighbour.
    centering = LanguageCentering.for_encoder(settings.encoder, 32, store.language_vector_sums())
    reps = store.representations(store.all_article_ids())
    for article_id, rep in reps.items():
        assert rep.vector is not None
        nearest, cosine = index.nearest(centering.center(rep.vector[None, :], [rep.language])[0], 1)[0]
        assert nearest == article_id and cosine > 0
    recluster(store, settings)
    assert len(VectorIndex(32, path)) == len(SENTENCES)


def test_vector_index_replaces_a_changed_vector(tmp_path: Path) -> None:
    from crosswire.cluster.ann import VectorIndex

    index = VectorIndex(4, tmp_path / "v.usearch")
    first = np.eye(4, dtype=np.float32)
    index.add([f"{i:016x}" for i in range(4)], first)
    index.add([f"{0:016x}"], first[3:4])  # article 0 re-cleaned: its vector is now article 3's
    assert len(index) == 4
    assert {a for a, _ in index.nearest(first[3], 2)} == {f"{0:016x}", f"{3:016x}"}
    index.save()
    assert len(VectorIndex(4, tmp_path / "v.usearch")) == 4
    assert len(VectorIndex(8, tmp_path / "v.usearch")) == 0  # another encoder's index is not reused
