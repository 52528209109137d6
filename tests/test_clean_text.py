"""The plain-text cleaner on pages we write ourselves, in several languages, and its accounting
property: every non-blank line ends up as the title, in the text, or removed with a reason."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from crosswire.clean.text import REASONS, CleanedText, clean_text


def _reasons(result: CleanedText) -> dict[str, str]:
    return {r.text: r.reason for r in result.removed}


def _accounted(result: CleanedText, text: str, known_title: str | None = None) -> None:
    lines = Counter(s for s in (line.strip() for line in text.split("\n")) if s)
    outcome = Counter([*result.paragraphs, *(r.text for r in result.removed)])
    if result.title and not (known_title and known_title.strip()):
        outcome[result.title] += 1  # a guessed title is one of the lines
    assert outcome == lines
    assert {r.reason for r in result.removed} <= REASONS.keys()


ENGLISH = """World News

Negotiators agree to meet again in Geneva next week

January 12, 2022 14:35
John Smith

Negotiators from both countries agreed on Wednesday to hold another round of talks in Geneva.
Follow us on Twitter and Facebook
The president wrote on his Telegram channel that talks will continue.
The minister said: "We are ready to discuss every proposal, but not our sovereignty."
Read more: Talks in Geneva end without a breakthrough
Photo: Reuters
Diplomats described the mood as businesslike and calm, according to officials.
Talks will continue.

Share this article
Markets fall after the central bank raises rates
13:05
Storm leaves thousands without power in the north
12:40
Parliament approves the budget for next year
12:10
© 2022 Example News. All rights reserved.
"""


def test_english_page() -> None:
    result = clean_text(ENGLISH)
    assert result.title == "Negotiators agree to meet again in Geneva next week"
    assert result.published == "2022-01-12T14:35"
    assert result.author == "John Smith"
    assert result.paragraphs == (
        "Negotiators from both countries agreed on Wednesday to hold another round of talks in Geneva.",
        "The president wrote on his Telegram channel that talks will continue.",
        'The minister said: "We are ready to discuss every proposal, but not our sovereignty."',
        "Diplomats described the mood as businesslike and calm, according to officials.",
        "Talks will continue.",
    )
    reasons = _reasons(result)
    assert reasons["World News"] == "ui"
    assert reasons["January 12, 2022 14:35"] == "timestamp"
    assert reasons["John Smith"] == "byline"
    assert reasons["Follow us on Twitter and Facebook"] == "call-to-action"
    assert reasons["Read more: Talks in Geneva end without a breakthrough"] == "read-also"
    assert reasons["Photo: Reuters"] == "credit"
    assert reasons["Share this article"] == "ui"
    for line in (
        "Markets fall after the central bank raises rates",
        "13:05",
        "Parliament approves the budget for next year",
        "12:10",
    ):
        assert reasons[line] == "sidebar"
    assert reasons["© 2022 Example News. All rights reserved."] == "footer"
    _accounted(result, ENGLISH)


GERMAN = """Regierung beschließt neues Entlastungspaket

Die Bundesregierung hat am Mittwoch ein neues Entlastungspaket für Familien beschlossen.
Lesen Sie auch: Was das Paket für Rentner bedeutet
Der Kanzler sagte: „Wir lassen niemanden allein.“
Foto: dpa
Folgen Sie uns auf Facebook und Instagram
Die Opposition kritisierte das Paket als zu spät.
"""


def test_german_page() -> None:
    result = clean_text(GERMAN)
    assert result.title == "Regierung beschließt neues Entlastungspaket"
    assert result.paragraphs == (
        "Die Bundesregierung hat am Mittwoch ein neues Entlastungspaket für Familien beschlossen.",
        "Der Kanzler sagte: „Wir lassen niemanden allein.“",
        "Die Opposition kritisierte das Paket als zu spät.",
    )
    assert _reasons(result) == {
        "Lesen Sie auch: Was das Paket für Rentner bedeutet": "read-also",
        "Foto: dpa": "credit",
        "Folgen Sie uns auf Facebook und Instagram": "call-to-action",
    }


POLISH = """Sejm przyjął ustawę budżetową na przyszły rok
Sejm przyjął w piątek ustawę budżetową na przyszły rok większością głosów.
Czytaj też:
- Rząd przedstawia nowe prognozy gospodarcze
- Opozycja zapowiada skargę do Trybunału
Minister finansów powiedział, że deficyt będzie niższy niż zakładano.
Obserwuj nas na Twitterze
Źródło: PAP
"""


def test_polish_page() -> None:
    result = clean_text(POLISH)
    assert result.title == "Sejm przyjął ustawę budżetową na przyszły rok"
    assert result.paragraphs == (
        "Sejm przyjął w piątek ustawę budżetową na przyszły rok większością głosów.",
        "Minister finansów powiedział, że deficyt będzie niższy niż zakładano.",
    )
    assert _reasons(result) == {
        "Czytaj też:": "read-also",
        "- Rząd przedstawia nowe prognozy gospodarcze": "link-list",
        "- Opozycja zapowiada skargę do Trybunału": "link-list",
        "Obserwuj nas na Twitterze": "call-to-action",
        "Źródło: PAP": "credit",
    }


RUSSIAN = """Лавров: Москва ждёт ответа от США на этой неделе

Министр иностранных дел России заявил, что Москва ждёт письменного ответа от США.
Лавров заявил: «Мы продолжим диалог, но время не безгранично».
Подписывайтесь на наш канал в Telegram
Фото: РИА Новости
Переговоры в Женеве завершились без прорыва.
Курс доллара вырос на Московской бирже
12 января 2022, 14:35
В Москве ожидается снегопад
12 января 2022, 13:10
"""


def test_russian_page_sidebar_gives_no_date() -> None:
    result = clean_text(RUSSIAN)
    assert result.title == "Лавров: Москва ждёт ответа от США на этой неделе"
    assert result.published is None
    assert result.paragraphs == (
        "Министр иностранных дел России заявил, что Москва ждёт письменного ответа от США.",
        "Лавров заявил: «Мы продолжим диалог, но время не безгранично».",
        "Переговоры в Женеве завершились без прорыва.",
    )
    reasons = _reasons(result)
    assert reasons["Подписывайтесь на наш канал в Telegram"] == "call-to-action"
    assert reasons["Фото: РИА Новости"] == "credit"
    assert [r.reason for r in result.removed[-4:]] == ["sidebar"] * 4


UKRAINIAN = """Уряд ухвалив нові правила для бізнесу
12 січня 2022, 14:35

Кабінет міністрів ухвалив нові правила реєстрації підприємств.
Нові правила наберуть чинності з першого лютого.
Підписуйтеcь на наш Вайбер
Олена ШевченкоПолітика
Уряд ухвалив нові правила для бізнесу | Економіка
"""


def test_ukrainian_page_dateline_byline_homoglyphs() -> None:
    result = clean_text(UKRAINIAN)
    assert result.title == "Уряд ухвалив нові правила для бізнесу"
    assert result.published == "2022-01-12T14:35"
    assert result.author == "Олена Шевченко"
    assert len(result.paragraphs) == 2
    reasons = _reasons(result)
    assert reasons["Підписуйтеcь на наш Вайбер"] == "call-to-action"  # Latin 'c' inside
    assert reasons["Олена ШевченкоПолітика"] == "byline"
    assert reasons["Уряд ухвалив нові правила для бізнесу | Економіка"] == "title-repeat"


def test_bylines_with_a_label() -> None:
    body = "The council voted to close the bridge for repairs.\nRepairs will take six months.\n"
    assert clean_text("Bridge closes for repairs\nBy Jane Doe\n" + body).author == "Jane Doe"
    assert clean_text(body + "Автор: Ігор Петрук\n").author == "Ігор Петрук"
    # 'By' opening a sentence is no byline.
    assert clean_text("By Monday the bridge was closed.\n" + body).author is None


def test_known_title_removes_its_copies_and_is_not_guessed() -> None:
    text = "Big news today\nSomething happened in the city on Monday morning.\nBig news today\n"
    result = clean_text(text, title="Big news today")
    assert result.title == "Big news today"
    assert result.paragraphs == ("Something happened in the city on Monday morning.",)
    assert [r.reason for r in result.removed] == ["title-repeat", "title-repeat"]


def test_first_line_that_is_a_sentence_is_no_title() -> None:
    result = clean_text("The talks ended on Friday.\nBoth sides will meet again.\n")
    assert result.title is None
    assert len(result.paragraphs) == 2


def test_duplicate_paragraph_and_related_list_after_body() -> None:
    text = (
        "The council voted to close the bridge for repairs.\n"
        "The council voted to close the bridge for repairs.\n"
        "Repairs will take about six months, officials said.\n"
        "Related:\n"
        "• City opens new cycling lanes\n"
        "• Tram fares rise in March\n"
    )
    reasons = [r.reason for r in clean_text(text).removed]
    assert reasons == ["duplicate", "read-also", "link-list", "link-list"]


def test_keep_unknown_keeps_unexplained_lines_outside_the_body() -> None:
    text = "A sentence that forms the body of the article.\nAnother sentence follows here.\nShort label\n"
    assert "Short label" not in clean_text(text).paragraphs
    assert "Short label" in clean_text(text, keep_unknown=True).paragraphs


def test_only_a_headline_is_text_not_title() -> None:
    result = clean_text("Earthquake hits the coast")
    assert result.title is None
    assert result.paragraphs == ("Earthquake hits the coast",)


FRAGMENTS = [
    "Read more:",
    "Читайте також: Заголовок новини",
    "• Headline of another story",
    "23:15 06 вер 2025.",
    "12.01.2022 14:35",
    "Ігор ПетрукНовини",
    "John Smith",
    "loader",
    "Photo: dw.com",
    "Subscribe to our Telegram",
    "Headline | Section",
    "© 2022 News",
    "The minister said the talks would continue next week.",
    "Short headline without a stop",
    "Talks will continue.",
    "",
]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60),
        ),
        max_size=40,
    ),
    title=st.one_of(st.none(), st.sampled_from(["Short headline without a stop", "Headline", "  "])),
    keep_unknown=st.booleans(),
)
def test_every_line_is_accounted_for(lines: list[str], title: str | None, keep_unknown: bool) -> None:
    text = "\n".join(lines)
    _accounted(clean_text(text, title=title, keep_unknown=keep_unknown), text, title)
