"""The runner: in process with a fake chat function, over HTTP through httpx's own mock transport,
and (once the core service exists) in process against a real service on the sample corpus."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from qa_service.eval.metrics import Outcome, judge, summarize
from qa_service.eval.runner import (
    Target,
    build_request,
    chat_endpoint,
    http_target,
    run_cases,
    service_target,
)
from qa_service.eval.testset import TestCase, load_testset
from qa_service.schemas import ChatRequest, ChatResponse, Citation

ROOT = Path(__file__).resolve().parents[1]
A = "000_bcc9d3f070f74c9b.txt"
SNIPPET = "Kế hoạch số 108-KH/TU ngày 20/5/2022 của Ban Thường vụ Thành ủy"


def case(id: str, question: str = "Kế hoạch 108-KH/TU ban hành ngày nào?", **kw) -> TestCase:
    return TestCase(
        id=id,
        question=question,
        answerable=kw.get("answerable", True),
        must_include=kw.get("must_include", [["20/5/2022"]]),
        gold_sources=[A],
        gold_evidence=kw.get("gold_evidence", "108-KH/TU ngày 20/5/2022"),
        history=kw.get("history", []),
    )


def response(answer: str = "Ngày 20/5/2022 [1].", abstained: bool = False) -> ChatResponse:
    citation = Citation(
        index=1, doc_id="d0", title="t", source=A, chunk_id="d0:3", snippet=SNIPPET,
        start=100, end=100 + len(SNIPPET), score=0.9,
    )  # fmt: skip
    return ChatResponse(
        conversation_id="c",
        answer=answer,
        abstained=abstained,
        citations=[] if abstained else [citation],
    )


class ScriptedChat:
    """A fake `ChatFn`: answers from a script keyed by message; a script entry may be an exception."""

    def __init__(self, script: dict[str, ChatResponse | BaseException]) -> None:
        self.script = script
        self.requests: list[ChatRequest] = []

    def __call__(self, request: ChatRequest) -> ChatResponse:
        self.requests.append(request)
        reply = self.script[request.message]
        if isinstance(reply, BaseException):
            raise reply
        return reply


def test_build_request_carries_history_and_top_k() -> None:
    c = case("q", history=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}])
    request = build_request(c, top_k=3)
    assert request.message == c.question and request.top_k == 3
    assert [(m.role, m.content) for m in request.history] == [("user", "a"), ("assistant", "b")]


def test_failing_request_is_recorded_and_the_run_goes_on() -> None:
    cases = [case("q1", "ok?"), case("q2", "boom?"), case("q3", "ok too?")]
    chat = ScriptedChat({"ok?": response(), "boom?": RuntimeError("index locked"), "ok too?": response()})
    seen: list[Outcome] = []
    result = run_cases(cases, Target("fake", chat), top_k=4, progress=False, on_outcome=seen.append)
    assert [o.case.id for o in result.outcomes] == ["q1", "q2", "q3"] == [o.case.id for o in seen]
    assert result.outcomes[1].error == "RuntimeError: index locked"
    assert result.outcomes[0].error is None and result.outcomes[0].latency_ms is not None
    assert all(r.top_k == 4 for r in chat.requests)
    assert not result.interrupted and result.skipped == 0
    assert summarize([judge(o) for o in result.outcomes])["answer_correctness"] == pytest.approx(2 / 3)


def test_invalid_request_becomes_an_error_not_a_crash() -> None:
    chat = ScriptedChat({})
    result = run_cases([case("long", "x" * 5000)], Target("fake", chat), progress=False)
    assert result.outcomes[0].error and result.outcomes[0].error.startswith("ValidationError")
    assert chat.requests == []


def test_interrupt_keeps_what_was_gathered() -> None:
    cases = [case("q1", "one"), case("q2", "two"), case("q3", "three")]
    chat = ScriptedChat({"one": response(), "two": KeyboardInterrupt(), "three": response()})
    result = run_cases(cases, Target("fake", chat), progress=False)
    assert result.interrupted
    assert [o.case.id for o in result.outcomes] == ["q1"]
    assert result.skipped == 2 and result.finished


def test_chunk_text_lookup_is_attached_to_citations() -> None:
    target = Target("fake", ScriptedChat({"q": response()}), chunk_text=lambda cid: f"text of {cid}")
    result = run_cases([case("c", "q")], target, progress=False)
    assert result.outcomes[0].citations[0].chunk_text == "text of d0:3"


def test_chat_endpoint() -> None:
    assert chat_endpoint("http://h:8000") == "http://h:8000/v1/chat"
    assert chat_endpoint("http://h:8000/") == "http://h:8000/v1/chat"
    assert chat_endpoint("https://h/qa/v1/chat") == "https://h/qa/v1/chat"


def test_http_target_sends_bearer_key_and_parses_the_response() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("authorization") != "Bearer s3cret":
            return httpx.Response(401, json={"error": {"code": "unauthorized", "message": "API key required"}})
        return httpx.Response(200, json=response().model_dump())

    c = case("h", history=[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}])
    ok = http_target("http://qa.test", api_key="s3cret", transport=httpx.MockTransport(handler))
    result = run_cases([c], ok, top_k=2, progress=False)
    ok.close()
    assert result.outcomes[0].error is None and judge(result.outcomes[0]).correct
    assert str(seen[0].url) == "http://qa.test/v1/chat"
    body = json.loads(seen[0].content)
    assert body == {"message": c.question, "history": [{"role": "user", "content": "a"},
                    {"role": "assistant", "content": "b"}], "top_k": 2}  # fmt: skip
    assert result.outcomes[0].citations[0].chunk_text is None  # HTTP: snippets only

    denied = http_target("http://qa.test", transport=httpx.MockTransport(handler))
    result = run_cases([c], denied, progress=False)
    assert result.outcomes[0].error == "ChatHTTPError: HTTP 401: unauthorized API key required"


def test_http_target_records_connection_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    result = run_cases([case("x")], http_target("http://down.test", transport=httpx.MockTransport(handler)),
                       progress=False)  # fmt: skip
    assert result.outcomes[0].error == "ConnectError: connection refused"


# --- against the real service, once it exists ----------------------------------------------


@pytest.fixture(scope="module")
def real_service(tmp_path_factory: pytest.TempPathFactory):
    service_mod = pytest.importorskip("qa_service.service", reason="qa_service.service not built yet")
    pipeline = pytest.importorskip("ingestion.pipeline", reason="ingestion.pipeline not built yet")
    from qa_service.settings import Settings

    settings = Settings(data_dir=tmp_path_factory.mktemp("index"), embeddings="fake")
    service = service_mod.build_service(settings)
    pipeline.ingest_paths(service.store, [ROOT / "data" / "sample"])
    yield service
    close = getattr(service, "close", None)
    if close:
        close()


def test_in_process_run_on_the_sample_corpus(real_service) -> None:
    cases = {c.id: c for c in load_testset(ROOT / "eval" / "testsets" / "sample_vi.jsonl")}
    picked = [cases[i] for i in ("date-01", "date-03", "resp-06", "nodiac-01", "unans-06")]
    result = run_cases(picked, service_target(real_service), progress=False)
    assert [o.error for o in result.outcomes] == [None] * len(picked)
    cited = [c for o in result.outcomes for c in o.citations]
    assert cited and all(c.chunk_text for c in cited)  # full chunk text known in process
    judged = [judge(o) for o in result.outcomes]
    assert judged[0].correct and judged[0].first_relevant_rank == 1


def test_rate_limited_requests_are_retried_after_retry_after() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) < 3:
            error = {"error": {"code": "rate_limited", "message": "slow down"}}
            return httpx.Response(429, json=error, headers={"Retry-After": "0"})
        return httpx.Response(200, json=response().model_dump())

    result = run_cases(
        [case("r")], http_target("http://qa.test", transport=httpx.MockTransport(handler)), progress=False
    )
    assert len(calls) == 3 and result.outcomes[0].error is None

    calls.clear()
    always = httpx.MockTransport(lambda r: httpx.Response(503, headers={"Retry-After": "0"}, text="loading"))
    result = run_cases([case("s")], http_target("http://qa.test", transport=always), progress=False)
    assert result.outcomes[0].error == "RetryLater: HTTP 503: loading"
