"""`qa eval TESTSET.jsonl`: run a test set and write report.json / report.md / report.html.

Exit status: 0 all thresholds met, 1 a `--min-…`/`--max-…` threshold missed, 2 the test set or
the options are invalid (nothing was run), 130 interrupted (partial reports are still written).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from qa_service.eval.metrics import Outcome, check_thresholds, judge, summarize
from qa_service.eval.report import build_report, outcome_line, print_summary, write_reports
from qa_service.eval.runner import Target, http_target, in_process_target, run_cases
from qa_service.eval.testset import TestsetError, load_testset

EXIT_THRESHOLD, EXIT_INVALID, EXIT_INTERRUPTED = 1, 2, 130


def default_out_dir() -> Path:
    return Path("eval") / "reports" / datetime.now().strftime("%Y%m%d-%H%M%S")


def eval_command(
    testset: Annotated[Path, typer.Argument(help="Test set, JSON Lines (see DESIGN.md).")],
    url: Annotated[
        str | None,
        typer.Option(help="Base URL of a live deployment (POST URL/v1/chat); default: in process."),
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(envvar="QA_EVAL_API_KEY", help="Sent as 'Authorization: Bearer KEY' with --url."),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Report folder (default: eval/reports/TIMESTAMP).")] = None,
    top_k: Annotated[int | None, typer.Option(min=1, max=20, help="top_k sent with each question.")] = None,
    ingest: Annotated[
        list[Path] | None,
        typer.Option(help="In process: ingest these files/folders first (idempotent). Repeatable."),
    ] = None,
    only_type: Annotated[
        list[str] | None, typer.Option("--type", help="Only questions of this type. Repeatable.")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N questions.")] = None,
    timeout: Annotated[float, typer.Option(help="HTTP timeout per question, seconds.")] = 60.0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    min_answer_correctness: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Exit 1 when answer correctness is below."),
    ] = None,
    min_accuracy: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Exit 1 when accuracy (all questions) is below."),
    ] = None,
    min_hit_at_1: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Exit 1 when retrieval hit@1 is below.")
    ] = None,
    min_hit_at_3: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Exit 1 when retrieval hit@3 is below.")
    ] = None,
    min_hit_at_5: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Exit 1 when retrieval hit@5 is below.")
    ] = None,
    min_mrr: Annotated[float | None, typer.Option(min=0.0, max=1.0, help="Exit 1 when retrieval MRR is below.")] = None,
    min_citation_precision: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Exit 1 when citation precision is below."),
    ] = None,
    min_citation_recall: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Exit 1 when citation recall is below.")
    ] = None,
    min_abstention_precision: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Exit 1 when abstention precision is below."),
    ] = None,
    min_abstention_recall: Annotated[
        float | None, typer.Option(min=0.0, max=1.0, help="Exit 1 when abstention recall is below.")
    ] = None,
    max_latency_p95_ms: Annotated[
        float | None, typer.Option(min=0.0, help="Exit 1 when p95 latency (ms) is above.")
    ] = None,
) -> None:
    """Run every question of TESTSET and report retrieval, answer, citation and abstention metrics."""
    console = Console(stderr=True)
    thresholds = {
        name: value
        for name, value in {
            "answer_correctness": min_answer_correctness,
            "accuracy": min_accuracy,
            "hit@1": min_hit_at_1,
            "hit@3": min_hit_at_3,
            "hit@5": min_hit_at_5,
            "mrr": min_mrr,
            "citation_precision": min_citation_precision,
            "citation_recall": min_citation_recall,
            "abstention_precision": min_abstention_precision,
            "abstention_recall": min_abstention_recall,
            "latency_p95_ms": max_latency_p95_ms,
        }.items()
        if value is not None
    }
    try:
        cases = load_testset(testset)
    except FileNotFoundError:
        console.print(f"[red]No such test set:[/red] {testset}")
        raise typer.Exit(EXIT_INVALID) from None
    except TestsetError as exc:
        console.print(f"[red]Invalid test set[/red] {exc}", markup=False, highlight=False)
        raise typer.Exit(EXIT_INVALID) from None
    if only_type:
        cases = [c for c in cases if c.type in set(only_type)]
    cases = cases[:limit] if limit else cases
    if not cases:
        console.print("[red]No questions left after --type/--limit.[/red]")
        raise typer.Exit(EXIT_INVALID)
    if url and ingest:
        console.print("[red]--ingest works in process only; ingest into the deployment instead.[/red]")
        raise typer.Exit(EXIT_INVALID)

    out_dir = out or default_out_dir()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = _make_target(url, api_key, timeout, ingest or [], console)
    settings: dict[str, Any] = {
        "url": url,
        "top_k": top_k,
        "ingest": [str(p) for p in ingest or []],
    }
    settings.update(_service_settings() if not url else {})

    partial = out_dir / "results.jsonl"
    with partial.open("w", encoding="utf-8") as sink:

        def keep(outcome: Outcome) -> None:
            sink.write(outcome_line(outcome) + "\n")
            sink.flush()

        try:
            result = run_cases(cases, target, top_k=top_k, progress=progress, on_outcome=keep)
        finally:
            target.close()
    result.settings = settings

    judgements = [judge(o) for o in result.outcomes]
    checks = check_thresholds(summarize(judgements), thresholds)
    report = build_report(result, str(testset), checks, judgements)
    paths = write_reports(report, out_dir)
    print_summary(report, {**paths, "jsonl": partial}, console)
    if result.interrupted:
        console.print("[yellow]Interrupted: the reports cover the questions run so far.[/yellow]")
        raise typer.Exit(EXIT_INTERRUPTED)
    if not report["passed"]:
        raise typer.Exit(EXIT_THRESHOLD)


def _make_target(url: str | None, api_key: str | None, timeout: float, ingest: list[Path], console: Console) -> Target:
    if url:
        return http_target(url, api_key=api_key, timeout=timeout)
    missing = [str(p) for p in ingest if not p.exists()]
    if missing:
        console.print(f"[red]--ingest: no such file or folder:[/red] {', '.join(missing)}")
        raise typer.Exit(EXIT_INVALID)
    with console.status("loading the service (models, index)…"):
        return in_process_target(ingest=[str(p) for p in ingest])


def _service_settings() -> dict[str, Any]:
    """The settings that explain a score, recorded in report.json (no secrets)."""
    from qa_service.settings import get_settings

    s = get_settings()
    return {
        "data_dir": str(s.data_dir),
        "embeddings": s.embeddings,
        "embeddings_model": s.embeddings_model,
        "answerer": s.answerer,
        "llm_model": s.llm_model if s.answerer != "extractive" else None,
        "retrieval_mode": s.retrieval_mode,
        "default_top_k": s.top_k,
    }


def main() -> None:  # pragma: no cover - `python -m qa_service.eval.cli` before the `qa` app wires it
    typer.run(eval_command)


if __name__ == "__main__":  # pragma: no cover
    main()
