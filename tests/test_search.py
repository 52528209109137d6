"""Full-text search (SQLite FTS5, or PostgreSQL's tsvector, over title, text, lemmas and names):
inflected Ukrainian and Russian words find their other forms, results are ranked and grouped by
story, filters hold, query syntax cannot reach FTS5, and the index follows ingest and re-cleaning
and is built for stores that predate it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RU_SEED, UK_SEED, require_shared, run_cli

from crosswire.ingest.files import read_paths
from crosswire.service import ingest, ingest_paths, reclean
from crosswire.service.search import query_expression, search, split_snippet
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.store.base import Store
from crosswire.store.search import search_rowid
from crosswire.types import RawDocument

STORES = ["sqlite", "postgres"]  # search behaves the same on either store


def _open(kind: str, request: pytest.FixtureRequest, folder: Path) -> Store:
    if kind == "postgres":
        from crosswire.store.postgres import PostgresStore

        return PostgresStore(request.getfixturevalue("postgres_server").new_database())
    return SQLiteStore(folder / "store.db")


def _location(store: Store) -> str:
    return str(getattr(store, "url", store.path))


@pytest.fixture(scope="module", params=STORES)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("search")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        store = _open(request.param, request, folder)
        ingest_paths(store, [require_shared(UK_SEED), require_shared(RU_SEED)], Settings(db=_location(store)))
        yield store
        store.close()


@pytest.fixture(params=STORES)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    store = _open(request.param, request, tmp_path)
    yield store
    store.close()


def _languages(store: Store, query: str, language: str | None = None) -> set[str | None]:
    page = search(store, query, language=language)
    return {match.article.language for found in page.stories for match in found.matches}


@pytest.mark.parametrize(
    ("query", "language"),
    [
        ("безпекою", "uk"),  # instrumental; the seed has 'безпеки', 'безпеку'
        ("переговорами", "uk"),  # the seed has 'переговорів', 'переговори'
        ("раундах", "ru"),  # the seed has 'раунда', 'раундом'
        ("гарантии", "ru"),  # the seed has 'гарантиях', 'гарантиям'
    ],
)
def test_an_inflected_word_finds_its_other_forms(seeded: Store, query: str, language: str) -> None:
    seed = UK_SEED if language == "uk" else RU_SEED
    assert query not in seed.read_text(encoding="utf-8")
    assert language in _languages(seeded, query)


def test_matches_are_grouped_by_story_with_snippets(seeded: Store) -> None:
    page = search(seeded, "Лавров")
    assert page.total_stories == 1 and page.total_articles == 2 and not page.capped
    found = page.stories[0]
    assert found.articles == 2 and {m.article.language for m in found.matches} == {"uk", "ru"}
    assert any(matched for _, matched in found.matches[0].snippet)  # the best match of each story has one
    assert found.story.article_count == 2


def test_filters_apply_to_the_matching_articles(seeded: Store) -> None:
    assert _languages(seeded, "Лавров", language="ru") == {"ru"}
    assert _languages(seeded, "Лавров", language="de") == set()
    assert search(seeded, "Лавров", since="2100").total_stories == 0


def test_all_words_must_match_and_phrases_match_as_written(seeded: Store) -> None:
    assert _languages(seeded, "Лавров Рау") == {"uk"}  # Rau is named only in the Ukrainian report
    assert _languages(seeded, '"три раунда"') == {"ru"}
    assert search(seeded, '"раунда три"').total_stories == 0


@pytest.mark.parametrize(
    "query", ['"', '""', "*", "NEAR(a b)", "title:x", "a OR", "-x", "^", "(", "AND OR NOT", "'; DROP TABLE articles"]
)
def test_query_syntax_never_reaches_fts5(seeded: Store, query: str) -> None:
    search(seeded, query)  # no error: every form is quoted
    assert seeded.article_count() == 2


def test_query_expression_quotes_every_form() -> None:
    expression = query_expression('Лаврова "три раунда" x"y', ["uk", "ru"])
    assert expression is not None
    assert '"три раунда"' in expression and 'lemmas : "ru0лавров"' in expression and " AND " in expression
    assert query_expression("!!! ...", ["en"]) is None


def test_ranking_prefers_a_title_match(empty_store: Store) -> None:
    store = empty_store
    filler = "The council met again on Tuesday and discussed the budget for the coming year at length. " * 3
    docs = [
        RawDocument(source="body", body=filler + "A lighthouse keeper spoke briefly.", title="Council budget talks"),
        RawDocument(source="title", body=filler + "Nothing else happened.", title="Lighthouse keeper retires"),
    ]
    ingest(store, docs, Settings(db=_location(store), workers=0))
    page = search(store, "lighthouse")
    ranked = [m for found in page.stories for m in found.matches]  # in rank order
    assert [m.article.title for m in ranked] == ["Lighthouse keeper retires", "Council budget talks"]


def test_title_matches_rank_first_and_fill_the_page_when_there_are_enough(empty_store: Store) -> None:
    from crosswire.types import StoryFilter

    searching = importlib.import_module("crosswire.service.search")  # the package's `search` is the function

    store = empty_store
    filler = "The harbour authority published its yearly report on shipping and the weather. " * 3
    docs = [
        RawDocument(source="body", body=filler + "A lighthouse keeper spoke.", title="Harbour report"),
        RawDocument(source="title", body=filler, title="Lighthouse keeper retires"),
    ]
    ingest(store, docs, Settings(db=_location(store), workers=0))
    expression = query_expression("lighthouse", ["en"])
    assert expression is not None
    titled = searching._ranked(store, expression, StoryFilter(), 1)
    assert [store.article(hit.article_id).title for hit in titled] == ["Lighthouse keeper retires"]  # type: ignore[union-attr]
    assert len(searching._ranked(store, expression, StoryFilter(), 2)) == 2  # too few in titles: all ranked


def test_index_is_built_for_an_older_store_and_kept_on_reclean(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    store = SQLiteStore(db)
    settings = Settings(db=str(db), workers=0)
    ingest(store, [RawDocument(source="a", body="Флот вийшов у море біля Одеси. " * 5)], settings)
    with store.transaction():  # as a store from before migration 007 would be
        store.db.execute("DELETE FROM article_search")
        store.db.execute("INSERT INTO meta VALUES ('article_search', 'stale')")
    assert search(store, "Одеса").total_articles == 1  # built on first search
    assert not store.search_index_stale()
    reclean(store, settings)
    rows = store.db.execute("SELECT count(*) FROM article_search").fetchone()[0]
    assert rows == store.article_count() == 1


def test_a_store_indexed_before_lemmas_had_languages_is_indexed_again(tmp_path: Path) -> None:
    """Migration 020: lemmas indexed untagged (as every store before it did) are not what a query
    looks for now; the index is made again on the first search after the upgrade."""
    db = tmp_path / "old.db"
    store = SQLiteStore(db)
    ingest(
        store, [RawDocument(source="a", body="Флот вийшов у море біля Одеси. " * 5)], Settings(db=str(db), workers=0)
    )
    with store.transaction():  # the row as migration 019 left it: lemmas without their language
        store.db.execute("UPDATE article_search SET lemmas = replace(lemmas, 'uk0', '')")
    store.db.execute("PRAGMA user_version=19")
    store.close()
    store = SQLiteStore(db)  # migration 020 runs
    assert store.search_index_stale()
    assert search(store, "Одесі").total_articles == 1  # by its lemma 'одеса', in the rebuilt index
    assert "uk0одеса" in store.db.execute("SELECT lemmas FROM article_search").fetchone()[0]
    store.close()


# A Croatian article, so that a store covers Croatian (whose stemmer cuts words short).
CROATIAN = (
    "Vlada predstavila proračun\n\nVlada je u ponedjeljak u Zagrebu predstavila novi proračun za sljedeću"
    " godinu. Ministar financija rekao je da će plaće u javnim službama porasti, a porezi ostati isti.\n"
)


def test_a_stem_finds_only_articles_of_its_language(empty_store: Store, tmp_path: Path) -> None:
    """A query word is lemmatized in every language the store covers; untagged, a stem of one
    language met a word of another ('Putin' cut to 'put' met the English verb)."""
    texts = {
        "en.txt": "Bakery reopens on the high street\n\nThe owners put new ovens in the old bakery and put the"
        " first loaves on sale on Monday, the council said.\n",
        "hr.txt": CROATIAN,
    }
    store, ids = _stored_texts(empty_store, tmp_path, texts)
    assert "hr" in store.covered_languages()
    expression = query_expression("puta", store.covered_languages())
    assert expression is not None and 'lemmas : "hr0put"' in expression  # the Croatian stem of 'puta'
    found = {m.article.article_id for story in search(store, "puta").stories for m in story.matches}
    assert ids["en.txt"] not in found


def test_rowids_are_signed_64_bit_and_stable() -> None:
    assert search_rowid("ffffffffffffffff") == -1
    assert search_rowid("0000000000000001") == 1
    odd = search_rowid("not-a-hash")
    assert odd == search_rowid("not-a-hash") and -(2**63) <= odd < 2**63


def test_split_snippet() -> None:
    assert split_snippet("a \ue000b\ue001 c") == (("a ", False), ("b", True), (" c", False))
    assert split_snippet("") == ()


def test_search_command(seeded: Store) -> None:
    done = run_cli("search", "переговорами", "--json", "--db", _location(seeded))
    assert done.returncode == 0, done.stderr
    assert '"matching_articles"' in done.stdout
    shown = run_cli("search", "Лавров", "--db", _location(seeded))
    assert shown.returncode == 0 and "1 matching story" in shown.stdout
    # Both seeds match; only the story's best article has a snippet, and the other no blank line.
    assert "2 of 2 articles matching" in shown.stdout
    assert all(line.strip() for line in shown.stdout.splitlines()), shown.stdout


def _stored_texts(store: Store, tmp_path: Path, texts: dict[str, str]) -> tuple[Store, dict[str, str]]:
    """``store`` given ``texts`` (file name -> text), and each file's article id."""
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    ingest(store, read_paths([tmp_path / name for name in texts]), Settings(db=_location(store), workers=0))
    return store, {Path(a.source).name: a.id for a in store.articles(store.all_article_ids())}


def test_a_name_finds_its_spellings_in_other_languages_and_scripts(empty_store: Store, tmp_path: Path) -> None:
    texts = {
        "uk.txt": "Зеленський провів переговори\n\nПрезидент Володимир Зеленський провів переговори в Києві з"
        " делегацією. Зеленський заявив, що переговори тривали три години.\n",
        "en.txt": "Zelensky meets delegation\n\nPresident Volodymyr Zelensky met a delegation in Kyiv on Monday,"
        " Zelensky said after three hours of talks.\n",
        "other.txt": "Harvest report\n\nFarmers in the region reported a record harvest of wheat this autumn,"
        " the ministry said on Monday.\n",
    }
    store, ids = _stored_texts(empty_store, tmp_path, texts)
    found = {m.article.article_id for story in search(store, "Зеленский").stories for m in story.matches}
    assert {ids["uk.txt"], ids["en.txt"]} <= found and ids["other.txt"] not in found  # Russian spelling: in neither


def test_a_latin_name_finds_it_in_arabic_and_hangul(empty_store: Store, tmp_path: Path) -> None:
    """Scripts without capitals: the names the analysis finds there (after a title, said again)
    carry Latin readings, so a Latin query reaches them."""
    texts = {
        "ar.txt": "بوتين يلتقي وفدا تركيا في موسكو\n\nالتقى الرئيس الروسي فلاديمير بوتين وفدا تركيا في موسكو يوم"
        " الاثنين، وقال بوتين إن المحادثات استمرت ثلاث ساعات وتناولت التعاون الاقتصادي بين البلدين.\n",
        "ko.txt": "푸틴, 터키 대표단과 회담\n\n블라디미르 푸틴 러시아 대통령은 월요일 모스크바에서 터키 대표단을"
        " 만났다. 푸틴 대통령은 회담이 세 시간 동안 이어졌으며 양국의 경제 협력을 논의했다고 밝혔다.\n",
        "en.txt": "Putin meets Turkish delegation\n\nPresident Vladimir Putin met a Turkish delegation in Moscow"
        " on Monday; Putin said the talks lasted three hours.\n",
        "other.txt": "Harvest report\n\nFarmers in the region reported a record harvest of wheat this autumn,"
        " the ministry said on Monday.\n",
    }
    store, ids = _stored_texts(empty_store, tmp_path, texts)
    found = {m.article.article_id for story in search(store, "Putin").stories for m in story.matches}
    assert {ids["ar.txt"], ids["ko.txt"], ids["en.txt"]} <= found and ids["other.txt"] not in found


def test_a_name_is_read_only_in_the_languages_of_its_script() -> None:
    """A stemmer of another script's language, or one that cuts a name to a short skeleton, would
    make the query meet other names: 'Lavrov' cut to 'lvr' (Czech) met 18 unrelated articles of
    2,000 news pages, 'Merkel' to 'mrk' (Croatian, Estonian) met Mark, Marko and Mirko."""
    from crosswire.service.search import word_name_keys

    languages = ["cs", "de", "en", "et", "hr", "pl", "ru", "sk", "uk"]
    assert word_name_keys("Merkel", languages) == ["mrkl"]
    assert word_name_keys("Lavrov", languages) == ["lvrv"]
    assert word_name_keys("Эрдоган", languages) == ["rdhn"]  # a Croatian stemmer made 'rdh' of it
    assert word_name_keys("Лаврова", languages) == ["lvrv"]  # an inflected form still meets the name
    assert word_name_keys("Зеленський", languages) == ["slnsk"]
    assert word_name_keys("Μέρκελ", languages) == ["mrkl"]  # no language of its script: read as written


def test_a_name_does_not_find_names_that_only_start_alike(empty_store: Store, tmp_path: Path) -> None:
    texts = {
        "merkel.txt": "Merkel meets Macron in Berlin\n\nChancellor Angela Merkel met President Emmanuel Macron in"
        " Berlin on Monday; Merkel said the talks on the budget would go on.\n",
        "mark.txt": "Guitar legend plays London\n\nMark Knopfler played two sold-out concerts at the Albert Hall,"
        " and Mark thanked the fans for forty years of songs.\n",
        "hr.txt": CROATIAN,  # the store's languages (each reads a query word) now include Croatian
    }
    store, ids = _stored_texts(empty_store, tmp_path, texts)
    assert "hr" in store.covered_languages()
    found = {m.article.article_id for story in search(store, "Merkel").stories for m in story.matches}
    assert ids["merkel.txt"] in found and ids["mark.txt"] not in found


def test_a_title_match_outranks_a_body_mention(empty_store: Store, tmp_path: Path) -> None:
    body = " ".join(f"Sentence {i} about the regional budget and its many lines." for i in range(30))
    texts = {
        "title.txt": f"Lighthouse keepers strike\n\n{body}\n",
        "body.txt": "Regional budget approved\n\nThe old lighthouse needs repairs; the lighthouse board"
        " asked for funds, and the lighthouse museum too.\n",
    }
    store, ids = _stored_texts(empty_store, tmp_path, texts)
    ranked = [m.article.article_id for story in search(store, "lighthouse").stories for m in story.matches]
    assert ranked.index(ids["title.txt"]) < ranked.index(ids["body.txt"])
