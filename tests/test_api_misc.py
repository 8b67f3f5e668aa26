"""Feedback, conversations, metrics, keys and scopes, body and rate limits, and the OpenAPI document."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import running_server

QUESTION = "Ai có trách nhiệm xây dựng Chương trình hành động thực hiện Chỉ thị 12-CT/TW?"


def metric(client: httpx.Client | TestClient, name: str, **labels: str) -> float:
    """The summed value of the samples named `name` whose labels include `labels`."""
    total = 0.0
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


# --- feedback -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_feedback_is_stored_and_counted(client: TestClient) -> None:
    answer = client.post("/v1/chat", json={"message": QUESTION}).json()
    before = metric(client, "qa_feedback_total", rating="down")
    payload = {
        "conversation_id": answer["conversation_id"],
        "message_id": answer["message_id"],
        "rating": "down",
        "comment": "Thiếu thời hạn thực hiện.",
    }
    res = client.post("/v1/feedback", json=payload)
    assert res.status_code == 201 and res.json() == {"status": "recorded"}
    assert metric(client, "qa_feedback_total", rating="down") == before + 1
    assert client.app.state.service.conversations.feedback_count() == 1  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "payload",
    [
        {"conversation_id": "c", "message_id": "m", "rating": "meh"},
        {"conversation_id": "c", "rating": "up"},
        {"conversation_id": "c", "message_id": "m", "rating": "up", "comment": "x" * 1001},
        {"conversation_id": "c", "message_id": "m", "rating": "up", "stars": 5},
    ],
)
def test_invalid_feedback_is_422(client: TestClient, payload: dict[str, object]) -> None:
    res = client.post("/v1/feedback", json=payload)
    assert res.status_code == 422 and res.json()["error"]["code"] == "invalid_request"


# --- conversations ------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_conversation_history_is_kept_read_and_deleted(client: TestClient) -> None:
    res = client.post("/v1/chat", json={"message": QUESTION, "conversation_id": "hoi-thoai-1"})
    first = res.json()
    assert first["conversation_id"] == "hoi-thoai-1"
    # An open server has no keys: the conversation belongs to the token handed out with its first answer.
    token = first["conversation_token"]
    assert res.headers["X-Conversation-Token"] == token and len(token) >= 32
    client.headers["X-Conversation-Token"] = token
    client.post("/v1/chat", json={"message": "Còn Kế hoạch 108-KH/TU thì sao?", "conversation_id": "hoi-thoai-1"})
    body = client.get("/v1/conversations/hoi-thoai-1").json()
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user", "assistant"]
    assert body["messages"][0]["content"] == QUESTION
    assert body["messages"][1] | {"created": 0} == {
        "message_id": first["message_id"],
        "role": "assistant",
        "content": first["answer"],
        "created": 0,
    }
    assert client.delete("/v1/conversations/hoi-thoai-1").json() == {"conversation_id": "hoi-thoai-1", "deleted": 4}
    assert client.get("/v1/conversations/hoi-thoai-1").status_code == 404


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_unknown_conversation_is_404(client: TestClient) -> None:
    for method in ("GET", "DELETE"):
        res = client.request(method, "/v1/conversations/khong-co")
        assert res.status_code == 404 and res.json()["error"]["code"] == "not_found"


# --- metrics ------------------------------------------------------------------------------------------
@pytest.fixture
def served(indexed_dir: Path, tmp_path: Path) -> Iterator[str]:
    """`uvicorn --factory` in its own process, as deployed: request metrics belong to that one app
    (in a process holding several apps the instrumentator only counts for the first)."""
    with running_server(indexed_dir, tmp_path) as (url, _):
        yield url


def test_metrics_expose_requests_latency_answers_and_feedback(served: str) -> None:
    with httpx.Client(base_url=served, timeout=30) as http:
        answered = http.post("/v1/chat", json={"message": QUESTION}).json()
        unknown = http.post("/v1/chat", json={"message": "Giá vé máy bay đi Đà Nẵng tháng sau là bao nhiêu?"}).json()
        rating = {"conversation_id": answered["conversation_id"], "message_id": answered["message_id"], "rating": "up"}
        assert http.post("/v1/feedback", json=rating).status_code == 201
        text = http.get("/metrics").text
        for name in ("qa_answers_total", "qa_abstentions_total", "qa_feedback_total"):
            assert f"# TYPE {name} counter" in text
        assert metric(http, "http_requests_total", handler="/v1/chat", method="POST", status="2xx") == 2
        assert metric(http, "http_request_duration_seconds_count", handler="/v1/chat", method="POST") == 2
        assert metric(http, "http_request_duration_seconds_bucket", handler="/v1/chat", le="+Inf") == 2
        assert metric(http, "http_request_duration_seconds_sum", handler="/v1/chat") > 0
        assert metric(http, "http_requests_total", handler="/v1/feedback", status="2xx") == 1
        assert metric(http, "qa_answers_total", answerer="extractive") == 2
        assert metric(http, "qa_abstentions_total") == answered["abstained"] + unknown["abstained"]
        assert metric(http, "qa_feedback_total", rating="up") == 1


def test_an_upload_the_client_abandons_is_no_server_error(served: str) -> None:
    """A client that closes the connection halfway through its upload is "499 client closed request":
    counted apart from server errors (no false alert)."""
    body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"x.txt\"\r\n\r\n" + b"x" * 5000
    head = (f"POST /v1/documents HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=b\r\n"
            f"Content-Length: {len(body) + 100_000}\r\n\r\n").encode()  # fmt: skip
    host, port = served.removeprefix("http://").split(":")
    for _ in range(3):
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(head + body)
            time.sleep(0.3)  # the server is reading the body when the client goes
    with httpx.Client(base_url=served, timeout=30) as http:
        deadline = time.monotonic() + 10
        while metric(http, "http_requests_total", handler="/v1/documents", status="4xx") < 3:
            assert time.monotonic() < deadline, [x for x in http.get("/metrics").text.splitlines() if "requests_total{" in x]
            time.sleep(0.2)
        assert metric(http, "http_requests_total", handler="/v1/documents", status="5xx") == 0


# --- keys, scopes, limits -----------------------------------------------------------------------------
@pytest.fixture
def keyed(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys="c1:chat,a1:admin")


def test_chat_routes_need_a_key(keyed: TestClient) -> None:
    calls = [
        ("POST", "/v1/chat", {"message": QUESTION}),
        ("POST", "/v1/chat/stream", {"message": QUESTION}),
        ("POST", "/v1/chat/completions", {"model": "vi-doc-qa", "messages": [{"role": "user", "content": QUESTION}]}),
        ("GET", "/v1/models", None),
        ("GET", "/v1/conversations/abc", None),
        ("DELETE", "/v1/conversations/abc", None),
        ("POST", "/v1/feedback", {"conversation_id": "c", "message_id": "m", "rating": "up"}),
    ]
    for method, path, body in calls:
        for headers in ({}, {"Authorization": "Bearer sai"}, {"X-API-Key": "sai"}):
            res = keyed.request(method, path, json=body, headers=headers)
            assert res.status_code == 401, (method, path, headers)
            assert res.json()["error"]["code"] == "unauthorized"


def test_keys_by_either_header_and_admin_implies_chat(keyed: TestClient) -> None:
    for headers in ({"Authorization": "Bearer c1"}, {"X-API-Key": "c1"}, {"Authorization": "Bearer a1"}):
        assert keyed.post("/v1/chat", json={"message": QUESTION}, headers=headers).status_code == 200
    res = keyed.get("/v1/documents", headers={"X-API-Key": "c1"})
    assert res.status_code == 403 and res.json()["error"]["code"] == "forbidden"
    assert keyed.get("/healthz").status_code == 200 and keyed.get("/readyz").status_code == 200


def test_oversized_json_body_is_413(client: TestClient) -> None:
    history = [{"role": "user", "content": "Chỉ thị 12-CT/TW " * 500}] * 10  # ~85 KB > 64 KB
    res = client.post("/v1/chat", json={"message": QUESTION, "history": history})
    assert res.status_code == 413 and res.json()["error"]["code"] == "too_large"
    res = client.post("/v1/chat/completions", json={"model": "vi-doc-qa", "messages": history})
    assert res.status_code == 413


def test_rate_limit_is_429_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    client = make_client(rate_limit_per_minute=3)
    codes = [client.post("/v1/chat", json={"message": QUESTION}).status_code for _ in range(3)]
    assert codes == [200, 200, 200]
    limited = client.post(
        "/v1/chat/completions", json={"model": "vi-doc-qa", "messages": [{"role": "user", "content": "?"}]}
    )
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # health is never rate-limited


# --- the OpenAPI document -----------------------------------------------------------------------------
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", re.I)


def test_openapi_has_vietnamese_summaries_and_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert VIETNAMESE.search(op.get("summary", "")), f"{method.upper()} {path}: no Vietnamese summary"
            body = op.get("requestBody")
            if body is None:
                continue
            content = next(iter(body["content"].values()))
            schema = content["schema"]
            if "$ref" in schema:
                schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
            examples = content.get("examples") or schema.get("examples")
            assert examples, f"{method.upper()} {path}: no request example"
            assert VIETNAMESE.search(str(examples)), f"{method.upper()} {path}: example not in Vietnamese"
    expected = {
        "/v1/chat",
        "/v1/chat/stream",
        "/v1/chat/completions",
        "/v1/models",
        "/v1/documents",
        "/v1/documents/{doc_id}",
        "/v1/conversations/{conversation_id}",
        "/v1/feedback",
        "/healthz",
        "/readyz",
    }
    assert expected <= set(spec["paths"])


def test_cors_allowlist_and_exposed_headers(make_client: Callable[..., TestClient]) -> None:
    client = make_client(cors_origins="https://portal.example.gov.vn")
    ok = client.options("/v1/chat", headers={"Origin": "https://portal.example.gov.vn",
                                             "Access-Control-Request-Method": "POST"})
    assert ok.headers.get("access-control-allow-origin") == "https://portal.example.gov.vn"
    res = client.post("/v1/chat", json={"message": "Kế hoạch 108-KH/TU"},
                      headers={"Origin": "https://portal.example.gov.vn"})
    assert "retry-after" in res.headers.get("access-control-expose-headers", "").lower()
    other = client.options("/v1/chat", headers={"Origin": "https://evil.example.com",
                                                "Access-Control-Request-Method": "POST"})
    assert other.headers.get("access-control-allow-origin") is None


def test_rate_limit_is_checked_before_auth_and_invented_keys_share_a_bucket(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_keys="c1:chat", rate_limit_per_minute=3)
    codes = [client.post("/v1/chat", json={"message": "Kế hoạch 108-KH/TU"},
                         headers={"Authorization": f"Bearer invented-{i}"}).status_code for i in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[3:] == [429, 429]
    limited = client.post("/v1/chat", json={"message": "x"}, headers={"X-API-Key": "invented-9"})
    assert limited.headers["Retry-After"].isdigit()
    assert limited.json()["error"]["code"] == "rate_limited"
    # a configured key has its own bucket and is not punished for the flood
    ok = client.post("/v1/chat", json={"message": "Kế hoạch 108-KH/TU"}, headers={"X-API-Key": "c1"})
    assert ok.status_code == 200
