"""A store written before the compact representations (schema 10) opens, migrates and keeps its
representations, frequencies, postings and analyses."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

import numpy as np

from crosswire.represent.compact import key_id
from crosswire.store import SQLiteStore

FEATURES = {"e:lvrv": 0.6, "p:US": 0.8, "g:^tal": 1.0}


def _schema_10(path: Path) -> None:
    db = sqlite3.connect(path)
    folder = resources.files("crosswire.store") / "migrations"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".sql") and int(entry.name.split("_", 1)[0]) <= 10:
            db.executescript(entry.read_text(encoding="utf-8"))
    db.execute("PRAGMA user_version = 10")
    now = "2026-01-01T00:00:00+00:00"
    db.execute("INSERT INTO raw_documents VALUES ('a1', 'a1.txt', 'text', x'', '{}', '[]', ?)", (now,))
    db.execute(
        "INSERT INTO articles VALUES "
        "('a1', 'a1.txt', 'T', 'Body.', 'en', '2022-01-10', NULL, NULL, NULL, '[]', '[]', ?)",
        (now,),
    )
    analysis: dict[str, object] = {"article_id": "a1", "language": "en", "published": "2022-01-10"}
    analysis["terms"] = ["talk", "geneva"]
    analysis |= {"entities": [["lvrv", "Lavrov", "person"]], "places": [], "dates": [], "numbers": [], "quotes": []}
    db.execute("INSERT INTO analyses VALUES ('a1', ?)", (json.dumps(analysis),))
    db.execute("INSERT INTO representations VALUES ('a1', ?)", (json.dumps(["en", "2022-01-10", FEATURES, {}]),))
    db.executemany("INSERT INTO postings VALUES (?, 'a1')", [("e:lvrv",), ("p:US",)])
    db.executemany("INSERT INTO doc_freq VALUES (?, ?)", [("e:lvrv", 3), ("#lang:en", 1)])
    db.commit()
    db.close()


def test_a_schema_10_store_migrates_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_10(path)
    store = SQLiteStore(path)
    assert store.schema_version >= 14
    rep = store.representations(["a1"])["a1"]
    expected = sorted((key_id(k), round(w * 10_000)) for k, w in FEATURES.items())
    assert list(zip(rep.ids.tolist(), rep.weights.tolist(), strict=True)) == expected
    assert rep.language == "en" and rep.published == "2022-01-10"
    assert store.feature_freq([key_id("e:lvrv"), key_id("#lang:en")]) == {key_id("e:lvrv"): 3, key_id("#lang:en"): 1}
    assert store.sharing_features([key_id("e:lvrv"), key_id("p:US")], 5) == [("a1", 2)]
    analysis = store.analysis("a1")
    assert analysis is not None and analysis.terms == ("talk", "geneva") and analysis.entities[0].surface == "Lavrov"
    assert np.all(np.diff(rep.ids) > 0)
