"""Timestamp lines and dates mentioned in text."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.clean.dates import find_date_mentions, is_timestamp_line, parse_timestamp_line


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("23:15 06 вер 2025.", "2025-09-06T23:15"),
        ("12.01.2022 14:35", "2022-01-12T14:35"),
        ("January 13, 2022", "2022-01-13"),
        ("2022-01-13T14:35:00+02:00", "2022-01-13T14:35"),
        ("Monday, 13 January 2022, 2:35 PM", "2022-01-13T14:35"),
        ("понеділок, 13 січня 2022 р. о 14:35", "2022-01-13T14:35"),
        ("13. Januar 2022 um 14:35 Uhr", "2022-01-13T14:35"),
        ("5 sierpnia 2021 r.", "2021-08-05"),
        ("12 января 2022, 14:35", "2022-01-12T14:35"),
        ("12/25/2021", "2021-12-25"),
        ("Январь 2022", "2022-01"),
        ("2022年1月13日", "2022-01-13"),
    ],
)
def test_timestamp_lines(line: str, expected: str) -> None:
    assert parse_timestamp_line(line) == expected
    assert is_timestamp_line(line)


@pytest.mark.parametrize("line", ["14:35", "Вчора, 14:35", "06 вер"])
def test_undatable_timestamp_lines(line: str) -> None:
    assert is_timestamp_line(line)
    assert parse_timestamp_line(line) is None


@pytest.mark.parametrize(
    "line",
    [
        "Hello world 2022",
        "The meeting on 12 January 2022 ended without agreement.",
        "31.02.2022",
        "25:99 06 вер 2025",
        "",
    ],
)
def test_not_timestamp_lines(line: str) -> None:
    assert parse_timestamp_line(line) is None


def _keys(text: str, language: str | None, reference: str | None = "2022-01-20") -> list[tuple[str, str]]:
    return [(m.key, m.surface) for m in find_date_mentions(text, language, reference)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("15 лютого Росія оголосила про відведення військ.", "uk", [("2022-02-15", "15 лютого")]),
        ("Нагадаємо, у грудні 2021 року влада РФ висунула вимоги.", "uk", [("2021-12", "у грудні 2021 року")]),
        ("повернути Альянс до кордонів 1997 року.", "uk", [("1997", "1997 року")]),
        ("первый из которых может состояться уже в начале 2022 года.", "ru", [("2022", "2022 года")]),
        ("А в январе Москва рассчитывает провести встречу.", "ru", [("2022-01", "в январе")]),
        ("Talks began on Jan. 13 and ended in 2022.", "en", [("2022-01-13", "Jan. 13"), ("2022", "in 2022")]),
        ("Am 13. Januar trafen sie sich.", "de", [("2022-01-13", "13. Januar")]),
        ("w styczniu 2022 roku", "pl", [("2022-01", "w styczniu 2022 roku")]),
        ("On 2022-01-13, and on 14.01.2022.", "en", [("2022-01-13", "2022-01-13"), ("2022-01-14", "14.01.2022")]),
        ("The deal, signed on 01/13/2022, holds.", "en", [("2022-01-13", "01/13/2022")]),
        ("It happened in May.", "en", [("2021-05", "in May")]),
    ],
)
def test_date_mentions(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert _keys(text, language) == expected


def test_year_is_inferred_from_the_reference() -> None:
    # A month up to two months ahead is the coming one; any other the most recent past one.
    assert _keys("15 лютого", "uk", "2022-03-01") == [("2022-02-15", "15 лютого")]
    assert _keys("в январе", "ru", "2021-12-27") == [("2022-01", "в январе")]
    assert _keys("в ноябре", "ru", "2022-01-10") == [("2021-11", "в ноябре")]
    assert _keys("в мае", "ru", "2022-01-10") == [("2021-05", "в мае")]
    assert _keys("15 грудня", "uk", "2022-03-01") == [("2021-12-15", "15 грудня")]
    assert _keys("15 грудня", "uk", None) == []
    assert _keys("15 грудня 2020 року", "uk", None) == [("2020-12-15", "15 грудня 2020 року")]


def test_no_false_dates() -> None:
    assert _keys("He led 5 men and may 3 more.", "en") == []
    assert _keys("In 2000 cases the court agreed.", "en") == []
    assert _keys("The May figure rose 3.5 percent to 1997 units.", "en") == []


def test_month_names_across_languages_resolve_by_language() -> None:
    # 'listopad' is November in Czech and Polish, October in Croatian.
    assert _keys("5. listopadu 2021", "cs") == [("2021-11-05", "5. listopadu 2021")]
    assert _keys("5. listopada 2021", "hr") == [("2021-10-05", "5. listopada 2021")]


_ISO = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")


def _valid_key(key: str) -> bool:
    if not _ISO.match(key):
        return False
    parts = [int(p) for p in key.split("-")] + [1, 1]
    date(parts[0], parts[1], parts[2])
    return True


DATEISH = st.sampled_from(
    [
        "15 лютого",
        "у грудні",
        "2022 року",
        "31.02.2022",
        "Jan. 13",
        "May",
        "in",
        "2022",
        "13.",
        "Januar",
        ",",
        " ",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.one_of(DATEISH, st.text(max_size=12)), max_size=30).map("".join),
    language=st.sampled_from([None, "en", "uk", "ru", "de", "xx"]),
    reference=st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["2022-01-20", "2022", "2022-13-01"])),
)
def test_mentions_never_raise_and_keys_are_iso(text: str, language: str | None, reference: str | None) -> None:
    for mention in find_date_mentions(text, language, reference):
        assert mention.kind == "date"
        assert _valid_key(mention.key)
        assert mention.surface and mention.surface in text


@settings(max_examples=300, deadline=None)
@given(
    line=st.lists(
        st.one_of(DATEISH, st.sampled_from(["23:15", "12.01.2022", "PM", "вер"]), st.text(max_size=8)), max_size=8
    ).map("".join)
)
def test_timestamp_parse_never_raises_and_is_iso(line: str) -> None:
    found = parse_timestamp_line(line)
    if found is not None:
        day, _, clock = found.partition("T")
        assert _valid_key(day)
        if clock:
            datetime.strptime(clock, "%H:%M")
