"""The README's promises: its opening says what crosswire is and gives the two set-up commands,
and those commands work as written."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import ROOT


def _commands() -> list[str]:
    head = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    return re.findall(r"^\s*(make \w+)\s*$", head, re.MULTILINE)


def test_readme_opens_with_the_two_setup_commands() -> None:
    assert _commands() == ["make demo", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_make_demo_ingests_the_examples_and_prints_one_story(tmp_path: Path) -> None:
    env = {**os.environ, "CROSSWIRE_DB": str(tmp_path / "demo.db"), "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        ["make", "--no-print-directory", "demo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "added 2" in result.stderr
    assert "1 story" in result.stdout
    assert "ru, uk" in result.stdout or "uk, ru" in result.stdout


def test_every_command_is_documented() -> None:
    from crosswire.cli.main import app

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = [command.name or command.callback.__name__ for command in app.registered_commands]  # type: ignore[union-attr]
    assert names
    for name in names:
        assert f"`crosswire {name}" in readme, name
