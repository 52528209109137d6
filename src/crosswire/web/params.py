"""Request parameters shared by the API and the pages, validated before any use case runs."""

from __future__ import annotations

from typing import Annotated, TypedDict

from fastapi import Path, Query

ID_PATTERN = r"^[A-Za-z0-9_-]{1,100}$"
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # empty: any

StoryId = Annotated[str, Path(pattern=ID_PATTERN, description="A story id (s-…).")]
ArticleId = Annotated[str, Path(pattern=ID_PATTERN, description="An article id, or an unambiguous prefix of one.")]
ArticleRef = Annotated[str, Query(pattern=ID_PATTERN, description="An article id, or an unambiguous prefix.")]
SearchText = Annotated[
    str | None,
    Query(max_length=500, description='Free text: every word must match, in any of its forms; "quoted" phrases.'),
]
Language = Annotated[str | None, Query(pattern=r"^([a-z]{2,3})?$", description="ISO 639-1 code.")]
Site = Annotated[str | None, Query(max_length=253, description="A site (host name) as stored.")]
Since = Annotated[str | None, Query(pattern=DATE_PATTERN, description="ISO date prefix: 2022, 2022-01, 2022-01-13.")]
Until = Annotated[str | None, Query(pattern=DATE_PATTERN, description="ISO date prefix, inclusive.")]
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class Filters(TypedDict):
    language: str | None
    site: str | None
    since: str | None
    until: str | None


def filters(language: str | None, site: str | None, since: str | None, until: str | None) -> Filters:
    """The story filters of a request; empty form fields mean 'any'."""

    def given(value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    return Filters(language=given(language), site=given(site), since=given(since), until=given(until))
