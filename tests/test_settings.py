from __future__ import annotations

from pathlib import Path

import pytest

from crosswire.errors import CrosswireError
from crosswire.settings import default_db_path, load_settings


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("CROSSWIRE_DB", "CROSSWIRE_CONFIG", "CROSSWIRE_EVENT_THRESHOLD"):
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
    ],
)
def test_bad_settings_are_rejected_with_a_message(tmp_path: Path, content: str) -> None:
    config = tmp_path / "config" / "crosswire" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(content)
    with pytest.raises(CrosswireError, match="settings"):
        load_settings()
