"""What the analyzer finds in short texts of several languages, and the keys it gives them."""

from __future__ import annotations

import pytest

from crosswire.analyze import analyze, name_key
from crosswire.analyze.numbers import find_numbers
from crosswire.types import Analysis, Article


def _analyze(text: str, language: str | None, published: str | None = None) -> Analysis:
    return analyze(Article(id="t", source="test", title=None, text=text, language=language, published=published))


def _entity_keys(analysis: Analysis) -> set[str]:
    return {m.key for m in analysis.entities}


def _place_keys(analysis: Analysis) -> set[str]:
    return {m.key for m in analysis.places}


@pytest.mark.parametrize(
    "text, language",
    [
        ("Міністр заявив, що НАТО не розширюватиметься.", "uk"),
        ("The minister said that NATO would not expand.", "en"),
        ("Le ministre a dit que l'OTAN ne s'élargirait pas.", "fr"),
        ("Министр напомнил о решении Североатлантического альянса.", "ru"),
    ],
)
def test_nato_in_any_script(text: str, language: str) -> None:
    assert "org:nato" in _entity_keys(_analyze(text, language))


@pytest.mark.parametrize(
    "text, language",
    [
        ("Зустріч відбулася в ОБСЄ у Відні.", "uk"),
        ("Встреча прошла в ОБСЕ в Вене.", "ru"),
        ("The meeting took place at the OSCE in Vienna.", "en"),
        ("Das Treffen fand bei der OSZE in Wien statt.", "de"),
        ("Spotkanie odbyło się w OBWE w Wiedniu.", "pl"),
    ],
)
def test_osce_in_any_language(text: str, language: str) -> None:
    analysis = _analyze(text, language)
    assert "org:osce" in _entity_keys(analysis)
    assert {"vienna", "AT"} <= _place_keys(analysis)


@pytest.mark.parametrize(
    "text, language",
    [
        ("Делегація США прибула до Женеви.", "uk"),
        ("Делегація Сполучених Штатів прибула до Женеви.", "uk"),
        ("Делегация Соединенных Штатов прибыла в Женеву.", "ru"),
        ("The USA delegation arrived in Geneva.", "en"),
        ("Delegacja Stanów Zjednoczonych przybyła do Genewy.", "pl"),
        ("Die Delegation der Vereinigten Staaten traf in Genf ein.", "de"),
    ],
)
def test_united_states_in_any_form(text: str, language: str) -> None:
    assert {"US", "geneva", "CH"} <= _place_keys(_analyze(text, language))


@pytest.mark.parametrize(
    "text, language",
    [
        ("Кордони України визнані.", "uk"),
        ("Границы Украины признаны.", "ru"),
        ("The borders of Ukraine are recognized.", "en"),
        ("Granice Ukrainy są uznane.", "pl"),
    ],
)
def test_ukraine_inflected(text: str, language: str) -> None:
    assert "UA" in _place_keys(_analyze(text, language))


@pytest.mark.parametrize(
    "text, language",
    [
        ("Переговори у Києві.", "uk"),
        ("Переговоры в Киеве.", "ru"),
        ("Talks in Kyiv.", "en"),
        ("Gespräche in Kiew.", "de"),
    ],
)
def test_kyiv_meets_and_counts_as_ukraine(text: str, language: str) -> None:
    assert {"kyiv", "UA"} <= _place_keys(_analyze(text, language))


@pytest.mark.parametrize(
    "text, language",
    [
        ("Про це заявив міністр Сергій Лавров.", "uk"),
        ("Переговори з паном Лавровим тривали.", "uk"),
        ("Об этом сообщил Сергей Лавров.", "ru"),
        ("Foreign Minister Sergei Lavrov said so on Monday.", "en"),
        ("Tak powiedział minister Siergiej Ławrow.", "pl"),
    ],
)
def test_lavrov_meets_in_every_language(text: str, language: str) -> None:
    assert name_key("Лавров") in _entity_keys(_analyze(text, language))


def test_full_name_also_gives_the_surname() -> None:
    analysis = _analyze("Про це заявив міністр Сергій Лавров.", "uk")
    by_key = {m.key: m for m in analysis.entities}
    assert by_key[f"{name_key('Сергій')}_{name_key('Лавров')}"].surface == "Сергій Лавров"
    assert by_key[name_key("Лавров")].surface == "Лавров"
    assert by_key[name_key("Лавров")].kind == "person"


def test_sentence_start_capitals_are_not_names() -> None:
    analysis = _analyze("Будет три раунда. Также обсуждали погоду.", "ru")
    assert analysis.entities == ()


def test_a_name_repeated_inside_a_sentence_counts_at_a_sentence_start() -> None:
    analysis = _analyze("Rau met the minister. Later the talks with Rau went on.", "en")
    assert [m.surface for m in analysis.entities] == ["Rau", "Rau"]


def test_german_nouns_are_not_names_but_known_surnames_are() -> None:
    analysis = _analyze(
        "Die Regierung plant neue Impfstoffsuche. Bundeskanzlerin Angela Merkel sagte, Merkel wolle warten.", "de"
    )
    keys = _entity_keys(analysis)
    assert name_key("Merkel") in keys
    assert not keys & {name_key("Regierung"), name_key("Impfstoffsuche")}


def test_months_and_roman_numerals_are_not_names() -> None:
    assert _analyze("The talks on Monday in January reached phase III.", "en").entities == ()


def test_english_dates_on_pages_in_other_scripts_are_not_names() -> None:
    """'15 Nov 2019' in a Persian or Russian byline: the month's capital names no one."""
    assert _analyze("بیشترین آمار اشتغال 15 Nov 2019 by عصر ايران گفت.", "fa").entities == ()
    assert _entity_keys(_analyze("Опубликовано 15 Nov 2019. Лавров заявил, что Dec будет трудным.", "ru")) == {
        name_key("Лавров")
    }


def test_agencies_are_consumed_without_evidence() -> None:
    analysis = _analyze("Про це повідомляє Інтерфакс-Україна з посиланням на Reuters.", "uk")
    assert analysis.entities == () and analysis.places == ()


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Уряд виділив 1,5 млн гривень для 26 країн.", "uk", ["1500000", "26"]),
        ("Inflation rose 12,5% and 40 відсотків.", "uk", ["12.5%", "40%"]),
        ("About 1,500 people and 3.5 billion dollars.", "en", ["1500", "3500000000"]),
        ("Etwa 1.500 Menschen und 1,5 Mio. Euro.", "de", ["1500", "1500000"]),
        ("Yüzde değil: %5 artış.", "tr", ["5%"]),
    ],
)
def test_numbers_are_normalized(text: str, language: str, expected: list[str]) -> None:
    assert [m.key for m in _analyze(text, language).numbers] == expected


def test_years_and_clock_times_are_not_numbers() -> None:
    assert _analyze("Кордони 1997 року, о 23:15 06.09.2025.", "uk").numbers == ()


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("环保局共移交了88件案件，增长５％，约1.5万人。", "zh", ["88", "5%", "15000"]),
        ("年平均94件の民事訴訟を解決し、3千人が参加した。", "ja", ["94", "3000"]),
    ],
)
def test_numbers_inside_cjk_text(text: str, language: str, expected: list[str]) -> None:
    assert [m.key for m in _analyze(text, language).numbers] == expected


def test_cjk_dates_at_their_precision() -> None:
    analysis = _analyze("他从1990年到2007年担任主管。2022年3月5日，拜登说。", "zh")
    assert sorted(m.key for m in analysis.dates) == ["1990", "2007", "2022-03-05"]
    assert analysis.numbers == ()


def test_katakana_names_meet_latin_names() -> None:
    japanese = _entity_keys(_analyze("ドナルド・トランプ氏とヒラリー・クリントン氏がバイデン氏と会った。", "ja"))
    english = _entity_keys(_analyze("Then Joe Biden and Donald Trump met Hillary Clinton at the White House.", "en"))
    assert {"trmp", "klntn", "bdn"} <= japanese & english


def test_quotes_of_four_words_or_more() -> None:
    analysis = _analyze('Він назвав її «деловой». Лавров: «Ми продовжимо наш діалог». "Too short" she said.', "uk")
    assert [m.key for m in analysis.quotes] == ["ми продовжимо наш діалог"]
    assert analysis.quotes[0].surface == "Ми продовжимо наш діалог"


def test_dates_use_the_published_day_as_reference() -> None:
    pytest.importorskip("crosswire.clean.dates")
    analysis = _analyze("15 лютого Росія оголосила про відведення військ.", "uk", published="2022-02-16")
    assert "2022-02-15" in {m.key for m in analysis.dates}
    assert analysis.numbers == ()


def test_terms_are_content_lemmas_in_order() -> None:
    analysis = _analyze("Росія почала пропонувати США та НАТО продовжити переговори.", "uk")
    assert analysis.terms == ("росія", "почати", "пропонувати", "сша", "нато", "продовжити", "переговори")


def test_language_is_guessed_from_the_script_when_missing() -> None:
    assert _analyze("Україна і Росія провели переговори.", None).language == "uk"
    assert _analyze("Россия и Украина провели переговоры.", None).language == "ru"
    assert _analyze("Talks were held.", None).language is None


def test_title_is_analyzed_with_the_text() -> None:
    article = Article(
        id="t", source="test", title="Лавров у Женеві", text="Переговори тривали.", language="uk", published=None
    )
    analysis = analyze(article)
    assert name_key("Лавров") in _entity_keys(analysis)
    assert "geneva" in _place_keys(analysis)


def test_digit_runs_that_are_no_number_are_skipped_not_fatal() -> None:

    found = find_numbers("Path 553.148,32.076 then 1,500 people", "en")
    assert [m.key for m in found] == ["1500"]


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("Podle zprávy ruská armáda stojí u Kyjeva a České republiky.", "cs", {"RU", "kyiv", "CZ"}),
        ("Treba im investitora iz Kine.", "hr", {"CN"}),
        ("Gespräche in den Niederlanden und des Vereinigten Königreichs mit der Berliner Polizei.", "de", {"NL", "GB"}),
        ("Russians and Israelis met.", "en", {"RU", "IL"}),
        ("Los alemanes y las británicas, los rusos.", "es", {"DE", "GB", "RU"}),
        ("Les Françaises et les Allemands.", "fr", {"FR", "DE"}),
        ("La riunione si è tenuta all'Aia.", "it", {"the-hague"}),
        ("Обсуждали выполнение Минских соглашений в Донецкой области.", "ru", {"minsk", "donetsk"}),
        ("Делегация Соединенных Штатов прибыла в Николаев.", "ru", {"US", "mykolaiv"}),
        ("미국은 중국의 제안을 거절했고 러시아에서 회담이 열렸다.", "ko", {"US", "CN", "RU"}),  # particles
        ("نخست وزیر ایتالیا به بولیوی سفر کرد.", "fa", {"IT", "BO"}),
        ("अमेरिका, रूस और ब्रिटेन के बीच बातचीत हुई।", "hi", {"US", "RU", "GB"}),
    ],
)
def test_inflected_places_and_nationality_adjectives_still_match(text: str, language: str, expected: set[str]) -> None:
    assert expected <= _place_keys(_analyze(text, language))


@pytest.mark.parametrize(
    "text, language, not_expected",
    [
        ("Об этом сказал Николай Патрушев.", "ru", {"mykolaiv", "UA"}),  # a given name is no inflected city
        ("Об этом сообщил Сергей Николаев.", "ru", {"mykolaiv", "UA"}),  # a city's name after a given name
        ("Die Verhandlungen wurden zum fünften Mal verlängert.", "de", {"ML"}),  # a bare stem of 'Mali'
        ("He lives on Seal Island with D&L staff.", "en", {"IS", "the-hague"}),  # Czech 'Island', Italian "L'Aia"
        ("Seule menace pour les Verts.", "fr", {"seoul"}),  # a French word, Seoul's name elsewhere
        ("Досі за електроенергію платила наша установа.", "uk", {"doha"}),  # a sentence-start adverb
        ("그것은 문제를 해결하는 수단으로 쓰였다.", "ko", {"SD"}),  # 'means', not Sudan
    ],
)
def test_words_of_another_kind_are_no_places(text: str, language: str, not_expected: set[str]) -> None:
    assert not _place_keys(_analyze(text, language)) & not_expected


def test_an_apostrophe_after_one_letter_elides_an_article() -> None:
    from crosswire.analyze.gazetteer import cut_apostrophe

    assert [cut_apostrophe(w) for w in ("l'aia", "rusya'nın", "putin's", "ab'ye")] == ["aia", "rusya", "putin", "ab"]


def test_dates_written_year_first_with_dots_or_slashes_are_not_numbers() -> None:
    # Korean and Japanese bylines ("입력 2019.11.01 21:29"): read as the number 20191101, the
    # publication date linked every article of a site as a shared number.
    text = "입력 2019.11.01 21:29 | 수정 2019/11/01. 가격은 1.234.567 원, 비율은 3.5%."
    assert [m.key for m in find_numbers(text, "ko")] == ["1234567", "3.5%"]


def test_vietnamese_names_count_only_whole() -> None:
    # Each syllable is capitalized in a name; alone, a syllable's key meets hundreds of others
    # ('Trung', 'Trọng' and 'Trưng' all give 'trnh').
    text = "Trung Quốc đánh bật Mỹ về kinh tế. Thủ tướng Nguyễn Xuân Phúc gặp ông Trọng tại Hà Nội."
    found = analyze(Article("x", "x", None, text, "vi", None))
    keys = {m.key for m in found.entities}
    assert {"trnh_kvk", "nhn_ksn_fuk"} <= keys
    assert not any("_" not in key for key in keys)  # no syllable alone, no surname alone


_FORMS_TEXTS = {
    "en": "The Russians and the British met in Kyiv; US-backed talks on NATO, the EU-Kommission and Americans.",
    "de": "Die Russen trafen in Kiew Vertreter Europas und der Berliner Regierung; EU-Kommission, Amerikaner.",
    "fr": "Les Français et les Russes ont parlé à Kiev de l'OTAN, des États-Unis et de l'Union européenne.",
    "cs": "Čeští a ruští ministři jednali v Kyjevě o NATO, Spojených státech a Evropské unii.",
    "pl": "Rosjanie i Polacy rozmawiali w Kijowie o NATO i Stanach Zjednoczonych; Amerykanie milczeli.",
    "hu": "Az oroszok és az ukránok Kijevben tárgyaltak a NATO-ról és az Egyesült Államokról.",
    "ka": "რუსეთი და საქართველო თბილისში შეხვდნენ NATO-ს წარმომადგენლებს.",
    "uk": "Міністр Лавров у Києві говорив про НАТО та США; Сергій Николаєв не погодився з Москвою.",
}


@pytest.mark.parametrize("language", sorted(_FORMS_TEXTS))
def test_token_forms_shortcut_equals_the_general_reading(language: str) -> None:
    # The gazetteer's fast path for one-word tokens against its general path, on every token of
    # texts in each mode of matching (names as written, Snowball stems, plain, a dictionary).
    from crosswire.analyze.gazetteer import _mode, gazetteer
    from crosswire.analyze.morphology import morphology
    from crosswire.analyze.text import tokenize

    index = gazetteer()
    text = _FORMS_TEXTS[language]
    tokens = tokenize(text, language)
    keys = [index._forms_key(_mode(language), language, t, morphology().word(language, t.text)) for t in tokens]
    assert keys
    for key in keys:
        mode, lang, word, *rest = key
        assert index._compute_forms(key) == index._forms_of(str(mode), str(lang), str(word), rest)
    assert any(index._compute_forms(key).starts for key in keys)


def test_a_surname_the_dictionary_reads_only_as_a_verb_form_keeps_its_form() -> None:
    # pymorphy3 reads 'Нортону' and 'Корен' as forms of verbs ('корить'): as names they keep their
    # own form, so they meet their Latin spellings.
    def keys(text: str, language: str) -> set[str]:
        article = Article(id="x", source="x", title=None, text=text, language=language, published=None)
        return {m.key for m in analyze(article).entities}

    russian = keys("Премию вручили Эдварду Нортону в субботу. Профессор Корен поблагодарил зрителей.", "ru")
    english = keys("The award went to Edward Norton on Saturday. Professor Koren thanked the audience.", "en")
    assert {"dvrd_nrtn", "nrtn"} <= russian & english
    assert "krn" in russian & english


def _places(text: str, language: str) -> set[tuple[str, str]]:
    return {(m.key, m.surface) for m in _analyze(text, language).places}


def test_a_region_named_by_an_adjective_is_a_place_keyed_as_its_centre() -> None:
    """'Харьковская область' is Kharkiv's region: a place, under the city's key, so it meets the
    city in other reports and languages (crosswire.analyze.regions)."""
    assert _places("Пожар произошел в Харьковской области, сообщили в ГСЧС.", "ru") == {
        ("kharkiv", "Харьковской области"),
        ("UA", "Харьковской области"),
    }
    assert ("odesa", "Одеській області") in _places("Аварія сталася в Одеській області вночі.", "uk")
    assert ("kyiv", "Київська область") in _places("Вночі Київська область залишилася без світла.", "uk")
    # A city the tagger knows: the region takes the city's key.
    tambov = _places("Бизнесмена осудили в Тамбовской области. Суд прошел в Тамбове.", "ru")
    assert {key for key, _ in tambov} == {name_key("тамбов")}
    omsk = _places("В Омскую область придет потепление, в Омске ждут до +5.", "ru")
    assert {key for key, _ in omsk} == {name_key("омск")}
    # Neither knows it: the adjective's own key, still a place.
    assert _places("В Бондарском районе задержан лесоруб.", "ru") == {(name_key("бондарский"), "Бондарском районе")}
    # An adjective before any other noun is no region.
    assert _places("Студенты пришли в Харьковский университет утром.", "ru") == set()
    assert not any(m.kind == "place" for m in _analyze("Компания открыла Пермский завод.", "ru").entities)


def test_two_regions_are_two_places() -> None:
    weather = _analyze("В Мурманскую область придет похолодание, а в Пермском крае потеплеет.", "ru")
    assert {m.key for m in weather.places} == {name_key("мурманск"), name_key("пермь")}
    assert not {m.key for m in weather.entities} & {m.key for m in weather.places}
