"""Acceptance on the two seed articles (examples/, the same files as ../shared/seeds): what is
kept, what is removed and why."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from conftest import RU_SEED as RU
from conftest import UK_SEED as UK

from crosswire.clean import REASONS, clean
from crosswire.clean.normalize import normalize_text
from crosswire.types import Article, RawDocument

GOLDEN = Path(__file__).resolve().parent / "golden"


def _read(path: Path) -> str:
    return normalize_text(path.read_text("utf-8"))


def _lines(path: Path, *numbers: int) -> list[str]:
    lines = _read(path).split("\n")
    return [lines[n - 1].strip() for n in numbers]


def _clean(path: Path) -> Article:
    return clean(RawDocument(source=path.name, body=_read(path)))


def _reasons(article: Article) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in article.removed:
        found.setdefault(item.reason, []).append(item.text)
    return found


def _accounted(article: Article, text: str) -> None:
    """Every non-blank line is the title, a paragraph or a removed line, exactly once."""
    lines = Counter(s for s in (line.strip() for line in text.split("\n")) if s)
    outcome = Counter([*article.text.split("\n\n"), *(r.text for r in article.removed)])
    if article.title:
        outcome[article.title] += 1
    assert outcome == lines
    assert {r.reason for r in article.removed} <= REASONS.keys()


def test_ukrainian_seed() -> None:
    article = _clean(UK)
    assert article.language == "uk"
    assert article.title is None
    assert article.text.split("\n\n") == _lines(UK, 2, 3, 4, 6, 7, 8, 9)
    assert article.author == "Ігор Петрук"
    # The sidebar's '06 вер 2025.' stamps belong to other articles.
    assert article.published is None
    reasons = _reasons(article)
    assert reasons.pop("call-to-action") == _lines(UK, 5)
    assert reasons.pop("credit") == ["Ілюстративне фото: dw.com"]
    assert reasons.pop("read-also") == _lines(UK, 11, 12)
    assert reasons.pop("byline") == ["Ігор ПетрукНовини"]
    sidebar = reasons.pop("sidebar")
    assert sidebar == _lines(UK, *range(14, 36))
    assert sum(line.endswith("06 вер 2025.") for line in sidebar) == 11
    assert reasons == {}
    _accounted(article, _read(UK))


def test_russian_seed() -> None:
    article = _clean(RU)
    title = "Будет три раунда: в Кремле анонсировали начало переговоров РФ с США о требованиях Москвы"
    assert article.language == "ru"
    assert article.title == title
    paragraphs = article.text.split("\n\n")
    assert paragraphs == _lines(RU, 6, 8, 10, 12, 14, 16, 18, 20)
    assert paragraphs[0].startswith("Москва вынесет вопрос") and paragraphs[-1].startswith("Москва требует от НАТО")
    assert article.published is None
    reasons = _reasons(article)
    assert reasons.pop("title-repeat") == [title, title]
    assert reasons.pop("read-also") == ["Читайте также:"]
    assert reasons.pop("link-list") == _lines(RU, 24, 25, 26, 27)
    assert reasons.pop("call-to-action") == ["Подписывайтесь на наши каналы в Telegram и Viber."]
    assert reasons.pop("related-link") == ["Россия открыто угрожает НАТО войной | Новости мира"]
    assert reasons.pop("ui") == ["Источник материала", "loader", "loader"]
    assert reasons == {}
    _accounted(article, _read(RU))


def test_cleaning_is_deterministic_and_ids_are_content_hashes() -> None:
    first, second = _clean(RU), _clean(RU)
    assert first == second
    assert first.id != _clean(UK).id


@pytest.mark.parametrize("path", [UK, RU], ids=["uk", "ru"])
def test_seed_matches_golden_file(path: Path) -> None:
    """The whole cleaning outcome, to catch any change; rewrite with CROSSWIRE_UPDATE_GOLDEN=1."""
    article = _clean(path)
    outcome = {
        "title": article.title,
        "language": article.language,
        "published": article.published,
        "author": article.author,
        "flags": list(article.flags),
        "paragraphs": article.text.split("\n\n"),
        "removed": [[r.reason, r.text] for r in article.removed],
    }
    golden = GOLDEN / f"clean_{path.stem}.json"
    if os.environ.get("CROSSWIRE_UPDATE_GOLDEN"):
        golden.write_text(json.dumps(outcome, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert outcome == json.loads(golden.read_text("utf-8"))
