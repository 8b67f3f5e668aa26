"""qa_service/api/turns.py and errors.failure: how a streamed turn ends when something goes wrong,
with stand-in services whose `stream` misbehaves in each way the routes must survive."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

from qa_service.api.errors import INTERNAL_MESSAGE, failure
from qa_service.api.ownership import Caller
from qa_service.api.turns import answer_with_deadline, turn_events
from qa_service.schemas import ChatRequest, ChatResponse
from qa_service.turn import Delta, Done, Failed, Started, StreamEvent
from vectorstore.errors import QAError

PUBLIC = Caller(owner="token:abc", token="t" * 43, admin=False)
RESPONSE = ChatResponse(conversation_id="c1", message_id="m1", answer="Có [1].", abstained=False, citations=[])


class Scripted:
    """A service whose stream yields `events`, then raises `error` (if any) after `delay` seconds."""

    def __init__(self, *events: StreamEvent, error: Exception | None = None, delay: float = 0.0) -> None:
        self.events, self.error, self.delay = events, error, delay

    def stream(self, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]:
        yield from self.events
        time.sleep(self.delay)
        if self.error is not None:
            raise self.error


def run(service: Any, timeout: float = 5.0) -> list[StreamEvent]:
    return timed(service, timeout)[0]


def timed(service: Any, timeout: float) -> tuple[list[StreamEvent], float]:
    """The events and the seconds until the last one (the hung worker thread may run on after it)."""

    async def collect() -> tuple[list[StreamEvent], float]:
        started = time.monotonic()
        events = [e async for e in turn_events(service, ChatRequest(message="Câu hỏi?"), timeout, PUBLIC)]
        return events, time.monotonic() - started

    return asyncio.run(collect())


def test_events_pass_through_and_done_is_stamped_for_the_caller() -> None:
    events = run(Scripted(Started("c1", "m1"), Delta("Có"), Done(RESPONSE)))
    assert events[:2] == [Started("c1", "m1"), Delta("Có")]
    done = events[2]
    assert isinstance(done, Done) and done.response.conversation_token == PUBLIC.token
    assert RESPONSE.conversation_token is None  # the service's own response is left as it was


def test_a_domain_error_keeps_its_code_and_message() -> None:
    events = run(Scripted(Started("c1", "m1"), error=QAError("Hệ thống bận.", code="busy", status_code=503)))
    assert events == [Started("c1", "m1"), Failed("busy", "Hệ thống bận.")]


def test_an_unexpected_error_is_an_internal_error_without_its_details() -> None:
    events = run(Scripted(Delta("Có"), error=RuntimeError("index went away at /srv/data")))
    assert events == [Delta("Có"), Failed("internal_error", INTERNAL_MESSAGE)]


def test_the_request_deadline_ends_a_hung_turn_at_the_deadline() -> None:
    """The hung step is abandoned (a thread cannot be interrupted): the client hears at the deadline."""

    class Slow:
        def stream(self, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]:
            yield Started("c1", "m1")
            time.sleep(1.5)
            yield Done(RESPONSE)

    events, seconds = timed(Slow(), timeout=0.3)
    assert events[0] == Started("c1", "m1") and events[-1] == Failed("timeout", failure(TimeoutError()).message)
    assert len(events) == 2 and 0.3 <= seconds < 1.2
    assert "thời gian" in events[-1].message  # type: ignore[union-attr]
    assert run(Slow(), timeout=5.0)[-1] == Done(RESPONSE.model_copy(update={"conversation_token": PUBLIC.token}))


def test_a_service_that_fails_before_streaming_still_ends_in_one_event() -> None:
    class Refuses:
        def stream(self, request: ChatRequest, timeout: float | None = None) -> Iterator[StreamEvent]:
            raise QAError("Chưa sẵn sàng.", code="unavailable", status_code=503)

    assert run(Refuses()) == [Failed("unavailable", "Chưa sẵn sàng.")]


def test_a_whole_answer_past_the_deadline_is_a_504_at_the_deadline() -> None:
    class SlowAnswer:
        def answer(self, request: ChatRequest) -> ChatResponse:
            time.sleep(1.5)
            return RESPONSE

    async def ask(timeout: float) -> tuple[ChatResponse | QAError, float]:
        started = time.monotonic()
        try:
            result: ChatResponse | QAError = await answer_with_deadline(SlowAnswer(), ChatRequest(message="?"), timeout)  # type: ignore[arg-type]
        except QAError as exc:
            result = exc
        return result, time.monotonic() - started

    error, seconds = asyncio.run(ask(0.3))
    assert isinstance(error, QAError) and (error.code, error.status_code) == ("timeout", 504) and seconds < 1.2
    assert asyncio.run(ask(5.0))[0] == RESPONSE
