"""The representation: typed keys, per-group normalization, caps, document frequencies."""

from __future__ import annotations

import math

import pytest

from crosswire.represent import analysis_key, feature_key, feature_keys, represent
from crosswire.represent.features import ngrams
from crosswire.represent.weighting import CAPS
from crosswire.types import Analysis, Mention


def _analysis(**fields: object) -> Analysis:
    return Analysis(article_id="a", language="uk", published="2022-02-16", **fields)  # type: ignore[arg-type]


SAMPLE = _analysis(
    entities=(
        Mention("lvrv", "Лавров", "person"),
        Mention("org:nato", "НАТО", "org"),
        Mention("lvrv", "Лаврова", "person"),
    ),
    places=(Mention("US", "США", "place"), Mention("moskva", "Москва", "place")),
    dates=(Mention("2022-02-15", "15 лютого", "date"),),
    numbers=(Mention("1500000", "1,5 млн", "number"),),
    quotes=(Mention("ми продовжимо наш діалог", "Ми продовжимо наш діалог", "quote"),),
    terms=("переговори", "безпека", "переговори"),
)


def test_key_scheme() -> None:
    features = represent(SAMPLE).features
    for key in (
        "e:lvrv",
        "o:nato",
        "p:US",
        "p:moskva",
        "d:2022-02-15",
        "d:2022-02",
        "d:2022",
        "n:1500000",
        "q:ми продовжимо наш діалог",
        "t:peregovori",
        "t:bezpeka",
        "g:^per",
        "g:ori$",
    ):
        assert key in features, key


def test_surfaces_are_the_first_form_seen() -> None:
    rep = represent(SAMPLE)
    assert rep.surfaces["e:lvrv"] == "Лавров"
    assert rep.surfaces["o:nato"] == "НАТО"
    assert rep.surfaces["t:peregovori"] == "переговори"
    assert set(rep.surfaces) <= set(rep.features)
    assert not any(key.startswith("g:") for key in rep.surfaces)


def test_each_group_is_unit_length() -> None:
    features = represent(SAMPLE).features
    for group in {key[0] for key in features}:
        norm = math.sqrt(sum(w * w for k, w in features.items() if k[0] == group))
        assert norm == pytest.approx(1.0, abs=1e-3)


def test_repeated_mentions_weigh_more() -> None:
    features = represent(
        _analysis(entities=(Mention("a1", "A", "entity"), Mention("a1", "A", "entity"), Mention("b2", "B", "entity")))
    ).features
    assert features["e:a1"] > features["e:b2"]


def test_document_frequency_lowers_common_keys() -> None:
    analysis = _analysis(entities=(Mention("common", "C", "entity"), Mention("rare", "R", "entity")))
    features = represent(analysis, {"e:common": 900, "e:rare": 1}, 1000).features
    assert features["e:rare"] > features["e:common"]
    plain = represent(analysis).features
    assert plain["e:rare"] == pytest.approx(plain["e:common"])


def test_groups_are_capped() -> None:
    terms = tuple(f"слово{chr(0x430 + i % 32)}{i}" for i in range(400))
    features = represent(_analysis(terms=terms)).features
    assert sum(key[0] == "t" for key in features) == CAPS["t"]
    assert sum(key[0] == "g" for key in features) == CAPS["g"]


def test_feature_keys_cover_the_representation_before_caps() -> None:
    terms = tuple(f"слово{i}" for i in range(300))
    analysis = _analysis(terms=terms)
    assert set(represent(analysis).features) < feature_keys(analysis)


def test_lead_terms_count_double() -> None:
    terms = ("перший", *tuple(f"слово{i}" for i in range(30)), "останній")
    features = represent(_analysis(terms=terms)).features
    assert features["t:pershiy"] > features["t:ostanniy"]


def test_ngrams_mark_word_boundaries() -> None:
    assert ngrams("nato") == ("^nat", "nato", "ato$")
    assert ngrams("un") == ("^un$",)


@pytest.mark.parametrize(
    "key, kind, feature",
    [
        ("org:nato", "org", "o:nato"),
        ("US", "place", "p:US"),
        ("lvrv", "person", "e:lvrv"),
        ("2022-02", "date", "d:2022-02"),
        ("26", "number", "n:26"),
        ("a b c d", "quote", "q:a b c d"),
    ],
)
def test_feature_and_analysis_keys_are_inverse(key: str, kind: str, feature: str) -> None:
    assert feature_key(key, kind) == feature
    assert analysis_key(feature) == key


def test_counts_less_some_mentions_equal_a_recount_without_them() -> None:
    from dataclasses import replace

    from crosswire.represent.compact import count_analysis, recount

    whole = replace(
        SAMPLE,
        dates=(*SAMPLE.dates, Mention("2022-02", "лютий", "date"), Mention("2022-02-15", "15.02", "date")),
        entities=(*SAMPLE.entities, Mention("org:akismet", "Akismet", "org")),
    )
    # What a site's furniture takes away: one of two mentions of a date, a name held once.
    kept = replace(whole, dates=whole.dates[:2], entities=whole.entities[:3])
    found = recount(count_analysis(whole), whole, kept)
    plain = count_analysis(kept)
    assert found is not None
    assert found.ids.tolist() == plain.ids.tolist()  # the furniture name's id is gone
    assert found.counts.tolist() == plain.counts.tolist() and found.prior.tolist() == plain.prior.tolist()
    assert len(found.ids) == len(count_analysis(whole).ids) - 1
    foreign = replace(kept, entities=(*kept.entities, Mention("xyz", "Xyz", "person")))
    assert recount(count_analysis(whole), whole, foreign) is None  # not a part of it


_ARTICLE_PARAGRAPHS = (
    "Підписуйтесь на наш канал у Telegram, щоб першими дізнаватися новини",
    "Міністр закордонних справ Росії Сергій Лавров 15 лютого 2022 року заявив у Москві, що переговори з США "
    "та НАТО щодо гарантій безпеки тривають. «Ми продовжимо наш діалог», — сказав Лавров.",
    "За його словами, Москва чекає відповіді Вашингтона до кінця місяця; у Києві заяву назвали тиском.",
    "Переговори у Женеві тривали понад сім годин, сторони домовилися зустрітися знову в березні.",
    "Усі права захищені. Передрук матеріалів лише з посиланням на джерело. © 2022",
)


@pytest.mark.parametrize("dropped_at", [(0,), (4,), (0, 4), (2,), (1, 3)])
def test_recount_after_dropped_paragraphs_equals_a_full_count(dropped_at: tuple[int, ...]) -> None:
    # The site pass's fast path (a recount of only the keys whose weight changes) against the
    # plain one (counting the subtracted analysis from scratch): dropping the first paragraph
    # moves other lemmas into the double-weighted lead, dropping the last one does not.
    from dataclasses import replace

    from crosswire.analyze import analyze
    from crosswire.analyze.subtract import subtract
    from crosswire.represent.compact import count_analysis, recount
    from crosswire.types import Article

    article = Article(
        id="a", source="s", title=None, text="\n\n".join(_ARTICLE_PARAGRAPHS), language="uk", published="2022-02-16"
    )
    before = analyze(article)
    dropped = "\n\n".join(_ARTICLE_PARAGRAPHS[i] for i in dropped_at)
    after = subtract(before, analyze(replace(article, text=dropped)))
    assert after.terms != before.terms
    found = recount(count_analysis(before), before, after)
    plain = count_analysis(after)
    assert found is not None
    assert found.ids.tolist() == plain.ids.tolist()
    assert found.counts.tolist() == plain.counts.tolist() and found.prior.tolist() == plain.prior.tolist()
    assert (found.article_id, found.language, found.published) == (plain.article_id, plain.language, plain.published)


def test_recount_refuses_what_is_no_part_of_the_article() -> None:
    from dataclasses import replace

    from crosswire.represent.compact import count_analysis, recount

    counted = count_analysis(SAMPLE)
    assert recount(counted, SAMPLE, replace(SAMPLE, terms=(*SAMPLE.terms, "мир"))) is None  # a lemma it lacks
    foreign = replace(SAMPLE, entities=(*SAMPLE.entities, Mention("xyz", "Xyz", "person")))
    assert recount(counted, SAMPLE, foreign) is None  # a key it lacks
    more = replace(SAMPLE, places=(*SAMPLE.places, Mention("US", "США", "place")))
    found = recount(counted, SAMPLE, more)  # a key it has, once more: still exactly a recount
    assert found is not None and found.counts.tolist() == count_analysis(more).counts.tolist()
