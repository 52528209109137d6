"""The CLI contract, through a subprocess, on the seeds and on inputs written here."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RU_SEED, UK_SEED, run_cli

CONTRACT = {"id", "source", "title", "text", "language", "published", "site", "author", "removed"}


def _lines(stdout: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def test_clean_json_accounts_for_every_line(seeds: Path) -> None:
    result = run_cli("clean", str(UK_SEED), str(RU_SEED), "--json")
    assert result.returncode == 0, result.stderr
    uk, ru = _lines(result.stdout)
    assert set(uk) >= CONTRACT and set(ru) >= CONTRACT
    assert (uk["language"], ru["language"]) == ("uk", "ru")
    assert uk["published"] is None and ru["published"] is None
    assert ru["title"].startswith("Будет три раунда")
    for article, path in ((uk, UK_SEED), (ru, RU_SEED)):
        accounted = set(article["text"].split("\n\n")) | {r["text"] for r in article["removed"]} | {article["title"]}
        for line in path.read_text(encoding="utf-8").splitlines():
            assert not line.strip() or line.strip() in accounted, line


def test_ingest_then_stories_puts_the_seeds_in_one_story(seeds: Path, db: Path) -> None:
    first = run_cli("ingest", str(seeds), db=db)
    assert first.returncode == 0, first.stderr
    assert "added 2" in first.stderr
    found = _lines(run_cli("stories", "--json", db=db).stdout)
    assert len(found) == 1
    story = found[0]
    assert {"id", "title", "languages", "first_date", "last_date", "articles", "events"} <= set(story)
    assert sorted(story["languages"]) == ["ru", "uk"]
    assert {Path(a["source"]).name for a in story["articles"]} == {UK_SEED.name, RU_SEED.name}
    assert sorted(i for e in story["events"] for i in e["article_ids"]) == sorted(a["id"] for a in story["articles"])
    # Ingesting the same input again changes nothing.
    again = run_cli("ingest", str(seeds), db=db)
    assert again.returncode == 0 and "added 0, already present 2" in again.stderr
    assert _lines(run_cli("stories", "--json", db=db).stdout) == found
    shown = run_cli("show", story["id"], db=db)
    assert shown.returncode == 0 and "Будет три раунда" in shown.stdout and "uk" in shown.stdout
    table = run_cli("stories", db=db)
    assert table.returncode == 0 and story["id"] in table.stdout


def test_compare_the_seeds(seeds: Path, db: Path) -> None:
    result = run_cli("compare", str(UK_SEED), str(RU_SEED), "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert 0 <= out["score"] <= 1 and out["level"] <= 2
    keys = " ".join(r["key"].lower() for r in out["reasons"])
    for name in ("lavrov", "nato", "us", "osce"):
        assert name in keys, (name, keys)
    # Stored ids work as well as files.
    run_cli("ingest", str(seeds), db=db)
    ids = [a["id"] for a in _lines(run_cli("stories", "--json", db=db).stdout)[0]["articles"]]
    by_id = run_cli("compare", ids[0][:8], ids[1], "--json", db=db)
    assert by_id.returncode == 0, by_id.stderr
    assert json.loads(by_id.stdout)["score"] == out["score"]


def test_compare_pairs_keeps_input_order(seeds: Path, tmp_path: Path) -> None:
    uk, ru = UK_SEED.read_text(encoding="utf-8"), RU_SEED.read_text(encoding="utf-8")
    football = "The home side won the cup final 3-1 on Saturday after two late goals in Manchester."
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(
        "\n".join(
            json.dumps(p, ensure_ascii=False)
            for p in [
                {"id": "same-story", "a": {"text": uk}, "b": {"text": ru, "language": "ru"}},
                {"id": "unrelated", "a": {"text": uk}, "b": {"text": football}},
                {
                    "id": 7,
                    "a": {"html": f"<html><body><article><p>{ru}</p></article></body></html>"},
                    "b": {"text": ru},
                },
            ]
        ),
        encoding="utf-8",
    )
    result = run_cli("compare", "--pairs", str(pairs), "--json")
    assert result.returncode == 0, result.stderr
    out = _lines(result.stdout)
    assert [o["id"] for o in out] == ["same-story", "unrelated", 7]
    assert out[0]["score"] > out[1]["score"] and out[1]["level"] >= 3
    assert out[2]["level"] == 1
    # A bad pair is reported in its place; the others are still scored.
    with pairs.open("a", encoding="utf-8") as handle:
        handle.write("\n" + json.dumps({"id": "blank", "a": {"text": "  "}, "b": {"text": ru}}) + "\nnot json\n")
    mixed = run_cli("compare", "--pairs", str(pairs), "--json")
    assert mixed.returncode == 1 and "2 pair(s) could not be compared" in mixed.stderr
    out = _lines(mixed.stdout)
    assert [o["id"] for o in out] == ["same-story", "unrelated", 7, "blank", 5]
    assert out[3]["error"].startswith("empty: a") and out[4]["error"].startswith("bad-json")


def test_errors_are_one_line_with_a_non_zero_exit(tmp_path: Path, db: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n\n")
    odd = tmp_path / "notes.odt"
    odd.write_text("x")
    for path, reason in (
        (tmp_path / "missing.txt", "missing"),
        (binary, "binary"),
        (empty, "empty"),
        (odd, "unknown-format"),
    ):
        result = run_cli("clean", str(path), "--json")
        assert result.returncode != 0
        assert result.stderr.count("\n") == 1 and str(path) in result.stderr and reason in result.stderr
        assert "Traceback" not in result.stderr
    compared = run_cli("compare", str(binary), str(empty))
    assert compared.returncode != 0 and "Traceback" not in compared.stderr and compared.stderr.count("\n") == 1


def test_ingest_reports_bad_files_and_keeps_the_rest(tmp_path: Path, db: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Talks in Geneva\n\nThe delegations of the United States and Russia met in "
        "Geneva on Monday to discuss security guarantees and NATO enlargement.\n"
    )
    (folder / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "empty.html").write_text("<html><body></body></html>")
    result = run_cli("ingest", str(folder), db=db)
    assert result.returncode == 1
    assert "added 1" in result.stderr and "binary" in result.stderr and "empty" in result.stderr
    assert "Traceback" not in result.stderr
    stories = _lines(run_cli("stories", "--json", db=db).stdout)
    assert [s["articles"][0]["title"] for s in stories] == ["Talks in Geneva"]


def test_debug_shows_tracebacks(tmp_path: Path) -> None:
    result = run_cli("--debug", "compare", "--pairs", str(tmp_path / "nope.jsonl"))
    assert result.returncode != 0 and "Traceback" in result.stderr
