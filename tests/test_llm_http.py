"""End to end over HTTP: the real `ChatOpenAI` against a scripted OpenAI-compatible server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ingestion.pipeline import ingest_paths
from qa_service.api.app import create_app
from qa_service.llm.answerer import LLMAnswerer
from qa_service.llm.scripted import ScriptedLLM
from qa_service.service import QAService, build_service
from qa_service.settings import Settings

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
QUESTION = {"message": "Chỉ thị 12-CT/TW được ban hành ngày nào?"}


@pytest.fixture(scope="module")
def llm() -> Iterator[ScriptedLLM]:
    with ScriptedLLM() as server:
        yield server


@pytest.fixture(scope="module")
def service(llm: ScriptedLLM, tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("index"), embeddings="fake", answerer="openai",
                        llm_base_url=llm.base_url, llm_model="scripted", llm_api_key="x", llm_timeout=2)
    svc = build_service(settings)
    ingest_paths(svc.store, [SAMPLE])
    yield svc
    svc.close()


@pytest.fixture
def client(service: QAService, llm: ScriptedLLM) -> Iterator[TestClient]:
    llm.behaviour, llm.delay, llm.script = "correct", 0.0, None
    with TestClient(create_app(service.settings, service=service)) as c:
        yield c


def sse(text: str) -> list[tuple[str, str]]:
    events = []
    for block in re.split(r"\r?\n\r?\n", text):
        fields = dict(re.findall(r"^(event|data): ?(.*?)\r?$", block, re.M))
        if "event" in fields:
            events.append((fields["event"], fields.get("data", "")))
    return events


def test_a_correct_answer_is_kept_with_renumbered_citations(client: TestClient, llm: ScriptedLLM) -> None:
    body = client.post("/v1/chat", json=QUESTION).json()
    assert body["answerer"] == "openai" and not body["abstained"]
    assert "05/01/2022" in body["answer"] and re.search(r"\[1\]\.$", body["answer"])
    assert [c["index"] for c in body["citations"]] == [1]
    assert body["verification"]["fallback"] is False
    sent = llm.requests[-1]
    assert sent["model"] == "scripted" and sent["messages"][0]["role"] == "system" and not sent.get("stream")


def test_markers_to_missing_passages_are_dropped(client: TestClient, llm: ScriptedLLM) -> None:
    llm.behaviour = "bad_marker"
    body = client.post("/v1/chat", json=QUESTION).json()
    assert body["verification"]["dropped_markers"] == [9, 12]
    assert "[9]" not in body["answer"] and "[12]" not in body["answer"] and body["answerer"] == "openai"


def test_an_invented_date_means_the_extractive_answer(client: TestClient, llm: ScriptedLLM) -> None:
    llm.behaviour = "invent_date"
    body = client.post("/v1/chat", json=QUESTION).json()
    assert "31/12/2031" not in body["answer"] and "05/01/2022" in body["answer"]
    assert body["answerer"] == "extractive-fallback" and body["verification"]["unsupported_values"] == ["31/12/2031"]


def test_under_the_remove_policy_only_the_invented_sentence_goes(
    client: TestClient, llm: ScriptedLLM, service: QAService
) -> None:
    llm.behaviour = "invent_date"
    answerer = service.chain.answerer
    assert isinstance(answerer, LLMAnswerer)
    answerer.policy = "remove"
    try:
        body = client.post("/v1/chat", json=QUESTION).json()
    finally:
        answerer.policy = "fallback"
    assert body["answerer"] == "openai" and "31/12/2031" not in body["answer"] and "05/01/2022" in body["answer"]
    assert body["verification"]["removed_sentences"] == ["Hạn hoàn thành là ngày 31/12/2031 [1]."]


def test_a_wrong_date_leaves_nothing_so_the_extractive_answer_is_given(client: TestClient, llm: ScriptedLLM) -> None:
    llm.behaviour = "wrong_date"
    body = client.post("/v1/chat", json=QUESTION).json()
    assert body["answerer"] == "extractive-fallback" and body["verification"]["fallback"] is True
    assert "05/01/2022" in body["answer"]


def test_a_timeout_falls_back_without_an_error(client: TestClient, llm: ScriptedLLM) -> None:
    llm.behaviour, llm.delay = "slow", 3.0
    res = client.post("/v1/chat", json=QUESTION)
    assert res.status_code == 200
    body = res.json()
    assert body["answerer"] == "extractive-fallback" and "Timeout" in body["verification"]["reason"]


def test_an_unreachable_server_falls_back(service: QAService) -> None:
    dead = Settings(**{**service.settings.model_dump(), "llm_base_url": "http://127.0.0.1:9/v1"})
    with TestClient(create_app(dead, service=build_service(dead, store=service.store))) as c:
        res = c.post("/v1/chat", json=QUESTION)
    assert res.status_code == 200 and res.json()["answerer"] == "extractive-fallback"


def test_follow_ups_are_condensed_by_the_model(client: TestClient) -> None:
    history = [{"role": "user", "content": "Chỉ thị 12-CT/TW do cơ quan nào ban hành?"},
               {"role": "assistant", "content": "Ban Bí thư [1]."}]
    body = client.post("/v1/chat", json={"message": "Còn Kế hoạch 108 thì sao?", "history": history}).json()
    assert body["standalone_question"] == "Kế hoạch 108-KH/TU do cơ quan nào ban hành?"


def test_stream_sends_passages_then_model_tokens_then_the_verified_answer(client: TestClient, llm: ScriptedLLM) -> None:
    llm.behaviour = "bad_marker"
    res = client.post("/v1/chat/stream", json=QUESTION)
    events = sse(res.text)
    kinds = [k for k, _ in events]
    assert kinds[0] == "citations" and kinds[-1] == "done" and kinds.count("delta") > 10
    passages = json.loads(events[0][1])["citations"]
    assert [c["index"] for c in passages] == list(range(1, len(passages) + 1)) and len(passages) > 1
    streamed = "".join(json.loads(d)["text"] for k, d in events if k == "delta")
    assert "05/01/2022" in streamed
    done = json.loads(events[-1][1])
    assert done["answerer"] == "openai" and "[9]" not in done["answer"] and "[9]" not in streamed
    assert done["verification"]["dropped_markers"] == [9, 12] and llm.requests[-1]["stream"] is True


def test_a_stream_that_stalls_ends_in_the_extractive_answer(client: TestClient, llm: ScriptedLLM) -> None:
    llm.behaviour, llm.delay = "stall", 3.0
    events = sse(client.post("/v1/chat/stream", json=QUESTION).text)
    assert events[-1][0] == "done"
    assert json.loads(events[-1][1])["answerer"] == "extractive-fallback"


def test_the_route_deadline_ends_a_hung_stream_with_an_error_event(service: QAService, llm: ScriptedLLM) -> None:
    llm.behaviour, llm.delay = "stall", 3.0
    hurried = Settings(**{**service.settings.model_dump(), "request_timeout": 1.0})
    with TestClient(create_app(hurried, service=service)) as c:
        events = sse(c.post("/v1/chat/stream", json=QUESTION).text)
    llm.behaviour, llm.delay = "correct", 0.0
    assert events[0][0] == "citations" and events[-1][0] == "error"
    assert json.loads(events[-1][1])["error"]["code"] == "timeout"


def test_openai_compatible_stream_carries_model_tokens_and_the_verified_answer(
    client: TestClient, llm: ScriptedLLM
) -> None:
    """`/v1/chat/completions` with `stream: true` streams the model's own tokens as they arrive."""
    res = client.post("/v1/chat/completions", json={
        "model": "vi-doc-qa", "stream": True, "messages": [{"role": "user", "content": QUESTION["message"]}],
    })
    lines = [ln[6:] for ln in res.text.splitlines() if ln.startswith("data: ")]
    assert lines[-1] == "[DONE]"
    chunks = [json.loads(ln) for ln in lines[:-1]]
    content = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert "05/01/2022" in content and "Nguồn:" in content
    final = next(c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"] == "stop")
    assert "05/01/2022" in final["verified_answer"] and final["citations"]
    assert llm.requests[-1]["stream"] is True


def test_register_questions_are_listed_from_the_register_not_written_by_the_model(
    llm: ScriptedLLM, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "index", embeddings="fake", answerer="openai",
                        llm_base_url=llm.base_url, llm_model="scripted", llm_api_key="x", llm_timeout=2)
    svc = build_service(settings)
    ingest_paths(svc.store, [Path(__file__).parent / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"])
    llm.behaviour, llm.delay, llm.script = "correct", 0.0, None
    asked = len(llm.requests)
    question = {"message": "Sở Tài chính có những nhiệm vụ gì phải hoàn thành trong tháng 12/2025?"}
    try:
        with TestClient(create_app(settings, service=svc)) as c:
            body = c.post("/v1/chat", json=question).json()
            assert body["answer"].startswith("Sở Tài chính có 1 nhiệm vụ có hạn trong tháng 12/2025:")
            assert "[1]" in body["answer"] and "bố trí kinh phí" in body["citations"][0]["snippet"]
            events = sse(c.post("/v1/chat/stream", json=question).text)
            assert [k for k, _ in events] == ["citations", "delta", "done"]
            assert json.loads(events[-1][1])["answer"] == body["answer"]
            assert len(json.loads(events[0][1])["citations"]) == 1
        assert len(llm.requests) == asked  # the model was never asked
    finally:
        svc.close()
