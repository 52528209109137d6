"""Corpus cues: lines recurring across a site's articles are removed, and `reclean` applies what
was learnt to articles stored before."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from crosswire.store import SQLiteStore

PITCH = "Unterstützen Sie unabhängigen Journalismus mit einem Abonnement ab fünf Euro im Monat."
TOPICS = [
    "Bahnstreik legt den Fernverkehr lahm",
    "Neue Schule in Kiel eröffnet",
    "Hafen meldet Rekordumschlag",
    "Stadtrat beschließt Radwege",
    "Museum zeigt frühe Fotografien",
    "Hochwasser an der Elbe sinkt",
]


def _article(i: int, topic: str) -> dict[str, str]:
    body = (
        f"{topic}.\n\nDer Bericht Nummer {i} beschreibt ausführlich, was am Montag in der Stadt geschah, "
        f"und zitiert mehrere Beteiligte mit ihren Einschätzungen zur Lage.\n\n{PITCH}\n\n"
        f"Weitere Einzelheiten zu Fall {i} will die Verwaltung in der kommenden Woche vorlegen."
    )
    return {"text": body, "url": f"https://www.example-zeitung.de/artikel/{i}", "title": topic}


def test_site_lines_learnt_while_ingesting_and_applied_by_reclean(tmp_path: Path, db: Path) -> None:
    articles = [json.dumps(_article(i, t), ensure_ascii=False) for i, t in enumerate(TOPICS)]
    # Statistics advance batch by batch, each batch counted with the stored articles: three
    # articles are too few to call a line boilerplate, the next three make six and it is.
    for name, part in (("first.jsonl", articles[:3]), ("later.jsonl", articles[3:])):
        (tmp_path / name).write_text("\n".join(part))
        assert run_cli("ingest", str(tmp_path / name), db=db).returncode == 0

    def pitches() -> list[bool]:
        store = SQLiteStore(db)
        found = []
        for article in store.articles(store.all_article_ids()):
            found.append(PITCH in article.text)
            assert "Der Bericht Nummer" in article.text and "Weitere Einzelheiten" in article.text
            if PITCH not in article.text:
                assert any(r.text == PITCH and r.reason == "site-boilerplate" for r in article.removed)
        store.close()
        return found

    assert pitches() == [True] * 3 + [False] * 3
    result = run_cli("reclean", db=db)
    assert result.returncode == 0, result.stderr
    assert "changed" in result.stderr
    assert pitches() == [False] * len(TOPICS)
    again = run_cli("reclean", db=db)
    assert "changed 0" in again.stderr


def test_a_sites_first_articles_arriving_together_lose_their_shared_line(tmp_path: Path, db: Path) -> None:
    # A new site's articles often come in one batch: the batch's own counts name its furniture,
    # so it never links them as shared words (the Akismet notice of 500 news pages did).
    articles = [json.dumps(_article(i, t), ensure_ascii=False) for i, t in enumerate(TOPICS)]
    (tmp_path / "all.jsonl").write_text("\n".join(articles))
    assert run_cli("ingest", str(tmp_path / "all.jsonl"), db=db).returncode == 0
    store = SQLiteStore(db)
    stored = store.articles(store.all_article_ids())
    store.close()
    assert len(stored) == len(TOPICS) and not any(PITCH in article.text for article in stored)
    assert all(any(r.reason == "site-boilerplate" for r in article.removed) for article in stored)


def test_a_line_is_boilerplate_past_both_thresholds() -> None:
    from crosswire.clean.site import boilerplate_floor

    assert boilerplate_floor(4, 5, 0.5) is None  # too few of the site's articles seen yet
    assert boilerplate_floor(10, 5, 0.5) == 5
    assert boilerplate_floor(100, 5, 0.3) == 30
    assert boilerplate_floor(11, 5, 0.5) == 6  # a share rounds up: more than half of 11 is 6
