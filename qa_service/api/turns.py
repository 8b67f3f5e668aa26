"""A chat turn as the routes run it: bound to the caller's conversation, off the event loop, within
the request's deadline. The streaming routes share `turn_events`; each keeps only the mapping of
events to its own wire format (SSE for `/v1/chat/stream`, OpenAI chunks for `/v1/chat/completions`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import anyio
from fastapi.concurrency import run_in_threadpool

from qa_service.api.errors import failure, timeout_error
from qa_service.api.ownership import Caller, bind, stamp
from qa_service.metrics import record_answer
from qa_service.schemas import ChatRequest, ChatResponse
from qa_service.service import QAService
from qa_service.turn import Done, StreamEvent

# The answerer's own deadline comes a little before the route's, so a slow model ends in the
# extractive answer (`done`) rather than in a timeout error.
ANSWERER_SHARE = 0.9


async def bind_conversation(service: QAService, caller: Caller, request: ChatRequest) -> ChatRequest:
    return await run_in_threadpool(bind, service.conversations, caller, request)


async def answer_with_deadline(service: QAService, request: ChatRequest, timeout: float) -> ChatResponse:
    """The answer, or a 504 once `timeout` has passed. A thread cannot be interrupted: an answer still
    running then is left to finish unheard (waiting for it would make the deadline meaningless)."""
    try:
        with anyio.fail_after(timeout):
            return await anyio.to_thread.run_sync(service.answer, request, abandon_on_cancel=True)
    except TimeoutError as exc:
        raise timeout_error() from exc


def _run(service: QAService, request: ChatRequest, timeout: float) -> Iterator[StreamEvent]:
    # A generator, so that even a failure on calling `stream` happens inside the guarded steps below.
    yield from service.stream(request, timeout=timeout * ANSWERER_SHARE)


def _next(events: Iterator[StreamEvent]) -> StreamEvent | None:
    return next(events, None)


async def turn_events(service: QAService, request: ChatRequest, timeout: float, caller: Caller
                      ) -> AsyncIterator[StreamEvent]:
    """`service.stream`'s events; `Done` counted and stamped with the caller's conversation token.
    Any failure ends the stream with one `Failed`: the headers are sent, so an in-band error event is
    the only way left to tell the client."""
    events = _run(service, request, timeout)
    deadline = anyio.current_time() + timeout
    while True:
        try:  # the deadline wraps each step, never a `yield` (a cancel scope must not span one)
            with anyio.fail_after(max(0.0, deadline - anyio.current_time())):
                # Abandoned at the deadline, as in `answer_with_deadline`; the step is never resumed.
                event = await anyio.to_thread.run_sync(_next, events, abandon_on_cancel=True)
        except Exception as exc:  # noqa: BLE001 - every failure becomes the wire's error event
            yield failure(exc)
            return
        if event is None:
            return
        if isinstance(event, Done):
            record_answer(event.response)
            event = Done(stamp(event.response, caller))
        yield event
