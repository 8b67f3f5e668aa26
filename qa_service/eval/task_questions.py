"""Deadline questions made from the independent dated-task gold lists, in the test-set format.

The hand-written dev sets ask few "by when?" questions about documents outside the tuning files; the
dated-task gold lists (`eval/gold/official_dated_tasks*.jsonl`, annotated from the text alone) hold 214
assignments with a deadline each. Each becomes a question a civil servant would type (three phrasings,
chosen by a hash so none dominates), answered when the reply carries the deadline as written or its
date. Split like the gold itself: files hashed to "tuning" may be looked at, the "check" files not.

    python -m qa_service.eval.task_questions --out artifacts/task_questions
"""

from __future__ import annotations

import argparse
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from qa_service.eval.register import CORPORA, DATED_GOLD, DATED_GOLD_2, DATED_GOLD_3, dated_gold_is_tuning, locate_file
from vectorstore.analyzer import fold

TEMPLATES = (
    "{actor} phải {action} trước ngày nào?",
    "Hạn hoàn thành việc {action} của {actor} là khi nào?",
    "Khi nào {actor} cần {action}?",
)
ACTION_WORDS = 12  # enough words to single the task out, few enough to read like a question


def _short_action(action: str) -> str:
    """The action's first clause (from its sixth word on, a comma or semicolon ends it), at most
    ACTION_WORDS words."""
    words = action.replace("\n", " ").split()[:ACTION_WORDS]
    end = next((i + 1 for i, w in enumerate(words) if i >= 5 and w[-1] in ",;:"), len(words))
    text = " ".join(words[:end]).rstrip(" ,;:.")
    return text[:1].lower() + text[1:]


def _date_forms(iso: str) -> list[str]:
    d = date.fromisoformat(iso)
    return [f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day}/{d.month}/{d.year}",
            f"{d.day} tháng {d.month} năm {d.year}", f"{d.day:02d} tháng {d.month:02d} năm {d.year}"]  # fmt: skip


def question_of(row: dict[str, Any], n: int) -> dict[str, Any]:
    key = hashlib.sha1(f"{row['file']}|{row['evidence']}".encode()).hexdigest()
    template = TEMPLATES[int(key, 16) % len(TEMPLATES)]
    actor = row["actors"][0]["name"]
    text = template.format(actor=actor, action=_short_action(row["action"]))
    return {
        "id": f"TQ{n:03d}", "type": "deadline", "question": text[:1].upper() + text[1:], "history": [],
        "answerable": True,
        "must_include": [list(dict.fromkeys([row["deadline_text"], *_date_forms(row["deadline_date"])]))],
        "gold_sources": [row["file"]], "gold_evidence": row["evidence"],
    }  # fmt: skip


def mismatched(row: dict[str, Any], other: dict[str, Any], n: int) -> dict[str, Any]:
    """The same question with the doer of a task in another document: no document assigns it to them,
    so the right reply is "the documents do not say" (the pair is checked to name different bodies)."""
    question = question_of({**row, "actors": other["actors"]}, n)
    return {**question, "id": f"TX{n:03d}", "type": "unanswerable", "answerable": False, "must_include": [],
            "gold_sources": [], "gold_evidence": ""}  # fmt: skip


def build(golds: tuple[Path, ...] = (DATED_GOLD, DATED_GOLD_2)) -> dict[str, list[dict[str, Any]]]:
    """Per part: a question per dated gold task, and for every third one with a specific action the same
    question asked of a body its document never mentions, taken from another file of the part."""
    rows: dict[str, list[dict[str, Any]]] = {"tuning": [], "check": []}
    for gold in golds:
        for line in gold.read_text(encoding="utf-8").splitlines():
            if line.strip() and (row := json.loads(line)).get("deadline_date"):
                rows["tuning" if dated_gold_is_tuning(row["file"]) else "check"].append(row)
    parts: dict[str, list[dict[str, Any]]] = {"tuning": [], "check": []}
    n = 0
    for part, found in rows.items():
        for i, row in enumerate(found):
            n += 1
            parts[part].append(question_of(row, n))
            text = fold(locate_file(row["file"], CORPORA).read_text(encoding="utf-8"))
            # A body the task's document never mentions, asked about a specific action (not "báo cáo").
            others = [o for o in found[i + 7 :] + found[:i] if o["file"] != row["file"]
                      and fold(o["actors"][0]["name"]) not in text]  # fmt: skip
            if i % 3 == 0 and others and len(_short_action(row["action"]).split()) >= 8:
                parts[part].append(mismatched(row, others[n % len(others)], n))
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--gold", type=Path, action="append",
                        help=f"a dated-task gold list (repeatable; default: {DATED_GOLD.name}, {DATED_GOLD_2.name}; "
                             f"{DATED_GOLD_3.name} makes its own set)")  # fmt: skip
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for part, rows in (build(tuple(args.gold)) if args.gold else build()).items():
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        (args.out / f"{part}.jsonl").write_text(lines, encoding="utf-8")
        print(f"{part}: {len(rows)} questions → {args.out / f'{part}.jsonl'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
