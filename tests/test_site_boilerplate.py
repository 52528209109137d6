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


def test_a_name_in_most_of_a_sites_articles_is_furniture_not_evidence(tmp_path: Path, db: Path) -> None:
    # The notice varies (a reporter's address in it), so no line recurs; its name does, in every
    # article of the site, and must not link unrelated reports as a shared entity.
    articles = []
    for i, topic in enumerate([*TOPICS, "Brand in der Altstadt", "Neue Buslinie eröffnet"]):
        item = _article(i, topic)
        if i == 4:
            item["text"] += "\n\nDer Direktor Hans Albers nannte die Sammlung einmalig."
        item["text"] += f"\n\nCopyrights Zeitungshaus Nordkurier. Hinweise an redaktion{i}@example-zeitung.de"
        articles.append(json.dumps(item, ensure_ascii=False))
    (tmp_path / "all.jsonl").write_text("\n".join(articles))
    assert run_cli("ingest", str(tmp_path / "all.jsonl"), db=db).returncode == 0
    store = SQLiteStore(db)
    analyses = store.analyses(store.all_article_ids())
    store.close()
    assert len(analyses) == 8
    names = [{m.surface for m in analysis.entities} for analysis in analyses.values()]
    assert not any("Nordkurier" in found or "Copyrights" in found for found in names)
    assert sum("Hans Albers" in found for found in names) == 1  # a name in one of the site's reports stays
