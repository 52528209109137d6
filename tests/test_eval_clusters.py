"""B-cubed scoring of stored clusters against gold groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from crosswire.evaluate.clusters import bcubed, gold_items
from crosswire.store import SQLiteStore


def test_bcubed_by_hand() -> None:
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    # Clusters {a, b}, {c, d, e}: precision (1 + 1 + 1/3 + 2/3 + 2/3) / 5, recall (2/3 + 2/3 + 1/3 + 1 + 1) / 5.
    score = bcubed(gold, {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y", "distractor": "y"})
    assert score is not None and score.items == 5
    assert score.precision == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert score.f1 == pytest.approx(2 * score.precision * score.recall / (score.precision + score.recall))
    perfect = bcubed(gold, {item: group for item, group in gold.items()})
    assert perfect is not None and perfect.f1 == 1.0
    assert bcubed(gold, {}) is None


def test_gold_items_skip_texts_shared_by_two_groups(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(d)
            for d in [
                {"id": "g1", "texts": {"en": "Talks in Geneva.", "de": "Gespräche in Genf."}},
                {"id": "g2", "texts": {"en": "Talks in Geneva.", "ru": "Переговоры в Женеве."}},
            ]
        )
    )
    items, skipped = gold_items(path)
    assert sorted((i.group, i.raw.language) for i in items) == [("g1", "de"), ("g2", "ru")]
    assert skipped["ambiguous-text"] == 2


def test_eval_clusters_cli_ingests_gold_beside_distractors(tmp_path: Path, db: Path) -> None:
    geneva = (
        "The delegations of the United States and Russia met in Geneva on Monday to discuss security "
        "guarantees, NATO enlargement and the deployment of missiles in Europe, officials said."
    )
    geneva_ru = (
        "Делегации США и России встретились в понедельник в Женеве, чтобы обсудить гарантии "
        "безопасности, расширение НАТО и размещение ракет в Европе, сообщили официальные лица."
    )
    flood = (
        "Floods in the Carpathians destroyed three bridges and cut off two villages in western Ukraine "
        "on Tuesday, rescuers said, as heavy rain continued for a third day."
    )
    flood_uk = (
        "Повінь у Карпатах у вівторок зруйнувала три мости та відрізала два села на заході України, "
        "повідомили рятувальники; сильні дощі тривають третю добу."
    )
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "\n".join(
            json.dumps(d, ensure_ascii=False)
            for d in [
                {"id": "geneva", "texts": {"en": geneva, "ru": geneva_ru}},
                {"id": "flood", "texts": {"en": flood, "uk": flood_uk}},
            ]
        )
    )
    refused = run_cli("eval", "clusters", str(gold), "--json", db=db)  # reading a store that is not there
    assert refused.returncode == 1 and refused.stderr.startswith(f"crosswire: no store at {db}")
    SQLiteStore(db).close()
    missing = run_cli("eval", "clusters", str(gold), "--json", db=db)
    assert missing.returncode == 0, missing.stderr
    assert json.loads(missing.stdout)["missing"] == 4
    result = run_cli("eval", "clusters", str(gold), "--ingest", "--json", db=db)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["gold_items"] == 4 and report["groups"] == 2 and report["missing"] == 0
    stories = report["stories"]
    assert stories["items"] == 4 and 0 < stories["precision"] <= 1 and 0 < stories["recall"] <= 1
    # Unrelated groups never share a story here, so story precision is perfect.
    assert stories["precision"] == 1.0
