"""Evaluation commands: metrics, the CSV and JSON Lines readers, and the figures computed from
known scores (a scorer stands in for crosswire's, so these hold whatever the similarity does)."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from crosswire.errors import CrosswireError, InputError
from crosswire.evaluate import (
    Direction,
    evaluate_pairs,
    evaluate_retrieval,
    pearson,
    rank_of,
    read_documents,
    read_pairs,
)
from crosswire.evaluate.retrieval import choose_directions
from crosswire.types import RawDocument, Rejection, Representation

# -- metrics --------------------------------------------------------------------------------


def test_pearson_matches_the_formula_and_numpy() -> None:
    xs, ys = [0.9, 0.2, 0.5, 0.7, 0.1], [-1.0, -4.0, -2.5, -2.0, -3.0]
    mx, my = sum(xs) / 5, sum(ys) / 5
    cov = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    by_hand = cov / math.sqrt(sum((x - mx) ** 2 for x in xs) * sum((y - my) ** 2 for y in ys))
    assert pearson(xs, ys) == pytest.approx(by_hand)
    assert pearson(xs, ys) == pytest.approx(float(np.corrcoef(xs, ys)[0, 1]))
    assert pearson([1, 2], [2, 1]) is None  # too few points
    assert pearson([0.5, 0.5, 0.5], [1, 2, 3]) is None  # a constant side


def test_rank_counts_ties_against_the_true_item() -> None:
    assert rank_of([0.9, 0.1, 0.3], 0) == 1
    assert rank_of([0.2, 0.5, 0.3], 0) == 3
    assert rank_of([0.4, 0.4, 0.1], 0) == 2
    assert rank_of([0.0, 0.0, 0.0], 1) == 3  # a scorer that cannot tell gets no credit


# -- pairs ------------------------------------------------------------------------------------
HEADER = ["Unnamed: 0", "pair_id", "lang1", "lang2", "text1", "text2", "Geography", "Overall", "Tone"]
# pair_id, lang1, lang2, text1 (the fake scorer's score), Overall
ROWS = [
    ("111_222", "de", "en", "0.90", 1.0),
    ("333_444", "de", "en", "0.20", 4.0),
    ("555_666", "de", "en", "0.60", 2.0),
    ("777_888", "en", "en", "0.30", 3.6666666666666665),
    ("999_123", "en", "en", "0.70", 1.5),
    ("1484039360it_1484180228it", "it", "it", "0.10", 1.0),  # machine-translated copy
]


def _csv(path: Path, header: Sequence[str] = HEADER, rows: Iterable[Sequence[Any]] | None = None) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, (pair_id, lang1, lang2, score, overall) in enumerate(ROWS if rows is None else rows):
            record = {
                "Unnamed: 0": number,
                "pair_id": pair_id,
                "lang1": lang1,
                "lang2": lang2,
                "text1": score,
                "text2": 'a long\n"quoted", multi-line text',
                "Geography": 1.0,
                "Overall": overall,
                "Tone": 2.0,
            }
            writer.writerow([record[name] for name in header])
    return path


def _fake_compare(lines: Iterable[str]) -> list[dict[str, Any]]:
    """`compare_pairs`' contract, with text1 as the score."""
    results = []
    for line in lines:
        item = json.loads(line)
        assert item["b"]["text"].startswith("a long") and item["a"]["language"]
        results.append({"id": item["id"], "score": float(item["a"]["text"]), "level": 1})
    return results


def _r(rows: Sequence[tuple[Any, ...]]) -> float:
    return float(np.corrcoef([float(r[3]) for r in rows], [-r[4] for r in rows])[0, 1])


def test_pairs_pearson_native_all_and_per_language_pair(tmp_path: Path) -> None:
    report = evaluate_pairs(_csv(tmp_path / "pairs.csv"), _fake_compare)
    native, everything = report.subsets["native"], report.subsets["all"]
    assert (report.rows, report.scored) == (6, 6)
    assert native["overall"].n == 5 and native["overall"].pearson == pytest.approx(_r(ROWS[:5]))
    assert everything["overall"].n == 6 and everything["overall"].pearson == pytest.approx(_r(ROWS))
    assert native["de-en"].n == 3 and native["de-en"].pearson == pytest.approx(_r(ROWS[:3]))
    assert native["en-en"].n == 2 and native["en-en"].pearson is None  # undefined on two points
    assert "it-it" not in native and everything["it-it"].n == 1
    # Higher score for more similar pairs (lower Overall) gives a positive r.
    assert native["de-en"].pearson is not None and native["de-en"].pearson > 0.9


def test_pairs_native_only_and_limit(tmp_path: Path) -> None:
    path = _csv(tmp_path / "pairs.csv")
    only = evaluate_pairs(path, _fake_compare, native_only=True)
    assert set(only.subsets) == {"native"} and only.rows == 5
    assert [row.pair_id for row in read_pairs(path, limit=2)[0]] == ["111_222", "333_444"]
    assert len(read_pairs(path, native_only=True, limit=10)[0]) == 5


def test_pairs_failures_are_counted_not_fatal(tmp_path: Path) -> None:
    rows = [*ROWS[:4], ("5_6", "en", "en", "0.5", "n/a")]
    path = _csv(tmp_path / "pairs.csv", rows=rows)

    def scorer(lines: Iterable[str]) -> list[dict[str, Any]]:
        out = _fake_compare(lines)
        out[0] = {"id": out[0]["id"], "error": "empty: a"}
        return out

    report = evaluate_pairs(path, scorer)
    assert report.skipped == {"bad-overall": 1} and report.failed == {"empty": 1}
    assert report.subsets["all"]["overall"].n == 3


def test_pairs_missing_columns_is_a_clear_error(tmp_path: Path) -> None:
    path = _csv(tmp_path / "pairs.csv", header=[name for name in HEADER if name not in ("Overall", "text2")])
    with pytest.raises(InputError, match=r"missing column.*text2, Overall"):
        read_pairs(path)
    with pytest.raises(InputError, match="no such file"):
        read_pairs(tmp_path / "absent.csv")


# -- retrieval --------------------------------------------------------------------------------
EN = {"d1": "Floods in the north.", "d2": "The central bank raised rates.", "d3": "A cup final won 3-1."}
RU = {"d1": "Наводнения на севере.", "d2": "Центробанк повысил ставку.", "d3": "Финал кубка 3:1."}
DOMAINS = {"d1": "news", "d2": "news", "d3": "social"}
# Fake similarities (query ru doc, candidate en doc): d2's own translation comes second, after d3's.
SCORES = {
    ("d1", "d1"): 0.9,
    ("d1", "d2"): 0.1,
    ("d1", "d3"): 0.2,
    ("d2", "d1"): 0.1,
    ("d2", "d2"): 0.5,
    ("d2", "d3"): 0.6,
    ("d3", "d1"): 0.0,
    ("d3", "d2"): 0.3,
    ("d3", "d3"): 0.8,
}


def _generic(doc: str) -> dict[str, Any]:
    return {"id": doc, "domain": DOMAINS[doc], "texts": {"ru": RU[doc], "en": [EN[doc], "Second paragraph."]}}


def _wmt22(doc: str) -> dict[str, Any]:
    return {
        "doc_id": doc,
        "origlang": "ru",
        "domain": DOMAINS[doc],
        "src_lang": "ru",
        "src_segs": [RU[doc]],
        "ref_en_A": [EN[doc]],
        "ref_en_B": ["another translation"],
    }


def _wmt24(doc: str) -> dict[str, Any]:
    return {"doc_id": doc, "domain": DOMAINS[doc], "en": [EN[doc]], "ru": [RU[doc]]}


def _jsonl(path: Path, objects: Iterable[Any]) -> Path:
    path.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n", encoding="utf-8")
    return path


def _doc_of(rep: Representation) -> str:
    return rep.article_id.split("/")[0]


def _fake_represent(raws: Sequence[RawDocument]) -> list[Representation | Rejection]:
    return [Representation(raw.source, raw.language, None) for raw in raws]


def _fake_score(query: Representation, candidate: Representation) -> float:
    return SCORES[_doc_of(query), _doc_of(candidate)]


@pytest.mark.parametrize("shape", [_generic, _wmt22, _wmt24])
def test_retrieval_p_at_1_and_mrr_in_each_shape(tmp_path: Path, shape: Any) -> None:
    path = _jsonl(tmp_path / "docs.jsonl", [shape(doc) for doc in ("d1", "d2", "d3")])
    documents, skipped = read_documents(path)
    assert not skipped and [d.id for d in documents] == ["d1", "d2", "d3"]
    assert documents[0].texts["ru"] == RU["d1"] and documents[0].texts["en"].startswith(EN["d1"])
    report = evaluate_retrieval(path, _fake_represent, score=_fake_score)
    (result,) = report.results
    assert result.direction == Direction("ru", "en") and result.candidates == 3
    assert result.overall.n == 3 and result.overall.hits == 2
    assert result.overall.p_at_1 == pytest.approx(2 / 3)
    assert result.overall.mrr == pytest.approx((1 + 1 / 2 + 1) / 3)
    news, social = result.domains["news"], result.domains["social"]
    assert (news.n, news.p_at_1, news.mrr) == (2, 0.5, 0.75)
    assert (social.n, social.p_at_1, social.mrr) == (1, 1.0, 1.0)


def test_retrieval_wmt22_reads_ref_a_and_drops_a_domain_that_is_the_id(tmp_path: Path) -> None:
    doc = {**_wmt22("d1"), "domain": "d1"}
    documents, _ = read_documents(_jsonl(tmp_path / "docs.jsonl", [doc]))
    assert documents[0].texts == {"ru": RU["d1"], "en": EN["d1"]} and documents[0].domain is None


def test_retrieval_skips_bad_lines_and_documents_missing_a_language(tmp_path: Path) -> None:
    lines = [
        _wmt24("d1"),
        _wmt24("d2"),
        _wmt24("d3"),
        {**_wmt24("d3")},
        {"domain": "x", "en": ["no id"]},
        {"id": "e", "texts": {}},
        [1, 2],
        {"doc_id": "d4", "domain": "news", "en": ["Only English."]},
    ]
    path = _jsonl(tmp_path / "docs.jsonl", lines)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    documents, skipped = read_documents(path)
    assert [d.id for d in documents] == ["d1", "d2", "d3", "d4"]
    assert skipped == {"duplicate-id": 1, "no-id": 1, "no-texts": 1, "not-an-object": 1, "bad-json": 1}
    (result,) = evaluate_retrieval(path, _fake_represent, score=_fake_score).results
    assert result.candidates == 3 and result.left_out == {"missing-language": 1}


def test_retrieval_leaves_out_texts_that_cannot_be_cleaned(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "docs.jsonl", [_wmt24(doc) for doc in ("d1", "d2", "d3")])

    def represent(raws: Sequence[RawDocument]) -> list[Representation | Rejection]:
        return [
            Rejection(raw.source, "empty") if raw.source == "d3/en" else Representation(raw.source, None, None)
            for raw in raws
        ]

    report = evaluate_retrieval(path, represent, score=_fake_score)
    (result,) = report.results
    assert report.rejected == {"empty": 1} and result.left_out == {"not-cleaned": 1}
    # Without d3 in the pool, d2 finds its own translation first.
    assert (result.overall.n, result.overall.p_at_1, result.overall.mrr) == (2, 1.0, 1.0)


def test_directions(tmp_path: Path) -> None:
    three = [
        read_documents(_jsonl(tmp_path / "a.jsonl", [{"id": "x", "texts": {"ru": "a", "en": "b", "de": "c"}}]))[0][0]
    ]
    names = [d.name for d in choose_directions(three)]
    assert names == ["de-en", "ru-en"]
    assert len(choose_directions(three, all_pairs=True)) == 6
    assert [d.name for d in choose_directions(three, [Direction.parse("EN-ru")])] == ["en-ru"]
    no_english = [read_documents(_jsonl(tmp_path / "b.jsonl", [{"id": "x", "texts": {"cs": "a", "uk": "b"}}]))[0][0]]
    assert [d.name for d in choose_directions(no_english)] == ["cs-uk", "uk-cs"]
    with pytest.raises(CrosswireError, match="fr-en: no document has both"):
        choose_directions(three, [Direction("fr", "en")])
    for bad in ("ru", "ru-ru", "ru-en-de", "r1-en"):
        with pytest.raises(CrosswireError, match="bad language pair"):
            Direction.parse(bad)
    with pytest.raises(CrosswireError, match="two or more languages"):
        choose_directions([read_documents(_jsonl(tmp_path / "c.jsonl", [{"id": "x", "texts": {"en": "a"}}]))[0][0]])
