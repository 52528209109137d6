"""Web archives the tests write themselves (warcio's writer): only HTML responses with a 2xx status
become articles, with their URL and capture time; the archive is read a record at a time."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import BinaryIO

import pytest
from fixture_server import article
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crosswire.ingest.files import read_paths
from crosswire.service.sources import ingest_sources
from crosswire.settings import Settings
from crosswire.sources import warc
from crosswire.sources.warc import read_warc
from crosswire.store import SQLiteStore
from crosswire.types import RawDocument, Rejection

DATE = "2019-11-21T10:15:00Z"


def _page(number: int) -> bytes:
    title, text = article(number)
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], *, compress: bool = True) -> Path:
    """Write ``(url, status line, content type, body)`` response records, with a request record
    before each, as WARC (gzip per record when ``compress``)."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        for url, status, content_type, body in records:
            request = writer.create_warc_record(
                url,
                "request",
                payload=io.BytesIO(b""),
                length=0,
                http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.org")], is_http_request=True),
            )
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": DATE},
            )
            writer.write_record(record)
    return path


RUSSIAN = (
    "<html><head><title>Забастовка в Лиссабоне</title></head><body><article><h1>Забастовка в Лиссабоне</h1>"
    "<p>Портовые рабочие Лиссабона в понедельник завершили недельную забастовку, сообщили в управлении порта.</p>"
    "<p>Судоходные компании заявили, что движение вернется в норму к пятнице.</p></article></body></html>"
)


def _mixed_records() -> list[tuple[str, str, str, bytes]]:
    return [
        ("http://example.org/a", "200 OK", "text/html; charset=utf-8", _page(1)),
        ("http://example.org/gone", "404 Not Found", "text/html", _page(2)),
        ("http://example.org/moved", "301 Moved Permanently", "text/html", b""),
        ("http://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
        ("http://example.org/robots.txt", "200 OK", "text/plain", b"User-agent: *\n"),
        ("http://example.org/ru", "200 OK", "text/html; charset=windows-1251", RUSSIAN.encode("cp1251")),
        ("http://example.org/b", "200 OK", "application/xhtml+xml", _page(3)),
    ]


@pytest.mark.parametrize("compress", [True, False])
def test_only_html_responses_with_2xx_become_documents(tmp_path: Path, compress: bool) -> None:
    name = "crawl.warc.gz" if compress else "crawl.warc"
    path = write_warc(tmp_path / name, _mixed_records(), compress=compress)
    found = list(read_paths([path]))
    assert all(isinstance(item, RawDocument) for item in found)
    documents = [item for item in found if isinstance(item, RawDocument)]
    assert [doc.url for doc in documents] == ["http://example.org/a", "http://example.org/ru", "http://example.org/b"]
    # The source names the archive and the record, the URL the page: both are kept.
    assert all(doc.source.startswith(f"{path}#urn:uuid:") for doc in documents)
    assert len({doc.source for doc in documents}) == 3
    assert {doc.captured for doc in documents} == {DATE}
    assert all(doc.kind == "html" and doc.published is None for doc in documents)
    assert "Забастовка в Лиссабоне" in documents[1].body  # decoded with the charset the server declared


def test_a_warc_ingests_keeping_url_and_capture_time(tmp_path: Path) -> None:
    (tmp_path / "crawls").mkdir()
    path = write_warc(tmp_path / "crawls" / "crawl.warc.gz", _mixed_records())
    db = tmp_path / "store.db"
    store = SQLiteStore(db)
    report = ingest_sources(store, [str(tmp_path / "crawls")], Settings(db=str(db), workers=0))
    assert (report.added, sum(report.rejected.values())) == (3, 0), report.rejections
    urls = {a.url for a in store.articles(store.all_article_ids())}
    assert urls == {"http://example.org/a", "http://example.org/ru", "http://example.org/b"}
    raws = [store.raw(article_id) for article_id in store.all_article_ids()]
    assert {raw.captured for raw in raws if raw} == {DATE}
    assert ingest_sources(store, [str(path)], Settings(db=str(db), workers=0)).present == 3


def test_a_truncated_archive_keeps_the_records_before_the_damage(tmp_path: Path) -> None:
    path = write_warc(tmp_path / "crawl.warc.gz", [("http://example.org/a", "200 OK", "text/html", _page(1))])
    whole = path.read_bytes()
    second = write_warc(tmp_path / "second.warc.gz", [("http://example.org/b", "200 OK", "text/html", _page(2))])
    path.write_bytes(whole + second.read_bytes()[: len(second.read_bytes()) // 2])
    found = list(read_warc(path))
    assert isinstance(found[0], RawDocument) and found[0].url == "http://example.org/a"
    assert isinstance(found[-1], Rejection) and found[-1].reason == "bad-warc"
    not_warc = tmp_path / "junk.warc.gz"
    not_warc.write_bytes(gzip.compress(b"this is no archive\r\n\r\n"))
    assert [item.reason for item in read_warc(not_warc) if isinstance(item, Rejection)] == ["bad-warc"]


def test_an_archive_of_no_records_is_said_so_not_passed_over(tmp_path: Path) -> None:
    """A gzip header and then junk, or an empty file: warcio reads no record and raises nothing;
    the user hears of the file once (and a progress total counts that one rejection)."""
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(b"\x1f\x8b\x08\x00junk")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    for path in (junk, empty):
        [rejected] = read_warc(path)
        assert (
            isinstance(rejected, Rejection) and rejected.reason == "bad-warc" and "no WARC records" in rejected.detail
        )
        assert warc.count_pages(path) == 1
        assert list(read_warc(path, first=1)) == []  # a later shard of the same file says nothing more
    kept = write_warc(tmp_path / "crawl.warc.gz", [("http://example.org/a", "404 Not Found", "text/html", _page(1))])
    assert list(read_warc(kept)) == [] and warc.count_pages(kept) == 0  # records, none a page: passed over


def test_an_oversized_record_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    big = b"<html><body>" + b"<p>word</p>" * 20_000 + b"</body></html>"
    records = [
        ("http://example.org/big", "200 OK", "text/html", big),
        ("http://example.org/a", "200 OK", "text/html", _page(1)),
    ]
    path = write_warc(tmp_path / "crawl.warc.gz", records)
    found = list(read_warc(path, max_bytes=100_000))
    assert isinstance(found[0], Rejection) and found[0].reason == "too-large"
    assert isinstance(found[1], RawDocument) and found[1].url == "http://example.org/a"


def test_records_are_read_one_at_a_time(tmp_path: Path) -> None:
    records = [(f"http://example.org/{i}", "200 OK", "text/html", _page(i)) for i in range(300)]
    path = write_warc(tmp_path / "crawl.warc.gz", records)
    opened: list[BinaryIO] = []
    original = warc.open_regular  # type: ignore[attr-defined]  # the name the reader looks up, spied on

    def spy(path: Path) -> BinaryIO:
        handle = original(path)
        opened.append(handle)
        return handle

    reader = read_warc(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(warc, "open_regular", spy)
        first = next(reader)
    assert isinstance(first, RawDocument)
    assert opened[0].tell() < path.stat().st_size / 10  # the first record did not need the whole file
    assert sum(1 for _ in reader) == 299
