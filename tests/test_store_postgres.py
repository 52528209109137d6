"""The PostgreSQL store through the faces: `--db postgresql://…` selects it, a database without the
crosswire schema is refused as a missing store is, an ingest gives the stories SQLite gives, and
two processes ingesting into one database at once (as `serve` and `watch` do) while a third reads
lose nothing and place articles as one process would. The server is the suite's own
(conftest.postgres_server); the Store contract itself is tests/test_store_contract.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, RU_SEED, SEEDS, UK_SEED, run_cli

from crosswire.errors import StoreNotFound
from crosswire.store import SQLiteStore, open_store
from crosswire.store.base import Store


def _stories(store: Store) -> list[tuple[str, tuple[str, ...], str]]:
    """Each story with its articles and title: what two stores given the same input must agree on."""
    members = store.stories_members(store.story_ids())
    summaries = {s.id: s.title for s in store.story_summaries()}
    return sorted(
        (story, tuple(sorted(a.article_id for a in arts)), summaries[story]) for story, arts in members.items()
    )


def test_a_database_without_the_schema_is_refused_not_filled(postgres_url: str) -> None:
    with pytest.raises(StoreNotFound, match="no crosswire schema"):
        open_store(postgres_url, create=False)
    done = run_cli("stories", "--db", postgres_url)
    assert done.returncode != 0 and "no crosswire schema" in done.stderr and "Traceback" not in done.stderr
    open_store(postgres_url).close()  # creating it makes it a store
    open_store(postgres_url, create=False).close()


def test_ingest_gives_the_stories_sqlite_gives(postgres_url: str, tmp_path: Path) -> None:
    sqlite_db = tmp_path / "store.db"
    for db in (str(sqlite_db), postgres_url):
        done = run_cli("ingest", str(SEEDS), "--db", db)
        assert done.returncode == 0, done.stderr
    postgres = open_store(postgres_url, create=False)
    sqlite = SQLiteStore(sqlite_db, create=False)
    try:
        assert postgres.article_count() == sqlite.article_count() == len(list(SEEDS.iterdir()))
        assert _stories(postgres) == _stories(sqlite)
        assert postgres.all_assignments() == sqlite.all_assignments()
        found = {h.article_id for h in postgres.search_hits('"лавров"')}
        assert found and found == {h.article_id for h in sqlite.search_hits('"лавров"')}
    finally:
        postgres.close()
        sqlite.close()
    listed = run_cli("stories", "--json", "--db", postgres_url)
    assert listed.returncode == 0 and json.loads(listed.stdout)
    # Cleaning again (postings and frequencies replaced) and clustering again keep them equal.
    for command in ("reclean", "recluster"):
        for db in (str(sqlite_db), postgres_url):
            done = run_cli(command, "--db", db)
            assert done.returncode == 0, done.stderr
        again, before = open_store(postgres_url, create=False), SQLiteStore(sqlite_db, create=False)
        try:
            assert _stories(again) == _stories(before) and again.all_assignments() == before.all_assignments()
            ids = before.all_article_ids()
            mine, theirs = again.representations(ids), before.representations(ids)
            assert all(
                (mine[i].ids == theirs[i].ids).all() and (mine[i].weights == theirs[i].weights).all() for i in ids
            )
            assert [c["kind"] for c in again.cluster_changes()] == [c["kind"] for c in before.cluster_changes()]
        finally:
            again.close()
            before.close()


def _ingest_process(path: Path, db: str) -> subprocess.Popen[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    env["XDG_CONFIG_HOME"] = str(path.parent / "no-config")
    return subprocess.Popen(
        [sys.executable, "-m", "crosswire", "ingest", str(path), "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def test_two_processes_write_while_a_third_reads(postgres_url: str) -> None:
    open_store(postgres_url).close()  # the schema first, so the reader below has tables to read
    writers = [_ingest_process(UK_SEED, postgres_url), _ingest_process(RU_SEED, postgres_url)]
    reader = open_store(postgres_url, create=False)
    reads = 0
    try:
        while any(w.poll() is None for w in writers):
            reader.story_summaries()
            reader.search_hits('"лавров"')
            reads += 1
            time.sleep(0.05)
        outputs = [w.communicate(timeout=120) for w in writers]
        assert [w.returncode for w in writers] == [0, 0], outputs
        assert reads > 0
        # The writers took turns (one advisory lock), so the later one saw the earlier one's
        # article: the translation pair forms one story, as after one ingest of both.
        assert reader.article_count() == 2
        assert len(set(reader.story_of_articles().values())) == 1
        (story,) = reader.story_summaries()
        assert story.article_count == 2 and set(story.languages) == {"uk", "ru"}
    finally:
        reader.close()
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.communicate()


def test_watch_keeps_its_source_state_in_postgres(postgres_url: str) -> None:
    from fixture_server import FixtureServer, Reply, article, rss

    from crosswire.service.watch import watch
    from crosswire.settings import Settings
    from crosswire.sources.listing import SourceSpec

    settings = Settings(db=postgres_url, allow_private="127.0.0.1", fetch_delay=0.0, workers=0, fetch_retries=0)
    with FixtureServer().running() as server:

        def publish(numbers: range) -> list[str]:
            links = []
            for number in numbers:
                title, text = article(number)
                page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{text}</p>"
                server.route(f"/news/{number}", Reply(body=(page + "</article></body></html>").encode()))
                links.append((server.url(f"/news/{number}"), title, "Sat, 03 Feb 2024 10:00:00 GMT"))
            server.route("/feed.xml", Reply(body=rss(links[::-1]), headers={"Content-Type": "application/rss+xml"}))
            return [link for link, _, _ in links]

        feed = [SourceSpec(server.url("/feed.xml"))]
        publish(range(3))
        assert watch(open_store(postgres_url), feed, settings, once=True).added == 3
        pages = publish(range(5))  # the next poll fetches only the two new pages
        assert watch(open_store(postgres_url), feed, settings, once=True).added == 2
        assert all(server.hits[f"/news/{n}"] == 1 for n in range(5))
    store = open_store(postgres_url, create=False)
    try:
        assert sorted(a.url or "" for a in store.articles(store.all_article_ids())) == sorted(pages)
        assert store.source_state().held_count() == 0 and store.source_state().seen(pages) == set(pages)
    finally:
        store.close()


def test_a_url_selects_postgres_and_messages_never_show_its_password() -> None:
    from crosswire.store.postgres.connection import cache_path, is_postgres_url, redacted

    assert is_postgres_url("postgresql://u@h:5432/db") and is_postgres_url("postgres://h/db")
    assert not is_postgres_url("store.db") and not is_postgres_url(Path("postgresql:/x"))
    assert redacted("postgresql://u:s3cr:et@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert redacted("postgresql://u@h/db") == "postgresql://u@h/db"
    assert "s3cr" not in str(cache_path("postgresql://u:s3cr@h/db"))
    assert cache_path("postgresql://u:a@h/db") == cache_path("postgresql://u:b@h/db")  # one cache per database


def test_the_postgres_source_state_overrides_every_query() -> None:
    """A method added to SourceState (SQLite's SQL) must get its PostgreSQL twin, or it would run
    SQLite's queries on a connection that has none."""
    import inspect

    from crosswire.store.postgres.sources import PostgresSourceState
    from crosswire.store.sources import SourceState

    inherited = {
        name
        for name, member in inspect.getmembers(SourceState, inspect.isfunction)
        if not name.startswith("__") and name not in PostgresSourceState.__dict__
    }
    assert inherited == set()


def test_a_reader_outlives_its_connection(postgres_url: str) -> None:
    """The server drops the connection (a restart, an idle timeout): the next read reconnects, and
    so does the next transaction."""
    import psycopg

    store = open_store(postgres_url)
    try:
        for _ in range(2):
            with psycopg.connect(postgres_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (store.conn.info.backend_pid,))  # type: ignore[attr-defined]
            assert store.article_count() == 0
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (store.conn.info.backend_pid,))  # type: ignore[attr-defined]
        with store.transaction():
            store.count_features({1: 1})
        assert store.feature_freq([1]) == {1: 1}
    finally:
        store.close()
