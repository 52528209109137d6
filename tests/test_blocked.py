"""Block pages (access denied, robot checks) are refused as articles; articles about blocking are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.clean import clean
from crosswire.clean.blocked import MAX_BLOCK_CHARS, found_phrases
from crosswire.errors import InputError
from crosswire.service import ingest_paths
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument

CLOUDFLARE = (
    "<html><head><title>Attention Required! | Cloudflare</title></head><body>"
    "<h1>Sorry, you have been blocked</h1><h2>You are unable to access example.com</h2>"
    "<p>This website is using a security service to protect itself from online attacks. The action you "
    "just performed triggered the security solution.</p>"
    "<p>Cloudflare Ray ID: 7a1b2c3d4e5f &bull; Your IP: 203.0.113.5 &bull; Performance &amp; security by "
    "Cloudflare</p></body></html>"
)
POLISH_IP = (
    "Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń. "
    "Podejrzewamy, że ktoś nadużył adresu IP, z którego korzystasz. Jeśli chcesz połączyć się z nami "
    "zaznacz nie jestem robotem. Twój adres IP 192.0.2.7"
)
RUSSIAN_CAPTCHA = "Доступ запрещён\n\nПодтвердите, что вы не робот. Слишком много запросов с вашего IP."


@pytest.mark.parametrize(("body", "kind"), [(CLOUDFLARE, "html"), (POLISH_IP, "text"), (RUSSIAN_CAPTCHA, "text")])
def test_a_block_page_is_refused_with_what_it_says(body: str, kind: str) -> None:
    with pytest.raises(InputError) as refused:
        clean(RawDocument("page", body, kind=kind))  # type: ignore[arg-type]
    assert refused.value.reason == "blocked"
    assert "not an article" in refused.value.detail and "'" in refused.value.detail


def test_an_article_that_mentions_a_block_once_is_kept() -> None:
    text = (
        "Reporters denied entry\n\nJournalists trying to reach the hearing on Tuesday found the doors "
        "locked and a sign reading 'access denied' at the entrance, the union said. The court later "
        "said the room had been full and that the hearing would be streamed next time."
    )
    assert clean(RawDocument("news", text)).text


def test_an_article_about_blocking_is_kept_however_many_phrases_it_quotes() -> None:
    paragraph = (
        "Users across the country saw pages reading 'Access denied' and 'Verify you are a human' on "
        "Monday as the regulator's filters blocked a content network, and many were asked whether they "
        "were a robot before any page would load. "
    )
    body = "Blocking spreads\n\n" + "\n\n".join([paragraph] * (MAX_BLOCK_CHARS // len(paragraph) + 2))
    assert len(found_phrases(body)) >= 2
    assert "Verify you are a human" in clean(RawDocument("news", body)).text


def test_a_phrase_inside_another_counts_once() -> None:
    assert found_phrases("Please tick: I am not a robot.") == ["not a robot"]
    assert found_phrases("Check: я не робот") == ["я не робот"]


def test_ingest_counts_a_block_page_as_rejected_and_keeps_the_articles(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "blocked.html").write_text(CLOUDFLARE, encoding="utf-8")
    (pages / "news.txt").write_text(
        "Council approves budget\n\nThe city council approved next year's budget on Tuesday after a long "
        "debate over school repairs and bus routes, the mayor's office said.",
        encoding="utf-8",
    )
    db = tmp_path / "store.db"
    store = SQLiteStore(db)
    report = ingest_paths(store, [pages], Settings(db=str(db), workers=0, encoder="none"))
    assert report.added == 1 and report.rejected == {"blocked": 1}
    [article] = store.articles(store.all_article_ids())
    assert article.title == "Council approves budget"
