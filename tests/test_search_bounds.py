"""Bounds on the work one article can cause: a stored text of millions of characters keeps search
fast (the index holds a bounded prefix, and snippets are found in a bounded prefix at a cost
linear in it, not FTS5's quadratic one), stores that already hold such rows get them cut, and
cleaning keeps an article's text to a sane size at a paragraph boundary with the flag
``truncated``."""

from __future__ import annotations

import time
from dataclasses import replace
from importlib import resources
from pathlib import Path

import pytest

from crosswire.clean import clean
from crosswire.clean.guard import MAX_TEXT_CHARS, MAX_TITLE_CHARS, bound_paragraphs
from crosswire.service import ingest
from crosswire.service.search import query_expression, search
from crosswire.service.snippets import snippet
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.store.search import INDEX_CHARS, SNIPPET_END, SNIPPET_START, SearchRow, search_rowid
from crosswire.types import DocumentKind, RawDocument

HUGE_CHARS = 3_000_000  # FTS5 snippet() took ~12 s per search over this before the bound
SEARCHES = 100
P99_MS = 200.0  # a search takes 2-10 ms here; the unbounded code took seconds to tens of seconds
QUERIES = ("keeper", "terminal", "keeper storm", "repairs", "lighthouse keeper")
PARAGRAPH = (
    "The lighthouse keeper said the storm damaged the harbour wall near the old pier last night, "
    "and the council will meet on Tuesday to discuss repairs to the ferry terminal.\n\n"
)
WORDS = ("harbour", "council", "budget", "storm", "pier", "ferry", "tide", "weather", "mayor", "report")


def _normal_docs(count: int = 30) -> list[RawDocument]:
    return [
        RawDocument(
            source=f"n{i}",
            title=f"Report {i} on the {WORDS[i % len(WORDS)]}",
            body=" ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(250)) + " The lighthouse was repainted.",
        )
        for i in range(count)
    ]


def _store_with(tmp_path: Path) -> tuple[SQLiteStore, str]:
    """A store of normal articles and one whose text will be made huge; its id."""
    db = tmp_path / "store.db"
    store = SQLiteStore(db)
    huge = RawDocument(source="huge", title="Harbour dump", body=PARAGRAPH * 3)
    ingest(store, [*_normal_docs(), huge], Settings(db=str(db), workers=0))
    article_id = store.db.execute("SELECT id FROM articles WHERE source = 'huge'").fetchone()[0]
    return store, article_id


def _huge_text() -> str:
    return (PARAGRAPH * (HUGE_CHARS // len(PARAGRAPH) + 1))[:HUGE_CHARS]


def _p99_searches(store: SQLiteStore, huge_id: str) -> list[float]:
    """Time SEARCHES searches that all match the huge article, checking each finds it with a
    snippet that marks the query's words; returns the times (ms) over P99_MS."""
    search(store, "harbour")  # warm: the morphology and the page cache
    slow: list[float] = []
    for number in range(SEARCHES):
        query = QUERIES[number % len(QUERIES)]
        began = time.perf_counter()
        page = search(store, query)
        elapsed = (time.perf_counter() - began) * 1000
        found = {m.article.article_id: m for story in page.stories for m in story.matches}
        assert huge_id in found, query
        marked = {text.lower() for text, matched in found[huge_id].snippet if matched}
        assert marked and marked <= set(query.split()), (query, found[huge_id].snippet)
        if elapsed > P99_MS:
            slow.append(round(elapsed))
        if len(slow) > SEARCHES // 100:
            break  # the p99 is over the bound already; the remaining searches would only take long
    return slow


def test_search_stays_fast_with_a_huge_article_stored(tmp_path: Path) -> None:
    store, huge_id = _store_with(tmp_path)
    article = store.article(huge_id)
    assert article is not None
    text = _huge_text()
    with store.transaction():  # as the writer stores an article (before cleaning bounded its size)
        store.put_articles([replace(article, text=text)])
        store.index_for_search([SearchRow(huge_id, article.title, text, text.lower().replace(",", ""))])
    assert store.article(huge_id).text == text  # type: ignore[union-attr]  # the article keeps its text
    slow = _p99_searches(store, huge_id)
    assert len(slow) <= SEARCHES // 100, f"searches over {P99_MS} ms: {slow}"


def _migration(name: str) -> str:
    folder = resources.files("crosswire.store") / "migrations"
    (found,) = [entry for entry in folder.iterdir() if entry.name.endswith(f"_{name}.sql")]
    return found.read_text(encoding="utf-8")


def test_a_store_with_a_huge_indexed_row_gets_it_cut(tmp_path: Path) -> None:
    store, huge_id = _store_with(tmp_path)
    text = _huge_text()
    rowid = search_rowid(huge_id)
    with store.transaction():  # a store from before the migration: the whole text indexed
        store.db.execute("UPDATE articles SET text = ? WHERE id = ?", (text, huge_id))
        store.db.execute("UPDATE article_search SET text = ?, lemmas = ? WHERE rowid = ?", (text, text, rowid))
    with store.transaction():  # the migration, as the store runs it
        for statement in _migration("bounded_search_rows").split(";\n"):
            if statement.strip():
                store.db.execute(statement)
    lengths = store.db.execute(
        "SELECT length(text), length(lemmas) FROM article_search WHERE rowid = ?", (rowid,)
    ).fetchone()
    assert tuple(lengths) == (INDEX_CHARS, INDEX_CHARS)
    assert store.article(huge_id).text == text  # type: ignore[union-attr]
    began = time.perf_counter()
    assert search(store, "terminal").total_articles == 1
    assert (time.perf_counter() - began) * 1000 < 1000


@pytest.mark.parametrize("kind", ["text", "html"])
def test_ingest_cuts_a_huge_article_at_a_paragraph_with_a_flag(tmp_path: Path, kind: DocumentKind) -> None:
    paragraphs = [f"Paragraph {n}: the lighthouse keeper counted {n} ships passing the harbour." for n in range(12_000)]
    if kind == "html":
        body = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    else:
        body = "\n\n".join(paragraphs)
    assert len(body) > 4 * MAX_TEXT_CHARS
    db = tmp_path / "store.db"
    store = SQLiteStore(db)
    doc = RawDocument(source="long", body=body, kind=kind, title="The keeper's count")
    report = ingest(store, [doc], Settings(db=str(db), workers=0))
    assert report.added == 1
    (article_id,) = store.all_article_ids()
    article = store.article(article_id)
    assert article is not None and "truncated" in article.flags
    assert MAX_TEXT_CHARS // 2 < len(article.text) <= MAX_TEXT_CHARS
    kept = article.text.split("\n\n")
    assert kept == paragraphs[: len(kept)]  # whole paragraphs, from the first
    assert search(store, "ships").total_articles == 1


def test_an_article_within_bounds_is_not_flagged() -> None:
    body = "".join(f"Report {n}: {PARAGRAPH}" for n in range(500))
    article = clean(RawDocument(source="a", body=body))
    assert "truncated" not in article.flags and len(article.text) > 50_000


def test_one_giant_paragraph_is_cut_at_a_sentence() -> None:
    sentence = "The keeper counted the ships. "
    kept, cut = bound_paragraphs([sentence * 10_000], limit=1000)
    assert cut and len(kept) == 1 and len(kept[0]) <= 1000 and kept[0].endswith("ships.")
    assert bound_paragraphs(["a", "b"], limit=3) == (("a",), True)
    assert bound_paragraphs(["a", "b"], limit=4) == (("a", "b"), False)  # 'a', a blank line, 'b'
    assert bound_paragraphs(["x" * 100], limit=10) == (("x" * 10,), True)  # no space: cut where it must


def test_a_huge_title_is_cut_with_the_flag() -> None:
    article = clean(RawDocument(source="a", body=PARAGRAPH * 3, title="Harbour news " * 10_000))
    assert article.title is not None and len(article.title) <= MAX_TITLE_CHARS
    assert "truncated" in article.flags


# -- snippets ---------------------------------------------------------------------------------
def _marked(text: str, query: str, languages: tuple[str, ...] = ("en",)) -> list[str]:
    expression = query_expression(query, list(languages))
    assert expression is not None
    found = snippet(text, expression)
    return [part.split(SNIPPET_END)[0] for part in found.split(SNIPPET_START)[1:]]


def test_snippets_mark_what_the_index_matches() -> None:
    assert _marked("A Keeper, a keeper_two and a gatekeeper.", "keeper") == ["Keeper", "keeper"]
    assert _marked("Un café au CAFE, pas au kафе.", "cafe", ("fr",)) == ["café", "CAFE"]
    assert _marked("Было три. Раунда переговоров, три раза.", '"три раунда"', ("ru",)) == ["три. Раунда"]
    assert _marked("Nothing here.", "keeper") == []


def test_a_snippet_is_a_window_around_the_matches() -> None:
    expression = query_expression("keeper storm", ["en"])
    assert expression is not None
    text = "Intro words here. " * 50 + "Then the keeper saw a storm coming. " + "Tail words. " * 50
    found = snippet(text, expression)
    assert found.startswith("…") and found.endswith("…") and len(found) < 300
    assert f"{SNIPPET_START}keeper{SNIPPET_END} saw a {SNIPPET_START}storm{SNIPPET_END}" in found
    assert snippet("Nothing matches here.", expression) == "Nothing matches here."
    assert snippet("", expression) == ""


@pytest.mark.parametrize(
    "text",
    [
        "keeper " * 200_000,  # every word a match: FTS5's snippet() is quadratic in these
        "a " * 500_000,
        "xkeeper " * 100_000,  # matches inside words, skipped
        "Le gardien a déclaré que la tempête avait endommagé le port. " * 20_000,
    ],
)
def test_a_snippet_costs_little_whatever_the_text(text: str) -> None:
    expression = query_expression(
        "keeper storm harbour council ferry terminal repairs weather mayor report a port tempête", ["en", "fr"]
    )
    assert expression is not None
    began = time.perf_counter()
    found = snippet(text, expression)
    assert (time.perf_counter() - began) * 1000 < 100  # about 2 ms; FTS5 took seconds over far less
    assert 0 < len(found) < 2000
