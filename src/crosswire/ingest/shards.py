"""Inputs split into shards that workers read on their own, so an executor on several machines
reads in parallel instead of one process reading everything: whole files, balanced by size, and
runs of the records of a web archive (its pages) or a Parquet file (its rows). (An archive shard
decompresses the archive up to its last page: warcio's byte offsets inside gzip archives are
approximate, so a shard cannot seek to its first. A Parquet shard reads only its row groups.)

    shards, rejected = plan_shards(paths, 8)
    for shard in shards: ... read_shard(shard) ...   # anywhere: a shard is plain data

Every input is in exactly one shard; reading every shard gives what ``read_paths`` gives.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from crosswire.ingest.files import PARQUET_SUFFIXES, RECORD_SUFFIXES, read_paths, walk
from crosswire.types import RawDocument, Rejection


@dataclass(frozen=True, slots=True)
class Shard:
    """Files read whole (``paths``), or the records of one web archive or Parquet file
    (``archive``) from the ``first``-th up to the ``stop``-th (None: its end)."""

    paths: tuple[str, ...] = ()
    archive: str | None = None
    first: int = 0
    stop: int | None = None


def _is_archive(path: Path) -> bool:
    return path.name.lower().endswith(RECORD_SUFFIXES)


def _is_parquet(path: Path) -> bool:
    return path.name.lower().endswith(PARQUET_SUFFIXES)


def _count_records(path: Path) -> int:
    from crosswire.ingest.parquet import count_rows
    from crosswire.sources.warc import count_pages

    return count_rows(path) if _is_parquet(path) else count_pages(path)


def plan_shards(paths: Sequence[str | Path], count: int) -> tuple[list[Shard], list[Rejection]]:
    """About ``count`` shards of the inputs under ``paths`` (archives and Parquet files cut into
    ``count`` runs of records each), and what cannot be read at all."""
    count = max(count, 1)
    files: list[tuple[int, str]] = []
    shards: list[Shard] = []
    rejected: list[Rejection] = []
    for found in walk(paths):
        if isinstance(found, Rejection):
            rejected.append(found)
        elif _is_archive(found):
            pages = _count_records(found)  # a damaged file counts its one rejection: one shard reports it
            step = max(1, math.ceil(pages / count))
            for first in range(0, max(pages, 1), step):
                stop = first + step if first + step < pages else None
                shards.append(Shard(archive=str(found), first=first, stop=stop))
        else:
            files.append((found.stat().st_size, str(found)))
    # Largest first into the lightest bin: bins within one file's size of each other.
    bins: list[tuple[int, int, list[str]]] = [(0, i, []) for i in range(min(count, len(files)))]
    for size, path in sorted(files, reverse=True):
        total, i, members = heapq.heappop(bins)
        members.append(path)
        heapq.heappush(bins, (total + size, i, members))
    shards += [Shard(paths=tuple(sorted(members))) for _, _, members in sorted(bins, key=lambda b: b[1]) if members]
    return shards, rejected


def read_shard(shard: Shard) -> Iterator[RawDocument | Rejection]:
    if shard.archive is not None and _is_parquet(Path(shard.archive)):
        from crosswire.ingest.parquet import read_parquet

        yield from read_parquet(Path(shard.archive), first=shard.first, stop=shard.stop)
    elif shard.archive is not None:
        from crosswire.sources.warc import read_warc

        yield from read_warc(Path(shard.archive), first=shard.first, stop=shard.stop)
    else:
        yield from read_paths(shard.paths)
