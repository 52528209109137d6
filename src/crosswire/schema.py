"""The one JSON contract for articles, stories and similarities: the CLI's --json, the web API
and export all build their objects here, so the shapes cannot drift apart (README "Output
contracts" documents them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crosswire.service.search import StoryMatch
    from crosswire.service.statements import WhoSaidWhat
    from crosswire.types import Article, EventSummary, Quote, Similarity, StoryMember, StoryMention, StorySummary


def article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "source": article.source,
        "title": article.title,
        "text": article.text,
        "language": article.language,
        "published": article.published,
        "site": article.site,
        "author": article.author,
        "url": article.url,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "flags": list(article.flags),
    }


def mentions_json(found: tuple[StoryMention, ...]) -> list[dict[str, Any]]:
    return [{"key": m.key, "kind": m.kind, "surfaces": list(m.surfaces), "articles": m.articles} for m in found]


def event_json(event: EventSummary, article_ids: list[str] | None = None) -> dict[str, Any]:
    return {
        "id": event.id,
        "article_ids": list(event.article_ids) if article_ids is None else article_ids,
        "first_date": event.first_date,
        "last_date": event.last_date,
        "title": event.title,
        "article_count": event.article_count,
        "languages": list(event.languages),
    }


def story_brief_json(story: StorySummary) -> dict[str, Any]:
    """A story as a listing shows it: without its articles and its timeline."""
    return {
        "id": story.id,
        "title": story.title,
        "titles": dict(story.titles),
        "languages": list(story.languages),
        "language_counts": [{"language": lang, "articles": n} for lang, n in story.language_counts],
        "first_date": story.first_date,
        "last_date": story.last_date,
        "article_count": story.article_count,
        "event_count": story.event_count,
        "sites": [{"site": site, "articles": n} for site, n in story.sites],
        "entities": mentions_json(story.entities),
        "places": mentions_json(story.places),
        "mention_sample": story.mention_sample,
    }


def story_json(story: StorySummary) -> dict[str, Any]:
    """A story with its articles and its timeline (``stories --json``, ``show --json``)."""
    found = story_brief_json(story)
    del found["event_count"]
    found["articles"] = [
        {"id": a.id, "source": a.source, "language": a.language, "title": a.title, "published": a.published}
        for a in story.articles
    ]
    found["events"] = [event_json(e) for e in story.events]
    return found


def quote_json(article: Article, quote: Quote) -> dict[str, Any]:
    """One statement of a story's article (``show --json``'s ``quotes``): ``start``/``end`` are
    offsets into that article's ``text``."""
    return {
        "article_id": article.id,
        "language": article.language,
        "kind": quote.kind,
        "text": quote.text,
        "start": quote.start,
        "end": quote.end,
        "speaker": quote.speaker,
        "speaker_surface": quote.speaker_surface,
        "cue": quote.cue,
    }


def who_said_what_json(found: WhoSaidWhat) -> dict[str, Any]:
    """A story's statements by speaker (``show --json``'s ``who_said_what``; README "Output contracts")."""
    return {
        "matched_by": found.matched_by,
        "quotes": found.quotes,
        "capped": found.capped,
        "speakers": [
            {
                "speaker": speaker.key,
                "names": list(speaker.names),
                "outlets": speaker.outlets,
                "articles": speaker.articles,
                "statements": [
                    {
                        "id": statement.group.id,
                        "outlets": len(statement.group.sites),
                        "articles": statement.articles,
                        "languages": list(statement.group.languages),
                        "versions": [
                            {
                                "language": version.language,
                                "text": version.text,
                                "speaker_surface": version.speaker_surface,
                                "sites": list(version.sites),
                                "quotes": [
                                    {"article_id": m.article_id, "start": m.quote.start, "end": m.quote.end}
                                    for m in version.members
                                ],
                            }
                            for version in statement.versions
                        ],
                    }
                    for statement in speaker.statements
                ],
            }
            for speaker in found.speakers
        ],
    }


def story_record(story: StorySummary, by_event: dict[str, list[str]], article_ids: list[str]) -> dict[str, Any]:
    """A story as an export line: its article ids, and each event's."""
    found = story_brief_json(story)
    found["article_ids"] = article_ids
    found["events"] = [event_json(event, by_event.get(event.id, [])) for event in story.events]
    return found


def member_json(member: StoryMember) -> dict[str, Any]:
    return {
        "id": member.article_id,
        "event_id": member.event_id,
        "language": member.language,
        "site": member.site,
        "published": member.published,
        "title": member.title,
        "headline": member.headline,
    }


def story_match_json(found: StoryMatch) -> dict[str, Any]:
    item = story_brief_json(found.story)
    item["matching_articles"] = found.articles
    item["matches"] = [
        {
            **member_json(match.article),
            "rank": round(match.rank, 4),
            "snippet": [{"text": text, "match": matched} for text, matched in match.snippet],
        }
        for match in found.matches
    ]
    return item


def similarity_json(result: Similarity, a: Article, b: Article) -> dict[str, Any]:
    return {
        "a": a.id,
        "b": b.id,
        "score": round(result.score, 4),
        "level": result.level,
        "reasons": [
            {"kind": r.kind, "key": r.key, "a": r.a, "b": r.b, "weight": round(r.weight, 4)} for r in result.reasons
        ],
    }
