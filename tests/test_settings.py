from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from crosswire.errors import CrosswireError, MissingDependency
from crosswire.service.common import stage_context
from crosswire.settings import Settings, default_db_path, load_settings


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CROSSWIRE_DB", "CROSSWIRE_CONFIG", "CROSSWIRE_EVENT_THRESHOLD", "CROSSWIRE_EXTRACTOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def test_default_store_location_is_under_xdg_data_home(tmp_path: Path) -> None:
    assert default_db_path() == tmp_path / "data" / "crosswire" / "crosswire.db"
    assert load_settings().db == str(default_db_path())


def test_file_then_environment_then_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config" / "crosswire" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('db = "/from/file.db"\nevent_threshold = 0.7\n')
    assert load_settings().db == "/from/file.db" and load_settings().event_threshold == 0.7
    monkeypatch.setenv("CROSSWIRE_DB", "/from/env.db")
    monkeypatch.setenv("CROSSWIRE_EVENT_THRESHOLD", "0.8")
    assert load_settings().db == "/from/env.db" and load_settings().event_threshold == 0.8
    assert load_settings("/from/flag.db").db == "/from/flag.db"


@pytest.mark.parametrize(
    "content",
    [
        'event_threshold = "high"',
        "nonsense = 1",
        "story_threshold = 0.9",
        "[broken",
        'languages = "uk, xx"',
        'languages = "uk"',
        'extractor = "turbo"',
        'extractor = ""',
    ],
)
def test_bad_settings_are_rejected_with_a_message(tmp_path: Path, content: str) -> None:
    config = tmp_path / "config" / "crosswire" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(content)
    with pytest.raises(CrosswireError, match="settings"):
        load_settings()


def test_extractor_from_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().extractor == "default"
    config = tmp_path / "config" / "crosswire" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('extractor = "fast"\n')
    assert load_settings().extractor == "fast"
    monkeypatch.setenv("CROSSWIRE_EXTRACTOR", "default")
    assert load_settings().extractor == "default"
    monkeypatch.setenv("CROSSWIRE_EXTRACTOR", "turbo")
    with pytest.raises(CrosswireError, match="settings: extractor must be one of default, fast"):
        load_settings()


@pytest.mark.skipif(importlib.util.find_spec("resiliparse") is None, reason="no `fast` extra")
def test_the_stage_context_carries_the_extractor() -> None:
    assert stage_context(Settings()).extractor == "default"
    assert stage_context(Settings(extractor="fast")).extractor == "fast"


def test_a_missing_extractor_package_fails_before_the_job(monkeypatch: pytest.MonkeyPatch) -> None:
    # As without the `fast` extra: the job stops with the pip command, no document is tried.
    monkeypatch.setitem(sys.modules, "resiliparse.extract.html2text", None)
    monkeypatch.setattr("crosswire.clean.fast._extract_plain_text", None)
    with pytest.raises(MissingDependency, match=r"pip install 'crosswire\[fast\]'"):
        stage_context(Settings(extractor="fast"))
