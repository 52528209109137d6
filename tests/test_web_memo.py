"""A story page's read-time analyses (who said what, framing) are derived once per store version
in a server process, and again once the store changes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import RU_SEED, UK_SEED
from live_server import live_server

from crosswire import service
from crosswire.ingest.files import read_paths
from crosswire.service.ingest import ingest
from crosswire.settings import Settings
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument
from crosswire.web import framing, memo


def test_a_story_page_derives_its_analyses_once_per_store_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "store.db"
    store = SQLiteStore(db)
    ingest(store, read_paths([UK_SEED, RU_SEED]), Settings(db=str(db), workers=0))
    (story_id,) = set(store.story_of_articles().values())
    calls: Counter[str] = Counter()
    said = service.who_said_what
    from crosswire.service.framing import story_framing as framed

    def counted_said(*args: Any, **kwargs: Any) -> Any:
        calls["said"] += 1
        return said(*args, **kwargs)

    def counted_framing(*args: Any, **kwargs: Any) -> Any:
        calls["framing"] += 1
        return framed(*args, **kwargs)

    monkeypatch.setattr(memo, "KEEP_FROM_S", 0.0)  # the seeds' story is quick to derive: keep it anyway
    monkeypatch.setattr(service, "who_said_what", counted_said)
    monkeypatch.setattr(framing, "story_framing", counted_framing)
    memo.forget()
    with live_server(db) as base, httpx.Client(base_url=base, timeout=60) as http:
        page = http.get(f"/stories/{story_id}")
        assert page.status_code == 200 and calls == {"said": 1, "framing": 1}
        assert http.get(f"/stories/{story_id}").text == page.text
        assert http.get(f"/api/v1/stories/{story_id}").status_code == 200
        assert calls == {"said": 1, "framing": 1}  # the page again, and the API: kept
        # Another connection commits (an ingest beside the server): derived again.
        text = "Weather in Oslo\n\nThe forecast for Oslo says rain on Monday and snow later in the week.\n"
        ingest(store, [RawDocument(source="oslo.txt", body=text)], Settings(db=str(db), workers=0))
        assert http.get(f"/stories/{story_id}").status_code == 200
        assert calls == {"said": 2, "framing": 2}
    monkeypatch.setattr(memo, "KEEP_FROM_S", 60.0)
    memo.forget()
    with live_server(db) as base, httpx.Client(base_url=base, timeout=60) as http:
        for _ in range(2):
            assert http.get(f"/stories/{story_id}").status_code == 200
    assert calls == {"said": 4, "framing": 4}  # quick to derive: not kept


def test_the_store_version_is_the_same_for_every_connection_and_moves_with_a_commit(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first, second = SQLiteStore(db), SQLiteStore(db)
    before = first.data_version()
    assert before is not None and before == second.data_version()
    ingest(second, read_paths([UK_SEED]), Settings(db=str(db), workers=0))
    assert first.data_version() == second.data_version() != before
    assert first.data_version() == first.data_version()  # reading changes nothing
