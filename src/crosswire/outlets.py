"""The outlets file: what the user knows about the sites that publish the articles.

A CSV file the user writes and keeps (crosswire ships none; ``docs/outlets.example.csv`` shows the
shape), one row per site, with a header naming some of these columns in any order::

    site,country,language,owner,notes
    pravda.com.ua,UA,uk,Dragon Capital,

Only ``site`` is required. Articles join a row by their site: the row of the site itself, else of
the nearest parent domain listed (``news.bbc.co.uk`` joins ``bbc.co.uk``), ``www.`` ignored.
crosswire adds no ratings of its own: whatever judgement the user has goes in ``notes``, and is
shown as written. (Not to be confused with ``crosswire sources``, the feeds crosswire polls.)

A file that cannot be used is an error naming the file and the line, never a crash.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crosswire.errors import CrosswireError

COLUMNS = ("site", "country", "language", "owner", "notes")
MAX_BYTES = 5 * 1024 * 1024  # thousands of outlets fit in well under a megabyte
MAX_ROWS = 50_000
MAX_FIELD = 1_000  # characters of an owner or a note
_SITE = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Outlet:
    site: str
    country: str = ""  # ISO 3166-1 alpha-2, upper case; "" unknown
    language: str = ""
    owner: str = ""
    notes: str = ""


class OutletsFileError(CrosswireError):
    """The outlets file cannot be used; the message names the file and the line."""


def site_key(site: str | None) -> str:
    """A site as the outlets file and the framing view key it: lower case, without ``www.``
    or a port."""
    host = (site or "").strip().lower().rstrip(".")
    host = host.split("/", 1)[0].split(":", 1)[0]
    return host[4:] if host.startswith("www.") else host


def parse_outlets(text: str, name: str = "outlets file") -> dict[str, Outlet]:
    """The outlets of a file's text, by site key. Raises ``OutletsFileError`` (with the line)
    for anything it cannot use: a missing or unknown column, a bad site, country or language, an
    overlong or control-character value, a site listed twice, too many rows."""
    if len(text) > MAX_BYTES:
        raise OutletsFileError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise OutletsFileError(f"{name}: empty; the first line must name the columns ({','.join(COLUMNS)})")
        columns = [c.strip().lower() for c in header]
        unknown = [c for c in columns if c not in COLUMNS]
        if unknown or "site" not in columns or len(set(columns)) != len(columns):
            raise OutletsFileError(
                f"{name}, line 1: the header must name 'site' and only these columns, once each: "
                f"{', '.join(COLUMNS)} (got {', '.join(repr(c[:40]) for c in columns)})"
            )
        found: dict[str, Outlet] = {}
        lines: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(found) >= MAX_ROWS:
                raise OutletsFileError(f"{name}, line {line}: more than {MAX_ROWS} outlets")
            outlet = _outlet(row, columns, f"{name}, line {line}")
            if outlet.site in found:
                first = lines[outlet.site]
                raise OutletsFileError(f"{name}, line {line}: {outlet.site} is listed already on line {first}")
            found[outlet.site], lines[outlet.site] = outlet, line
    except csv.Error as err:
        raise OutletsFileError(f"{name}, line {reader.line_num}: {err}") from err
    return found


def _outlet(row: list[str], columns: list[str], where: str) -> Outlet:
    if len(row) > len(columns):
        raise OutletsFileError(f"{where}: {len(row)} fields, the header names {len(columns)}")
    values = dict(zip(columns, (cell.strip() for cell in row), strict=False))
    for column, value in values.items():
        if _CONTROL.search(value):
            raise OutletsFileError(f"{where}: {column} holds a control or direction character")
        if len(value) > MAX_FIELD:
            raise OutletsFileError(f"{where}: {column} is longer than {MAX_FIELD} characters")
    site = site_key(values.get("site"))
    if not _SITE.match(site):
        got = values.get("site", "")[:80]
        raise OutletsFileError(f"{where}: site must be a host name like example.com (got {got!r})")
    country = values.get("country", "").upper()
    if country and not _COUNTRY.match(country):
        raise OutletsFileError(f"{where}: country must be a two-letter ISO 3166 code like UA (got {country[:40]!r})")
    language = values.get("language", "").lower()
    if language and not _LANGUAGE.match(language):
        raise OutletsFileError(f"{where}: language must be an ISO 639 code like uk (got {language[:40]!r})")
    return Outlet(site, country, language, values.get("owner", ""), values.get("notes", ""))


def read_outlets(path: str | Path) -> dict[str, Outlet]:
    """The outlets of the file at ``path`` (read again when it changes)."""
    file = Path(path).expanduser()
    try:
        stat = file.stat()
    except OSError as err:
        raise OutletsFileError(f"outlets file {file}: cannot read it ({err.strerror})") from err
    if stat.st_size > MAX_BYTES:
        raise OutletsFileError(f"outlets file {file}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    return _cached(str(file), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _cached(path: str, _mtime: int, _size: int) -> dict[str, Outlet]:
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise OutletsFileError(f"outlets file {path}: cannot read it ({err.strerror})") from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise OutletsFileError(f"outlets file {path}, line {line}: not UTF-8") from err
    return parse_outlets(text, f"outlets file {path}")


def outlet_of(outlets: dict[str, Outlet], site: str | None) -> Outlet | None:
    """The row an article's site joins: its own, else its nearest listed parent domain."""
    host = site_key(site)
    while "." in host:  # a bare top-level domain is nobody's outlet
        if host in outlets:
            return outlets[host]
        host = host.partition(".")[2]
    return None


def load_outlets(path: str | Path | None) -> dict[str, Outlet]:
    """The outlets file at ``path``, or none when no file is set (``path`` empty)."""
    return read_outlets(path) if path and str(path).strip() else {}
