"""Operations: JSON logs with an access line per request, readiness while loading, graceful shutdown."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import api_settings
from tests.test_crash_consistency import QA
from tests.test_scaleout import free_port, wait_for

KEY = "sekret-admin-key-4711"
MARKER = "NỘI_DUNG_MẬT_Z9"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    access = logging.getLogger("uvicorn.access")
    saved_access = (access.handlers[:], access.propagate, access.disabled)
    yield
    root.handlers, root.level = saved[0], saved[1]
    access.handlers, access.propagate, access.disabled = saved_access


def test_json_logs_one_object_per_line_with_an_access_line_and_no_secrets(
    indexed_dir: Path, capsys: pytest.CaptureFixture[str], restore_logging: None
) -> None:
    from qa_service.api.app import create_app

    settings = api_settings(indexed_dir, log_json=True, api_keys=f"{KEY}:admin")
    with TestClient(create_app(settings)) as client:
        headers = {"Authorization": f"Bearer {KEY}", "X-Request-ID": "req-abc-123"}
        r = client.post("/v1/chat", json={"message": "Chỉ thị 12-CT/TW ban hành ngày nào?"}, headers=headers)
        assert r.status_code == 200
        files = {"files": ("bi-mat.txt", f"Thông báo nội bộ\n\n{MARKER} chỉ dành cho cán bộ.".encode())}
        r = client.post(f"/v1/documents?api_key={KEY}", files=files, headers={"X-API-Key": KEY})
        assert r.status_code == 200, r.text
        assert client.get("/v1/models").status_code == 401
        assert client.get("/readyz").status_code == 200
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    # the server's lines only: the test client's own httpx logger prints the URLs it calls
    server = [line for line, r in zip(lines, records, strict=True) if not r["logger"].startswith("httpx")]
    err = "\n".join(server)
    for rec in records:
        assert {"time", "level", "logger", "message"} <= set(rec)
    access = [r for r in records if r["logger"] == "qa_service.access"]
    chat = next(r for r in access if r["path"] == "/v1/chat")
    assert chat["request_id"] == "req-abc-123" and chat["method"] == "POST" and chat["status"] == 200
    assert isinstance(chat["duration_ms"], float) and chat["duration_ms"] > 0
    upload = next(r for r in access if r["path"] == "/v1/documents")
    assert upload["status"] == 200 and len(upload["request_id"]) == 16  # generated when not sent
    assert any(r["path"] == "/v1/models" and r["status"] == 401 for r in access)
    assert any(r["logger"] == "qa_service.api" and r["message"].startswith("ready") for r in records)
    assert KEY not in err and MARKER not in err and "api_key" not in err


def test_readyz_is_503_until_the_lifespan_has_built_the_service(
    indexed_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qa_service.api.app as app_module

    gate = threading.Event()
    real_build = app_module.build_service

    def slow_build(settings: Any) -> Any:
        assert gate.wait(20), "test never opened the gate"
        return real_build(settings)

    monkeypatch.setattr(app_module, "build_service", slow_build)
    app = app_module.create_app(api_settings(indexed_dir))

    async def scenario() -> None:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            lifespan = app.router.lifespan_context(app)
            startup = asyncio.create_task(lifespan.__aenter__())
            await asyncio.sleep(0.3)
            assert not startup.done()
            r = await client.get("/readyz")
            assert r.status_code == 503 and r.json() == {"status": "loading"}
            assert (await client.get("/healthz")).status_code == 200
            r = await client.post("/v1/chat", json={"message": "Chỉ thị 12-CT/TW ban hành ngày nào?"})
            assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"
            gate.set()
            await asyncio.wait_for(startup, 30)
            r = await client.get("/readyz")
            assert r.status_code == 200 and r.json()["status"] == "ready" and r.json()["chunks"] > 0
            r = await client.post("/v1/chat", json={"message": "Chỉ thị 12-CT/TW ban hành ngày nào?"})
            assert r.status_code == 200
            await lifespan.__aexit__(None, None, None)

    asyncio.run(scenario())


@pytest.mark.skipif(not QA.exists(), reason="needs the qa CLI in the venv")
def test_sigterm_lets_an_in_flight_stream_finish_with_done(indexed_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "QA_EMBEDDINGS": "fake", "QA_DATA_DIR": str(indexed_dir), "QA_RATE_LIMIT_PER_MINUTE": "0",
           "QA_LOG_LEVEL": "WARNING", "HF_HUB_OFFLINE": "1"}
    env.pop("QA_API_KEYS", None)
    proc = subprocess.Popen([str(QA), "serve", "--port", str(port)], env=env, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for(f"http://127.0.0.1:{port}/readyz", proc)
        body = json.dumps({"message": "Ai có trách nhiệm xây dựng Chương trình hành động?"}).encode()
        head = (f"POST /v1/chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Accept: text/event-stream\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(head + body[:10])  # the request is in flight: headers in, body still arriving
            time.sleep(0.3)
            proc.send_signal(signal.SIGTERM)
            time.sleep(0.7)
            sock.sendall(body[10:])
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        text = received.decode(errors="replace")
        assert text.startswith("HTTP/1.1 200"), text[:500]
        assert "event: citations" in text and "event: delta" in text
        assert "event: done" in text, f"stream cut by the shutdown:\n{text[-800:]}"
        done = text.split("event: done", 1)[1]
        assert '"answer"' in done and '"citations"' in done
        assert proc.wait(timeout=25) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once drained
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
