"""HTML rendering: Jinja2 templates with autoescaping on (article content is untrusted: it is
only ever inserted as escaped text), and the static files, read into memory once so that no
request path reaches the filesystem."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import Request

_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass(frozen=True, slots=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str


def static_files() -> dict[str, StaticFile]:
    """Every file of the package's static folder, by name."""
    found = {}
    for entry in (resources.files("crosswire.web") / "static").iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if suffix in _TYPES:
            body = entry.read_bytes()
            found[entry.name] = StaticFile(body, _TYPES[suffix], hashlib.sha256(body).hexdigest()[:16])
    return found


def web_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL, else None: a stored URL is shown as a link only
    then (never a javascript: or data: one)."""
    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` with its noun in the right number: "1 article", "2 articles", "0 stories" (the
    plural given, or the singular with an s)."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


_LONG_WORD = re.compile(r"\S{120,}")


def has_long_word(value: str) -> bool:
    """A run of 120+ characters without a space: the page breaks it anywhere (word-break:
    break-all; the gentler overflow-wrap:anywhere took Chromium minutes on a million-character
    word)."""
    return bool(_LONG_WORD.search(value))


def bars(pairs: Iterable[tuple[str, int]], top: int = 10) -> list[dict[str, Any]]:
    """Rows of a small bar chart: label, value and the bar's share of the largest (0..100)."""
    rows = list(pairs)
    shown = rows[:top]
    rest = sum(n for _, n in rows[top:])
    if rest:
        shown.append((f"{len(rows) - top} more", rest))
    peak = max((n for _, n in shown), default=1) or 1
    return [{"label": label or "?", "value": n, "share": round(100 * n / peak, 1)} for label, n in shown]


def make_renderer(static: Mapping[str, StaticFile]) -> Callable[..., str]:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("crosswire.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["web_url"] = web_url
    env.filters["counted"] = counted
    env.tests["long"] = has_long_word

    def static_url(name: str) -> str:
        return f"/static/{name}?v={static[name].etag}"

    def with_query(request: Request, **changes: Any) -> str:
        query = {key: value for key, value in request.query_params.items() if value}
        for key, value in changes.items():
            if value is None or value == "":
                query.pop(key, None)
            else:
                query[key] = str(value)
        return request.url.path + ("?" + urlencode(query) if query else "")

    env.globals.update(static_url=static_url, with_query=with_query, bars=bars)

    def render(name: str, request: Request, **context: Any) -> str:
        web = request.app.state.web
        return env.get_template(name).render(request=request, token_required=bool(web.token), **context)

    return render
