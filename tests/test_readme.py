"""The README's promises: its opening says what crosswire is and gives the two set-up commands,
and those commands work as written; every command and option of the CLI is documented, and
its help reads as sentences."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli


def _commands() -> list[str]:
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    return re.findall(r"^\s*(make \w+)\s*$", head, re.MULTILINE)


def test_readme_opens_with_the_two_setup_commands() -> None:
    assert _commands() == ["make demo", "make test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make install-check" in ci  # and the package as `pip install` gives it


def test_make_demo_ingests_the_examples_and_prints_one_story(tmp_path: Path) -> None:
    env = {**os.environ, "CROSSWIRE_DB": str(tmp_path / "demo.db"), "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        ["make", "--no-print-directory", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "added 2" in result.stderr
    assert "1 story\n" in result.stderr  # stdout is a pipe here: the stories as TSV, the count on stderr
    header, row = result.stdout.splitlines()[-2:]
    assert header.startswith("story\ttitle\tlanguages")
    assert row.split("\t")[2] in ("ru,uk", "uk,ru")


# Typer builds click commands (its own copy of click in recent versions): walked by their attributes.
def _commands_of(group: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands_of(command, (*prefix, name))


def _cli() -> list[tuple[tuple[str, ...], Any]]:
    import typer

    from crosswire.cli.main import app

    return list(_commands_of(typer.main.get_command(app)))


def _docs() -> str:
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_every_command_and_option_is_documented() -> None:
    docs = _docs()
    commands = _cli()
    assert {" ".join(path) for path, _ in commands} >= {"ingest", "stories", "serve", "eval", "eval clusters"}
    for path, command in commands:
        if hasattr(command, "commands"):
            continue
        name = " ".join(path)
        usage = "\n".join(line for line in docs.splitlines() if f"`crosswire {name}" in line)
        assert usage, name
        for param in command.params:
            for option in param.opts if param.param_type_name == "option" else ():
                if option.startswith("--"):  # on a line that shows the command (the README's table)
                    assert option in usage, f"crosswire {name} {option}"


def test_every_help_works_and_reads_as_sentences() -> None:
    texts = []
    for path, command in [((), None), *_cli()]:
        shown = run_cli(*path, "--help")
        assert shown.returncode == 0 and shown.stdout.lstrip().startswith(f"Usage: crosswire {' '.join(path)}".strip())
        if command is None:
            continue
        texts.append((" ".join(path), command.help or ""))
        for param in command.params:
            texts.append((f"{' '.join(path)} {param.name}", getattr(param, "help", None) or ""))
    for where, text in texts:
        text = " ".join(text.split())
        assert text[:1].isupper() and text.endswith("."), (where, text)


@pytest.mark.parametrize("word", ["(s)", "stor{"])
def test_counts_in_the_cli_go_through_one_plural_helper(word: str) -> None:
    for source in (ROOT / "src" / "crosswire" / "cli").glob("*.py"):
        assert word not in source.read_text(encoding="utf-8"), (source.name, word)
