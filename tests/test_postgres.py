"""vectorstore.postgres on a real throwaway PostgreSQL: versioned schema migrations applied once under
an advisory lock, and the writer lock across processes (refused within the timeout, named holder,
re-entrant, released when the holder dies)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from vectorstore.db import Schema
from vectorstore.errors import DatabaseUnavailableError, IndexConfigError, IndexLockedError
from vectorstore.postgres import AdvisoryWriterLock, PostgresDatabase, redact
from vectorstore.registry import Registry

ROOT = Path(__file__).resolve().parents[1]
STEPS = ("CREATE TABLE t1 (x INTEGER)", "ALTER TABLE t1 ADD COLUMN y TEXT", "CREATE TABLE t2 (z TEXT)")


def _versions(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return dict(conn.execute("SELECT component, version FROM schema_version").fetchall())


def test_migrations_apply_each_step_once_even_with_concurrent_starts(pg_url: str) -> None:
    first = Schema(name="demo", sqlite="", postgresql=STEPS[:1])
    PostgresDatabase(pg_url, first).close()
    assert _versions(pg_url) == {"demo": 1}
    # a new release adds steps; eight workers start at once: each step runs exactly once
    errors: list[BaseException] = []

    def start() -> None:
        try:
            PostgresDatabase(pg_url, Schema(name="demo", sqlite="", postgresql=STEPS)).close()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _versions(pg_url) == {"demo": 3}
    db = PostgresDatabase(pg_url, Schema(name="demo", sqlite="", postgresql=STEPS))
    try:
        db.run("INSERT INTO t1 VALUES (?, ?)", (1, "50% xong"))  # a literal % survives the placeholder mapping
        assert db.query("SELECT x, y FROM t1") == [(1, "50% xong")]
    finally:
        db.close()
    # an older release refuses a schema newer than it knows, rather than write into it
    with pytest.raises(IndexConfigError, match="newer than this release"):
        PostgresDatabase(pg_url, first)


def test_registry_and_conversations_record_their_schema_versions(pg_url: str) -> None:
    from qa_service.conversations import ConversationStore

    Registry(pg_url).close()
    ConversationStore(pg_url).close()
    assert _versions(pg_url) == {"registry": 2, "conversations": 1}


def test_unreachable_database_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("vectorstore.postgres.CONNECT_WAIT", 1.0)
    with pytest.raises(DatabaseUnavailableError, match="Cannot connect to PostgreSQL at postgresql://u:\\*\\*\\*@127.0.0.1:9/"):
        AdvisoryWriterLock("postgresql://u:secret@127.0.0.1:9/qa", timeout=0.1).acquire()
    with pytest.raises(DatabaseUnavailableError):  # the stores: the pool gives up after CONNECT_WAIT
        Registry("postgresql://u:secret@127.0.0.1:9/qa")
    assert redact("postgresql://u:secret@h:5432/qa") == "postgresql://u:***@h:5432/qa"


HOLDER = """
import sys, time
from vectorstore.postgres import AdvisoryWriterLock
lock = AdvisoryWriterLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
time.sleep(120)
"""


def test_a_second_writer_is_refused_until_the_holder_dies(pg_url: str) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, pg_url], stdout=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        started = time.monotonic()
        with pytest.raises(IndexLockedError) as info:
            AdvisoryWriterLock(pg_url, timeout=1.0).acquire()
        assert 1.0 <= time.monotonic() - started < 5.0
        assert f"pid {holder.pid}" in info.value.message and "only one writer" in info.value.message
        os.kill(holder.pid, signal.SIGKILL)  # a crashed writer: its session ends, so does the lock
        holder.wait()
        lock = AdvisoryWriterLock(pg_url, timeout=5.0)
        with lock:
            pass
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_reentrant_in_its_thread_and_exclusive_for_others(pg_url: str) -> None:
    lock = AdvisoryWriterLock(pg_url, timeout=0.3)
    other = AdvisoryWriterLock(pg_url, timeout=0.3)
    with lock, lock, pytest.raises(IndexLockedError):  # the CLI takes it, then the store nests it
        other.acquire()
    with other:  # released after the outermost exit
        pass


def test_qa_ingest_is_refused_while_another_host_writes_and_readers_keep_answering(
        pg_url: str, tmp_path: Path) -> None:
    """The CLI takes the advisory lock before loading anything: refused within its 1 s wait (+ start-up),
    exit 1 with the message; a worker on the same database answers meanwhile."""
    from qa_service.schemas import ChatRequest
    from qa_service.service import build_service
    from tests.conftest import SAMPLE_DIR, api_settings, ingest_sample
    from tests.test_crash_consistency import QA, env_for

    ingest_sample(tmp_path / "reader", pg_url)
    reader = build_service(api_settings(tmp_path / "reader", database_url=pg_url, retrieval_mode="lexical"))
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, pg_url], stdout=subprocess.PIPE, cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        started = time.monotonic()
        out = subprocess.run([str(QA), "ingest", str(SAMPLE_DIR)], env=env_for(tmp_path / "writer", QA_DATABASE_URL=pg_url),
                             cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert out.returncode == 1 and "only one writer" in " ".join(out.stderr.split()), out.stderr
        assert time.monotonic() - started < 5.0
        answer = reader.chat(ChatRequest(message="Kế hoạch số 108-KH/TU của cơ quan nào?"))
        assert not answer.abstained and answer.citations
    finally:
        holder.kill()
        holder.wait()
        reader.close()
    assert not list((tmp_path / "writer").rglob("*.sqlite3")) and not list((tmp_path / "writer").rglob("*.lock"))


def test_a_database_without_a_chroma_server_is_warned_about(pg_url: str, tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    from qa_service.service import build_store
    from tests.conftest import api_settings

    store = build_store(api_settings(tmp_path / "w", database_url=pg_url))
    store.close()
    assert "QA_DATABASE_URL without QA_CHROMA_URL" in caplog.text
    assert not (tmp_path / "w" / "registry.sqlite3").exists()
