"""What ingesting a file or a batch came to: per-file outcomes (never a lost batch) and their summary."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileOutcome:
    path: str
    status: str  # added | updated | unchanged | skipped | removed
    doc_id: str | None = None
    chunks: int = 0
    reason: str | None = None
    doc_kind: str | None = None  # "Kế hoạch", "Công văn" … for official documents written now
    tasks: int = 0


@dataclass
class IngestSummary:
    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def chunks(self) -> int:
        return sum(o.chunks for o in self.outcomes if o.status in ("added", "updated"))

    @property
    def skipped(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "skipped"]

    def by_kind(self) -> dict[str, dict[str, int]]:
        """Documents written by this run per kind (news pages and others under "khác"), with chunks and tasks."""
        out: dict[str, dict[str, int]] = {}
        for o in self.outcomes:
            if o.status in ("added", "updated"):
                row = out.setdefault(o.doc_kind or "khác", {"documents": 0, "chunks": 0, "tasks": 0})
                row["documents"] += 1
                row["chunks"] += o.chunks
                row["tasks"] += o.tasks
        return dict(sorted(out.items(), key=lambda kv: -kv[1]["documents"]))

    def as_dict(self) -> dict[str, object]:
        return {
            "files": len(self.outcomes),
            "added": self.count("added"), "updated": self.count("updated"),
            "unchanged": self.count("unchanged"), "skipped": self.count("skipped"),
            "chunks": self.chunks, "seconds": round(self.seconds, 3), "by_kind": self.by_kind(),
            "outcomes": [o.__dict__ for o in self.outcomes],
        }
