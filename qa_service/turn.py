"""One chat turn's types: what an answerer reads, the one interface every answerer honours, and the
events a turn streams.

`QAService.answer` and `QAService.stream` drive any answerer through `Answerer` (`answer(ctx)`,
`stream(ctx)`), so neither the service nor a route asks which answerer it has. An answerer that
writes its answer whole (the extractive one) streams it as `Sources`, word-sized `Delta`s and
`Answered`; the LLM answerer streams the model's filtered tokens and ends with the verified answer.
The routes map `StreamEvent`s to their wire formats (SSE, OpenAI chunks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from langchain_core.documents import Document

from qa_service.answering.result import Answer
from qa_service.question import QuestionInfo
from qa_service.schemas import ChatResponse, Citation
from vectorstore.registry import DocumentRecord
from vectorstore.sentence_facts import SentenceFact
from vectorstore.task_rows import TaskFact

ChunkAt = Callable[[str, int], Document | None]


@dataclass(frozen=True)
class AnswerContext:
    """Everything an answerer may read for one question, gathered once by the chain."""

    info: QuestionInfo
    chunks: list[Document]
    facts: list[SentenceFact]  # the first build's sentence facts of the retrieved chunks
    docs: dict[str, DocumentRecord]
    chunk_at: ChunkAt | None = None  # the stored chunk covering an offset (spans outside the retrieved chunks)
    deadline: float | None = None  # `time.monotonic()` by which a streamed answer must be written
    tasks: list[TaskFact] = field(default_factory=list)  # the task records of the retrieved chunks


# --- events --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Started:
    """The turn's ids, known before any work (an OpenAI stream's chunk id is the message id)."""

    conversation_id: str
    message_id: str


@dataclass(frozen=True)
class Sources:
    """Passages behind the answer. `abstained` is None while a model is still writing from them (the
    final citations, renumbered, come with `Done`); set, they are the settled answer's own citations."""

    citations: list[Citation]
    abstained: bool | None = None

    @property
    def settled(self) -> bool:
        return self.abstained is not None


@dataclass(frozen=True)
class Delta:
    text: str


@dataclass(frozen=True)
class Answered:
    """An answerer's last event: the answer the turn keeps (verified, for a model's draft)."""

    answer: Answer


@dataclass(frozen=True)
class Done:
    """A turn's last event: the full response, as `QAService.answer` would return it."""

    response: ChatResponse


@dataclass(frozen=True)
class Failed:
    """A turn that broke after its stream started (made by the API, which owns timeouts)."""

    code: str
    message: str


AnswerEvent = Sources | Delta | Answered
StreamEvent = Started | Sources | Delta | Done | Failed


class Answerer(Protocol):
    """The one interface the service drives."""

    def answer(self, ctx: AnswerContext) -> Answer: ...

    def stream(self, ctx: AnswerContext) -> Iterator[AnswerEvent]: ...


class PassageAnswerer(Protocol):
    """The extractive answerer's own call (also what the LLM answerer falls back to)."""

    def answer(self, info: QuestionInfo, chunks: list[Document], facts: list[SentenceFact], docs: Any,
               chunk_at: Any = None, tasks: Sequence[TaskFact] = ()) -> Answer: ...


def answer_pieces(text: str) -> list[str]:
    """Word-sized deltas that never split a `[n]` marker."""
    return [p for p in re.split(r"(\s+)", text) if p]


class WholeAnswerer:
    """An answerer that writes its answer whole, behind `Answerer`: its stream is the finished answer
    (citations first, as a model's passages would come, then its words)."""

    def __init__(self, engine: PassageAnswerer) -> None:
        self.engine = engine  # kept reachable: tools and tests tune it (`today`, weights)

    def answer(self, ctx: AnswerContext) -> Answer:
        return self.engine.answer(ctx.info, ctx.chunks, ctx.facts, ctx.docs, chunk_at=ctx.chunk_at, tasks=ctx.tasks)

    def stream(self, ctx: AnswerContext) -> Iterator[AnswerEvent]:
        answer = self.answer(ctx)
        yield Sources(answer.citations.citations, answer.abstained)
        for piece in answer_pieces(answer.text):
            yield Delta(piece)
        yield Answered(answer)
