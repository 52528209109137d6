"""The CLI contract on the seeds and on inputs written here: in this process through click's
runner (stdout and stderr are pipes, as for a script), and end to end in a process of its own."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, RU_SEED, UK_SEED, run_cli, run_cli_process
from rich.console import Console
from test_sources_warc import _mixed_records, write_warc

from crosswire.cli import progress, render
from crosswire.errors import StoreNotFound
from crosswire.service.sources import ingest_sources
from crosswire.settings import Settings
from crosswire.store import SQLiteStore

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
    # The timeline: one line per event. Undated, the seeds (Lavrov on the talks, weeks apart) are
    # one event only if they match as one happening (undated_event_threshold): with the encoder
    # they score 0.93, without it 0.82.
    timeline = shown.stdout.split("timeline:\n")[1].split("articles:\n")[0].strip().splitlines()
    assert "2 articles" in shown.stdout and len(timeline) == len(story["events"])


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
    assert mixed.returncode == 1 and mixed.stderr == "crosswire: 2 pairs could not be compared\n"
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


def test_a_date_filter_that_is_no_date_is_refused_not_an_empty_list(seeds: Path, db: Path) -> None:
    assert run_cli("ingest", str(seeds), "--db", str(db)).returncode == 0
    for command in (("stories",), ("search", "переговори")):
        for option, value in (("--since", "yesterday"), ("--until", "2022-02-30"), ("--since", "20")):
            done = run_cli(*command, option, value, "--db", str(db))
            assert done.returncode == 1 and f"{value!r} is no date" in done.stderr, done.stderr
    assert run_cli("stories", "--since", "2021-12", "--until", "2022", "--db", str(db)).returncode == 0


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


def test_end_to_end_in_processes_of_their_own(tmp_path: Path, db: Path) -> None:
    """The installed entry point as a user runs it: ingest, list (piped: TSV), and a failure."""
    done = run_cli_process("ingest", str(ROOT / "examples"), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("added 2, already present 0, rejected 0 -> 1 story touched in ")
    assert done.stderr.count("\n") == 1 and " articles/s" in done.stderr
    listed = run_cli_process("stories", db=db)
    assert listed.returncode == 0 and listed.stderr == "1 story\n"
    header, row = listed.stdout.splitlines()
    assert header.split("\t") == ["story", "title", "languages", "articles", "first_date", "last_date"]
    story_id, title, languages, articles, first, last = row.split("\t")
    assert story_id.startswith("s-") and title.startswith("Будет три раунда")
    assert (sorted(languages.split(",")), articles, first, last) == (["ru", "uk"], "2", "", "")
    missing = tmp_path / "no" / "such" / "dir" / "x.db"
    failed = run_cli_process("stories", "--db", str(missing))
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr == f"crosswire: no store at {missing} (`crosswire ingest` creates one)\n"
    assert not (tmp_path / "no").exists()


READERS = [
    ("stories",),
    ("show", "s-0000"),
    ("search", "talks"),
    ("export", "articles"),
    ("compare", "abc123", "def456"),
    ("eval", "clusters", "GOLD"),
    ("reclean",),
    ("recluster",),
    ("serve", "--port", "1"),
]


@pytest.mark.parametrize("args", READERS, ids=[" ".join(args[:2]) for args in READERS])
def test_commands_that_read_refuse_a_store_that_is_not_there(tmp_path: Path, args: tuple[str, ...]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "g", "texts": {"en": "Talks in Geneva on Monday.", "ru": "Переговоры в Женеве."}}\n')
    missing = tmp_path / "typo" / "store.db"
    command = [str(gold) if arg == "GOLD" else arg for arg in args]
    for given in (["--db", str(missing)], []):  # --db, and the store CROSSWIRE_DB names
        result = run_cli(*command, *given, db=None if given else missing)
        assert result.returncode == 1, (args, result.stdout)
        if args[0] == "compare":  # the argument may be a mistyped file as well as an id
            assert result.stderr.startswith(f"crosswire: missing: abc123: no such file, and no store at {missing}")
        else:
            assert result.stderr.startswith(f"crosswire: no store at {missing} (`crosswire ingest` creates one")
        assert result.stderr.count("\n") == 1 and result.stdout == ""
        assert not (tmp_path / "typo").exists()


def test_commands_that_write_create_the_store(tmp_path: Path) -> None:
    store = tmp_path / "new" / "store.db"
    assert run_cli("ingest", str(UK_SEED), "--db", str(store)).returncode == 0
    assert store.is_file()
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "g", "texts": {"en": "Talks in Geneva on Monday.", "ru": "Переговоры в Женеве."}}\n')
    other = tmp_path / "other" / "store.db"
    scored = run_cli("eval", "clusters", str(gold), "--ingest", "--json", "--db", str(other))
    assert scored.returncode == 0, scored.stderr
    assert other.is_file() and json.loads(scored.stdout)["gold_items"] == 2


def test_a_store_opened_for_reading_is_never_created(tmp_path: Path) -> None:
    with pytest.raises(StoreNotFound, match="no store at"):
        SQLiteStore(tmp_path / "a" / "b.db", create=False)
    assert not (tmp_path / "a").exists()
    SQLiteStore(tmp_path / "a" / "b.db").close()
    SQLiteStore(tmp_path / "a" / "b.db", create=False).close()


def test_piped_output_is_never_wrapped(tmp_path: Path) -> None:
    deep = tmp_path / ("a-folder-with-a-long-name-" * 4)
    (deep / "in").mkdir(parents=True)
    title = "Delegations of the United States and Russia met in Geneva " * 3
    text = "The delegations met in Geneva on Monday to discuss security guarantees and NATO enlargement. " * 3
    (deep / "in" / "talks.json").write_text(json.dumps({"title": title.strip(), "text": text}), encoding="utf-8")
    (deep / "in" / "bad.txt").write_bytes(b"\x00\x01" * 100)
    db = deep / "store.db"
    done = run_cli("ingest", str(deep / "in"), db=db)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith("added 1, already present 0, rejected 1 -> 1 story touched in ") and str(db) in lines[0]
    assert len(lines) == 3 and lines[1] == "  rejected 1 as binary"
    assert lines[2].startswith(f"  {deep / 'in' / 'bad.txt'}: binary")
    listed = run_cli("stories", db=db)
    assert listed.stdout.splitlines()[1].split("\t")[1] == title.strip()  # whole, on one line
    assert listed.stderr == "1 story\n"
    shown = run_cli("show", listed.stdout.splitlines()[1].split("\t")[0], db=db)
    assert title.strip() in shown.stdout.splitlines()[0]


def test_the_stories_table_on_a_terminal_cuts_titles_instead_of_wrapping(db: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run_cli("ingest", str(UK_SEED), str(RU_SEED), db=db)
    from crosswire import service

    found = service.stories(SQLiteStore(db, create=False), with_articles=False, with_timeline=False)
    screen = io.StringIO()
    terminal = Console(file=screen, force_terminal=True, color_system=None, width=70, soft_wrap=True)
    monkeypatch.setattr(render, "out", terminal)
    render.print_stories(found)
    lines = screen.getvalue().splitlines()
    assert len(lines) == 6 and "…" in lines[3] and found[0].id in lines[3]  # box, header, box, row, box, count
    assert all(len(line) <= 70 for line in lines[:5])


def test_counts_take_the_right_plural() -> None:
    assert [render.plural(n, "story") for n in (0, 1, 2)] == ["0 stories", "1 story", "2 stories"]
    assert [render.plural(n, "article") for n in (1, 5)] == ["1 article", "5 articles"]
    assert render.plural(2, "day") == "2 days" and render.plural(1, "matching story") == "1 matching story"


def test_the_progress_total_is_what_ingest_reports(tmp_path: Path) -> None:
    """The bar's total, counted beside the ingest, matches the items the ingest reports: files,
    JSON Lines lines, JSON lists, web archive pages and rejections alike."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Talks in Geneva\n\nThe delegations met in Geneva on Monday to talk security.\n")
    (folder / "b.html").write_text("<html><body></body></html>")
    lines = [json.dumps({"text": f"Story number {i} about the port strike in Lisbon on Monday."}) for i in range(3)]
    (folder / "sub" / "c.jsonl").write_text("\n".join([*lines, "", "not json"]) + "\n")
    (folder / "d.json").write_text(json.dumps([{"text": "Snow closed the pass."}, {"html": "<p>Rain.</p>"}]))
    (folder / "e.odt").write_text("x")
    write_warc(folder / "sub" / "f.warc.gz", _mixed_records())
    inputs = [str(folder), str(tmp_path / "missing.txt")]
    assert progress.count_items(inputs) == 1 + 1 + 4 + 2 + 1 + 3 + 1
    reported: list[int] = []
    store = SQLiteStore(tmp_path / "s.db")
    ingest_sources(store, inputs, Settings(db=str(tmp_path / "s.db"), workers=0), on_item=reported.append)
    assert sum(reported) == progress.count_items(inputs)
    assert progress.count_items([*inputs, "https://example.org/feed.xml"]) is None  # feed entries: unknown


def test_the_progress_bar_shows_total_rate_and_time_left(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    screen = io.StringIO()
    monkeypatch.setattr(render, "err", Console(file=screen, force_terminal=True, width=120))
    with progress.meter("ingesting", "article") as meter:
        assert meter.shown
        meter(3)
        unknown = _rendered(meter)
        meter.set_total(12)  # rich starts measuring the rate again
        meter(1)
        meter(2)
        known = _rendered(meter)
    assert "3 articles" in unknown and "left" not in unknown
    assert "6/12 articles" in known and "left" in known and "/s" in known
    assert meter.summary().startswith("6 articles in ") and meter.summary().endswith(" articles/s")


def _rendered(meter: progress.Meter) -> str:
    out = io.StringIO()
    Console(file=out, width=120).print(meter._bar.make_tasks_table(meter._bar.tasks))
    return out.getvalue()


def test_help_and_errors_do_not_wait_for_the_pipeline() -> None:
    """`crosswire --help` imports the CLI only: no extractor, analyser, numpy or web stack."""
    code = "import sys, crosswire.cli.main; print(' '.join(sorted(sys.modules)))"
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(imported.stdout.split())
    heavy = {"numpy", "trafilatura", "lingua", "fastapi", "uvicorn", "torch", "pymorphy3", "crosswire.store"}
    heavy |= {"crosswire.analyze", "crosswire.clean", "crosswire.service.ingest", "crosswire.settings"}
    assert not loaded & heavy
    shown = run_cli_process("--help")
    assert shown.returncode == 0 and "Usage: crosswire" in shown.stdout


def test_the_service_names_its_use_cases_whatever_loaded_first() -> None:
    """crosswire.service imports on first use; `ingest`, `search` and `stories` are also modules
    of the package, and stay the functions whichever loads first (a fresh interpreter)."""
    code = """
import sys, inspect
import crosswire.service.sources  # loads the modules ingest, search and stories first
from crosswire import service
assert all(inspect.isfunction(getattr(service, n)) for n in ("ingest", "search", "stories")), "module won"
from crosswire.service import ingest, stories
assert inspect.isfunction(ingest) and inspect.isfunction(stories)
assert sorted(service.__all__) == sorted(service._HOME) and all(getattr(service, n) for n in service.__all__)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_reader_that_stops_early_ends_the_output_quietly(tmp_path: Path) -> None:
    """`crosswire clean ... --json | head -c 100`: the reader closes the pipe while the CLI still
    writes; it stops with SIGPIPE's status and no 'internal error' on stderr."""
    paragraph = "The delegation met in Geneva on Monday to discuss the security guarantees. " * 8
    big = tmp_path / "long.txt"
    big.write_text("A long report on the talks\n\n" + "\n\n".join([paragraph] * 400), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    with subprocess.Popen(
        [sys.executable, "-m", "crosswire", "clean", str(big), str(big), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(100).startswith(b"{")
        process.stdout.close()
        errors = process.stderr.read().decode()
        assert process.wait(timeout=120) == 141, errors
    assert "internal error" not in errors and "Traceback" not in errors and "Exception ignored" not in errors
