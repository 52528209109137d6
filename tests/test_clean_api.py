"""clean(), clean_batch() and article_id(): ids, hints, flags, and errors as data."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.clean import article_id, clean, clean_batch, guard
from crosswire.errors import InputError
from crosswire.types import Article, RawDocument, Rejection

BODY = (
    "Parliament approves the budget for next year\n\n"
    "Parliament approved the budget for next year on Friday after a long debate.\n"
    "The opposition voted against it and promised to challenge it in court.\n"
)


def _doc(body: str = BODY, **fields: str) -> RawDocument:
    return RawDocument(source="doc.txt", body=body, **fields)  # type: ignore[arg-type]


def test_article_id_is_a_content_hash() -> None:
    assert article_id(_doc()) == hashlib.sha256(BODY.encode("utf-8")).hexdigest()[:16]
    assert article_id(_doc()) == article_id(RawDocument(source="elsewhere", body=BODY))
    assert clean(_doc()).id == article_id(_doc())


def test_guesses_from_the_text() -> None:
    article = clean(_doc())
    assert article.title == "Parliament approves the budget for next year"
    assert article.language == "en"
    assert article.text.count("\n\n") == 1
    assert "short-text" in article.flags and "no-title" not in article.flags


def test_hints_win() -> None:
    article = clean(
        _doc(title="Budget passed", published="2022-01-14", language="uk-UA", site="Site", author="A. Author", url="u")
    )
    assert (article.title, article.published, article.language, article.site, article.author, article.url) == (
        "Budget passed",
        "2022-01-14",
        "uk",
        "Site",
        "A. Author",
        "u",
    )


def test_reader_flags_are_kept() -> None:
    assert "encoding-guessed" in clean(_doc(flags=("encoding-guessed",))).flags  # type: ignore[arg-type]


def test_mojibake_is_repaired() -> None:
    broken = BODY.replace("Parliament approved", "ÐŸÐ°Ñ€Ð»Ð°Ð¼ÐµÐ½Ñ‚ approved")
    assert clean(_doc(broken)).text.startswith("Парламент approved")


def test_mixed_language_flag() -> None:
    body = (
        "Кабінет міністрів ухвалив нові правила реєстрації підприємств для малого бізнесу.\n"
        "The government said the new registration rules would make life easier for small firms.\n"
        "Нові правила наберуть чинності з першого лютого наступного року, повідомили в уряді.\n"
        "Critics argued that the changes came too late for businesses hit by the crisis.\n"
    )
    assert "mixed-language" in clean(_doc(body)).flags


@pytest.mark.parametrize(
    ("body", "kind", "reason"),
    [
        ("", "text", "empty"),
        ("  \n\n \t\n", "text", "empty"),
        ("loader\nShare\n", "text", "empty"),
        ("\x00\x01\x02" * 100, "text", "binary"),
        ("\x00" * 1000 + "<p>text</p>", "html", "binary"),
        ("Some text.", "pdf", "unknown-format"),
    ],
)
def test_errors_are_input_errors(body: str, kind: str, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        clean(_doc(body, kind=kind))
    assert raised.value.reason == reason


def test_a_few_control_characters_are_dropped_not_fatal() -> None:
    assert "\x00" not in clean(_doc(BODY.replace("Friday", "Fri\x00day"))).text


def test_oversized_body_is_truncated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard, "MAX_CHARS", len(BODY) + 50)
    article = clean(_doc(BODY + "More text follows in this sentence.\n" * 10))
    assert "truncated" in article.flags
    assert len(article.text) <= len(BODY) + 50


def test_batch_turns_problems_into_rejections() -> None:
    results = clean_batch([_doc(), _doc(""), _doc("\x00" * 50)])
    assert isinstance(results[0], Article)
    assert [(r.source, r.reason) for r in results[1:] if isinstance(r, Rejection)] == [
        ("doc.txt", "empty"),
        ("doc.txt", "binary"),
    ]


def test_parser_failures_become_unparseable(monkeypatch: pytest.MonkeyPatch) -> None:
    import crosswire.clean as module

    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "clean_text", explode)
    with pytest.raises(InputError) as raised:
        clean(_doc())
    assert raised.value.reason == "unparseable"


@settings(max_examples=150, deadline=None)
@given(body=st.text(max_size=300), kind=st.sampled_from(["text", "html"]))
def test_any_string_gives_an_article_or_input_error(body: str, kind: str) -> None:
    try:
        article = clean(_doc(body, kind=kind))
    except InputError:
        return
    assert article.text
