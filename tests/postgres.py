"""A real, throwaway PostgreSQL for the tests: Debian's server binaries (`scripts/ensure_deb.sh`),
`initdb` in a temporary folder, `pg_ctl start` on a free loopback port with its unix socket in that
folder, stopped and removed at teardown. One cluster per test session (per xdist worker); each test
gets a database of its own (`CREATE DATABASE`, ~0.1 s), dropped afterwards.

`initdb` refuses to run as root: as root, the cluster belongs to the `postgres` system user (the
package creates it), or to `nobody`, and the commands run through `runuser`.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "qa"  # the cluster's superuser (trust authentication on loopback only)


def bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL's server binaries are missing: run `sh scripts/ensure_deb.sh postgresql '/usr/lib/postgresql/*/bin/initdb'`")
    return found[-1].parent


def _owner() -> str | None:
    """The unprivileged user to run the server as when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(cmd: list[str], owner: str | None) -> subprocess.CompletedProcess[str]:
    full = ["runuser", "-u", owner, "--", *cmd] if owner else cmd
    return subprocess.run(full, capture_output=True, text=True, timeout=120, cwd="/")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_stale(bins: Path, owner: str | None) -> None:
    """Stop and remove clusters left by test sessions that were killed before their teardown ran."""
    for pid_file in Path(tempfile.gettempdir()).glob("qa-pg-*/session.pid"):
        try:
            if _alive(int(pid_file.read_text())):
                continue
        except (OSError, ValueError):
            continue
        base = pid_file.parent
        if (base / "data" / "postmaster.pid").exists():
            _run([str(bins / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w", "stop"], owner)
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster; yields the URL of its `postgres` database (superuser `qa`, no password)."""
    bins, owner = bin_dir(), _owner()
    reap_stale(bins, owner)
    # Under /tmp, not pytest's tmp_path: that one is root-only (0700), the server user could not enter it.
    base = Path(tempfile.mkdtemp(prefix="qa-pg-"))
    (base / "session.pid").write_text(str(os.getpid()))
    if owner:
        ids = pwd.getpwnam(owner)
        os.chown(base, ids.pw_uid, ids.pw_gid)
    data, log = base / "data", base / "server.log"
    try:
        out = _run([str(bins / "initdb"), "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8",
                    "--no-locale", "--no-sync"], owner)
        assert out.returncode == 0, f"initdb failed:\n{out.stdout}\n{out.stderr}"
        for _ in range(3):  # a free port may be taken between the probe and the start: try another
            port = _free_port()
            opts = (f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off "
                    "-c synchronous_commit=off -c max_connections=200")
            out = _run([str(bins / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", opts, "start"],
                       owner)
            if out.returncode == 0:
                break
        else:
            raise AssertionError(f"pg_ctl start failed:\n{out.stdout}\n{out.stderr}\n{_tail(log)}")
        try:
            yield f"postgresql://{USER}@127.0.0.1:{port}/postgres"
        finally:
            _run([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], owner)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _tail(log: Path) -> str:
    try:
        return log.read_text(errors="replace")[-3000:]
    except OSError:
        return ""


@contextmanager
def database(admin_url: str) -> Iterator[str]:
    """A fresh, empty database in the cluster; dropped (connections and all) afterwards."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:16]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]  # our own identifier
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]
