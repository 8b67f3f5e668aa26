#!/usr/bin/env python3
"""Validate the hand-made gold list of task assignments (official_tasks.jsonl).

Usage:
    python3 eval/gold/check_tasks.py [TASKS.jsonl] [--corpus DIR]

Defaults: TASKS = official_tasks.jsonl beside this script; DIR = the shared
corpus-official folder next to the repository (../shared/corpus-official
relative to the repo root).

Checks, per line:
  * a JSON object with exactly the fields file, evidence, actors, action,
    deadline_text, deadline_date, recurrence, report_to, section, correctly typed;
  * file is a plain file name present in the corpus folder;
  * evidence is 20-300 characters and an EXACT substring (line breaks included)
    of that file; the same (file, evidence) pair does not occur twice;
  * actors is a non-empty list of {"name": non-empty str, "role": lead|support|assignee}
    with at least one lead or assignee and no name repeated within the task;
  * deadline_date is null or a valid ISO date YYYY-MM-DD, and comes with a
    deadline_text; recurrence is null or daily|weekly|monthly|quarterly|semiannual|annual;
  * totals: at least 150 tasks from at least 10 files.
Prints the number of tasks per file (and how many carry a deadline_date).
Exit status 0 when clean, 1 on any error. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections import Counter
from pathlib import Path

FIELDS = {
    "file", "evidence", "actors", "action", "deadline_text", "deadline_date",
    "recurrence", "report_to", "section",
}
ROLES = {"lead", "support", "assignee"}
RECURRENCES = {"daily", "weekly", "monthly", "quarterly", "semiannual", "annual"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_TASKS = 150
MIN_FILES = 10


def default_corpus() -> Path:
    # eval/gold/check_tasks.py -> parents[2] is the repo root; shared/ sits beside it.
    return Path(__file__).resolve().parents[2].parent / "shared" / "corpus-official"


def check_line(obj: object, corpus: Path, cache: dict[str, str]) -> list[str]:
    errs: list[str] = []
    if not isinstance(obj, dict):
        return ["not a JSON object"]
    keys = set(obj)
    if keys != FIELDS:
        missing, extra = FIELDS - keys, keys - FIELDS
        if missing:
            errs.append(f"missing fields: {sorted(missing)}")
        if extra:
            errs.append(f"unknown fields: {sorted(extra)}")
        return errs

    fname = obj["file"]
    if not isinstance(fname, str) or not fname or "/" in fname or "\\" in fname:
        errs.append("file must be a plain file name")
    else:
        if fname not in cache:
            path = corpus / fname
            cache[fname] = path.read_text(encoding="utf-8") if path.is_file() else ""
        if not cache[fname]:
            errs.append(f"file not found in corpus: {fname}")

    ev = obj["evidence"]
    if not isinstance(ev, str):
        errs.append("evidence must be a string")
    else:
        if not 20 <= len(ev) <= 300:
            errs.append(f"evidence length {len(ev)} not in 20..300")
        if isinstance(fname, str) and cache.get(fname) and ev not in cache[fname]:
            errs.append("evidence is not an exact substring of the file")

    actors = obj["actors"]
    if not isinstance(actors, list) or not actors:
        errs.append("actors must be a non-empty list")
    else:
        names: list[str] = []
        for a in actors:
            if not isinstance(a, dict) or set(a) != {"name", "role"}:
                errs.append(f"bad actor entry: {a!r}")
                continue
            if not isinstance(a["name"], str) or not a["name"].strip():
                errs.append(f"actor name must be a non-empty string: {a!r}")
            else:
                names.append(a["name"])
            if a["role"] not in ROLES:
                errs.append(f"bad role {a['role']!r} (allowed: {sorted(ROLES)})")
        if actors and all(isinstance(a, dict) and a.get("role") == "support" for a in actors):
            errs.append("no lead/assignee actor")
        dup = [n for n, c in Counter(names).items() if c > 1]
        if dup:
            errs.append(f"actor repeated: {dup}")

    if not isinstance(obj["action"], str) or not obj["action"].strip():
        errs.append("action must be a non-empty string")
    for key in ("deadline_text", "report_to"):
        v = obj[key]
        if v is not None and (not isinstance(v, str) or not v.strip()):
            errs.append(f"{key} must be null or a non-empty string")
    if not isinstance(obj["section"], str):
        errs.append("section must be a string")

    dd = obj["deadline_date"]
    if dd is not None:
        if not isinstance(dd, str) or not ISO_DATE.match(dd):
            errs.append(f"deadline_date not ISO YYYY-MM-DD: {dd!r}")
        else:
            try:
                dt.date.fromisoformat(dd)
            except ValueError:
                errs.append(f"deadline_date is not a real date: {dd}")
        if not obj["deadline_text"]:
            errs.append("deadline_date given without deadline_text")
    rec = obj["recurrence"]
    if rec is not None and rec not in RECURRENCES:
        errs.append(f"bad recurrence {rec!r} (allowed: {sorted(RECURRENCES)})")
    return errs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tasks", nargs="?", default=str(Path(__file__).resolve().parent / "official_tasks.jsonl"))
    ap.add_argument("--corpus", default=str(default_corpus()))
    args = ap.parse_args(argv)

    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"error: corpus folder not found: {corpus}", file=sys.stderr)
        return 1
    cache: dict[str, str] = {}
    per_file: Counter[str] = Counter()
    dated: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    n_err = 0
    total = 0
    with open(args.tasks, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            total += 1
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"line {lineno}: invalid JSON: {exc}")
                n_err += 1
                continue
            errs = check_line(obj, corpus, cache)
            if not errs:
                key = (obj["file"], obj["evidence"])
                if key in seen:
                    errs.append("duplicate (file, evidence) pair")
                seen.add(key)
            for e in errs:
                print(f"line {lineno}: {e}")
            n_err += len(errs)
            if isinstance(obj, dict) and isinstance(obj.get("file"), str):
                per_file[obj["file"]] += 1
                if obj.get("deadline_date"):
                    dated[obj["file"]] += 1

    print(f"{'tasks':>5} {'dated':>5}  file")
    for fname in sorted(per_file):
        print(f"{per_file[fname]:>5} {dated[fname]:>5}  {fname}")
    print(f"{total:>5} {sum(dated.values()):>5}  TOTAL ({len(per_file)} files)")
    if total < MIN_TASKS:
        print(f"error: {total} tasks, at least {MIN_TASKS} required")
        n_err += 1
    if len(per_file) < MIN_FILES:
        print(f"error: {len(per_file)} files, at least {MIN_FILES} required")
        n_err += 1
    print("OK" if n_err == 0 else f"FAILED: {n_err} error(s)")
    return 0 if n_err == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
