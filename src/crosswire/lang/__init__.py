"""Language identification: ISO 639-1 codes, None where the text says too little."""

from __future__ import annotations

from crosswire.lang.detector import DEFAULT_LANGUAGES, LanguageDetector, configure, default_detector

__all__ = [
    "DEFAULT_LANGUAGES",
    "LanguageDetector",
    "configure",
    "detect_article_language",
    "detect_language",
    "detect_paragraph_languages",
]


def detect_language(text: str) -> str | None:
    """The language of ``text`` (lower-case ISO 639-1), or None for text too short or not
    linguistic enough to tell (a name, a number, a one-word label)."""
    return default_detector().detect(text)


def detect_paragraph_languages(paragraphs: list[str]) -> tuple[str | None, list[str | None], bool]:
    """(article language, language of each paragraph, mixed flag). Short or non-linguistic
    paragraphs get None and never decide the article language; the article is mixed when
    paragraphs in other languages carry a fifth or more of its trusted text."""
    return default_detector().detect_paragraphs(paragraphs)


def detect_article_language(paragraphs: list[str]) -> tuple[str | None, bool]:
    """(article language, mixed flag) as ``detect_paragraph_languages`` gives them, reading
    only as many paragraphs as it takes to settle both."""
    return default_detector().article_language(paragraphs)
