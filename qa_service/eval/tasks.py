"""Score the assignment extractor against the hand-built gold list (`eval/gold/official_tasks.jsonl`).

Each gold task names its file and an exact evidence passage. The file goes through ingestion as it
would in production (`ingestion.pipeline.prepare`, no index, no model); a predicted task matches
the gold task whose evidence span it overlaps most. Inside the annotated part of each file (first
to last gold passage), every predicted task counts:

- actor precision: predicted actors that name a gold actor of the matched task (unmatched predicted
  tasks contribute all their actors as false); actor recall: gold actors found;
- deadline date accuracy: gold tasks with a date whose matched task has exactly that date.

Each gold list is split by file into a tuning part (rules were written looking at these files) and a
check part (scored only, never looked at); both are printed with the overall numbers.

    python -m qa_service.eval.tasks [eval/gold/official_tasks.jsonl] [--corpus ../shared/corpus-official]
    python -m qa_service.eval.tasks eval/gold/bulk_task_tables.jsonl --corpus ../shared/corpus-bulk
"""

from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingestion.actors import same_body
from ingestion.clean import clean_text
from ingestion.load import load_bytes
from ingestion.pipeline import content_hash, prepare

GOLD = Path(__file__).resolve().parents[2] / "eval" / "gold" / "official_tasks.jsonl"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus-official"
BULK_GOLD = GOLD.with_name("bulk_task_tables.jsonl")
BULK_CORPUS = CORPUS.with_name("corpus-bulk")
# The tuning files of each gold list (file-name prefixes); every other file of the list is a check file.
TUNING: dict[str, tuple[str, ...]] = {
    "official_tasks.jsonl": ("chithi-010", "chithi-06", "congdien-226", "kehoach-0129", "kehoach-141",
                             "kehoach-7360", "nghidinh-302", "quyetdinh-2623"),
    "bulk_task_tables.jsonl": ("vanban-8718801c", "vanban-2edf5927"),
}


@dataclass
class TaskScores:
    actor_tp: int = 0
    predicted_actors: int = 0
    gold_actors: int = 0
    actor_found: int = 0
    dated: int = 0
    date_exact: int = 0
    gold_tasks: int = 0
    matched: int = 0
    predicted_tasks: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def actor_precision(self) -> float:
        return self.actor_tp / self.predicted_actors if self.predicted_actors else 0.0

    @property
    def actor_recall(self) -> float:
        return self.actor_found / self.gold_actors if self.gold_actors else 0.0

    @property
    def date_accuracy(self) -> float:
        return self.date_exact / self.dated if self.dated else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "gold_tasks": self.gold_tasks, "predicted_tasks": self.predicted_tasks, "matched": self.matched,
            "actor_precision": round(self.actor_precision, 3), "actor_recall": round(self.actor_recall, 3),
            "deadline_dates": self.dated, "deadline_date_exact": round(self.date_accuracy, 3),
        }


def locate(text: str, evidence: str, printed: str | None = None) -> tuple[int, int] | None:
    """The evidence's span in the stored (unwrapped) text. Copied with its line breaks, it is found
    exactly in the `printed` text (cleaned, before unwrapping: same offsets) even when a plan says the
    same words twice (in its body and in its Phụ lục table, wrapped differently); else whitespace runs
    compare equal and the first occurrence counts."""
    if printed is not None and evidence.strip() and (at := printed.find(evidence)) >= 0:
        return at, at + len(evidence)
    words = evidence.split()
    m = re.search(r"\s+".join(re.escape(w) for w in words), text) if words else None
    return (m.start(), m.end()) if m else None


def printed_text(path: Path) -> str:
    """A file's text as cleaning leaves it, before line wraps are joined (the offsets of the stored text)."""
    return clean_text(load_bytes(path.name, path.read_bytes(), str(path)).text)


def _same(a: str, b: str) -> bool:
    return same_body(a, b) or " ".join(a.lower().split()) == " ".join(b.lower().split())


def score_file(path: Path, gold: list[dict[str, Any]], scores: TaskScores) -> None:
    data = path.read_bytes()
    loaded = load_bytes(path.name, data, str(path))
    doc = prepare(loaded, path.name, content_hash(data), "gold")
    text, printed = doc.record.text, clean_text(loaded.text)
    predicted = doc.tasks
    spans = [(g, locate(text, g["evidence"], printed)) for g in gold]
    located = [(g, s) for g, s in spans if s is not None]
    if not located:
        return
    lo, hi = min(s[0] for _, s in located), max(s[1] for _, s in located)
    in_region = [t for t in predicted if lo <= t.start < hi]
    scores.predicted_tasks += len(in_region)
    used: set[int] = set()
    for g, span in spans:
        scores.gold_tasks += 1
        gold_actors = [a["name"] for a in g["actors"]]
        scores.gold_actors += len(gold_actors)
        if g.get("deadline_date"):
            scores.dated += 1
        best = None
        if span is not None:
            overlaps = [(min(span[1], t.end) - max(span[0], t.start), i) for i, t in enumerate(in_region)]
            overlaps = [o for o in overlaps if o[0] > 0 and o[1] not in used]
            best = max(overlaps)[1] if overlaps else None
        if best is None:
            scores.misses.append({"file": path.name, "evidence": g["evidence"][:80], "why": "no task found"})
            continue
        used.add(best)
        task = in_region[best]
        scores.matched += 1
        names = [a.name for a in task.actors]
        scores.actor_found += sum(1 for ga in gold_actors if any(_same(ga, n) for n in names))
        scores.actor_tp += sum(1 for n in names if any(_same(ga, n) for ga in gold_actors))
        scores.predicted_actors += len(names)
        date = task.deadline.date if task.deadline else None
        if g.get("deadline_date"):
            if date == g["deadline_date"]:
                scores.date_exact += 1
            else:
                scores.misses.append({"file": path.name, "evidence": g["evidence"][:80],
                                      "why": f"date {date} != {g['deadline_date']}"})
    for i, task in enumerate(in_region):  # tasks the gold does not have: all their actors are wrong
        if i not in used:
            scores.predicted_actors += len(task.actors)


def part(gold_path: Path, name: str) -> str:
    """"tuning" or "check": which part of its gold list a file belongs to."""
    return "tuning" if name.startswith(TUNING.get(gold_path.name, ())) else "check"


def score(gold_path: Path = GOLD, corpus: Path = CORPUS, only: str | None = None) -> TaskScores:
    """Scores over the gold list, or over one part of it (`only` = "tuning" | "check")."""
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            by_file[row["file"]].append(row)
    scores = TaskScores()
    for name, rows in sorted(by_file.items()):
        if only is None or part(gold_path, name) == only:
            score_file(corpus / name, rows, scores)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path, nargs="?", default=GOLD)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--misses", action="store_true", help="list the tuning files' gold tasks missed or misdated")
    args = parser.parse_args(argv)
    parts = {"tuning": score(args.gold, args.corpus, "tuning"), "check": score(args.gold, args.corpus, "check")}
    overall = score(args.gold, args.corpus)
    print(json.dumps({"overall": overall.summary(), **{k: v.summary() for k, v in parts.items()}},
                     ensure_ascii=False, indent=2))
    if args.misses:  # the check files' misses stay unread: they are what keeps the check honest
        for m in parts["tuning"].misses:
            print(json.dumps(m, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
