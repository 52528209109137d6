"""Web archives (.warc, .warc.gz; Common Crawl News, a crawler's output) -> RawDocument, one
record at a time: memory stays flat however large the file.

Only ``response`` records of HTML pages with a 2xx status become documents (an archive also holds
requests, metadata, robots.txt, images and redirects; those are passed over, not rejected). The
source is the archive and the record (``crawl.warc.gz#urn:uuid:…``), so an article can be traced
back to the bytes it came from; the record's target URI is the page's URL; its WARC-Date is kept as
the capture time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crosswire.errors import InputError
from crosswire.ingest.files import MAX_FILE_BYTES, open_regular, os_rejection
from crosswire.sources.pages import HTML_TYPES, page_document
from crosswire.types import RawDocument, Rejection

MAX_RECORD_BYTES = MAX_FILE_BYTES  # one page in an archive is held to the limit of one file


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    media_type, _, params = (content_type or "").partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return media_type.strip().lower(), charset


def _page_type(record: Any) -> tuple[str, str | None] | None:
    """The media type and charset of a record that is an HTML page with a 2xx status, else None."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode() or ""
    media_type, charset = _media_type(record.http_headers.get_header("Content-Type"))
    if not status.startswith("2") or media_type not in HTML_TYPES:
        return None
    return media_type, charset


def count_pages(path: Path) -> int:
    """How many items ``read_warc`` yields for ``path`` (a pass over the archive without reading
    the pages; for a progress bar's total). A broken archive counts its one rejection."""
    from warcio.archiveiterator import ArchiveIterator

    found = records = 0
    try:
        with open_regular(path) as handle:  # a FIFO named .warc must not block the count
            for record in ArchiveIterator(handle):
                records += 1
                found += _page_type(record) is not None
    except Exception:  # the reader ends a damaged archive with one rejection
        return found + 1
    return found if records else 1  # an archive of no records is one rejection


def read_warc(
    path: Path, max_bytes: int = MAX_RECORD_BYTES, first: int = 0, stop: int | None = None
) -> Iterator[RawDocument | Rejection]:
    """The HTML responses in the archive at ``path``: the ``first``-th up to (not including) the
    ``stop``-th of them, counting from 0 (a shard of it; the pages before ``first`` are passed over
    without reading their bodies). A broken archive (truncated, not a WARC) ends in one Rejection
    naming the file; the records read before it stand."""
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError:  # pragma: no cover - a dependency, but say what to do if it went missing
        yield Rejection(str(path), "unsupported", "reading web archives needs warcio: pip install warcio")
        return
    try:
        with open_regular(path) as handle:
            pages = -1
            records = 0
            for record in ArchiveIterator(handle):
                records += 1
                page = _page_type(record)
                if page is None:
                    continue
                pages += 1
                if pages < first:
                    continue
                if stop is not None and pages >= stop:
                    break
                media_type, charset = page
                headers = record.rec_headers
                record_id = (headers.get_header("WARC-Record-ID") or "").strip("<>")
                source = f"{path}#{record_id or pages}"
                url = headers.get_header("WARC-Target-URI") or source  # the spec requires one
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Rejection(source, "too-large", f"record of more than {max_bytes} bytes ({url})")
                    continue
                captured = headers.get_header("WARC-Date")
                yield page_document(url, body, media_type, charset, captured=captured, source=source)
            if not records and not first:
                # warcio ends quietly on a gzip stream that holds no archive: say so, once.
                yield Rejection(str(path), "bad-warc", "no WARC records: empty, or not a web archive")
    except InputError as err:
        yield Rejection(str(path), err.reason, err.detail)
    except OSError as err:
        yield os_rejection(path, err)
    except Exception as err:  # warcio raises assorted errors on a damaged archive
        yield Rejection(str(path), "bad-warc", f"{type(err).__name__}: {err}"[:300])
