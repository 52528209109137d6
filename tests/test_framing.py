"""Framing per outlet: the log-odds with an informative prior, the outlets file, and the framing
view of the seeds' story through the service and ``show --json``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from conftest import SEEDS, run_cli

from crosswire.analyze.keys import fold_term
from crosswire.analyze.log_odds import distinctive, informative_prior, log_odds_z
from crosswire.outlets import MAX_BYTES, MAX_ROWS, OutletsFileError, outlet_of, parse_outlets, read_outlets
from crosswire.service.framing import story_framing
from crosswire.store import open_store

# --- log-odds -------------------------------------------------------------------------------

BACKGROUND = Counter({"talks": 20, "minister": 15, "said": 30, "security": 12, "week": 10})


def test_a_word_only_one_side_uses_rises_and_shared_words_do_not() -> None:
    focus = BACKGROUND + Counter({"blackmail": 5})
    rest = BACKGROUND + Counter({"businesslike": 4})
    scored = {s.word: s.z for s in log_odds_z(focus, rest, informative_prior({}, focus + rest))}
    assert max(scored, key=lambda w: scored[w]) == "blackmail"
    assert scored["blackmail"] > 1
    assert all(abs(scored[w]) < 0.2 for w in BACKGROUND)  # used alike by both: no evidence
    assert [s.word for s in distinctive(focus, rest)] == ["blackmail"]


def test_a_rare_word_does_not_dominate_a_frequent_distinctive_one() -> None:
    focus = BACKGROUND + Counter({"ultimatum": 12, "hapax": 1})
    rest = BACKGROUND + Counter({"ultimatum": 1})
    words = [s.word for s in distinctive(focus, rest)]
    assert words.index("ultimatum") < words.index("hapax")
    # the raw log-odds ratio without a prior would put the hapax, never seen in the rest, first
    z = {s.word: s.z for s in distinctive(focus, rest)}
    assert z["ultimatum"] > 2 * z["hapax"]


def test_the_reference_shrinks_words_common_everywhere() -> None:
    focus = BACKGROUND + Counter({"said": 10, "blockade": 10})
    rest = BACKGROUND.copy()
    z = {s.word: s.z for s in distinctive(focus, rest, {"said": 100_000, "blockade": 10})}
    assert z["blockade"] > 1 and z.get("said", 0.0) < z["blockade"] / 2


def test_equal_evidence_is_ordered_by_the_background() -> None:
    # one use each by the focus, none by the rest: the counts cannot tell them apart; the word the
    # language's background uses everywhere is the expected one, the one it never uses the choice
    focus = BACKGROUND + Counter({"start": 1, "blackmail": 1})
    words = [s.word for s in distinctive(focus, BACKGROUND.copy(), {"start": 400, "blackmail": 0})]
    assert words.index("blackmail") < words.index("start")


def test_term_prior_counts_documents_per_language() -> None:
    from crosswire.analyze import analyze
    from crosswire.analyze.term_prior import background, build, parse
    from crosswire.types import Analysis, Article

    corpus = [
        Analysis("a", "uk", None, terms=("переговори", "переговори", "шантаж")),
        Analysis("b", "uk", None, terms=("переговори",)),
        Analysis("c", "ru", None, terms=("переговоры",)),
    ]
    table = parse(json.loads(json.dumps(build(corpus))))
    assert table["uk"] == ({"peregovori": 2, "shantazh": 1}, 2)  # documents, not uses
    assert table["ru"] == ({"peregovori": 1}, 1)
    # the packaged table (WMT test sets): each language's everyday words are known to it
    for language, word in [("uk", "питання"), ("ru", "вопрос"), ("en", "government"), ("de", "Regierung")]:
        (lemma,) = analyze(Article("w", "t", None, word, language, None)).terms
        known, documents = background(language)
        assert documents > 100 and known[fold_term(lemma)] > 10, (language, word)
    assert background("xx") == ({}, 0)


def test_names_meet_across_scripts() -> None:
    from crosswire.analyze import analyze
    from crosswire.service.framing_words import name_keys
    from crosswire.types import Article

    texts = {
        "en": "Russia told NATO that the talks would go on.",
        "uk": "Росія заявила НАТО, що переговори триватимуть.",
        "ru": "Россия заявила НАТО, что переговоры продолжатся.",
    }
    analyses = [analyze(Article(lang, "t", None, text, lang, None)) for lang, text in texts.items()]
    group = name_keys(analyses)
    russia = {term for term, key in group.items() if key == "p:RU"}
    assert {"rosiya", "rossiya"} <= russia and any(term.startswith("russia") for term in russia)


def test_stopwords_never_count() -> None:
    from crosswire.analyze import analyze
    from crosswire.types import Article

    text = "The talks and the threats: the minister said that the talks would go on and on."
    terms = analyze(Article("a", "t", None, text, "en", None)).terms
    assert terms and not {"the", "and", "that", "on", "would"} & set(terms)


# --- outlets file ---------------------------------------------------------------------------


def test_outlets_file_joins_sites_and_parents() -> None:
    outlets = parse_outlets("\ufeffSite,Country,Owner,notes\nwww.BBC.co.uk,gb,BBC,\npravda.com.ua,UA,,\n")
    assert outlets["bbc.co.uk"].country == "GB" and outlets["bbc.co.uk"].owner == "BBC"
    assert outlet_of(outlets, "news.bbc.co.uk") is outlets["bbc.co.uk"]
    assert outlet_of(outlets, "https://www.pravda.com.ua/x") is None  # a URL is not a site
    assert outlet_of(outlets, "WWW.PRAVDA.COM.UA") is outlets["pravda.com.ua"]
    assert outlet_of(outlets, "uk") is None and outlet_of(outlets, None) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("site,rating\nx.com,5\n", "line 1: the header"),
        ("country\nUA\n", "line 1"),
        ("site,country\nx.com,UA\n<script>.com,UA\n", "line 3: site must be a host name"),
        ("site,country\nx.com,Ukraine\n", "line 2: country must be"),
        ("site,language\nx.com,ukrainian\n", "line 2: language must be"),
        ("site,notes\nx.com,a\u202eb\n", "line 2: notes holds a control"),
        ('site,notes\nx.com,"unclosed\n', "line"),
        ("site,country\nx.com,UA\nwww.x.com,UA\n", "line 3: x.com is listed already on line 2"),
        ("site\nx.com,extra,fields\n", "line 2: 3 fields"),
        ("site,owner\nx.com," + "o" * 2000 + "\n", "line 2: owner is longer"),
    ],
)
def test_a_malformed_outlets_file_is_an_error_with_its_line(text: str, message: str) -> None:
    with pytest.raises(OutletsFileError, match=message.replace("(", r"\(")):
        parse_outlets(text, "f.csv")


def test_hostile_values_stay_data() -> None:
    outlets = parse_outlets('site,owner,notes\nx.com,"<script>alert(1)</script>","=cmd|\' /C calc\'!A0"\n')
    assert outlets["x.com"].owner == "<script>alert(1)</script>"  # escaped where shown, never run


def test_a_huge_outlets_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as out:
        out.truncate(MAX_BYTES + 1)
    with pytest.raises(OutletsFileError, match="larger than"):
        read_outlets(big)
    many = "site\n" + "".join(f"s{i}.com\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(OutletsFileError, match=f"more than {MAX_ROWS}"):
        parse_outlets(many)
    (tmp_path / "latin1.csv").write_bytes(b"site,owner\nx.com,caf\xe9\n")
    with pytest.raises(OutletsFileError, match="line 2: not UTF-8"):
        read_outlets(tmp_path / "latin1.csv")
    with pytest.raises(OutletsFileError, match="cannot read"):
        read_outlets(tmp_path / "missing.csv")


def test_the_example_outlets_file_parses() -> None:
    assert read_outlets(SEEDS.parent / "docs" / "outlets.example.csv")


# --- the seeds' story -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("framing") / "store.db"
    assert run_cli("ingest", str(SEEDS), db=db).returncode == 0
    store = open_store(db, create=False)
    return db, store.story_ids()[0]


def _words(framing_json: dict[str, object], language: str) -> list[str]:
    outlets = framing_json["outlets"]
    assert isinstance(outlets, list)
    (side,) = [o for o in outlets if o["languages"][0]["language"] == language]
    return [w["word"] for w in side["distinctive_words"]]


def test_seeds_framing_compares_the_two_sides(seeded: tuple[Path, str]) -> None:
    db, story_id = seeded
    framing = story_framing(open_store(db, create=False), story_id)
    assert framing.articles == 2 and framing.undated == 2 and not framing.days
    assert {o.outlet for o in framing.outlets} == {"unknown site (uk)", "unknown site (ru)"}
    for side in framing.outlets:
        assert side.against == "all languages"  # one outlet per language: against the other
        assert [v.speaker for v in side.voices] == ["lvrv"]  # both carry Lavrov's voice only
        assert side.words and all(w.rest == 0 or w.count > w.rest for w in side.words)
    assert {lang for lang, _ in framing.headlines} == {"uk", "ru"}


def test_show_json_has_framing_with_the_russian_sides_businesslike(seeded: tuple[Path, str]) -> None:
    db, story_id = seeded
    result = run_cli("show", story_id, "--json", db=db)
    assert result.returncode == 0, result.stderr
    framing = json.loads(result.stdout)["framing"]
    assert {"headlines", "outlets", "timeline", "undated", "by_language", "by_country"} <= set(framing)
    assert "деловой" in _words(framing, "ru")  # 'деловая' (Lavrov on Washington's reply), lemmatized
    (ru,) = [o for o in framing["outlets"] if o["languages"][0]["language"] == "ru"]
    businesslike = next(w for w in ru["distinctive_words"] if w["word"] == "деловой")
    assert (businesslike["count"], businesslike["rest_count"]) == (2, 0)
    # kept on its evidence, not by the order of ties: the list ends with weaker words than it
    assert ru["distinctive_words"][-1]["z"] < businesslike["z"] - 0.1
    text = run_cli("show", story_id, db=db).stdout
    assert "how outlets covered it" in text and "stresses: " in text and "quotes: Лавров 100%" in text


def test_seeds_ukrainian_side_stresses_blackmail(seeded: tuple[Path, str]) -> None:
    db, story_id = seeded
    framing = json.loads(run_cli("show", story_id, "--json", db=db).stdout)["framing"]
    words = _words(framing, "uk")
    assert "шантаж" in words and "ультимативний" in words


def test_seeds_shared_content_cancels_and_generic_words_stay_out(seeded: tuple[Path, str]) -> None:
    db, story_id = seeded
    framing = story_framing(open_store(db, create=False), story_id)
    for side in framing.outlets:
        words = {w.word for w in side.words}
        assert not {"росія", "россия"} & words  # one place (p:RU) that both name: not either's word
        assert not {"почати", "питання", "говорить", "работа"} & words  # everyday words, once each


def test_show_with_outlets_file_errors_clearly(seeded: tuple[Path, str], tmp_path: Path) -> None:
    db, story_id = seeded
    bad = tmp_path / "outlets.csv"
    bad.write_text("site,country\nexample.com,Ukraine\n", encoding="utf-8")
    result = run_cli("show", story_id, "--outlets", str(bad), db=db)
    assert result.returncode != 0
    assert "line 2: country must be" in result.stderr and "Traceback" not in result.stderr
