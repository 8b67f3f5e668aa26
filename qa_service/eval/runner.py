"""Run a test set against the service, in process or over HTTP, one question at a time.

A failing request becomes an error outcome and the run goes on; Ctrl-C stops the run but keeps
every outcome gathered so far (the caller writes them), because a 40-minute run against a slow
LLM should not be lost to one timeout or one impatient keystroke.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
from tqdm import tqdm

from qa_service.eval.metrics import CitedChunk, Outcome, judge
from qa_service.eval.testset import TestCase
from qa_service.schemas import ChatRequest, ChatResponse, HistoryMessage


class ChatFn(Protocol):
    def __call__(self, request: ChatRequest) -> ChatResponse: ...


ChunkTextFn = Callable[[str], str | None]


@dataclass
class Target:
    """Where questions go: `chat` answers, `chunk_text` (optional) looks up a cited chunk's text."""

    name: str
    chat: ChatFn
    chunk_text: ChunkTextFn | None = None
    close: Callable[[], None] = lambda: None


@dataclass
class RunResult:
    target: str
    outcomes: list[Outcome]
    total: int  # questions in the test set
    started: str
    finished: str = ""
    seconds: float = 0.0
    interrupted: bool = False
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def skipped(self) -> int:
        return self.total - len(self.outcomes)


class ChatHTTPError(RuntimeError):
    """A non-2xx answer from `/v1/chat`, with the service's own error message."""


class RetryLater(ChatHTTPError):
    """429 or 503: the deployment asks to come back (rate limit, still loading)."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


MAX_RETRY_WAIT = 60.0


def build_request(case: TestCase, top_k: int | None) -> ChatRequest:
    history = [HistoryMessage(role=t.role, content=t.content) for t in case.history]
    return ChatRequest(message=case.question, history=history, top_k=top_k)


def to_outcome(case: TestCase, response: ChatResponse, latency_ms: float, chunk_text: ChunkTextFn | None) -> Outcome:
    citations = [
        CitedChunk(
            index=c.index,
            source=c.source,
            snippet=c.snippet,
            chunk_id=c.chunk_id,
            doc_id=c.doc_id,
            chunk_text=chunk_text(c.chunk_id) if chunk_text else None,
        )
        for c in response.citations
    ]
    return Outcome(
        case=case,
        answer=response.answer,
        abstained=response.abstained,
        citations=citations,
        latency_ms=latency_ms,
        standalone_question=response.standalone_question,
    )


def ask(case: TestCase, target: Target, top_k: int | None, retries: int = 3) -> Outcome:
    """One question; every exception but Ctrl-C becomes an error outcome.

    A `RetryLater` (HTTP 429/503) is retried after the server's `Retry-After` (at most 60 s),
    up to `retries` times; the latency recorded is the final attempt's, not the wait.
    """
    for attempt in range(retries + 1):
        started = time.perf_counter()
        try:
            response = target.chat(build_request(case, top_k))
            elapsed = (time.perf_counter() - started) * 1000
            return to_outcome(case, response, elapsed, target.chunk_text)
        except RetryLater as exc:
            if attempt < retries:
                time.sleep(min(max(exc.retry_after, 0.0), MAX_RETRY_WAIT))
                continue
            return _error_outcome(case, exc, started)
        except Exception as exc:  # noqa: BLE001 - recorded per question, the run goes on
            return _error_outcome(case, exc, started)
    raise AssertionError("unreachable")  # pragma: no cover


def _error_outcome(case: TestCase, exc: Exception, started: float) -> Outcome:
    elapsed = (time.perf_counter() - started) * 1000
    text = str(exc).strip()
    message = text.splitlines()[0][:300] if text else ""
    return Outcome(case=case, latency_ms=elapsed, error=f"{type(exc).__name__}: {message}".rstrip(": "))


def run_cases(
    cases: Sequence[TestCase],
    target: Target,
    *,
    top_k: int | None = None,
    progress: bool = True,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> RunResult:
    """Ask every question in order; returns what was gathered even when interrupted."""
    result = RunResult(target=target.name, outcomes=[], total=len(cases), started=_now())
    clock = time.perf_counter()
    bar = tqdm(total=len(cases), desc="eval", unit="q", disable=not progress, dynamic_ncols=True)
    correct = 0
    try:
        for case in cases:
            outcome = ask(case, target, top_k)
            result.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
            correct += judge(outcome).correct
            bar.set_postfix(ok=f"{correct}/{len(result.outcomes)}", err=_errors(result.outcomes))
            bar.update()
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        bar.close()
        result.finished = _now()
        result.seconds = time.perf_counter() - clock
    return result


def _errors(outcomes: Iterable[Outcome]) -> int:
    return sum(o.error is not None for o in outcomes)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# --- targets -----------------------------------------------------------------------------------


def chat_endpoint(url: str) -> str:
    """Accept a base URL (`http://host:8000`) or the full route (`…/v1/chat`)."""
    url = url.rstrip("/")
    return url if url.endswith("/v1/chat") else f"{url}/v1/chat"


def http_target(
    url: str,
    api_key: str | None = None,
    timeout: float = 60.0,
    transport: httpx.BaseTransport | None = None,
) -> Target:
    """POST each question to a live deployment's `/v1/chat` (snippets only, no chunk text)."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    client = httpx.Client(headers=headers, timeout=timeout, transport=transport)
    endpoint = chat_endpoint(url)

    def chat(request: ChatRequest) -> ChatResponse:
        response = client.post(endpoint, json=request.model_dump(exclude_none=True))
        if response.status_code in (429, 503):
            message = f"HTTP {response.status_code}: {_error_message(response)}"
            raise RetryLater(message, _retry_after(response.headers.get("Retry-After")))
        if response.status_code >= 400:
            raise ChatHTTPError(f"HTTP {response.status_code}: {_error_message(response)}")
        return ChatResponse.model_validate(response.json())

    return Target(name=endpoint, chat=chat, close=client.close)


def _retry_after(value: str | None) -> float:
    try:
        return float(value) if value is not None else 1.0
    except ValueError:
        return 1.0  # an HTTP date: not worth parsing for a polite pause


def _error_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        err = body["error"]
        return f"{err.get('code', '')} {err.get('message', '')}".strip()
    return str(body)[:200]


def service_target(service: Any, name: str = "in-process") -> Target:
    """Wrap a built `QAService`; cited chunks' full text comes from its store's registry."""

    def chunk_text(chunk_id: str) -> str | None:
        registry = getattr(getattr(service, "store", None), "registry", None)
        if registry is None or not chunk_id:
            return None
        records = registry.chunks([chunk_id])
        return records[0].text if records else None

    close = getattr(service, "close", None) or (lambda: None)
    return Target(name=name, chat=service.answer, chunk_text=chunk_text, close=close)


def in_process_target(settings: Any = None, ingest: Sequence[str] = ()) -> Target:
    """Build the service from settings (index under `QA_DATA_DIR`), optionally ingesting first."""
    from qa_service.service import build_service
    from qa_service.settings import get_settings

    settings = settings or get_settings()
    service = build_service(settings)
    if ingest:
        from ingestion.pipeline import ingest_paths

        ingest_paths(service.store, [Path(p) for p in ingest])
    return service_target(service, name=f"in-process ({settings.data_dir})")
