"""Screenshots of the web UI for docs/web.md, at desktop width and at 360 px, taken in Debian's
chromium through Playwright (as the browser tests do).

    .venv/bin/python scripts/web_screenshots.py            # into docs/screenshots/

It serves a fresh store holding the two example articles (a Ukrainian and a Russian report of
the same news) and, when the news-stream pages are unpacked in the benchmark cache, the first
400 of them, so the story list has something to list.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
NEWS = Path(os.environ.get("CROSSWIRE_BENCH_CACHE", "/tmp/crosswire-bench")) / "tgnews-2019-html"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDTHS = {"desktop": (1280, 900), "mobile": (360, 740)}


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _serve(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    command = [sys.executable, "-m", "crosswire", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/health")
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("crosswire serve did not start")


def _ingest(base: str) -> list[str]:
    examples = sorted((ROOT / "examples").glob("*.txt"))
    files = [("file", (path.name, path.read_bytes(), "text/plain")) for path in examples]
    seeds = httpx.post(f"{base}/api/v1/articles", files=files, timeout=120).json()
    pages = sorted(NEWS.rglob("*.html"))[:400] if NEWS.exists() else []
    for start in range(0, len(pages), 100):
        chunk = [("file", (path.name, path.read_bytes(), "text/html")) for path in pages[start : start + 100]]
        httpx.post(f"{base}/api/v1/articles", files=chunk, timeout=600)
    return [item["id"] for item in seeds["articles"]]


def _shoot(page: Page, base: str, path: str, name: str, width: str, full: bool = True) -> None:
    page.goto(base + path)
    if name == "article":
        page.click("details.removed summary")
    page.screenshot(path=str(OUT / f"{name}-{width}.png"), full_page=full)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        port = _port()
        base = f"http://127.0.0.1:{port}"
        server = _serve(Path(folder) / "store.db", port)
        try:
            uk, ru = _ingest(base)
            story = httpx.get(f"{base}/api/v1/articles/{uk}").json()["story_id"]
            shots = {
                "stories": ("/", False),
                "search": ("/?q=%D0%BF%D0%B5%D1%80%D0%B5%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%D0%B0%D0%BC%D0%B8", False),
                "story": (f"/stories/{story}", True),
                "article": (f"/articles/{uk}", True),
                "compare": (f"/compare?a={uk}&b={ru}", False),
                "ingest": ("/ingest", False),
            }
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                for width, (w, h) in WIDTHS.items():
                    page = browser.new_page(viewport={"width": w, "height": h})
                    for name, (path, full) in shots.items():
                        _shoot(page, base, path, name, width, full)
                    page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(15)
    print(f"wrote {len(list(OUT.glob('*.png')))} screenshots to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
