"""Language identification."""

from __future__ import annotations

import pytest

from crosswire.lang import LanguageDetector, detect_article_language, detect_language, detect_paragraph_languages


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ми будемо зміцнювати власну армію і захищати кордони.", "uk"),
        ("Мы будем укреплять собственную армию и защищать границы.", "ru"),
        ("Мы будзем умацоўваць уласную армію і абараняць межы.", "be"),
        ("Ние ще укрепваме собствената си армия и ще пазим границите.", "bg"),
        ("Die Regierung hat heute neue Maßnahmen beschlossen.", "de"),
        ("The government approved new measures on Wednesday.", "en"),
        ("Rząd przyjął w środę nowe przepisy dotyczące podatków.", "pl"),
        # Languages the default set once lacked, which came out as a neighbour (Swedish, Turkish, ...).
        ("Forsætisráðherra sagði í dag á blaðamannafundi að efnahagur landsins væri að vaxa hratt.", "is"),
        ("Kryeministri tha sot në Tiranë se ekonomia e vendit po rritet me shpejtësi.", "sq"),
        ("Prezident bu gün mətbuat konfransında bildirib ki, ölkənin iqtisadiyyatı sürətlə inkişaf edir.", "az"),
        ("Rais amesema leo jijini Nairobi kwamba uchumi wa nchi unakua kwa kasi na serikali itaanzisha miradi.", "sw"),
        ("پاکستان کے وزیر اعظم نے آج کہا کہ ملک کی معیشت تیزی سے ترقی کر رہی ہے۔", "ur"),
        ("প্রধানমন্ত্রী আজ ঢাকায় এক সংবাদ সম্মেলনে বলেছেন যে দেশের অর্থনীতি দ্রুত বৃদ্ধি পাচ্ছে।", "bn"),
        # ... while the languages they sit beside keep their text.
        ("Кабінет міністрів ухвалив нові правила реєстрації підприємств для малого бізнесу.", "uk"),
        ("सरकार ने आज कहा कि देश की अर्थव्यवस्था तेजी से बढ़ रही है और नई परियोजनाएं शुरू होंगी।", "hi"),
        ("Pemerintah mengumumkan hari ini bahwa ekonomi negara tumbuh dengan cepat tahun ini.", "id"),
        ("Vlada je danas objavila da će se nove mjere primjenjivati od prvog siječnja.", "hr"),
    ],
)
def test_sentences(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["Петрук", "Donaudampfschifffahrtsgesellschaft", "12:30 06.09.2025", "", "—"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None


UK = [
    "Кабінет міністрів ухвалив нові правила реєстрації підприємств для малого бізнесу.",
    "Нові правила наберуть чинності з першого лютого наступного року, повідомили в уряді.",
]
EN = [
    "The government said the new registration rules would make life easier for small firms.",
    "Critics argued that the changes came too late for businesses hit by the crisis.",
]


def test_short_lines_do_not_decide_the_article_language() -> None:
    article, per_paragraph, mixed = detect_paragraph_languages(["Read more", "Share", *UK, "Photo: AP"])
    assert article == "uk"
    assert per_paragraph == [None, None, "uk", "uk", None]
    assert not mixed


def test_mixed_article_is_flagged() -> None:
    article, per_paragraph, mixed = detect_paragraph_languages([UK[0], EN[0], UK[1], EN[1]])
    assert article in {"uk", "en"}
    assert per_paragraph == ["uk", "en", "uk", "en"]
    assert mixed


def test_no_paragraphs() -> None:
    assert detect_paragraph_languages([]) == (None, [], False)
    assert detect_article_language([]) == (None, False)


ARTICLES = [
    ["Read more", "Share", *UK, "Photo: AP"],
    [UK[0], EN[0], UK[1], EN[1]],  # mixed
    [*UK, EN[0]],  # an English line in a Ukrainian article: under a fifth of its letters
    [EN[0] + " " + EN[1], UK[0]],  # a longer English paragraph, then a Ukrainian one: mixed
    ["Read more", "Share", "Photo: AP"],  # nothing long enough
    ["Kyiv", *UK * 6, "Підписуйтесь на наш канал", "Фото: УНІАН"],
]


@pytest.mark.parametrize("paragraphs", ARTICLES)
def test_article_language_answers_as_reading_every_paragraph(paragraphs: list[str]) -> None:
    article, _, mixed = detect_paragraph_languages(paragraphs)
    assert detect_article_language(paragraphs) == (article, mixed)


def test_article_language_stops_reading_once_settled(monkeypatch: pytest.MonkeyPatch) -> None:
    detector = LanguageDetector()
    read: list[str] = []
    detect = detector._detect

    def counted(sample: str) -> str | None:
        read.append(sample)
        return detect(sample)

    monkeypatch.setattr(detector, "_detect", counted)
    long_article = [*UK * 5, "Підписуйтесь на наш канал у Telegram, щоб першими дізнаватися новини."]
    assert detector.article_language(long_article) == ("uk", False)
    assert len(read) < len(long_article)  # the ten-paragraph vote is settled before the last ones
    read.clear()
    mixed = [UK[0], EN[0], UK[1], EN[1], UK[0]]
    assert detector.article_language(mixed) == ("uk", True)
    assert len(read) < len(mixed)  # settled as mixed once the rest cannot dilute English below a fifth


def test_configured_language_set() -> None:
    detector = LanguageDetector(["en", "de"])
    assert detector.languages == ("en", "de")
    assert detector.detect("The government approved new measures on Wednesday.") == "en"
    with pytest.raises(ValueError):
        LanguageDetector(["en", "klingon"])
