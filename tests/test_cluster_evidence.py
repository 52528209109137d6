"""What the cluster writer holds against topic and template pairs: site centering
(crosswire.cluster.sites) and specific evidence (crosswire.cluster.specific)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from crosswire.cluster import specific
from crosswire.cluster.sites import SiteMeans
from crosswire.represent.compact import CompactRepresentation, key_id
from crosswire.store import SQLiteStore


def _unit(v: np.ndarray) -> np.ndarray:
    out: np.ndarray = v / np.linalg.norm(v)
    return out


def test_site_centering_takes_out_what_a_sites_articles_share(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    template = rng.normal(size=64) * 2  # the site's furniture: in every one of its vectors
    articles = [_unit(template + rng.normal(size=64)) for _ in range(30)]
    store = SQLiteStore(tmp_path / "store.db")
    means = SiteMeans(store)
    with store.transaction():
        store.add_site_vector_sums(means.add([(("sport.es", "es"), v) for v in articles[:28]]))
    zero = np.zeros(64)
    a, b = articles[28], articles[29]
    assert float(a @ b) > 0.6  # unrelated, but alike by their template
    fresh = SiteMeans(store)  # read back from the store
    centered = fresh.center(a, zero, ("sport.es", "es")) @ fresh.center(b, zero, ("sport.es", "es"))
    assert abs(float(centered)) < 0.3
    # Another site (or language) has no sums: only the language mean is taken out.
    assert np.allclose(fresh.center(a, zero, ("other.es", "es")), a)


def _rep(article_id: str, keys: list[str], language: str = "ru") -> CompactRepresentation:
    ids = np.sort(np.array([key_id(k) for k in keys], dtype=np.int64))
    return CompactRepresentation(article_id, language, "2019-11-01", ids, np.full(len(ids), 5000, dtype=np.uint16))


def test_a_same_language_pair_needs_a_rare_name_place_or_quote_in_common() -> None:
    counts = {key_id("e:dtp"): 400, key_id("p:RU"): 900, key_id("e:ivanov"): 2, key_id("p:kondopoga"): 1}

    def frequencies(ids: np.ndarray) -> np.ndarray:
        return np.array([counts.get(int(i), 0) for i in ids], dtype=np.int64)

    crash = _rep("a", ["e:dtp", "p:RU", "t:crash", "e:ivanov", "p:kondopoga"])
    rare = specific.rare_keys(crash, frequencies, n_docs=2000)
    assert set(rare.tolist()) == {key_id("e:ivanov"), key_id("p:kondopoga")}
    others = [
        _rep("b", ["e:dtp", "p:RU", "t:crash"]),  # another crash: common keys only
        _rep("c", ["e:ivanov", "t:crash"]),  # the same driver
        _rep("d", ["e:dtp"], language="uk"),  # another language: a missing key says little
        _rep("e", ["p:kondopoga"]),  # the same town, but from the same (local) site
    ]
    same_site = np.array([False, False, False, True])
    vague = specific.unspecific(crash, others, rare, same_site, lambda: np.zeros(0, dtype=np.int64))
    assert vague.tolist() == [True, False, False, True]
    # Of one site, the site's own recurring names do not count either.
    others[3] = _rep("e", ["e:ivanov"])
    site_names = np.array([key_id("e:ivanov")], dtype=np.int64)
    vague = specific.unspecific(crash, others, rare, same_site, lambda: site_names)
    assert vague.tolist() == [True, False, False, True]
    vague = specific.unspecific(crash, others, rare, same_site, lambda: np.zeros(0, dtype=np.int64))
    assert vague.tolist() == [True, False, False, False]


def test_a_sites_recurring_names_come_from_its_statistics(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "store.db")
    with store.transaction():
        store.count_site_lines(
            {"di.se": 20}, {("di.se", "name:entities:di_livi"): 9, ("di.se", "name:entities:ivanov"): 1}
        )
    assert specific.site_names(store, "di.se").tolist() == [key_id("e:di_livi")]
    assert specific.site_names(store, "nowhere.se").tolist() == []


def test_a_pair_that_names_different_places_is_told_apart() -> None:
    kyiv_forecast = _rep("a", ["t:forecast", "p:UA", "p:kyiv", "p:europe"])
    others = [
        _rep("b", ["t:forecast", "p:RU", "p:moskva"]),  # another city: elsewhere
        _rep("c", ["t:forecast", "p:kyiv", "p:sumy"], language="uk"),  # Kyiv too, in another language
        _rep("d", ["t:forecast", "p:UA"]),  # a country only: says nothing of where
        _rep("e", ["t:forecast", "p:europe", "p:balkans"]),  # regions wider than a country
        _rep("f", ["t:forecast"]),  # no place at all
    ]
    assert specific.elsewhere(kyiv_forecast, others).tolist() == [True, False, False, False, False]
    # An article that names no finer place has nothing to tell apart.
    assert not specific.elsewhere(_rep("g", ["t:forecast", "p:UA"]), others).any()
    assert specific.elsewhere(kyiv_forecast, []).tolist() == []


def test_places_are_one_key_across_languages_and_scripts() -> None:
    """What ``elsewhere`` relies on: the gazetteer files a city under one key in every language, so
    reports of one happening in two languages name the same places."""
    from crosswire.analyze import analyze
    from crosswire.clean import clean
    from crosswire.represent.compact import count_analysis, represent_compact
    from crosswire.types import RawDocument

    def rep(text: str, language: str) -> CompactRepresentation:
        analysis = analyze(clean(RawDocument(source=language, body=text, language=language)))
        return represent_compact(count_analysis(analysis))

    odesa_uk = rep("В Одесі автомобіль врізався в дерево. Поліція Одеси розслідує аварію на трасі.", "uk")
    odesa_ru = rep("В Одессе автомобиль врезался в дерево. Полиция Одессы расследует аварию на трассе.", "ru")
    odesa_en = rep("In Odesa a car crashed into a tree. Odesa police are investigating the crash.", "en")
    moscow_ru = rep("В Москве автомобиль врезался в дерево. Полиция Москвы расследует аварию на трассе.", "ru")
    assert specific.elsewhere(odesa_uk, [odesa_ru, odesa_en, moscow_ru]).tolist() == [False, False, True]
