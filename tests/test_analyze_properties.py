"""Property tests: the analyzer takes any text in any language and keys are usable."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.analyze import analyze, fold_term, name_key
from crosswire.types import Article

# Words that reach every analyzer path: names, acronyms, places, numbers, quotes, elisions.
_PIECES = st.sampled_from(
    [
        "НАТО",
        "Лавров",
        "Сергія",
        "України",
        "Київ",
        "США",
        "G7",
        "l'OTAN",
        "Putin's",
        "U.S.",
        "1,5 млн",
        "12,5%",
        "%5",
        "1997",
        "15 лютого",
        "«",
        "»",
        '"',
        "„",
        "“",
        ".",
        "\n",
        " ",
        "-",
        "’",
        "Ü",
        "ß",
        "Zełenski",
        "Rusya'nın",
        "III",
        "İstanbul",
        "ǅ",
        "١٢٣",
        "北京",
    ]
)
_TEXTS = st.one_of(st.text(), st.lists(st.one_of(_PIECES, st.text(max_size=5))).map("".join))
_LANGUAGES = st.sampled_from([None, "uk", "ru", "en", "de", "fr", "tr", "xx"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=_TEXTS,
    title=st.none() | st.text(max_size=30),
    language=_LANGUAGES,
    published=st.none() | st.sampled_from(["2022-02-16", "2022", "not a date"]),
)
def test_analyze_never_raises_and_keys_are_nonempty(
    text: str, title: str | None, language: str | None, published: str | None
) -> None:
    analysis = analyze(Article(id="p", source="p", title=title, text=text, language=language, published=published))
    for mention in (*analysis.entities, *analysis.places, *analysis.dates, *analysis.numbers, *analysis.quotes):
        assert isinstance(mention.key, str) and mention.key
        assert isinstance(mention.surface, str) and mention.surface
    assert all(isinstance(term, str) and term for term in analysis.terms)


def test_characters_without_unicode_names() -> None:
    # pymorphy3 looks up character names, which Tangut ideographs lack.
    analysis = analyze(Article(id="p", source="p", title="𗀀", text="Ѐ𗀀 Київ", language="uk", published=None))
    assert "kyiv" in {m.key for m in analysis.places}


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_folds_never_raise_and_return_ascii(word: str) -> None:
    assert fold_term(word).isascii()
    assert name_key(word).isascii()
