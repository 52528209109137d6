"""Property tests for the normalizers every later stage relies on."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crosswire.clean.normalize import fold_homoglyphs, normalize_text
from crosswire.lang import DEFAULT_LANGUAGES, configure, detect_language
from crosswire.pipeline import Preparer
from crosswire.service.common import stage_context
from crosswire.settings import Settings
from crosswire.types import RawDocument

CYRILLIC = st.text(alphabet=st.characters(min_codepoint=0x430, max_codepoint=0x44F), min_size=2, max_size=12)


@given(st.text())
def test_normalize_never_raises_and_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\u200b" not in once


@given(st.text())
def test_folding_keeps_length_and_is_idempotent(text: str) -> None:
    folded = fold_homoglyphs(text)
    assert len(folded) == len(text)
    assert fold_homoglyphs(folded) == folded


@given(CYRILLIC, st.sampled_from("aceopxy"), CYRILLIC)
def test_a_latin_look_alike_inside_a_cyrillic_word_is_folded(head: str, latin: str, tail: str) -> None:
    folded = fold_homoglyphs(head + latin + tail)
    assert folded.isascii() is False and not any("a" <= c <= "z" for c in folded)


@pytest.mark.parametrize("workers", [0, 1])  # in this process, and in workers forked from it
def test_the_language_set_is_a_setting(workers: int) -> None:
    text = "Министр иностранных дел России заявил, что переговоры продолжатся в январе в Женеве."
    assert detect_language(text) == "ru"
    try:
        with Preparer(workers=workers, timeout=30, context=stage_context(Settings(languages="uk, en"))) as preparer:
            article = preparer.run([RawDocument(source="x", body=text)])[0].article  # type: ignore[union-attr]
        assert article.language in {"uk", "en"}
    finally:
        configure(DEFAULT_LANGUAGES)  # the detector is per process: leave the default for other tests


def test_an_invisible_character_does_not_hide_mojibake_from_the_repair() -> None:
    # Found by the property test above: a soft hyphen before mis-decoded bytes kept ftfy from
    # repairing them on the first pass, and the second pass (without it) did.
    once = normalize_text("\xadÀ\x86")
    assert once == normalize_text(once)
