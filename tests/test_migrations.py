"""A store written before the compact representations (schema 10) opens, migrates and keeps its
representations, frequencies, postings and analyses."""

from __future__ import annotations

import json
import sqlite3
import zlib
from importlib import resources
from pathlib import Path

import numpy as np

from crosswire.clean import article_id
from crosswire.represent.compact import key_id
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument

FEATURES = {"e:lvrv": 0.6, "p:US": 0.8, "g:^tal": 1.0}
BODY = "Talks in Geneva.\n\nLavrov met Blinken in Geneva on Monday for talks."
AID = article_id(RawDocument(source="a1.txt", body=BODY))  # ids are content hashes


def _schema_10(path: Path) -> None:
    db = sqlite3.connect(path)
    folder = resources.files("crosswire.store") / "migrations"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql") and int(entry.name.split("_", 1)[0]) <= 10:
            db.executescript(entry.read_text(encoding="utf-8"))
    db.execute("PRAGMA user_version = 10")
    now = "2026-01-01T00:00:00+00:00"
    db.execute(
        "INSERT INTO raw_documents VALUES (?, 'a1.txt', 'text', ?, '{}', '[]', ?)",
        (AID, zlib.compress(BODY.encode()), now),
    )
    db.execute(
        "INSERT INTO articles VALUES (?, 'a1.txt', 'T', 'Body.', 'en', '2022-01-10', NULL, NULL, NULL, '[]', '[]', ?)",
        (AID, now),
    )
    analysis: dict[str, object] = {"article_id": AID, "language": "en", "published": "2022-01-10"}
    analysis["terms"] = ["talk", "geneva"]
    analysis |= {"entities": [["lvrv", "Lavrov", "person"]], "places": [], "dates": [], "numbers": [], "quotes": []}
    db.execute("INSERT INTO analyses VALUES (?, ?)", (AID, json.dumps(analysis)))
    db.execute("INSERT INTO representations VALUES (?, ?)", (AID, json.dumps(["en", "2022-01-10", FEATURES, {}])))
    db.executemany("INSERT INTO postings VALUES (?, ?)", [("e:lvrv", AID), ("p:US", AID)])
    db.executemany("INSERT INTO doc_freq VALUES (?, ?)", [("e:lvrv", 3), ("#lang:en", 1)])
    db.commit()
    db.close()


def test_a_schema_10_store_migrates_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_10(path)
    store = SQLiteStore(path)
    assert store.schema_version >= 14
    rep = store.representations([AID])[AID]
    expected = sorted((key_id(k), round(w * 10_000)) for k, w in FEATURES.items())
    assert list(zip(rep.ids.tolist(), rep.weights.tolist(), strict=True)) == expected
    assert rep.language == "en" and rep.published == "2022-01-10"
    assert store.feature_freq([key_id("e:lvrv"), key_id("#lang:en")]) == {key_id("e:lvrv"): 3, key_id("#lang:en"): 1}
    assert store.sharing_features([key_id("e:lvrv"), key_id("p:US")], 5) == [(AID, 2)]
    analysis = store.analysis(AID)
    assert analysis is not None and analysis.terms == ("talk", "geneva") and analysis.entities[0].surface == "Lavrov"
    assert np.all(np.diff(rep.ids) > 0)


def test_the_article_count_is_kept_as_a_pseudo_key(tmp_path: Path, seeds: Path) -> None:
    from crosswire.represent.compact import DOCS_KEY
    from crosswire.service import ingest_paths, reclean
    from crosswire.settings import Settings

    path = tmp_path / "old.db"
    _schema_10(path)
    store = SQLiteStore(path)
    docs = key_id(DOCS_KEY)
    assert store.feature_freq([docs]) == {docs: 1}  # counted by the migration
    settings = Settings(db=str(path), workers=0)
    ingest_paths(store, [seeds], settings)
    reclean(store, settings)
    assert store.article_count() == 3 and store.feature_freq([docs]) == {docs: 3}
