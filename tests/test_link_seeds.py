"""The two seed reports (Ukrainian, Russian: one story, two events) link with reasons a person can
check; unrelated articles do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.analyze import analyze, name_key
from crosswire.link import similarity
from crosswire.represent import represent
from crosswire.types import Article, Representation, Similarity

FOOTBALL_EN = (
    "Manchester United beat Manchester City 2-1 at Old Trafford on Sunday. Marcus Rashford scored twice in "
    "the second half after Erling Haaland had given City the lead before the break.\n\n"
    "The win lifts United to fourth place in the Premier League table, three points behind Arsenal. "
    "Manager Erik ten Hag praised his players for their resilience and the fans for their support."
)
HARVEST_UK = (
    "Аграрії Полтавщини завершили збирання ранніх зернових: середня врожайність пшениці склала 52 центнери "
    "з гектара, що на п'ять центнерів більше, ніж торік.\n\n"
    "За словами фермерів, сприятлива погода в травні та червні дозволила отримати зерно високої якості. "
    "Ціни на елеватори поки що тримаються на рівні минулого місяця, а частину врожаю планують експортувати."
)


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _rep(article_id: str, text: str, language: str, published: str | None) -> Representation:
    article = Article(id=article_id, source="test", title=None, text=text, language=language, published=published)
    return represent(analyze(article))


@pytest.fixture
def seed_pair(seeds: Path) -> tuple[Representation, Representation]:
    uk = _lines(seeds / "000_a69a3fb0b83d7f83.txt")
    ru = _lines(seeds / "002_0c491f7abdee406b.txt")
    uk_text = "\n\n".join(uk[1:4] + uk[5:9])  # body paragraphs: lines 2-4 and 6-9
    ru_text = "\n\n".join(line for line in ru[5:20] if line.strip())  # lines 6-20
    # Lavrov and Rau spoke on 15 February 2022; the Russian report is from late December 2021.
    return _rep("uk", uk_text, "uk", "2022-02-16"), _rep("ru", ru_text, "ru", "2021-12-27")


@pytest.fixture
def seed_similarity(seed_pair: tuple[Representation, Representation]) -> Similarity:
    return similarity(*seed_pair)


def test_seed_reports_are_similar(seed_similarity: Similarity) -> None:
    assert seed_similarity.level <= 2


@pytest.mark.parametrize("key", [name_key("Лавров"), "org:nato", "US", "org:osce"])
def test_seed_reasons_name_the_shared_actors(seed_similarity: Similarity, key: str) -> None:
    reasons = {reason.key: reason for reason in seed_similarity.reasons}
    assert key in reasons
    assert reasons[key].a and reasons[key].b


def test_seed_reasons_show_each_articles_own_form(seed_similarity: Similarity) -> None:
    reasons = {reason.key: (reason.a, reason.b) for reason in seed_similarity.reasons}
    assert reasons[name_key("Лавров")] == ("Лаврова", "Лавров")
    assert reasons["org:osce"] == ("ОБСЄ", "ОБСЕ")
    weights = [reason.weight for reason in seed_similarity.reasons if reason.kind != "term"]
    assert weights == sorted(weights, reverse=True)


def test_unrelated_articles_are_dissimilar(
    seed_pair: tuple[Representation, Representation], seed_similarity: Similarity
) -> None:
    uk, ru = seed_pair
    football = _rep("en", FOOTBALL_EN, "en", "2022-02-20")
    harvest = _rep("uk2", HARVEST_UK, "uk", "2022-02-16")
    for a, b in ((uk, football), (ru, football), (uk, harvest), (ru, harvest), (football, harvest)):
        result = similarity(a, b)
        assert result.level >= 3
        assert result.score < seed_similarity.score - 0.3


def test_similarity_is_symmetric(seed_pair: tuple[Representation, Representation]) -> None:
    uk, ru = seed_pair
    assert similarity(uk, ru).score == similarity(ru, uk).score
