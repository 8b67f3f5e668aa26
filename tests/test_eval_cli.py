"""`qa eval` end to end: invalid test sets, a live HTTP target (a real local server), thresholds
and exit codes, and an in-process run on the sample corpus."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from qa_service.eval.cli import eval_command

ROOT = Path(__file__).resolve().parents[1]
A = "000_bcc9d3f070f74c9b.txt"
app = typer.Typer()
app.command()(eval_command)


def write_testset(path: Path) -> Path:
    rows = [
        {"id": "d1", "question": "Chỉ thị 12-CT/TW ban hành ngày nào?", "history": [], "answerable": True,
         "must_include": [["05/01/2022", "5/1/2022"]], "gold_sources": [A],
         "gold_evidence": "Chỉ thị số 12-CT/TW ngày 05/01/2022", "type": "date"},
        {"id": "d2", "question": "Kế hoạch 108-KH/TU ban hành ngày nào?", "history": [], "answerable": True,
         "must_include": [["20/5/2022"]], "gold_sources": [A], "gold_evidence": "108-KH/TU ngày 20/5/2022",
         "type": "date"},
        {"id": "u1", "question": "Chủ tịch thành phố là ai?", "history": [], "answerable": False,
         "must_include": [], "gold_sources": [], "gold_evidence": "", "type": "unanswerable"},
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


class FakeQA(BaseHTTPRequestHandler):
    """Answers d1 right, d2 wrong, abstains on the rest; needs `Authorization: Bearer k`."""

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v1/chat" or self.headers.get("Authorization") != "Bearer k":
            self._send(401, {"error": {"code": "unauthorized", "message": "bad key"}})
            return
        snippet = "Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư"
        cite = {"index": 1, "doc_id": "d", "title": "t", "source": A, "chunk_id": "d:0",
                "snippet": snippet, "start": 0, "end": len(snippet), "score": 1.0}  # fmt: skip
        if "12-CT/TW" in body["message"] or "108" in body["message"]:  # right for d1, wrong for d2
            reply = {"answer": "Ngày 05/01/2022 [1].", "abstained": False, "citations": [cite]}
        else:
            reply = {"answer": "Không tìm thấy.", "abstained": True, "citations": []}
        self._send(200, {"conversation_id": "c", **reply})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeQA)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, [*args, "--no-progress"])
    return result.exit_code, result.output


def test_invalid_testset_exits_2_and_names_the_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a"}\nnot json\n', encoding="utf-8")
    code, out = invoke(str(bad), "--out", str(tmp_path / "r"))
    assert code == 2
    assert "line 1:" in out and "line 2: not valid JSON" in out
    assert not (tmp_path / "r").exists()  # nothing ran, nothing written
    code, out = invoke(str(tmp_path / "missing.jsonl"))
    assert code == 2 and "No such test set" in out


def test_http_run_writes_reports_and_checks_thresholds(tmp_path: Path, server: str) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    out = tmp_path / "r"
    code, text = invoke(str(testset), "--url", server, "--api-key", "k", "--out", str(out),
                        "--min-answer-correctness", "0.5", "--min-abstention-recall", "1.0")  # fmt: skip
    assert code == 0, text
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]["answer_correctness"] == 0.5
    assert report["metrics"]["abstention_recall"] == 1.0 and report["passed"]
    assert {p.name for p in out.iterdir()} == {
        "report.json",
        "report.md",
        "report.html",
        "results.jsonl",
    }
    assert len((out / "results.jsonl").read_text(encoding="utf-8").splitlines()) == 3
    assert "ALL" in text

    code, text = invoke(str(testset), "--url", server, "--api-key", "k", "--out", str(out),
                        "--min-answer-correctness", "0.9", "--type", "date")  # fmt: skip
    assert code == 1 and "FAIL answer_correctness >= 0.9" in text


def test_wrong_key_records_errors_and_still_reports(tmp_path: Path, server: str) -> None:
    testset = write_testset(tmp_path / "t.jsonl")
    code, text = invoke(str(testset), "--url", server, "--api-key", "nope", "--out", str(tmp_path / "r"),
                        "--min-accuracy", "0.1")  # fmt: skip
    assert code == 1
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert report["metrics"]["errors"] == 3
    assert report["questions"][0]["error"] == "ChatHTTPError: HTTP 401: unauthorized bad key"


def test_in_process_run_on_the_sample_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("qa_service.service", reason="qa_service.service not built yet")
    from qa_service.settings import get_settings

    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("QA_EMBEDDINGS", "fake")
    get_settings.cache_clear()
    try:
        testset = ROOT / "eval" / "testsets" / "sample_vi.jsonl"
        code, text = invoke(str(testset), "--ingest", str(ROOT / "data" / "sample"), "--limit", "6",
                            "--out", str(tmp_path / "r"))  # fmt: skip
    finally:
        get_settings.cache_clear()
    assert code == 0, text
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["questions_run"] == 6 and report["metrics"]["errors"] == 0
    assert report["run"]["settings"]["embeddings"] == "fake"
