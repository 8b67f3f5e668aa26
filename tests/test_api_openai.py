"""The OpenAI-compatible routes, checked with the official `openai` SDK against a real uvicorn server."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
import uvicorn
from fastapi.testclient import TestClient

from qa_service.api.app import create_app
from qa_service.api.routes.openai_compat import MODEL_ID, CompletionRequest
from qa_service.schemas import ChatRequest, ChatResponse
from qa_service.service import QAService, build_service
from qa_service.turn import StreamEvent
from tests.conftest import api_settings, ingest_sample

QUESTION = "Ai có trách nhiệm xây dựng Chương trình hành động thực hiện Chỉ thị 12-CT/TW?"


class LiveServer:
    """uvicorn in a thread on a loopback socket bound to port 0, so parallel runs never collide."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = ingest_sample(tmp_path_factory.mktemp("openai") / "index")
    app = create_app(api_settings(data_dir, api_keys="c1:chat,a1:admin"))
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def sdk(live: LiveServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=live.url + "/v1", api_key="c1", max_retries=0, timeout=30)


def assert_sources_appended(content: str, citations: list[dict[str, Any]], abstained: bool) -> None:
    """`[n]` markers in the text, then the Vietnamese source list, one line per citation."""
    assert citations
    header = "Các đoạn gần nhất để bạn kiểm tra:" if abstained else "Nguồn:"
    answer, _, tail = content.partition(f"\n\n{header}\n")
    assert tail, content
    if not abstained:
        assert any(f"[{c['index']}]" in answer for c in citations)
    lines = tail.split("\n")
    assert len(lines) == len(citations)
    for line, c in zip(lines, citations, strict=True):
        date = f", {c['published']}" if c["published"] else ""
        assert line == f"[{c['index']}] {c['title']} ({c['source']}{date})"


# --- the official SDK over real HTTP ----------------------------------------------------------------
def test_sdk_lists_the_model(sdk: openai.OpenAI) -> None:
    assert [m.id for m in sdk.models.list()] == [MODEL_ID]


def test_sdk_completion_carries_text_sources_and_citations(sdk: openai.OpenAI) -> None:
    completion = sdk.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}])
    assert completion.object == "chat.completion" and completion.model == MODEL_ID
    choice = completion.choices[0]
    assert choice.finish_reason == "stop" and choice.message.role == "assistant"
    extra = completion.model_extra or {}
    assert isinstance(extra["abstained"], bool) and extra["conversation_id"]
    assert_sources_appended(choice.message.content or "", extra["citations"], extra["abstained"])
    assert completion.usage is not None and completion.usage.total_tokens > 0


def test_sdk_stream_matches_the_plain_completion(sdk: openai.OpenAI) -> None:
    messages: Any = [{"role": "user", "content": QUESTION}]
    plain = sdk.chat.completions.create(model=MODEL_ID, messages=messages)
    chunks = list(
        sdk.chat.completions.create(
            model=MODEL_ID, messages=messages, stream=True, stream_options={"include_usage": True}
        )
    )
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    first, *middle, stop, usage = chunks
    assert first.choices[0].delta.role == "assistant"
    assert (first.model_extra or {})["citations"] == (plain.model_extra or {})["citations"]
    assert stop.choices[0].finish_reason == "stop"
    assert usage.choices == [] and usage.usage is not None and usage.usage.completion_tokens > 0
    text = "".join(c.choices[0].delta.content or "" for c in middle)
    assert len(middle) > 3, "the answer arrives in pieces"
    assert text == plain.choices[0].message.content


def test_sdk_follow_up_uses_earlier_messages(sdk: openai.OpenAI) -> None:
    first = sdk.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": QUESTION}])
    follow = sdk.chat.completions.create(
        model=MODEL_ID,
        messages=[
            {"role": "system", "content": "Trả lời bằng tiếng Việt."},
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": first.choices[0].message.content or ""},
            {"role": "user", "content": [{"type": "text", "text": "Còn Kế hoạch 108-KH/TU thì sao?"}]},
        ],
    )
    assert (follow.model_extra or {})["citations"]


def test_sdk_errors_are_typed(live: LiveServer, sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as not_found:
        sdk.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert not_found.value.body["code"] == "model_not_found"  # type: ignore[index]
    stranger = openai.OpenAI(base_url=live.url + "/v1", api_key="nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        stranger.models.list()
    with pytest.raises(openai.UnprocessableEntityError):
        sdk.chat.completions.create(model=MODEL_ID, messages=[{"role": "assistant", "content": "Xin chào"}])


def test_sdk_stream_error_raises(sdk: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError):
        sdk.chat.completions.create(model=MODEL_ID, messages=[{"role": "user", "content": "x" * 2001}], stream=True)


# --- wire format and message mapping (in process) ---------------------------------------------------
def test_stream_wire_format_ends_with_done(client: TestClient) -> None:
    body = {"model": MODEL_ID, "stream": True, "messages": [{"role": "user", "content": QUESTION}]}
    with client.stream("POST", "/v1/chat/completions", json=body) as res:
        assert res.headers["content-type"].startswith("text/event-stream")
        blocks = [b for b in res.read().decode().split("\n\n") if b]
    assert all(b.startswith("data: ") for b in blocks)
    assert blocks[-1] == "data: [DONE]"
    chunks = [json.loads(b[6:]) for b in blocks[:-1]]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}


def test_models_route_shape(client: TestClient) -> None:
    body = client.get("/v1/models").json()
    assert body["object"] == "list" and body["data"][0]["id"] == MODEL_ID


def test_history_drops_system_turns_and_appended_sources() -> None:
    request = CompletionRequest.model_validate(
        {
            "model": MODEL_ID,
            "messages": [
                {"role": "system", "content": "Bạn là trợ lý."},
                {"role": "user", "content": "Chỉ thị 12-CT/TW ban hành ngày nào?"},
                {"role": "assistant", "content": "Ngày 05/01/2022 [1].\n\nNguồn:\n[1] Tăng cường (a.txt, 2023-01-12)"},
                {"role": "user", "content": "Ai ký?"},
            ],
        }
    ).to_chat_request()
    assert request.message == "Ai ký?"
    assert [(h.role, h.content) for h in request.history] == [
        ("user", "Chỉ thị 12-CT/TW ban hành ngày nào?"),
        ("assistant", "Ngày 05/01/2022 [1]."),
    ]


@pytest.mark.parametrize(
    "messages",
    [
        [],
        [{"role": "assistant", "content": "Xin chào"}],
        [{"role": "user", "content": ""}],
        [{"role": "user", "content": "x" * 2001}],
        [{"role": "wizard", "content": "Chỉ thị 12?"}],
    ],
)
def test_invalid_completion_requests_are_422(client: TestClient, messages: list[dict[str, str]]) -> None:
    res = client.post("/v1/chat/completions", json={"model": MODEL_ID, "messages": messages})
    assert res.status_code == 422, res.text
    assert res.json()["error"]["code"] == "invalid_request"


class BrokenService(QAService):
    """The real service whose answering fails unexpectedly, as a crashed backend would."""

    def answer(self, request: ChatRequest) -> ChatResponse:
        raise RuntimeError("index went away")

    def stream(self, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]:
        raise RuntimeError("index went away")


def test_unexpected_failure_is_a_json_500_or_an_error_chunk(tmp_path: Path) -> None:
    settings = api_settings(tmp_path / "index")
    real = build_service(settings)
    broken = BrokenService(settings, real.store, real.chain, real.conversations)
    broken.ready.set()
    body = {"model": MODEL_ID, "messages": [{"role": "user", "content": QUESTION}]}
    try:
        with TestClient(create_app(settings, service=broken), raise_server_exceptions=False) as client:
            res = client.post("/v1/chat/completions", json=body)
            assert res.status_code == 500 and res.json()["error"]["code"] == "internal_error"
            with client.stream("POST", "/v1/chat/completions", json={**body, "stream": True}) as res:
                blocks = [b for b in res.read().decode().split("\n\n") if b]
        assert json.loads(blocks[0][6:])["error"]["code"] == "internal_error"
        assert blocks[-1] == "data: [DONE]"
    finally:
        real.close()
