"""Real pages from ../shared, cleaned as ingest cleans them, for the hand-checked quote sample:
news-stream pages (``data/news-stream/tgnews-2019-html.tar.xz!<member>``) and SemEval 2022 task 8
articles (``data/semeval2022-task8/pairs-dev.csv#<article id>``)."""

from __future__ import annotations

import csv
import sys
import tarfile
from collections.abc import Iterable
from pathlib import Path

from crosswire.clean import clean
from crosswire.errors import InputError
from crosswire.ingest.decode import decode_bytes
from crosswire.types import Article, RawDocument

NEWS = "data/news-stream/tgnews-2019-html.tar.xz"
SEMEVAL = "data/semeval2022-task8/pairs-dev.csv"


def _cleaned(raw: RawDocument) -> Article | None:
    try:
        return clean(raw)
    except InputError:
        return None


def news_pages(shared: Path, members: set[str] | None = None) -> Iterable[tuple[str, Article]]:
    """(page id, article) of the news-stream pages (those named in ``members``, else all)."""
    with tarfile.open(shared / NEWS) as tar:
        for member in tar:
            if not member.isfile() or (members is not None and member.name not in members):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            html, _ = decode_bytes(handle.read())
            page = f"{NEWS}!{member.name}"
            article = _cleaned(RawDocument(source=page, body=html, kind="html"))
            if article is not None:
                yield page, article


def semeval_pages(shared: Path, ids: set[str] | None = None) -> Iterable[tuple[str, Article]]:
    """(page id, article) of the SemEval articles (each once, those named in ``ids``, else all)."""
    csv.field_size_limit(sys.maxsize)
    seen: set[str] = set()
    with (shared / SEMEVAL).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for side, article_id in zip(("1", "2"), row["pair_id"].split("_"), strict=False):
                page = f"{SEMEVAL}#{article_id}"
                if page in seen or (ids is not None and page not in ids):
                    continue
                seen.add(page)
                raw = RawDocument(source=page, body=row[f"text{side}"], language=row[f"lang{side}"])
                article = _cleaned(raw)
                if article is not None:
                    yield page, article


def pages(shared: Path, wanted: set[str]) -> dict[str, Article]:
    """The articles of the page ids in ``wanted``."""
    members = {page.split("!", 1)[1] for page in wanted if page.startswith(NEWS)}
    found = dict(news_pages(shared, members)) if members else {}
    semeval = {page for page in wanted if page.startswith(SEMEVAL)}
    if semeval:
        found.update(semeval_pages(shared, semeval))
    return found
