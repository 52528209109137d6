"""Shared benchmark plumbing: where the data is, the machine, medians, peak memory."""

from __future__ import annotations

import os
import platform
import resource
import statistics
import tarfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CACHE = Path(os.environ.get("CROSSWIRE_BENCH_CACHE", "/tmp/crosswire-bench"))
T = TypeVar("T")


class Skip(Exception):
    """A benchmark cannot run here (its data is absent)."""


def shared(relative: str) -> Path:
    path = SHARED / relative
    if not path.exists():
        raise Skip(f"{path} is absent")
    return path


def unpacked(archive: str) -> Path:
    """Unpack a tar.xz from ../shared once into the cache folder and return that folder."""
    source = shared(archive)
    target = CACHE / source.name.removesuffix(".tar.xz")
    done = target / ".unpacked"
    if not done.exists():
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source) as tar:
            tar.extractall(target, filter="data")
        done.touch()
    return target


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {cores} cores, {memory:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def median_time(run: Callable[[], T], repeats: int = 3) -> tuple[float, T]:
    """Median wall time of ``repeats`` runs (machines here are shared and noisy) and the last result."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result  # type: ignore[return-value]


def peak_rss_mib() -> float:
    """Peak resident memory of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
