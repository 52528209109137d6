"""`crosswire eval` through a subprocess on inputs written here, and on bad input; the service it
calls on a sample of ../shared. The real pipeline runs, so only the shape and the bounds of the
figures are checked (the similarity is tuned elsewhere)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SHARED, require_shared, run_cli

from crosswire import service
from crosswire.cli import render
from crosswire.settings import Settings

PAIRS_DEV = SHARED / "data" / "semeval2022-task8" / "pairs-dev.csv"
WMT24 = SHARED / "data" / "wmt" / "wmttest2024.en-xx.docs.jsonl"

DOCS = [
    {
        "id": "kyiv",
        "domain": "news",
        "texts": {
            "en": "Ukrainian President Volodymyr Zelensky met Polish President Andrzej Duda in Kyiv on Tuesday to "
            "discuss grain exports through Poland.",
            "ru": "Президент Украины Владимир Зеленский во вторник встретился в Киеве с президентом Польши Анджеем "
            "Дудой, чтобы обсудить экспорт зерна через Польшу.",
        },
    },
    {
        "id": "cup",
        "domain": "sport",
        "texts": {
            "en": "Manchester City beat Liverpool 3-1 in the FA Cup semi-final at Wembley on Saturday.",
            "ru": "«Манчестер Сити» в субботу обыграл «Ливерпуль» со счётом 3:1 в полуфинале Кубка Англии на «Уэмбли».",
        },
    },
    {
        "id": "rates",
        "domain": "news",
        "texts": {
            "en": "The European Central Bank raised interest rates by 0.25 percentage points in Frankfurt.",
            "ru": ["Европейский центральный банк во Франкфурте повысил процентные ставки на 0,25 процентного пункта."],
        },
    },
]


def _ranked(entry: dict) -> None:  # type: ignore[type-arg]
    assert 0 <= entry["p_at_1"] <= entry["mrr"] <= 1 and entry["mrr"] >= 1 / entry["n"] - 1e-9


def test_eval_retrieval_cli(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS), encoding="utf-8")
    result = run_cli("eval", "retrieval", str(path), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["documents"] == 3 and out["languages"] == {"en": 3, "ru": 3}
    (pair,) = out["pairs"]
    assert (pair["pair"], pair["n"]) == ("ru-en", 3)
    _ranked(pair)
    assert {d["domain"]: d["n"] for d in pair["domains"]} == {"news": 2, "sport": 1}
    table = run_cli("eval", "retrieval", str(path), "--pairs", "en-ru")
    assert table.returncode == 0, table.stderr
    assert "en-ru" in table.stdout and "P@1" in table.stdout and "MRR" in table.stdout


def test_eval_errors_are_one_line(tmp_path: Path) -> None:
    bad_csv = tmp_path / "pairs.csv"
    bad_csv.write_text("pair_id,lang1,lang2,text1,text2\n1_2,en,en,a,b\n", encoding="utf-8")
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps(DOCS[0], ensure_ascii=False) + "\n", encoding="utf-8")
    for args, message in [
        (("eval", "pairs", str(bad_csv)), "missing column(s) Overall"),
        (("eval", "retrieval", str(docs), "--pairs", "de-en"), "de-en: no document has both languages"),
        (("eval", "retrieval", str(docs), "--pairs", "ru-en", "--all-pairs"), "not both"),
    ]:
        result = run_cli(*args)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stderr.startswith("crosswire: ") and message in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_eval_on_shared_samples(tmp_path: Path) -> None:
    """In this process (models loaded once for the suite), through the service the CLI calls."""
    settings = Settings(workers=0)
    pairs = service.evaluate_pairs(require_shared(PAIRS_DEV), settings, limit=30)
    assert (pairs.rows, pairs.scored) == (30, 30) and pairs.subsets["all"]["overall"].n == 30
    overall = pairs.subsets["all"]["overall"].pearson
    assert overall is not None and -1 <= overall <= 1 and pairs.subsets["native"]["overall"].n <= 30
    sample = tmp_path / "wmt24.jsonl"
    with require_shared(WMT24).open(encoding="utf-8") as handle:
        sample.write_text("".join(line for _, line in zip(range(20), handle, strict=False)), encoding="utf-8")
    found = render.retrieval_report_json(service.evaluate_retrieval(sample, settings, pairs=["ru-en", "de-en"]))
    assert [p["pair"] for p in found["pairs"]] == ["ru-en", "de-en"]
    for pair in found["pairs"]:
        assert pair["n"] == 20 and sum(d["n"] for d in pair["domains"]) == 20
        _ranked(pair)
