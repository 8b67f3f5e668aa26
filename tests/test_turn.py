"""qa_service/turn.py: the one answerer interface and how a whole answer streams."""

from __future__ import annotations

from typing import Any

from langchain_core.documents import Document

from qa_service.answering.result import Answer
from qa_service.citations import CitationBuilder
from qa_service.question import analyze_question
from qa_service.turn import AnswerContext, Answered, Delta, Sources, WholeAnswerer, answer_pieces
from vectorstore.sentence_facts import SentenceFact
from vectorstore.task_rows import TaskActor, TaskFact

CHUNK = Document(page_content="Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư.", metadata={
    "chunk_id": "d:0", "doc_id": "d", "start": 0, "end": 51, "source": "ct12.txt", "title": "Chỉ thị 12"})


class Quoting:
    """A passage answerer (the extractive answerer's call) that quotes the first chunk and records its calls."""

    def __init__(self, abstain: bool = False) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.abstain = abstain

    def answer(self, info: Any, chunks: list[Document], facts: Any, docs: Any, chunk_at: Any = None,
               tasks: Any = ()) -> Answer:
        self.calls.append((info, chunks, facts, docs, chunk_at, tasks))
        cites = CitationBuilder(chunk_at)
        n = cites.cite(chunks[0])
        return Answer(f"Ngày 05/01/2022 [{n}], theo  văn bản.", self.abstain, cites)


def context() -> AnswerContext:
    def chunk_at(doc_id: str, offset: int) -> Document | None:
        return CHUNK

    task = TaskFact(doc_id="d", chunk_id="d:0", start=0, end=51, action="ban hành", sentence="x" * 51, section="",
                    actors=(TaskActor("Ban Bí thư", "assignee", "ban bi thu"),))
    return AnswerContext(analyze_question("Chỉ thị 12 ban hành ngày nào?"), [CHUNK], [SentenceFact("issuance", "x" * 51, 0, 51, chunk_id="d:0")],
                         {}, chunk_at=chunk_at, deadline=123.0, tasks=[task])


def test_answer_pieces_keep_markers_whole_and_join_back() -> None:
    text = "Ban Bí thư [1][12] ban hành\n\nNguồn:\n[1] Chỉ thị"
    pieces = answer_pieces(text)
    assert "".join(pieces) == text and "[1][12]" in pieces and "\n\n" in pieces
    assert answer_pieces("") == []


def test_whole_answerer_passes_the_context_to_its_engine() -> None:
    engine = Quoting()
    ctx = context()
    answer = WholeAnswerer(engine).answer(ctx)
    assert answer.text.startswith("Ngày 05/01/2022 [1]")
    [(info, chunks, facts, docs, chunk_at, tasks)] = engine.calls
    assert (info, chunks, facts, docs, chunk_at, tasks) == (ctx.info, ctx.chunks, ctx.facts, ctx.docs, ctx.chunk_at, ctx.tasks)


def test_a_whole_answer_streams_as_settled_sources_words_and_itself() -> None:
    engine = Quoting(abstain=True)
    events = list(WholeAnswerer(engine).stream(context()))
    first, *deltas, last = events
    assert isinstance(first, Sources) and first.settled and first.abstained is True
    assert [c.chunk_id for c in first.citations] == ["d:0"]
    assert all(isinstance(d, Delta) for d in deltas) and len(deltas) > 3
    assert isinstance(last, Answered) and "".join(d.text for d in deltas) == last.answer.text  # type: ignore[union-attr]
    assert len(engine.calls) == 1  # the answer is written once, not once per event


def test_passages_a_model_still_writes_from_are_not_settled() -> None:
    assert not Sources([]).settled and Sources([], abstained=False).settled
