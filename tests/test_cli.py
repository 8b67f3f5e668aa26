"""The `qa` command line (DESIGN.md contract) through typer's CliRunner, on a data dir in tmp_path."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from qa_service.cli import app
from qa_service.schemas import ChatResponse
from qa_service.settings import get_settings

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
QUESTION = "Ai có trách nhiệm xây dựng Chương trình hành động?"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """QA_DATA_DIR in tmp_path, fake embeddings; settings re-read for each test (get_settings is cached)."""
    data_dir = tmp_path / "index"
    monkeypatch.chdir(tmp_path)  # no stray .env from the working directory
    for name in ("QA_API_KEYS", "QA_CHROMA_URL", "QA_EMBEDDINGS_MODEL", "QA_ANSWERER", "QA_RETRIEVAL_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QA_DATA_DIR", str(data_dir))
    monkeypatch.setenv("QA_EMBEDDINGS", "fake")
    get_settings.cache_clear()
    yield data_dir
    get_settings.cache_clear()


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(SAMPLE, folder)
    return folder


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _err(result: Result) -> str:
    """stderr with rich's line wrapping undone (it wraps at the terminal width, 80 under CliRunner)."""
    return result.stderr.replace("\n", "")


def _ingested(docs: Path) -> None:
    result = _run("ingest", str(docs))
    assert result.exit_code == 0, result.output


# --- ingest --------------------------------------------------------------------------------------


def test_ingest_prints_a_summary_and_is_idempotent(cli_env: Path, docs: Path) -> None:
    first = _run("ingest", str(docs))
    assert first.exit_code == 0, first.output
    assert "2 files: 2 added, 0 updated, 0 unchanged, 0 skipped" in first.stderr
    assert get_settings().data_dir == cli_env
    assert (cli_env / "registry.sqlite3").exists() and (cli_env / "chroma").is_dir()

    second = _run("ingest", str(docs))
    assert second.exit_code == 0, second.output
    assert "2 files: 0 added, 0 updated, 2 unchanged, 0 skipped; 0 chunks written" in second.stderr


def test_ingest_json_summary(cli_env: Path, docs: Path) -> None:
    result = _run("ingest", "--json", str(docs))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["added"], summary["skipped"]) == (2, 2, 0)
    assert summary["chunks"] > 0
    assert {o["status"] for o in summary["outcomes"]} == {"added"}
    assert {Path(o["path"]).name for o in summary["outcomes"]} == {p.name for p in SAMPLE.iterdir()}

    again = json.loads(_run("ingest", "--json", str(docs)).stdout)
    assert (again["unchanged"], again["chunks"]) == (2, 0)


def test_ingest_changed_file_is_updated(cli_env: Path, docs: Path) -> None:
    _ingested(docs)
    path = docs / "002_2a1730ed412324ac.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn bổ sung về Kế hoạch.\n", encoding="utf-8")
    result = _run("ingest", str(docs))
    assert result.exit_code == 0, result.output
    assert "0 added, 1 updated, 1 unchanged" in result.stderr


def test_ingest_unknown_path_fails_with_the_reason(cli_env: Path, tmp_path: Path) -> None:
    missing = tmp_path / "khong-co.txt"
    result = _run("ingest", str(missing))
    assert result.exit_code != 0
    assert "no such file or folder" in _err(result)
    assert "khong-co.txt" in _err(result)


def test_ingest_reports_skipped_files(cli_env: Path, docs: Path) -> None:
    (docs / "rong.txt").write_bytes(b"")
    (docs / "bang.xlsx").write_bytes(b"PK")
    result = _run("ingest", str(docs))
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stderr and "2 skipped" in result.stderr
    assert "rong.txt: empty file" in _err(result)
    assert "bang.xlsx: unsupported file type" in _err(result)


# --- ask -----------------------------------------------------------------------------------------


def test_ask_prints_an_answer_with_sources(cli_env: Path, docs: Path) -> None:
    _ingested(docs)
    result = _run("ask", QUESTION)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "có trách nhiệm xây dựng Chương trình hành động" in out
    assert "[1]" in out
    assert "Nguồn:" in out
    assert "000_bcc9d3f070f74c9b.txt, 2023-01-12" in out
    assert "ký tự" in out  # offsets of the quoted passage


def test_ask_json_prints_a_chat_response(cli_env: Path, docs: Path) -> None:
    _ingested(docs)
    result = _run("ask", "--json", "--top-k", "3", QUESTION)
    assert result.exit_code == 0, result.output
    response = ChatResponse.model_validate_json(result.stdout)
    assert response.abstained is False
    assert response.citations and len(response.citations) <= 3
    assert "[1]" in response.answer
    cited = response.citations[0]
    assert cited.index == 1 and cited.source == "000_bcc9d3f070f74c9b.txt" and cited.published == "2023-01-12"
    assert cited.end > cited.start
    assert "có trách nhiệm" in cited.snippet


def test_ask_without_diacritics_in_lexical_mode(cli_env: Path, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DESIGN.md example, with retrieval pinned to BM25 (fake dense vectors are noise)."""
    _ingested(docs)
    monkeypatch.setenv("QA_RETRIEVAL_MODE", "lexical")
    get_settings.cache_clear()
    result = _run("ask", "--json", "chi thi 12 ban hanh ngay nao")
    assert result.exit_code == 0, result.output
    response = ChatResponse.model_validate_json(result.stdout)
    assert not response.abstained
    assert "05/01/2022" in response.answer
    assert any("12-CT/TW ngày 05/01/2022" in c.snippet for c in response.citations)


def test_ask_on_an_empty_index_abstains(cli_env: Path) -> None:
    result = _run("ask", "--json", QUESTION)
    assert result.exit_code == 0, result.output
    response = ChatResponse.model_validate_json(result.stdout)
    assert response.abstained is True
    assert response.citations == []


@pytest.mark.parametrize("question", ["", "   "])
def test_ask_empty_question_fails(cli_env: Path, question: str) -> None:
    result = _run("ask", question)
    assert result.exit_code != 0
    assert "error:" in result.stderr
    assert result.stdout == ""


def test_ask_rejects_top_k_out_of_range(cli_env: Path) -> None:
    assert _run("ask", "--top-k", "0", QUESTION).exit_code != 0


# --- remove --------------------------------------------------------------------------------------


def test_remove_by_path_then_by_id(cli_env: Path, docs: Path) -> None:
    result = _run("ingest", "--json", str(docs))
    outcomes = {Path(o["path"]).name: o for o in json.loads(result.stdout)["outcomes"]}

    by_path = _run("remove", str(docs / "002_2a1730ed412324ac.txt"))
    assert by_path.exit_code == 0, by_path.output
    doc_002 = outcomes["002_2a1730ed412324ac.txt"]
    assert f"removed {doc_002['doc_id']} ({doc_002['chunks']} chunks)" in _err(by_path)

    doc_000 = outcomes["000_bcc9d3f070f74c9b.txt"]
    by_id = _run("remove", doc_000["doc_id"])
    assert by_id.exit_code == 0, by_id.output
    assert f"removed {doc_000['doc_id']}" in _err(by_id)

    again = _run("remove", doc_000["doc_id"])
    assert again.exit_code != 0
    assert "no document with id or path" in _err(again)

    after = json.loads(_run("ingest", "--json", str(docs)).stdout)
    assert after["added"] == 2  # both really gone


def test_no_arguments_shows_help(cli_env: Path) -> None:
    result = _run()
    assert "ingest" in result.output and "ask" in result.output and "remove" in result.output
