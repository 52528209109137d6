from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
UK_SEED = SEEDS / "000_a69a3fb0b83d7f83.txt"
RU_SEED = SEEDS / "002_0c491f7abdee406b.txt"


def require_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data set sits beside the project only in CI and dev checkouts")
    return path


@pytest.fixture
def seeds() -> Path:
    return require_shared(SEEDS)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def run_cli(
    *args: str, db: Path | None = None, input: str | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    if db is not None:
        env["CROSSWIRE_DB"] = str(db)
    env["XDG_CONFIG_HOME"] = str((db.parent if db else ROOT) / "no-config")
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *args],
        capture_output=True,
        text=True,
        env=env,
        input=input,
        cwd=cwd or ROOT,
        timeout=timeout,
    )
