"""Word analysis: pymorphy3 for Ukrainian and Russian, Snowball stems for the languages Snowball
covers, the lower-cased form otherwise; and German names read without a dictionary."""

from __future__ import annotations

import sys
import threading

import pytest

from crosswire.analyze import analyze, name_key
from crosswire.analyze.morphology import SNOWBALL, Morphology, stemmer
from crosswire.types import Analysis, Article


def _analyze(text: str, language: str | None) -> Analysis:
    return analyze(Article(id="t", source="test", title=None, text=text, language=language, published=None))


def _entity_keys(analysis: Analysis) -> set[str]:
    return {m.key for m in analysis.entities}


@pytest.mark.parametrize(
    "language, forms",
    [
        ("en", ["talks", "talked", "talking"]),
        ("de", ["Gespräche", "Gesprächen", "Gespräch"]),
        ("fr", ["négociations", "négociation"]),
        ("es", ["negociaciones", "negociación"]),
        ("pl", ["Ukrainy", "Ukrainie", "Ukraina"]),
        ("tr", ["müzakereler", "müzakereleri"]),
    ],
)
def test_inflections_meet_in_one_stem(language: str, forms: list[str]) -> None:
    morph = Morphology()
    assert len({morph.word(language, form).lemma for form in forms}) == 1


def test_languages_without_a_stemmer_keep_the_lower_cased_form() -> None:
    word = Morphology().word("bg", "Преговорите")
    assert word.lemma == word.name_lemma == "преговорите"
    assert not word.function


def test_stopwords_and_acronyms_are_not_stemmed() -> None:
    morph = Morphology()
    assert morph.word("en", "The").function
    assert morph.word("de", "NATO").lemma == "nato"


def test_odd_characters_do_not_break_the_stemmer() -> None:
    assert Morphology().word("en", "a\udc80b").lemma == "a\udc80b"


def test_every_mapped_language_has_a_stemmer() -> None:
    for language in SNOWBALL:
        assert stemmer(language).stemWord("test")


def test_each_thread_has_its_own_stemmers() -> None:
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(stemmer("en")))
    thread.start()
    thread.join()
    assert found[0] is not stemmer("en")
    assert stemmer("en") is stemmer("en")


def test_no_lemma_dictionary_is_loaded() -> None:
    for language in ["en", "de", "fr", "es", "pl", "tr", "ar", "it", "nl", "fi", "bg"]:
        _analyze("Die Gespräche in Genf. Talks in Geneva. Rozmowy w Genewie.", language)
    assert "simplemma" not in sys.modules


@pytest.mark.parametrize(
    "text, language",
    [
        ("Prezydent Andrzej Duda powiedział to wczoraj.", "pl"),
        ("Spotkanie z prezydentem Andrzejem Dudą trwało godzinę.", "pl"),
        ("Rozmowy z panem Dudy nie było.", "pl"),
    ],
)
def test_polish_names_meet_through_their_stems(text: str, language: str) -> None:
    assert name_key("dud") in _entity_keys(_analyze(text, language))


@pytest.mark.parametrize("text", ["Ministr Sergej Lavrov to řekl.", "Jednání se Sergejem Lavrovem pokračují."])
def test_czech_names_keep_their_stem(text: str) -> None:
    # The Czech stemmer would cut 'Lavrov' to 'lavr'; names take the endings table instead.
    assert name_key("Лавров") in _entity_keys(_analyze(text, "cs"))


def test_german_names_after_a_title() -> None:
    analysis = _analyze("Kremlsprecher Dmitri Peskow sagte, US-Präsident Trump habe angerufen.", "de")
    full_name = f"{name_key('Dmitri')}_{name_key('Peskow')}"
    assert {name_key("Peskow"), name_key("Trump"), full_name} <= _entity_keys(analysis)


def test_german_titles_are_not_part_of_the_name() -> None:
    text = "Nach der Sitzung sagte die deutsche Bundeskanzlerin Angela Merkel, sie wolle warten."
    analysis = _analyze(text, "de")
    assert f"{name_key('Angela')}_{name_key('Merkel')}" in _entity_keys(analysis)
    assert not any(name_key("Bundeskanzlerin") in key for key in _entity_keys(analysis))


@pytest.mark.parametrize(
    "text",
    [
        "Es fehlen 1,5 Milliarden Euro im Haushalt.",
        "Dort demonstrierten Tausende Menschen gegen die Pläne.",
        "Die Kosten der neuen Regierung Steuern betreffend sind hoch.",
        "Sie verlangen mehr Geld für die russischen Soldaten Unterkunft.",
    ],
)
def test_german_nouns_together_are_no_name(text: str) -> None:
    assert _analyze(text, "de").entities == ()
