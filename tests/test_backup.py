"""`qa backup DIR` / `qa restore DIR`: a verified copy that answers exactly as the original did."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from qa_service.cli import app
from qa_service.settings import get_settings
from tests.conftest import SAMPLE_DIR, api_settings
from tests.test_scaleout import CHROMA, QA, qa_env

QUESTIONS = [
    "Chỉ thị 12-CT/TW ban hành ngày nào?",
    "Ai có trách nhiệm xây dựng Chương trình hành động?",
    "chi thi 12 ban hanh ngay nao",
    "Liên hiệp các tổ chức hữu nghị thành phố Hải Phòng có nhiệm vụ gì?",
    "Giá vàng hôm nay là bao nhiêu?",  # unanswerable: the abstention must match too
]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    for name in ("QA_API_KEYS", "QA_CHROMA_URL", "QA_EMBEDDINGS_MODEL", "QA_ANSWERER", "QA_RETRIEVAL_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_EMBEDDINGS", "fake")
    use_dir(monkeypatch, tmp_path / "index")
    yield tmp_path
    get_settings.cache_clear()


def use_dir(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("QA_DATA_DIR", str(data_dir))
    get_settings.cache_clear()


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def err(result: Result) -> str:
    return " ".join(result.stderr.split())  # rich wraps at 80 columns under CliRunner


def answers(data_dir: Path) -> list[dict[str, Any]]:
    from chromadb.api.client import SharedSystemClient

    from qa_service.schemas import ChatRequest
    from qa_service.service import build_service

    SharedSystemClient.clear_system_cache()
    service = build_service(api_settings(data_dir))
    try:
        out = []
        for q in QUESTIONS:
            r = service.chat(ChatRequest(message=q))
            out.append({"answer": r.answer, "abstained": r.abstained, "citations": [c.model_dump() for c in r.citations]})
        return out
    finally:
        service.close()


def test_backup_then_restore_into_a_fresh_dir_answers_identically(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("ingest", str(SAMPLE_DIR)).exit_code == 0
    before = answers(cli_env / "index")
    assert sum(not a["abstained"] for a in before) >= 3 and before[-1]["abstained"]

    result = run("backup", str(cli_env / "backup"))
    assert result.exit_code == 0, result.output
    manifest = json.loads((cli_env / "backup" / "manifest.json").read_text())
    assert manifest["format_version"] == 1 and manifest["embeddings_id"] == "fake/64"
    assert manifest["chroma"] == "embedded" and manifest["documents"] == 2
    assert manifest["chunks"] == manifest["vectors"] > 0 and manifest["created"]
    assert {"registry.sqlite3", "chroma/chroma.sqlite3", "lexical/state.json"} <= set(manifest["files"])

    use_dir(monkeypatch, cli_env / "restored")
    result = run("restore", str(cli_env / "backup"))
    assert result.exit_code == 0, result.output
    assert f"{manifest['chunks']} vectors" in err(result)
    assert answers(cli_env / "restored") == before

    # a second restore over the now non-empty index is refused unless --force
    result = run("restore", str(cli_env / "backup"))
    assert result.exit_code != 0 and "--force" in err(result)
    result = run("restore", "--force", str(cli_env / "backup"))
    assert result.exit_code == 0, result.output
    assert answers(cli_env / "restored") == before


def test_backup_refuses_a_non_empty_folder_and_restore_a_damaged_backup(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("ingest", str(SAMPLE_DIR)).exit_code == 0
    (cli_env / "busy").mkdir()
    (cli_env / "busy" / "x.txt").write_text("x")
    result = run("backup", str(cli_env / "busy"))
    assert result.exit_code != 0 and "not empty" in err(result)

    assert run("backup", str(cli_env / "backup")).exit_code == 0
    with (cli_env / "backup" / "registry.sqlite3").open("r+b") as fh:
        fh.seek(200)
        fh.write(b"\xff\xff")
    use_dir(monkeypatch, cli_env / "restored")
    result = run("restore", str(cli_env / "backup"))
    assert result.exit_code != 0 and "damaged" in err(result)
    assert not (cli_env / "restored" / "registry.sqlite3").exists()
    (cli_env / "backup").rename(cli_env / "damaged")
    use_dir(monkeypatch, cli_env / "index")
    assert run("backup", str(cli_env / "backup")).exit_code == 0
    monkeypatch.setenv("QA_EMBEDDINGS_MODEL", "32")  # fake/32: another vector space
    use_dir(monkeypatch, cli_env / "restored")
    result = run("restore", str(cli_env / "backup"))
    assert result.exit_code != 0 and "made with embeddings 'fake/64'" in err(result)
    assert not (cli_env / "restored" / "registry.sqlite3").exists()
    result = run("restore", str(cli_env / "nowhere"))
    assert result.exit_code != 0 and "not a backup" in err(result)


def test_server_mode_backup_holds_registry_and_lexical_and_restore_reconciles(tmp_path: Path) -> None:
    """Without Chroma's folder, the restored registry brings every vector back from its embedding cache."""
    from qa_service.service import build_store
    from tests.conftest import ingest_sample
    from vectorstore.backup import backup_index, restore_index

    ingest_sample(tmp_path / "index")
    store = build_store(api_settings(tmp_path / "index"))
    manifest = backup_index(store, tmp_path / "backup", server_mode=True)
    store.close()
    assert manifest["chroma"] == "server" and not (tmp_path / "backup" / "chroma").exists()
    restore_index(tmp_path / "backup", tmp_path / "restored")
    restored = build_store(api_settings(tmp_path / "restored"))
    try:
        assert restored.registry.get_meta("dirty") == "1"
        assert restored.collection.count() == 0
        with restored.writer_lock:
            restored.open_for_writing()
        assert sorted(restored.collection.get(include=[])["ids"]) == sorted(restored.registry.chunk_ids())
        assert restored.collection.count() == manifest["chunks"]
    finally:
        restored.close()
    assert answers(tmp_path / "restored") == answers(tmp_path / "index")


@pytest.mark.skipif(not CHROMA.exists() or not QA.exists(), reason="needs the chroma and qa CLIs in the venv")
def test_chroma_server_mode_backs_up_registry_and_lexical_and_restore_reconciles_the_server(
    tmp_path: Path, chroma_url: str
) -> None:
    data_dir = tmp_path / "index"
    env = qa_env(data_dir, chroma_url)

    def qa(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(QA), *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert qa("ingest", str(SAMPLE_DIR)).returncode == 0
    out = qa("backup", str(tmp_path / "backup"))
    assert out.returncode == 0, out.stderr
    assert "the server's job" in " ".join(out.stderr.split())
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["chroma"] == "server" and not (tmp_path / "backup" / "chroma").exists()
    assert "registry.sqlite3" in manifest["files"] and "lexical/state.json" in manifest["files"]

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "thong-bao.txt").write_text("Thông báo số 9-TB/VP\n\nVăn phòng thông báo lịch họp giao ban tuần.",
                                         encoding="utf-8")
    assert qa("ingest", str(extra)).returncode == 0
    out = qa("restore", str(tmp_path / "backup"))
    assert out.returncode != 0 and "--force" in " ".join(out.stderr.split())
    out = qa("restore", "--force", str(tmp_path / "backup"))
    assert out.returncode == 0, out.stderr
    # the server's collection was reconciled with the restored registry: the later document is gone
    assert f"{manifest['chunks']} chunks ({manifest['chunks']} vectors)" in " ".join(out.stderr.split())
