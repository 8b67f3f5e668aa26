"""Security over HTTP: conversations belong to the key (or public token) that created them, `/metrics`
and the API documentation are not open on a keyed server, and document records carry no server path."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import running_server

QUESTION = "Liên hiệp các tổ chức hữu nghị thành phố phải làm gì?"
FOLLOW_UP = "Còn Kế hoạch 108-KH/TU thì sao?"
C1, C2, ADMIN = ({"X-API-Key": k} for k in ("c1", "c2", "a1"))


@pytest.fixture
def keyed(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys="c1:chat,c2:chat,a1:admin")


def roles(client: TestClient, conversation_id: str, headers: dict[str, str]) -> list[str]:
    res = client.get(f"/v1/conversations/{conversation_id}", headers=headers)
    assert res.status_code == 200, res.text
    return [m["role"] for m in res.json()["messages"]]


# --- conversations bound to keys --------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_another_key_sees_a_conversation_as_unknown(keyed: TestClient) -> None:
    first = keyed.post("/v1/chat", json={"message": QUESTION}, headers=C1).json()
    cid = first["conversation_id"]
    assert first.get("conversation_token") is None  # a key owns the conversation: no token needed
    assert roles(keyed, cid, C1) == ["user", "assistant"]
    unknown = keyed.get("/v1/conversations/khong-co-hoi-thoai-nay", headers=C2)
    for method in ("GET", "DELETE"):
        res = keyed.request(method, f"/v1/conversations/{cid}", headers=C2)
        # exactly what an unknown id gets, apart from the id itself: existence does not leak
        assert res.status_code == 404 == unknown.status_code
        assert res.json()["error"]["code"] == unknown.json()["error"]["code"] == "not_found"
    assert roles(keyed, cid, C1) == ["user", "assistant"]  # the refused DELETE deleted nothing


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_continuing_another_keys_conversation_starts_a_new_one(keyed: TestClient) -> None:
    cid = keyed.post("/v1/chat", json={"message": QUESTION}, headers=C1).json()["conversation_id"]
    for path, body in (
        ("/v1/chat", {"message": FOLLOW_UP, "conversation_id": cid}),
        ("/v1/chat/completions", {"model": "vi-doc-qa", "messages": [{"role": "user", "content": FOLLOW_UP}],
                                  "conversation_id": cid}),
    ):
        res = keyed.post(path, json=body, headers=C2)
        assert res.status_code == 200, res.text
        other = res.json()["conversation_id"]
        assert other != cid
        assert roles(keyed, other, C2) == ["user", "assistant"]
    res = keyed.post("/v1/chat/stream", json={"message": FOLLOW_UP, "conversation_id": cid}, headers=C2)
    assert res.status_code == 200
    done = [json.loads(line[5:]) for line in res.text.splitlines() if line.startswith("data:") and '"answer"' in line]
    assert len(done) == 1 and done[0]["conversation_id"] not in (None, cid)
    assert roles(keyed, cid, C1) == ["user", "assistant"]  # C1's history was neither read nor extended
    # the owner still continues it
    keyed.post("/v1/chat", json={"message": FOLLOW_UP, "conversation_id": cid}, headers=C1)
    assert roles(keyed, cid, C1) == ["user", "assistant"] * 2


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_admin_lists_reads_and_deletes_any_conversation(keyed: TestClient) -> None:
    cid = keyed.post("/v1/chat", json={"message": QUESTION}, headers=C1).json()["conversation_id"]
    keyed.post("/v1/chat", json={"message": QUESTION}, headers=C2)
    assert keyed.get("/v1/conversations", headers=C1).status_code == 403
    listing = keyed.get("/v1/conversations", headers=ADMIN).json()
    assert listing["total"] == 2
    mine = next(c for c in listing["conversations"] if c["conversation_id"] == cid)
    assert mine["owner"].startswith("key:") and mine["messages"] == 2 and "c1" not in mine["owner"]
    assert roles(keyed, cid, ADMIN) == ["user", "assistant"]
    assert keyed.delete(f"/v1/conversations/{cid}", headers=ADMIN).json()["deleted"] == 2
    assert keyed.get(f"/v1/conversations/{cid}", headers=C1).status_code == 404
    # the emptied id stays C1's: another key cannot take it over
    other = keyed.post("/v1/chat", json={"message": QUESTION, "conversation_id": cid}, headers=C2).json()
    assert other["conversation_id"] != cid


def test_an_open_server_lists_no_conversations(client: TestClient) -> None:
    client.post("/v1/chat", json={"message": QUESTION})
    assert client.get("/v1/conversations").status_code == 403


# --- public chat: an unguessable token per conversation ---------------------------------------------------
@pytest.fixture
def public(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys="a1:admin", public_chat=True)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_public_conversations_belong_to_their_token(public: TestClient) -> None:
    res = public.post("/v1/chat", json={"message": QUESTION})
    body = res.json()
    cid, token = body["conversation_id"], body["conversation_token"]
    assert res.headers["X-Conversation-Token"] == token and len(token) >= 32
    mine = {"X-Conversation-Token": token}
    public.post("/v1/chat", json={"message": FOLLOW_UP, "conversation_id": cid}, headers=mine)
    assert roles(public, cid, mine) == ["user", "assistant"] * 2
    # without the token, or with another client's, the conversation is unknown
    stranger_token = public.post("/v1/chat", json={"message": QUESTION}).json()["conversation_token"]
    assert stranger_token != token
    for headers in ({}, {"X-Conversation-Token": stranger_token}):
        assert public.get(f"/v1/conversations/{cid}", headers=headers).status_code == 404
        assert public.delete(f"/v1/conversations/{cid}", headers=headers).status_code == 404
        res = public.post("/v1/chat", json={"message": FOLLOW_UP, "conversation_id": cid}, headers=headers)
        assert res.json()["conversation_id"] != cid
    bad = public.get(f"/v1/conversations/{cid}", headers={"X-Conversation-Token": "short"})
    assert bad.status_code == 422
    assert roles(public, cid, ADMIN) == ["user", "assistant"] * 2  # admin reads any
    assert public.delete(f"/v1/conversations/{cid}", headers=mine).json()["deleted"] == 4


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_token_is_never_stored(public: TestClient) -> None:
    token = public.post("/v1/chat", json={"message": QUESTION}).json()["conversation_token"]
    service = public.app.state.service  # type: ignore[attr-defined]
    rows = service.conversations.db.query("SELECT owner FROM conversations")
    assert rows and all(token not in owner for (owner,) in rows)


# --- operational endpoints ------------------------------------------------------------------------------
def test_metrics_need_the_admin_key_when_keys_are_configured(keyed: TestClient) -> None:
    assert keyed.get("/metrics").status_code == 401
    assert keyed.get("/metrics", headers=C1).status_code == 403
    res = keyed.get("/metrics", headers={"Authorization": "Bearer a1"})
    assert res.status_code == 200 and "qa_" in res.text


def test_metrics_open_by_setting_or_on_an_open_server(make_client: Callable[..., TestClient]) -> None:
    assert make_client(api_keys="a1:admin", metrics_public=True).get("/metrics").status_code == 200
    assert make_client().get("/metrics").status_code == 200


def test_api_docs_closed_on_a_keyed_server_unless_asked(make_client: Callable[..., TestClient]) -> None:
    closed = make_client(api_keys="a1:admin")
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert closed.get(path).status_code == 404, path
    opened = make_client(api_keys="a1:admin", api_docs=True)
    assert opened.get("/openapi.json").status_code == 200 and opened.get("/docs").status_code == 200
    assert make_client().get("/openapi.json").status_code == 200


def test_document_records_carry_no_server_path(keyed: TestClient) -> None:
    docs = keyed.get("/v1/documents", headers=ADMIN).json()["documents"]
    assert docs
    for doc in docs:
        detail = keyed.get(f"/v1/documents/{doc['doc_id']}", headers=ADMIN)
        assert detail.status_code == 200
        assert "path" not in detail.json()
        assert "/" not in detail.json()["source"] and "/tmp" not in detail.text and "/work" not in detail.text


# --- bounded by what a client sends --------------------------------------------------------------------
def test_metrics_stay_flat_under_distinct_unknown_paths(client: TestClient) -> None:
    """Unknown paths, with or without a trailing slash, share one label: /metrics cannot be grown by a client."""
    for i in range(3):  # the labels every unknown path shares now exist
        client.get(f"/v1/documents/x{i}/")
        client.get(f"/khong-co/{i}")
    before = len(client.get("/metrics").text)
    for i in range(3, 5003):  # the 5,000 distinct paths, half with a trailing slash
        path = f"/v1/documents/x{i}/" if i % 2 else f"/khong-co/{i}"
        assert client.get(path).status_code == 404
    text = client.get("/metrics").text
    assert "x4999" not in text and "khong-co" not in text
    assert len(text) - before < 200  # counters' digits only


def test_request_ids_are_echoed_only_when_well_formed(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "portal-42.a:b"}).headers["x-request-id"] == "portal-42.a:b"
    for sent in ("x" * 129, "có dấu".encode(), "a b", "<script>"):
        got = client.get("/healthz", headers={"X-Request-ID": sent}).headers["x-request-id"]
        assert got.encode() != (sent if isinstance(sent, bytes) else sent.encode()) and 1 <= len(got) <= 32


@pytest.mark.parametrize("message", ["\x00", "\u200b\u200c\u200d", "\ufeff \x00\t", "\u2028"])
def test_a_question_of_invisible_characters_is_blank(client: TestClient, message: str) -> None:
    res = client.post("/v1/chat", json={"message": message})
    assert res.status_code == 422 and res.json()["error"]["code"] == "invalid_request"


def test_framework_errors_speak_vietnamese(client: TestClient) -> None:
    for method, path, status in (("GET", "/khong-co", 404), ("GET", "/static/khong.js", 404), ("PUT", "/v1/chat", 405)):
        res = client.request(method, path)
        assert res.status_code == status
        message = res.json()["error"]["message"]
        assert message not in ("Not Found", "Method Not Allowed") and any(ord(c) > 127 for c in message)


def test_swagger_ui_is_served_from_the_package_and_the_spec_declares_auth(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client(api_keys="a1:admin", api_docs=True)
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "https://" not in page  # works on an intranet with no way out
    for asset in re.findall(r'(?:src|href)="(/docs-static/[^"]+)"', page) or ["missing"]:
        assert client.get(asset).status_code == 200, asset
    assert "/docs-static/swagger-ui-bundle.js" in page
    spec = client.get("/openapi.json").json()
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    assert spec["paths"]["/v1/chat"]["post"]["security"] == [{"bearer": []}, {"apiKey": []}]
    assert "security" not in spec["paths"]["/healthz"]["get"]


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection within `seconds` (reads until EOF or the time is up)."""
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass
        return True
    except TimeoutError:
        return False
    except OSError:  # reset by the server
        return True


def test_qa_serve_bounds_request_heads_in_size_and_time(indexed_dir: Path, tmp_path: Path) -> None:
    """`qa serve`: 1 MB of headers is refused (QA_MAX_HEADER_KB), and a client that connects and sends
    nothing, or sends its head a byte at a time, is closed after QA_HEADER_TIMEOUT; an answered request
    and an idle keep-alive are not affected."""
    from tests.test_crash_consistency import QA

    with running_server(indexed_dir, tmp_path, [str(QA), "serve"], QA_HEADER_TIMEOUT="2") as (url, port):
        assert httpx.get(url + "/healthz", headers={"X-Note": "x" * 8_000}).status_code == 200
        with pytest.raises(httpx.TransportError):
            res = httpx.get(url + "/healthz", headers={"X-Big": "x" * 1_000_000}, timeout=10)
            assert res.status_code >= 400  # refused either way; a 200 fails here
            raise httpx.RemoteProtocolError("refused with a status")
        assert httpx.get(url + "/healthz").status_code == 200  # the server is fine afterwards
        with socket.create_connection(("127.0.0.1", port)) as silent:
            assert _closed_within(silent, 6)
        with socket.create_connection(("127.0.0.1", port)) as slow:
            for ch in b"GET /healthz HTTP/1.1\r\nHost: x\r\n":  # never finishes its head
                slow.sendall(bytes([ch]))
                time.sleep(0.05)
            assert _closed_within(slow, 6)
        with socket.create_connection(("127.0.0.1", port)) as fine:  # a quick request is answered
            fine.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            fine.settimeout(5)
            assert fine.recv(4096).startswith(b"HTTP/1.1 200")
