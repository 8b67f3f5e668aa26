"""The self-contained HTML report: inline CSS, inline SVG charts, no external JS, CSS or fonts,
so it can be mailed or archived as one file and opened offline."""

from __future__ import annotations

from html import escape
from typing import Any

RATIOS = [
    "answer_correctness",
    "accuracy",
    "hit@1",
    "hit@3",
    "hit@5",
    "mrr",
    "citation_precision",
    "citation_recall",
    "abstention_precision",
    "abstention_recall",
]
CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1f2937}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #d1d5db;padding:.3rem .5rem;
vertical-align:top;text-align:left}th{background:#f3f4f6}td.num{text-align:right}
tr.fail td.v{background:#fee2e2}tr.ok td.v{background:#dcfce7}.warn{color:#b91c1c;font-weight:bold}
.small{font-size:.8rem;color:#4b5563}ol{margin:0;padding-left:1.2rem}li.rel{color:#166534}
li.irr{color:#6b7280}.charts{display:flex;flex-wrap:wrap;gap:2rem}svg text{font-size:11px;fill:#374151}
#questions td{max-width:28rem}
"""
SCRIPT = """
document.getElementById('only-fail').addEventListener('change', function (e) {
  document.querySelectorAll('#questions tr.ok').forEach(function (row) {
    row.style.display = e.target.checked ? 'none' : '';
  });
});
"""


def _fmt(value: Any, name: str = "") -> str:
    if value is None:
        return "n/a"
    if name.endswith("_ms"):
        return f"{value:.0f} ms"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def metrics_svg(metrics: dict[str, Any], thresholds: list[dict[str, Any]]) -> str:
    """Horizontal bars in [0, 1], one per ratio metric, with a tick where a threshold sits."""
    label_w, bar_w, row_h = 150, 360, 22
    limits = {t["metric"]: t["threshold"] for t in thresholds}
    height = row_h * len(RATIOS) + 24
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 60}" height="{height}" '
        'role="img" aria-label="metrics chart">'
    )
    parts = [svg]
    for i, name in enumerate(RATIOS):
        y = 4 + i * row_h
        value = metrics.get(name)
        width = 0 if value is None else max(0.0, min(1.0, float(value))) * bar_w
        parts.append(f'<text x="0" y="{y + 14}">{escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 8}" fill="#f3f4f6"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" fill="#3b82f6">'
            f"<title>{escape(name)}: {_fmt(value)}</title></rect>"
        )
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 14}">{_fmt(value)}</text>')
        if name in limits:
            x = label_w + max(0.0, min(1.0, float(limits[name]))) * bar_w
            ok = value is not None and value >= limits[name]
            color = "#16a34a" if ok else "#dc2626"
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + row_h - 2}" stroke="{color}" '
                f'stroke-width="2"><title>threshold {limits[name]}</title></line>'
            )
    axis_y = 4 + len(RATIOS) * row_h + 12
    for tick in (0, 0.5, 1):
        parts.append(f'<text x="{label_w + tick * bar_w - 6:.0f}" y="{axis_y}">{tick}</text>')
    parts.append("</svg>")
    return "".join(parts)


def latency_svg(questions: list[dict[str, Any]], metrics: dict[str, Any]) -> str:
    """One bar per question (green right, red wrong, grey error) with p50 and p95 lines."""
    values = [q["latency_ms"] or 0.0 for q in questions]
    if not values:
        return "<p>No latency measured.</p>"
    top = max(values) or 1.0
    bar, gap, plot_h, left = 6, 2, 160, 50
    width = left + len(values) * (bar + gap) + 10
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{max(width, 300)}" height="{plot_h + 30}" '
        'role="img" aria-label="latency per question">'
    )
    parts = [svg]
    for i, (q, v) in enumerate(zip(questions, values, strict=True)):
        h = v / top * plot_h
        color = "#9ca3af" if q["error"] else ("#22c55e" if q["correct"] else "#ef4444")
        x = left + i * (bar + gap)
        parts.append(
            f'<rect x="{x}" y="{plot_h - h + 5:.1f}" width="{bar}" height="{h:.1f}" fill="{color}">'
            f"<title>{escape(q['id'])}: {v:.0f} ms</title></rect>"
        )
    for name, color in (("latency_p50_ms", "#2563eb"), ("latency_p95_ms", "#f59e0b")):
        value = metrics.get(name)
        if value is None:
            continue
        y = plot_h - value / top * plot_h + 5
        parts.append(
            f'<line x1="{left}" x2="{width}" y1="{y:.1f}" y2="{y:.1f}" stroke="{color}" stroke-dasharray="4 3"/>'
        )
        parts.append(f'<text x="0" y="{y + 4:.1f}" fill="{color}">{name[8:11]} {value:.0f}</text>')
    parts.append(f'<text x="{left}" y="{plot_h + 22}">questions in test-set order; max {top:.0f} ms</text>')
    parts.append("</svg>")
    return "".join(parts)


def _question_row(q: dict[str, Any]) -> str:
    history = ""
    if q["history"]:
        turns = "".join(f"<div><b>{escape(t['role'])}:</b> {escape(t['content'])}</div>" for t in q["history"])
        history = f"<details class='small'><summary>{len(q['history'])} earlier turns</summary>{turns}</details>"
    cites = "".join(
        f"<li class='{'rel' if c['relevant'] else 'irr'}'>{'✓' if c['relevant'] else '✗'} "
        f"<span class='small'>{escape(c['source'])}</span><br>{escape(c['snippet'][:400])}</li>"
        for c in q["citations"]
    )
    answer = ("<i>(abstained)</i> " if q["abstained"] else "") + escape(q["answer"])
    expected = " ; ".join(" | ".join(g) for g in q["must_include"]) or "(abstain)"
    latency = "" if q["latency_ms"] is None else f"{q['latency_ms']:.0f}"
    return (
        f"<tr class='{'ok' if q['correct'] else 'fail'}'><td>{escape(q['id'])}<br>"
        f"<span class='small'>{escape(q['type'] or '')}</span></td>"
        f"<td>{escape(q['question'])}{history}</td><td>{answer}</td><td><ol>{cites}</ol></td>"
        f"<td class='v'>{'✓' if q['correct'] else '✗'} {escape(q['reason'])}"
        f"<div class='small'>expected: {escape(expected)}</div></td><td class='num'>{latency}</td></tr>"
    )


def render_html(report: dict[str, Any]) -> str:
    run, m = report["run"], report["metrics"]
    warn = ""
    if run["interrupted"]:
        warn = (
            f"<p class='warn'>Interrupted: {run['questions_run']} of {run['questions_total']} "
            "questions were run; metrics cover those only.</p>"
        )
    summary = "".join(f"<tr><th>{escape(k)}</th><td class='num'>{_fmt(m[k], k)}</td></tr>" for k in m)
    thresholds = "".join(
        f"<tr><td>{escape(t['metric'])}</td><td>{t['op']} {t['threshold']}</td>"
        f"<td class='num'>{_fmt(t['value'], t['metric'])}</td>"
        f"<td class='{'' if t['ok'] else 'warn'}'>{'pass' if t['ok'] else 'FAIL'}</td></tr>"
        for t in report["thresholds"]
    )
    cols = [
        "questions",
        "answer_correctness",
        "hit@1",
        "hit@5",
        "mrr",
        "citation_precision",
        "citation_recall",
        "abstention_recall",
        "latency_p50_ms",
        "latency_p95_ms",
    ]
    by_type = "".join(
        f"<tr><td>{escape(name)}</td>" + "".join(f"<td class='num'>{_fmt(tm[c], c)}</td>" for c in cols) + "</tr>"
        for name, tm in report["by_type"].items()
    )
    rows = "".join(_question_row(q) for q in report["questions"])
    threshold_block = (
        f"<h2>Thresholds</h2><table><tr><th>metric</th><th>required</th><th>value</th><th>result</th></tr>"
        f"{thresholds}</table>"
        if thresholds
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Evaluation report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>
<body><h1>Evaluation report</h1>
<p class="small">Test set <code>{escape(run["testset"])}</code> · target <code>{escape(run["target"])}</code>
· started {escape(run["started"])} · {run["seconds"]} s · {run["questions_run"]}/{run["questions_total"]} questions
· {m["errors"]} error(s)</p>{warn}
<div class="charts"><div><h2>Summary</h2><table>{summary}</table></div>
<div><h2>Metrics</h2>{metrics_svg(m, report["thresholds"])}</div></div>
{threshold_block}
<h2>Latency</h2>{latency_svg(report["questions"], m)}
<h2>By type</h2><table><tr><th>type</th>{"".join(f"<th>{escape(c)}</th>" for c in cols)}</tr>{by_type}</table>
<h2>Questions</h2><label><input type="checkbox" id="only-fail"> show failures only</label>
<table id="questions"><tr><th>id</th><th>question</th><th>answer</th><th>citations (✓ relevant)</th>
<th>verdict</th><th>ms</th></tr>{rows}</table>
<script>{SCRIPT}</script></body></html>
"""
