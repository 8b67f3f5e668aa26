"""Turn a run into `report.json`, `report.md`, `report.html` and a one-screen console summary.

`report.json` is the source of truth (metrics, thresholds, every question with its verdict);
the Markdown and HTML files are views of it, so they can be re-rendered from an old JSON file.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from qa_service.eval.metrics import Judgement, Outcome, judge, summarize, summarize_by_type
from qa_service.eval.report_html import RATIOS, render_html
from qa_service.eval.runner import RunResult

SCHEMA_VERSION = 1
# Metrics shown in summaries, in this order; ratios in [0, 1] except latency (ms) and counts.
HEADLINE = [*RATIOS, "latency_p50_ms", "latency_p95_ms", "latency_max_ms"]


def fmt(value: Any, name: str = "") -> str:
    if value is None:
        return "n/a"
    if name.endswith("_ms"):
        return f"{value:.0f} ms"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def question_row(j: Judgement) -> dict[str, Any]:
    o, case = j.outcome, j.outcome.case
    return {
        "id": case.id,
        "type": case.type,
        "question": case.question,
        "history": [t.model_dump() for t in case.history],
        "answerable": case.answerable,
        "must_include": case.must_include,
        "gold_evidence": case.gold_evidence,
        "gold_sources": case.gold_sources,
        "answer": o.answer,
        "abstained": o.abstained,
        "standalone_question": o.standalone_question,
        "citations": [
            {**{k: v for k, v in asdict(c).items() if k != "chunk_text"}, "relevant": flag}
            for c, flag in zip(o.citations, j.relevant, strict=True)
        ],
        "first_relevant_rank": j.first_relevant_rank,
        "answer_correct": j.answer_correct,
        "missing": j.missing,
        "correct": j.correct,
        "reason": j.reason,
        "latency_ms": None if o.latency_ms is None else round(o.latency_ms, 1),
        "error": o.error,
    }


def build_report(
    result: RunResult,
    testset: str,
    thresholds: Sequence[dict[str, Any]] = (),
    judgements: Sequence[Judgement] | None = None,
) -> dict[str, Any]:
    judgements = list(judgements) if judgements is not None else [judge(o) for o in result.outcomes]
    return {
        "schema_version": SCHEMA_VERSION,
        "run": {
            "testset": testset,
            "target": result.target,
            "started": result.started,
            "finished": result.finished,
            "seconds": round(result.seconds, 2),
            "questions_total": result.total,
            "questions_run": len(result.outcomes),
            "questions_skipped": result.skipped,
            "interrupted": result.interrupted,
            "settings": result.settings,
        },
        "metrics": summarize(judgements),
        "by_type": summarize_by_type(judgements),
        "thresholds": list(thresholds),
        "passed": all(t["ok"] for t in thresholds),
        "questions": [question_row(j) for j in judgements],
    }


def outcome_line(outcome: Outcome) -> str:
    """One JSON line for the incremental `results.jsonl` written while the run goes on."""
    return json.dumps(question_row(judge(outcome)), ensure_ascii=False)


def _cell(text: Any, limit: int = 0) -> str:
    text = "" if text is None else str(text)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.replace("|", "\\|").split())


def render_markdown(report: dict[str, Any]) -> str:
    run, m = report["run"], report["metrics"]
    lines = [
        "# Evaluation report",
        "",
        f"- Test set: `{run['testset']}`; target: `{run['target']}`",
        f"- Started {run['started']}, {run['seconds']} s; "
        f"{run['questions_run']}/{run['questions_total']} questions run"
        + (" (**interrupted**: partial results)" if run["interrupted"] else "")
        + f"; {m['errors']} error(s)",
        "",
        "## Summary",
        "",
        "| metric | value |",
        "| --- | --- |",
        *(f"| {name} | {fmt(m[name], name)} |" for name in HEADLINE),
        "",
    ]
    if report["thresholds"]:
        lines += [
            "## Thresholds",
            "",
            "| metric | required | value | result |",
            "| --- | --- | --- | --- |",
        ]
        for t in report["thresholds"]:
            verdict = "pass" if t["ok"] else "**FAIL**"
            lines.append(f"| {t['metric']} | {t['op']} {t['threshold']} | {fmt(t['value'], t['metric'])} | {verdict} |")
        lines.append("")
    cols = [
        "answer_correctness",
        "hit@1",
        "mrr",
        "citation_precision",
        "abstention_recall",
        "latency_p50_ms",
    ]
    lines += [
        "## By type",
        "",
        "| type | questions | " + " | ".join(cols) + " |",
        "| --- | --- | " + " | ".join("---" for _ in cols) + " |",
    ]
    for name, tm in report["by_type"].items():
        lines.append(f"| {name} | {tm['questions']} | " + " | ".join(fmt(tm[c], c) for c in cols) + " |")
    lines += [
        "",
        "## Questions",
        "",
        "| id | type | ok | question | answer | citations | why |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for q in report["questions"]:
        cites = ", ".join(f"[{c['index']}] {c['source']}{' ✓' if c['relevant'] else ''}" for c in q["citations"])
        lines.append(
            f"| {_cell(q['id'])} | {_cell(q['type'])} | {'✓' if q['correct'] else '✗'} | {_cell(q['question'], 120)} "
            f"| {_cell('(abstained) ' if q['abstained'] else '')}{_cell(q['answer'], 240)} "
            f"| {_cell(cites, 200)} | {_cell(q['reason'], 200)} |"
        )
    return "\n".join(lines) + "\n"


def write_reports(report: dict[str, Any], out_dir: Path) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "report.json",
        "md": out_dir / "report.md",
        "html": out_dir / "report.html",
    }
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["md"].write_text(render_markdown(report), encoding="utf-8")
    paths["html"].write_text(render_html(report), encoding="utf-8")
    return paths


def print_summary(report: dict[str, Any], paths: dict[str, Path], console: Console | None = None) -> None:
    """The one screen a person reads after a run: headline metrics, per type, thresholds, files."""
    console = console or Console(stderr=True)
    run, m = report["run"], report["metrics"]
    title = f"{run['questions_run']}/{run['questions_total']} questions, {m['errors']} error(s), {run['seconds']} s"
    if run["interrupted"]:
        title += " — INTERRUPTED (partial)"
    table = Table(title=title, show_header=True)
    table.add_column("type")
    table.add_column("n", justify="right")
    cols = [
        "answer_correctness",
        "hit@5",
        "mrr",
        "citation_precision",
        "abstention_recall",
        "latency_p95_ms",
    ]
    short = ["answer", "hit@5", "MRR", "cite P", "abst R", "p95"]
    for label in short:
        table.add_column(label, justify="right")
    for name, tm in report["by_type"].items():
        table.add_row(name, str(tm["questions"]), *(fmt(tm[c], c) for c in cols))
    table.add_row("ALL", str(m["questions"]), *(fmt(m[c], c) for c in cols), style="bold")
    console.print(table)
    console.print(
        "  ".join(
            f"{n}={fmt(m[n], n)}"
            for n in [
                "accuracy",
                "hit@1",
                "hit@3",
                "citation_recall",
                "abstention_precision",
                "latency_p50_ms",
            ]
        )
    )
    errors = Counter(q["error"] for q in report["questions"] if q["error"])
    if errors:
        message, count = errors.most_common(1)[0]
        console.print(f"[red]{sum(errors.values())} error(s)[/red], most often ({count}x): {message}", highlight=False)
    for t in report["thresholds"]:
        mark = "[green]pass[/green]" if t["ok"] else "[red bold]FAIL[/red bold]"
        console.print(f"{mark} {t['metric']} {t['op']} {t['threshold']} (got {fmt(t['value'], t['metric'])})")
    console.print("reports: " + "  ".join(str(p) for p in paths.values()))
