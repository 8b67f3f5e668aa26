"""Reports: JSON is the source of truth, Markdown and HTML are views; HTML must be self-contained."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from rich.console import Console

from qa_service.eval.metrics import CitedChunk, Outcome, check_thresholds, judge, summarize
from qa_service.eval.report import (
    build_report,
    outcome_line,
    print_summary,
    render_markdown,
    write_reports,
)
from qa_service.eval.report_html import latency_svg, metrics_svg, render_html
from qa_service.eval.runner import RunResult
from qa_service.eval.testset import TestCase

A = "000_bcc9d3f070f74c9b.txt"


def result(interrupted: bool = False) -> RunResult:
    good = TestCase(
        id="d1", question="Chỉ thị 12-CT/TW ban hành ngày nào?", answerable=True, type="date",
        must_include=[["05/01/2022"]], gold_sources=[A], gold_evidence="12-CT/TW ngày 05/01/2022",
    )  # fmt: skip
    tricky = TestCase(
        id="x|<b>", question="Hỏi <script>alert(1)</script> | ai?", answerable=True, type="entity",
        must_include=[["Ban Bí thư"]], gold_sources=[A], gold_evidence="của Ban Bí thư",
        history=[{"role": "user", "content": "trước"}, {"role": "assistant", "content": "đáp"}],
    )  # fmt: skip
    none = TestCase(id="u1", question="Chủ tịch là ai?", answerable=False, type="unanswerable")
    snippet = "Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư"
    outcomes = [
        Outcome(
            good,
            "Ngày 05/01/2022 [1].",
            citations=[CitedChunk(1, A, snippet, "c1")],
            latency_ms=12.5,
        ),
        Outcome(tricky, "<b>không</b> | rõ", latency_ms=30.0),
        Outcome(none, error="HTTP 500: internal"),
    ]
    return RunResult("fake", outcomes, total=4, started="2024-01-01T00:00:00+00:00",
                     finished="2024-01-01T00:00:01+00:00", seconds=1.0, interrupted=interrupted)  # fmt: skip


def report(interrupted: bool = False) -> dict:
    r = result(interrupted)
    checks = check_thresholds(summarize([judge(o) for o in r.outcomes]), {"answer_correctness": 0.4})
    return build_report(r, "t.jsonl", checks)


def test_json_report_has_run_metrics_types_and_every_question() -> None:
    rep = report()
    assert rep["run"]["questions_run"] == 3 and rep["run"]["questions_skipped"] == 1
    assert rep["metrics"]["answer_correctness"] == 0.5 and rep["metrics"]["errors"] == 1
    assert set(rep["by_type"]) == {"date", "entity", "unanswerable"}
    assert rep["thresholds"] == [
        {"metric": "answer_correctness", "op": ">=", "threshold": 0.4, "value": 0.5, "ok": True}
    ]
    assert rep["passed"]
    first = rep["questions"][0]
    assert first["correct"] and first["citations"][0]["relevant"] and first["first_relevant_rank"] == 1
    assert "chunk_text" not in first["citations"][0]
    assert rep["questions"][2]["reason"] == "error: HTTP 500: internal"
    json.dumps(rep)  # serialisable as is


def test_outcome_line_is_one_json_line() -> None:
    line = outcome_line(result().outcomes[0])
    assert "\n" not in line and json.loads(line)["id"] == "d1"


def test_markdown_lists_summary_thresholds_types_and_questions() -> None:
    md = render_markdown(report(interrupted=True))
    assert "| answer_correctness | 0.500 |" in md
    assert "| answer_correctness | >= 0.4 | 0.500 | pass |" in md
    assert "interrupted" in md
    rows = [line for line in md.splitlines() if line.startswith(("| d1 ", "| u1 "))]
    assert len(rows) == 2 and "✓" in rows[0] and "✗" in rows[1]
    # pipes inside cells are escaped so the table keeps its columns
    tricky = next(line for line in md.splitlines() if "alert(1)" in line)
    assert tricky.startswith("| x\\|&lt;b&gt; |")
    assert len(re.findall(r"(?<!\\)\|", tricky)) == 8  # 7 columns
    assert "<script>" not in md


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_self_contained_and_escaped() -> None:
    page = render_html(report())
    parser = _Collector()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, a in tags if t in {"link", "img", "iframe"} or "src" in a]
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}  # only the SVG namespace, nothing fetched
    assert sum(t == "svg" for t, _ in tags) == 2
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;không&lt;/b&gt;" in page
    assert "2 earlier turns" in page and "show failures only" in page


def test_svg_charts_are_well_formed_xml() -> None:
    rep = report()
    for svg in (
        metrics_svg(rep["metrics"], rep["thresholds"]),
        latency_svg(rep["questions"], rep["metrics"]),
    ):
        root = ET.fromstring(svg)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    bars = ET.fromstring(metrics_svg({"answer_correctness": 0.5}, []))
    widths = [r.get("width") for r in bars.iter("{http://www.w3.org/2000/svg}rect")]
    assert "180.0" in widths  # 0.5 of the 360 px bar


def test_write_reports_and_rerender_from_json(tmp_path: Path) -> None:
    paths = write_reports(report(), tmp_path / "out")
    assert {p.name for p in paths.values()} == {"report.json", "report.md", "report.html"}
    loaded = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert render_markdown(loaded) == paths["md"].read_text(encoding="utf-8")
    assert render_html(loaded) == paths["html"].read_text(encoding="utf-8")


def test_console_summary_fits_one_screen(tmp_path: Path) -> None:
    console = Console(record=True, width=100)
    print_summary(report(interrupted=True), {"json": tmp_path / "report.json"}, console)
    text = console.export_text()
    assert len(text.splitlines()) <= 25
    assert "INTERRUPTED" in text and "ALL" in text and "pass answer_correctness >= 0.4" in text
    assert "1 error(s), most often (1x): HTTP 500: internal" in text
