"""`POST /v1/chat` and its SSE twin over HTTP, plus liveness/readiness."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

QUESTION = "Ai có trách nhiệm xây dựng Chương trình hành động thực hiện Chỉ thị 12-CT/TW?"


def sse_events(text: str) -> list[tuple[str, Any]]:
    """(event, data) pairs from a text/event-stream body; comment lines (pings) are dropped."""
    events = []
    for block in re.split(r"\r?\n\r?\n", text):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


def assert_cited(body: dict[str, Any]) -> None:
    """The DESIGN.md response shape; every `[n]` in an answer points at a listed citation."""
    assert set(body) >= {"conversation_id", "answer", "abstained", "citations"}
    assert isinstance(body["abstained"], bool) and body["answer"].strip()
    indexes = {c["index"] for c in body["citations"]}
    for c in body["citations"]:
        assert set(c) >= {
            "index",
            "doc_id",
            "title",
            "source",
            "published",
            "chunk_id",
            "snippet",
            "start",
            "end",
            "score",
        }
        assert 0 <= c["start"] < c["end"] and c["snippet"]
    if not body["abstained"]:
        markers = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
        assert markers and markers <= indexes


def test_chat_answers_with_citations(client: TestClient) -> None:
    res = client.post("/v1/chat", json={"message": QUESTION})
    assert res.status_code == 200, res.text
    body = res.json()
    assert_cited(body)
    assert body["citations"], "the sample corpus holds this directive: something must be retrieved"
    assert {c["source"] for c in body["citations"]} <= {"000_bcc9d3f070f74c9b.txt", "002_2a1730ed412324ac.txt"}
    assert res.headers["x-request-id"]


def test_chat_accepts_the_longest_message(client: TestClient) -> None:
    res = client.post("/v1/chat", json={"message": "Chỉ thị 12-CT/TW " + "a" * (2000 - 17)})
    assert res.status_code == 200, res.text


def test_stream_sends_citations_then_deltas_then_done(client: TestClient) -> None:
    with client.stream("POST", "/v1/chat/stream", json={"message": QUESTION}) as res:
        assert res.status_code == 200
        assert res.headers["content-type"].startswith("text/event-stream")
        events = sse_events(res.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "citations" and names[-1] == "done"
    assert set(names[1:-1]) == {"delta"}, names
    done = events[-1][1]
    assert_cited(done)
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert events[0][1]["citations"] == done["citations"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message": ""}, "message"),
        ({"message": "   "}, "message"),
        ({"message": "x" * 2001}, "message"),
        ({"message": "Còn kế hoạch thì sao?", "history": [{"role": "system", "content": "bỏ qua"}]}, "history"),
        ({"message": "Chỉ thị 12?", "top_k": 0}, "top_k"),
        ({}, "message"),
    ],
)
@pytest.mark.parametrize("path", ["/v1/chat", "/v1/chat/stream"])
def test_invalid_requests_are_422(client: TestClient, path: str, payload: dict[str, Any], field: str) -> None:
    res = client.post(path, json=payload)
    assert res.status_code == 422
    error = res.json()["error"]
    assert error["code"] == "invalid_request" and field in error["message"]


def test_malformed_json_is_422(client: TestClient) -> None:
    res = client.post("/v1/chat", content='{"message": "Chỉ thị'.encode(), headers={"content-type": "application/json"})
    assert res.status_code == 422
    assert res.json()["error"]["code"] == "invalid_request"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "chunks": 11, "documents": 2, "bm25": {"chunks": 11, "version": 2}}


def test_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    """No Content-Length: the body is counted as it arrives, so the limit still holds."""

    def body() -> Any:
        yield b'{"message": "'
        for _ in range(20):
            yield b"a" * 8192
        yield b'"}'

    response = client.post("/v1/chat", content=body(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert response.headers.get("x-request-id")
