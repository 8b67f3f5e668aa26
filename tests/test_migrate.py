"""`qa migrate --to postgresql`: an embedded index (SQLite registry, conversations, embedded Chroma) copied
into a real PostgreSQL and a real Chroma server, verified, and served from there afterwards."""

from __future__ import annotations

import subprocess
from pathlib import Path

from qa_service.conversations import ConversationStore
from tests.conftest import api_settings, ingest_sample
from tests.test_scaleout import NEEDS_CLIS, QA, qa_env

pytestmark = NEEDS_CLIS
QUESTION = "Cơ quan nào ban hành công văn chỉ đạo tiếp tục triển khai thực hiện Chỉ thị số 12-CT/TW?"


def migrate(data_dir: Path, pg_url: str, chroma_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**qa_env(data_dir, chroma_url), "QA_DATABASE_URL": pg_url}
    return subprocess.run([str(QA), "migrate", *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_migrate_copies_registry_conversations_and_vectors(tmp_path: Path, pg_url: str, chroma_url: str) -> None:
    from qa_service.service import build_service

    data_dir = ingest_sample(tmp_path / "index")
    embedded = build_service(api_settings(data_dir))
    before = embedded.store.registry.counts()
    tasks = embedded.store.registry.tasks()
    embedded.conversations.claim("c1", "key1")
    embedded.conversations.append("c1", QUESTION, "m1", "Ban Thường vụ Thành ủy [1].")
    embedded.conversations.add_feedback("c1", "m1", "up", "Đúng.")
    vectors = embedded.store.collection.count()
    embedded.close()

    out = migrate(data_dir, pg_url, chroma_url, tmp_path, "--to", "postgresql")
    assert out.returncode == 0, out.stderr
    assert f"documents {before[0]}" in out.stderr and f"chunks {before[1]}" in out.stderr
    assert f"vectors {vectors}" in out.stderr and "messages 2" in out.stderr and "feedback 1" in out.stderr
    assert f"tasks {len(tasks)}" in out.stderr

    # a worker on PostgreSQL + the Chroma server, in an empty folder, answers as the embedded index did
    moved = build_service(api_settings(tmp_path / "elsewhere", database_url=pg_url, chroma_url=chroma_url))
    try:
        assert moved.store.registry.counts() == before
        assert moved.store.registry.tasks() == tasks
        assert moved.store.collection.count() == vectors == moved.store.chunk_count()
        assert moved.conversations.owner("c1") == "key1" and len(moved.conversations.messages("c1")) == 2
        from qa_service.schemas import ChatRequest

        answer = moved.chat(ChatRequest(message=QUESTION))
        assert not answer.abstained and "Ban Thường vụ Thành" in answer.answer
    finally:
        moved.close()
    assert not list((tmp_path / "elsewhere").rglob("*.sqlite3"))

    # a second run refuses to merge into a database that already holds an index
    again = migrate(data_dir, pg_url, chroma_url, tmp_path, "--to", "postgresql")
    assert again.returncode == 1 and "not empty" in again.stderr
    bad = migrate(data_dir, pg_url, chroma_url, tmp_path, "--to", "mysql")
    assert bad.returncode == 2 and "only 'postgresql'" in bad.stderr


def test_conversation_store_copy_keeps_order(tmp_path: Path, pg_url: str) -> None:
    from qa_service.migrate import TABLES, _copy

    source = ConversationStore(tmp_path / "c.sqlite3")
    for i in range(3):
        source.append("c", f"hỏi {i}", f"m{i}", f"đáp {i}")
    target = ConversationStore(pg_url)
    try:
        assert _copy(source.db, target.db, TABLES["conversations"])["messages"] == 6
        assert target.messages("c") == source.messages("c")
    finally:
        source.close()
        target.close()


def test_backup_and_restore_point_to_the_database_tools(tmp_path: Path, pg_url: str) -> None:
    """With QA_DATABASE_URL the registry is not a file: `qa backup`/`qa restore` say what to use instead."""
    env = {k: v for k, v in qa_env(tmp_path / "index", "").items() if k != "QA_CHROMA_URL"}
    env["QA_DATABASE_URL"] = pg_url
    for args in (["backup", str(tmp_path / "b")], ["restore", str(tmp_path / "b")]):
        out = subprocess.run([str(QA), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        text = " ".join(out.stderr.split())
        assert out.returncode == 1 and ("pg_dump" in text or "pg_restore" in text), out.stderr
    assert not (tmp_path / "b").exists() and not list(tmp_path.rglob("*.sqlite3"))
