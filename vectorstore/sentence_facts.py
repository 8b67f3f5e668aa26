"""The first build's sentence facts as typed records: one duty or deadline statement per sentence.

`ingestion.facts` reads them ("X có trách nhiệm …", "X yêu cầu Y …", "X vừa ban hành …", a sentence
with a deadline); the news-page answerer reads them back (`qa_service.answering.news*`). They are kept
in the registry's `facts` table as their public JSON shape (`GET /v1/documents/{id}` → `facts`), one
row per fact with its document and chunk; task records have their own columns (`task_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FactDeadline:
    kind: str  # before | period | recurring | within | date
    text: str
    start: int  # absolute offsets in the document's stored text
    end: int


@dataclass(frozen=True)
class SentenceFact:
    kind: str  # responsibility | request | issuance | deadline
    sentence: str
    start: int
    end: int
    actor: str | None = None
    actor_start: int | None = None
    action: str | None = None
    requested_by: str | None = None
    deadlines: tuple[FactDeadline, ...] = ()
    chunk_id: str = ""

    @property
    def doc_id(self) -> str:
        return self.chunk_id.rsplit(":", 1)[0]

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "sentence": self.sentence, "start": self.start, "end": self.end,
                "actor": self.actor, "actor_start": self.actor_start, "action": self.action,
                "requested_by": self.requested_by,
                "deadlines": [{"kind": d.kind, "text": d.text, "start": d.start, "end": d.end} for d in self.deadlines],
                "chunk_id": self.chunk_id}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SentenceFact:
        return cls(kind=str(data.get("kind") or ""), sentence=str(data.get("sentence") or ""),
                   start=int(data.get("start") or 0), end=int(data.get("end") or 0), actor=data.get("actor"),
                   actor_start=data.get("actor_start"), action=data.get("action"),
                   requested_by=data.get("requested_by"),
                   deadlines=tuple(FactDeadline(str(d["kind"]), str(d["text"]), int(d["start"]), int(d["end"]))
                                   for d in data.get("deadlines") or []),
                   chunk_id=str(data.get("chunk_id") or ""))
