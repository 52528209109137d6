"""Story summaries and browsing on PostgreSQL: the queries of crosswire.store.summaries and
crosswire.store.browse, with the same filters (shared) and orders."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from crosswire.store import summaries
from crosswire.store.postgres.queries import Queries, placeholders
from crosswire.types import HEADLINE_CHARS, Assignment, StoryFilter, StoryMember, StorySummary, headline

_MEMBER = (
    "SELECT a.story_id, a.article_id, a.event_id, r.language, r.site, r.published, r.title, "
    f"CASE WHEN coalesce(r.title, '') = '' THEN substr(r.text, 1, {HEADLINE_CHARS + 1:d}) END "
    "FROM assignments a JOIN articles r ON r.id = a.article_id"
)
_STALE = "story_summaries"  # meta key: stories stored before their summaries (never set by this store's schema)
_BRIEF = ", ".join(summaries.BRIEF_COLUMNS)


def _member(row: tuple[str, ...]) -> StoryMember:
    _, article_id, event_id, language, site, published, title, lead = row
    return StoryMember(article_id, event_id, language, site, published, title, headline(title, lead or ""))


def _data(summary: StorySummary) -> dict[str, object]:
    return {
        "titles": summary.titles,
        "languages": summary.language_counts,
        "sites": summary.sites,
        "entities": summaries.mentions_json(summary.entities),
        "places": summaries.mentions_json(summary.places),
        "sample": summary.mention_sample,
    }


def _facets(summary: StorySummary) -> list[tuple[str, str, int]]:
    return [("language", lang, n) for lang, n in summary.language_counts] + [
        ("site", site, n) for site, n in summary.sites
    ]


class SummaryReads(Queries):
    # -- what summaries are computed from -------------------------------------------------------
    def story_summary_members(self, story_ids: Sequence[str]) -> dict[str, list[StoryMember]]:
        found: dict[str, list[StoryMember]] = {}
        for row in self._all(_MEMBER + " WHERE a.story_id = ANY(%b)", [list(story_ids)]):
            found.setdefault(row[0], []).append(_member(row))
        return found

    def story_mentions(self, story_id: str, limit: int) -> tuple[summaries.Mentions, summaries.Mentions]:
        """Entity and place mentions (``[key, surface, kind]``) of the story's ``limit`` most
        recently assigned articles, by article id."""
        entities: summaries.Mentions = {}
        places: summaries.Mentions = {}
        for article_id, named, placed in self._all(
            "SELECT a.article_id, n.data::json ->> 'entities', n.data::json ->> 'places' FROM assignments a "
            "JOIN analyses n ON n.article_id = a.article_id WHERE a.story_id = %s ORDER BY a.seq DESC LIMIT %s",
            (story_id, limit),
        ):
            entities[article_id] = json.loads(named or "[]")
            places[article_id] = json.loads(placed or "[]")
        return entities, places

    def stories_members(self, story_ids: Sequence[str]) -> dict[str, list[Assignment]]:
        found: dict[str, list[Assignment]] = {}
        for row in self._all(
            "SELECT article_id, event_id, story_id, score FROM assignments WHERE story_id = ANY(%b)", [list(story_ids)]
        ):
            found.setdefault(row[2], []).append(Assignment(*row))
        return found

    # -- stored summaries ----------------------------------------------------------------------
    def put_story_summary(self, summary: StorySummary) -> None:
        """Store ``summary``; inside a transaction it is kept until the transaction commits or a
        read needs the summaries, then all of them go in one round trip (the writer refreshes
        hundreds per batch, one call each)."""
        self._pending_summaries[summary.id] = summary
        if not self._in_transaction:
            self._flush_summaries()

    def _flush_summaries(self) -> None:
        if not self._pending_summaries:
            return
        pending = list(self._pending_summaries.values())
        self._pending_summaries.clear()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (
                s.id,
                s.title,
                s.article_count,
                len(s.events),
                s.first_date,
                s.last_date,
                summaries.compact_json(_data(s)),
                summaries.compact_json(
                    [[e.id, e.first_date, e.last_date, e.title, e.article_count, list(e.languages)] for e in s.events]
                ),
            )
            for s in pending
        ]
        facets = [(kind, value, s.id, n) for s in pending for kind, value, n in _facets(s)]
        ids = [s.id for s in pending]
        with self.conn.pipeline():
            self.conn.execute(
                "INSERT INTO story_summaries SELECT *, %s FROM unnest(%b::text[], %b::text[], %b::int[], %b::int[], "
                "%b::text[], %b::text[], %b::text[], %b::text[]) ON CONFLICT (story_id) DO UPDATE SET "
                "title = excluded.title, articles = excluded.articles, events = excluded.events, "
                "first_date = excluded.first_date, last_date = excluded.last_date, data = excluded.data, "
                "timeline = excluded.timeline, updated_at = excluded.updated_at",
                [now, *([row[i] for row in rows] for i in range(8))],
            )
            self.conn.execute("DELETE FROM story_facets WHERE story_id = ANY(%b)", (ids,))
            self.conn.execute("DELETE FROM story_summaries_due WHERE story_id = ANY(%b)", (ids,))
            self.conn.execute(
                "INSERT INTO story_facets SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::int[]) "
                "ON CONFLICT DO NOTHING",
                [[f[i] for f in facets] for i in range(4)],
            )

    def delete_story_summaries(self, story_ids: Sequence[str]) -> None:
        self._flush_summaries()
        with self.conn.pipeline():
            for table in ("story_summaries", "story_facets", "story_summaries_due"):
                self.conn.execute(f"DELETE FROM {table} WHERE story_id = ANY(%b)", [list(story_ids)])

    def clear_story_summaries(self) -> None:
        """Forget every summary and mark them current (call inside the transaction that rebuilds them)."""
        self._flush_summaries()
        for table in ("story_summaries", "story_facets", "story_summaries_due"):
            self.conn.execute(f"DELETE FROM {table}")
        self.conn.execute("DELETE FROM meta WHERE key = %s", (_STALE,))

    def story_summaries_stale(self) -> bool:
        """True while stories stored before summaries existed still lack theirs."""
        return self._one("SELECT 1 FROM meta WHERE key = %s", (_STALE,)) is not None

    def story_summaries(
        self, where: StoryFilter | None = None, limit: int | None = None, offset: int = 0, *, timeline: bool = True
    ) -> list[StorySummary]:
        """Stored summaries (without articles; without events unless ``timeline``), most recently
        active first (undated last), then the biggest."""
        self._flush_summaries()
        clause, params = summaries.filter_sql(where or StoryFilter())
        columns = "s.*" if timeline else ", ".join(f"s.{name}" for name in summaries.BRIEF_COLUMNS)
        rows = self._dicts(
            f"SELECT {columns} FROM story_summaries s{placeholders(clause)} "
            "ORDER BY s.last_date DESC NULLS LAST, s.articles DESC, s.story_id LIMIT %s OFFSET %s",
            (*params, limit, offset),
        )
        return [summaries.summary_from_row(row, timeline) for row in rows]

    def story_summary_count(self, where: StoryFilter | None = None) -> int:
        self._flush_summaries()
        clause, params = summaries.filter_sql(where or StoryFilter())
        return self._count(f"SELECT count(*) FROM story_summaries s{placeholders(clause)}", params)

    def mark_summaries_due(self, story_ids: Sequence[str]) -> None:
        self._flush_summaries()
        self.conn.execute(
            "INSERT INTO story_summaries_due SELECT unnest(%b::text[]) ON CONFLICT DO NOTHING", [list(story_ids)]
        )

    def summaries_due(self, story_ids: Sequence[str]) -> set[str]:
        self._flush_summaries()
        rows = self._all("SELECT story_id FROM story_summaries_due WHERE story_id = ANY(%b)", [list(story_ids)])
        return {row[0] for row in rows}

    def summary_article_counts(self, story_ids: Sequence[str]) -> dict[str, int]:
        self._flush_summaries()
        rows = self._all("SELECT story_id, articles FROM story_summaries WHERE story_id = ANY(%b)", [list(story_ids)])
        return {story_id: int(n) for story_id, n in rows}

    def story_summary(self, story_id: str) -> StorySummary | None:
        self._flush_summaries()
        rows = self._dicts("SELECT * FROM story_summaries WHERE story_id = %s", (story_id,))
        return summaries.summary_from_row(rows[0]) if rows else None

    def story_briefs(self, story_ids: Sequence[str]) -> dict[str, StorySummary]:
        """Stored summaries without their timelines, by id."""
        self._flush_summaries()
        rows = self._dicts(f"SELECT {_BRIEF} FROM story_summaries WHERE story_id = ANY(%b)", [list(story_ids)])
        return {row["story_id"]: summaries.summary_from_row(row, timeline=False) for row in rows}

    # -- browsing ------------------------------------------------------------------------------
    def story_articles(self, story_id: str, limit: int, offset: int = 0) -> list[StoryMember]:
        """A page of a story's articles (by date, undated last) without their texts."""
        rows = self._all(
            _MEMBER + " WHERE a.story_id = %s ORDER BY r.published IS NULL, r.published, a.article_id "
            "LIMIT %s OFFSET %s",
            (story_id, limit, offset),
        )
        return [_member(row) for row in rows]

    def placement(self, article_id: str) -> Assignment | None:
        """The event and story an article was placed in."""
        row = self._one(
            "SELECT article_id, event_id, story_id, score FROM assignments WHERE article_id = %s", (article_id,)
        )
        return Assignment(*row) if row else None

    def article_briefs(self, article_ids: Sequence[str]) -> dict[str, StoryMember]:
        """Headlines and metadata (no text) of placed articles, by id."""
        return {
            row[1]: _member(row) for row in self._all(_MEMBER + " WHERE a.article_id = ANY(%b)", [list(article_ids)])
        }

    def covered_languages(self) -> list[str]:
        """The languages stories are covered in."""
        self._flush_summaries()
        return [row[0] for row in self._all("SELECT DISTINCT value FROM story_facets WHERE kind = 'language'")]
