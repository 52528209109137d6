"""Web-archive ingest: news-stream pages written into a .warc.gz (one gzip member per record, as
Common Crawl writes them, with a request record before each response), then ingested end to end
(read + clean + analyse + represent + cluster + store, the `crosswire ingest FILE.warc.gz` path)
into a fresh store, at two archive sizes, to show the rate and that memory stays flat in the size
of the file. The peer is the same pages ingested from the HTML files, in the same run.

Each measurement runs in a process of its own so its peak memory is its own.

    python -m benchmarks warc            # 2,000 and 6,000 pages
    python -m benchmarks.bench_warc --quick
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import CACHE, unpacked

_OG_URL = re.compile(rb'<meta[^>]+property="og:url"[^>]+content="([^"]+)"')


def pages() -> list[Path]:
    return sorted(unpacked("data/news-stream/tgnews-2019-html.tar.xz").rglob("*.html"))


def write_warc(path: Path, sources: list[Path]) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for source in sources:
            body = source.read_bytes()
            found = _OG_URL.search(body[:8192])
            url = found.group(1).decode("utf-8", "replace") if found else f"http://news-stream.invalid/{source.stem}"
            day, hour = source.parent.parent.name, source.parent.name  # data/20191108/18/<id>.html
            date = f"{day[:4]}-{day[4:6]}-{day[6:]}T{hour}:00:00Z"
            request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("User-Agent", "bench")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(url, "request", payload=io.BytesIO(b""), length=0, http_headers=request)
            )
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)
    return path


def _peaks() -> tuple[float, float]:
    """Peak resident memory (MiB) of this process and of its largest worker."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def child(mode: str, inputs: list[str]) -> dict[str, float]:
    """One measurement (in its own process): read the archive only, or ingest ``inputs``."""
    from crosswire.service.sources import ingest_sources
    from crosswire.settings import Settings
    from crosswire.sources.warc import read_warc
    from crosswire.store import SQLiteStore

    start = time.perf_counter()
    if mode == "read":
        count = sum(1 for _ in read_warc(Path(inputs[0])))
        seconds = time.perf_counter() - start
        return {"records": count, "seconds": seconds, "per_s": count / seconds, "peak_mib": _peaks()[0]}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        report = ingest_sources(SQLiteStore(db), inputs, Settings(db=str(db)))
        seconds = time.perf_counter() - start
    own, workers = _peaks()
    rejected = sum(report.rejected.values())
    return {"added": report.added, "rejected": rejected, "seconds": seconds, "per_s": report.added / seconds,
            "peak_mib": own, "worker_peak_mib": workers}  # fmt: skip


def _measure(mode: str, inputs: list[str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_warc", "--child", mode, *inputs], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    measured: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return measured


def main() -> None:
    if "--child" in sys.argv:
        at = sys.argv.index("--child")
        print(json.dumps(child(sys.argv[at + 1], sys.argv[at + 2 :])))
        return
    sizes = (200, 600) if "--quick" in sys.argv else (2000, 6000)
    sources = pages()
    folder = CACHE / "warc"
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[str] = []
    results: dict[int, dict[str, Any]] = {}
    loads = [os.getloadavg()[0]]
    for size in sizes:
        archive = write_warc(folder / f"news-stream-{size}.warc.gz", sources[:size])
        read = _measure("read", [str(archive)])
        ingested = _measure("ingest", [str(archive)])
        results[size] = {"read": read, "ingest": ingested, "warc_mib": archive.stat().st_size / 2**20}
        rows.append(
            f"| {size} | {archive.stat().st_size / 2**20:.1f} | **{ingested['per_s']:.0f}** | "
            f"{ingested['peak_mib']:.0f} | {ingested['worker_peak_mib']:.0f} | {read['per_s']:.0f} | "
            f"{read['peak_mib']:.0f} |"
        )
        archive.unlink()
        loads.append(os.getloadavg()[0])
    files = _measure("ingest", [str(path) for path in sources[: sizes[0]]])
    loads.append(os.getloadavg()[0])
    small, large = results[sizes[0]], results[sizes[1]]
    markdown = "\n".join(
        [
            "News-stream pages written into a `.warc.gz` (gzip per record, a request record before each "
            "response), then `crosswire ingest` on it into a fresh store (workers: auto, 2 on this machine, "
            "plus the reading and writing process).",
            "",
            "| pages | archive MiB | ingest articles/s | peak MiB, main process | peak MiB, a worker "
            "| read only records/s | read only peak MiB |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Peer, the same first {sizes[0]} pages from their HTML files: {files['per_s']:.0f} articles/s "
            f"(ratio archive / files: **{small['ingest']['per_s'] / files['per_s']:.2f}**). "
            f"Memory, {sizes[1]} against {sizes[0]} pages: main process "
            f"{large['ingest']['peak_mib'] / small['ingest']['peak_mib']:.2f}×, reading alone "
            f"{large['read']['peak_mib'] / small['read']['peak_mib']:.2f}× for a "
            f"{large['warc_mib'] / small['warc_mib']:.1f}× larger archive (the main process also holds ingest's "
            "candidate cache, up to 4,096 representations: `service/ingest.py`). Target ≥ 150 articles/s on 2 cores. "
            f"The machine is shared: its 1-minute load average read {', '.join(f'{x:.1f}' for x in loads)} "
            "at the start, after each size and after the peer.",
        ]
    )
    json.dump(
        {
            "title": "Web-archive ingest (news-stream pages as WARC)",
            "markdown": markdown,
            "sizes": results,
            "files_peer": files,
            "load_averages": loads,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
