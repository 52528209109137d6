"""Article content is untrusted: hostile titles, texts and URLs come out escaped on every page;
security headers on every response; writes need the token when the server has one (always off
loopback); cross-site writes and foreign host names are refused; no request path reaches the
filesystem."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ROOT
from live_server import free_port, live_server

from crosswire.web.serve import token_for

API = "/api/v1"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = [
    {
        "title": f"{SCRIPT} Lavrov meets Blinken",
        "text": f"Sergey Lavrov met Antony Blinken in Geneva. {IMG} The talks lasted ninety minutes.\n\n"
        f'<a href="javascript:alert(1)">click</a> and "><svg onload=alert(1)> in the text. ' * 3,
        "url": "javascript:alert(1)",
        "site": f"{SCRIPT}.example",
        "language": "en",
    },
    {
        "title": f"{IMG} Лавров у Женеві",
        "text": f"Сергій Лавров зустрівся з Ентоні Блінкеном у Женеві. {SCRIPT} Переговори тривали півтори години. "
        * 3,
        "url": "https://example.org/a?b=<script>",
        "language": "uk",
    },
    {"title": "One enormous line", "text": "Lavrov " + "x" * 1_000_000 + " end.", "language": "en"},
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, dict[str, object]]]:
    db = tmp_path_factory.mktemp("hostile") / "store.db"
    with live_server(db) as base, httpx.Client(base_url=base, timeout=60) as http:
        report = http.post(f"{API}/articles", json=HOSTILE).json()
        assert report["added"] == 3, report
        yield http, report


def _pages(http: httpx.Client, report: dict[str, object]) -> dict[str, str]:
    ids = [item["id"] for item in report["articles"]]  # type: ignore[attr-defined]
    stories = {item["story_id"] for item in report["articles"]}  # type: ignore[attr-defined]
    paths = ["/", "/?q=Lavrov", "/?q=alert", "/ingest", f"/compare?a={ids[0]}&b={ids[1]}"]
    paths += [f"/articles/{article_id}" for article_id in ids] + [f"/stories/{story}" for story in stories]
    pages = {}
    for path in paths:
        response = http.get(path)
        assert response.status_code == 200, (path, response.text[:300])
        pages[path] = response.text
    return pages


def test_hostile_content_is_escaped_on_every_page(hostile: tuple[httpx.Client, dict[str, object]]) -> None:
    http, report = hostile
    for path, page in _pages(http, report).items():
        assert "alert(1)</script>" not in page, path
        assert "<img src=x" not in page and "<svg onload" not in page, path
        assert not re.search(r"""href=["']?\s*javascript:""", page, re.IGNORECASE), path
        assert not re.search(r"<[^>]+\son\w+=", page), path  # no event-handler attribute anywhere
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert all('src="/static/app.js' in tag for tag in scripts), (path, scripts)
    article = http.get(f"/articles/{report['articles'][0]['id']}").text  # type: ignore[index]
    assert html.escape(SCRIPT, quote=False) in article or "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "javascript:alert(1)" in article  # shown as text, not as a link


def test_api_returns_hostile_content_as_data(hostile: tuple[httpx.Client, dict[str, object]]) -> None:
    http, report = hostile
    article = http.get(f"{API}/articles/{report['articles'][0]['id']}")  # type: ignore[index]
    assert article.headers["content-type"].startswith("application/json")
    assert article.json()["title"].startswith(SCRIPT)


def test_security_headers(hostile: tuple[httpx.Client, dict[str, object]]) -> None:
    http, _ = hostile
    for path in ("/", f"{API}/health", "/static/style.css", "/nothing", f"{API}/nothing"):
        headers = http.get(path).headers
        csp = headers["content-security-policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["script-src"] == "'self'" and "unsafe" not in csp
        assert directives["frame-ancestors"] == "'none'" and directives["default-src"] == "'none'"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"


def test_no_request_path_reaches_the_filesystem(hostile: tuple[httpx.Client, dict[str, object]]) -> None:
    http, _ = hostile
    for path in (
        "/static/../../pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/templates",
        "/articles/..%2F..%2Fetc%2Fpasswd",
        "/compare?a=/etc/passwd&b=/etc/hostname",
    ):
        response = http.get(path)
        assert response.status_code in (404, 422), path
        assert "root:" not in response.text and "[project]" not in response.text
    # A name of a file in the server's working folder is looked up as an article id, not opened.
    assert (ROOT / "Makefile").is_file()
    missing = http.get(f"{API}/compare", params={"a": "Makefile", "b": "Makefile"})
    assert missing.status_code == 404 and "PYTHON" not in missing.text
    # An upload's name only labels it.
    upload = http.post(f"{API}/articles", files=[("file", ("../../../etc/passwd.txt", b"Harbour strike " * 20))])
    assert upload.json()["articles"][0]["source"] == "../../../etc/passwd.txt"
    assert "root:" not in http.get(f"{API}/articles/{upload.json()['articles'][0]['id']}").json()["text"]


def test_cross_site_writes_and_foreign_hosts_are_refused(hostile: tuple[httpx.Client, dict[str, object]]) -> None:
    http, _ = hostile
    body = {"text": "A quiet day at the harbour. " * 10}
    refused = http.post(f"{API}/articles", json=body, headers={"origin": "https://evil.example"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "cross_origin"
    assert http.post("/ingest", data={"body": "x" * 50}, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    same = http.post(f"{API}/articles", json=body, headers={"origin": str(http.base_url).rstrip("/")})
    assert same.status_code == 200
    rebound = http.get(f"{API}/health", headers={"host": "attacker.example"})
    assert rebound.status_code == 400 and rebound.json()["error"]["code"] == "bad_host"


def test_writes_need_the_token_when_the_server_has_one(tmp_path: Path) -> None:
    body = {"text": "Ferries stopped running between the islands because of the storm. " * 4}
    with live_server(tmp_path / "t.db", token="s3cret") as base, httpx.Client(base_url=base) as http:
        denied = http.post(f"{API}/articles", json=body)
        assert denied.status_code == 401 and denied.json()["error"]["code"] == "unauthorized"
        assert http.post(f"{API}/articles", json=body, headers={"authorization": "Bearer wrong"}).status_code == 401
        assert http.post("/ingest", data={"body": body["text"], "token": "wrong"}).status_code == 401
        assert http.post(f"{API}/articles", json=body, headers={"authorization": "Bearer s3cret"}).status_code == 200
        assert http.post(f"{API}/articles", json=body, headers={"x-crosswire-token": "s3cret"}).status_code == 200
        assert http.post("/ingest", data={"body": body["text"], "token": "s3cret"}).status_code == 200
        assert http.get(f"{API}/stories").status_code == 200  # reads need no token
        assert 'name="token"' in http.get("/ingest").text


def test_token_policy() -> None:
    assert token_for("127.0.0.1", None) == (None, False)
    assert token_for("localhost", "given") == ("given", False)
    made, generated = token_for("0.0.0.0", None)
    assert generated and made and len(made) >= 24
    assert token_for("0.0.0.0", "given") == ("given", False)


def test_serve_off_loopback_makes_up_a_token_and_requires_it(tmp_path: Path) -> None:
    """Through the CLI, with two server processes (which get the token from the parent)."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "no-config")
    command = [sys.executable, "-m", "crosswire", "serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"]
    command += ["--create", "--workers", "2"]
    server = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    try:
        token = None
        deadline = time.monotonic() + 60
        assert server.stderr is not None
        while token is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            found = re.search(r"need the token (\S+)", line)
            token = found.group(1) if found else None
        assert token, "serve printed no token"
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(f"{base}{API}/health")
                break
            except httpx.TransportError:
                time.sleep(0.1)
        body = {"text": "Snow closed the mountain pass for the third day. " * 4}
        assert httpx.post(f"{base}{API}/articles", json=body).status_code == 401
        headers = {"authorization": f"Bearer {token}"}
        assert httpx.post(f"{base}{API}/articles", json=body, headers=headers, timeout=60).status_code == 200
    finally:
        server.terminate()
        server.wait(15)
        if server.stderr is not None:
            server.stderr.close()


def test_marking_shared_evidence_cuts_text_and_never_builds_markup() -> None:
    from crosswire.service.highlight import Piece, mark, mark_paragraphs

    forms = {"Лавров": ("person", "lvrv"), "15": ("number", "15")}
    pieces = mark("<b>Лавров</b> said 15, not 2015 or Лаврова.", forms)
    assert "".join(piece.text for piece in pieces) == "<b>Лавров</b> said 15, not 2015 or Лаврова."
    assert [piece for piece in pieces if piece.key] == [Piece("Лавров", "person", "lvrv"), Piece("15", "number", "15")]
    assert mark_paragraphs("one\n\n\n\ntwo", {}) == ((Piece("one"),), (Piece("two"),))
