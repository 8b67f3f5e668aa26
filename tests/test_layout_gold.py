"""parse_layout against the hand-checked metadata of 64 real documents (shared/corpus-official/SOURCES.md).

Each field is scored over every row that is an official document or an article quoting one; the
"Tin tức" rows (news stories about a document) are reported apart and not scored. `pytest -s`
prints the per-field table and every miss.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingestion.actors import canonical_key
from ingestion.clean import clean_text
from ingestion.layout import OfficialLayout, parse_layout
from ingestion.lexicon.layout import DOC_KINDS
from vectorstore.analyzer import fold

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-official"
THRESHOLDS = {"kind": 0.95, "number": 0.95, "date": 0.95, "signer": 0.95, "issuer": 0.95, "title": 0.90}
NOT_STATED = "—"


def _rows() -> list[dict[str, str]]:
    rows = []
    for line in (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 7 and cells[0].endswith(".txt"):
            rows.append(dict(zip(("file", "kind", "number", "issuer", "date", "signer", "form"), cells, strict=False)))
    return rows


def _no_comment(value: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", value).strip()


def _gold_kind(value: str) -> str:
    value = _no_comment(value)
    return max((k for k in DOC_KINDS if value.lower().startswith(k.lower())), key=len, default=value)


def _gold_number(value: str) -> str:
    value = _no_comment(value)
    return value.split()[-1] if value else value


def _squash(value: str | None) -> str:
    return re.sub(r"\s+", "", fold(value or ""))


def _gold_date(value: str) -> str | None:
    m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}" if m else None


def _checks(row: dict[str, str], text: str, got: OfficialLayout) -> dict[str, tuple[bool, str]]:
    """Field → (right, what we returned)."""
    kind = _gold_kind(row["kind"])
    date = _gold_date(row["date"])
    signer = None if row["signer"].startswith(NOT_STATED) else _no_comment(row["signer"])
    number = got.number.value if got.number else None
    published = got.published.value if got.published else None
    signed = got.signer.value if got.signer else None
    abstract = got.abstract or ""
    title_ok = bool(
        got.title and got.doc_kind and abstract and got.title.startswith(got.doc_kind)
        and _squash(abstract.rstrip(".")) in _squash(text)
    )
    return {
        "kind": (got.doc_kind == kind, str(got.doc_kind)),
        "number": (_squash(number) == _squash(_gold_number(row["number"])), str(number)),
        "date": (published == date, str(published)),
        "signer": (signed == signer, str(signed)),
        "issuer": (canonical_key(got.issuer or "") == canonical_key(_no_comment(row["issuer"])), str(got.issuer)),
        "title": (title_ok, str(got.title)),
    }


@pytest.mark.skipif(not (CORPUS / "SOURCES.md").exists(), reason=f"gold corpus not found at {CORPUS}")
def test_layout_matches_gold_metadata() -> None:
    scored: dict[str, list[bool]] = {f: [] for f in THRESHOLDS}
    misses: list[str] = []
    news: list[str] = []
    for row in _rows():
        text = clean_text((CORPUS / row["file"]).read_text(encoding="utf-8"))
        got = parse_layout(text)
        checks = _checks(row, text, got)
        if row["kind"].startswith("Tin tức"):
            right = sum(ok for ok, _ in checks.values())
            news.append(f"  {row['file']}: official={got.is_official} signer={checks['signer'][1]} "
                        f"kind={got.doc_kind} number={checks['number'][1]} ({right}/{len(checks)} fields as gold)")
            continue
        for name, (ok, value) in checks.items():
            scored[name].append(ok)
            if not ok:
                misses.append(f"  {row['file']} {name}: got {value!r}, gold {row.get(name, row['kind'])!r}")
    print("\nfield     accuracy  (rows)")
    for name, oks in scored.items():
        print(f"{name:<9} {sum(oks) / len(oks):8.3f}  ({sum(oks)}/{len(oks)})")
    print("misses:\n" + ("\n".join(misses) or "  none"))
    print("news pages (not scored):\n" + "\n".join(news))
    low = {n: round(sum(o) / len(o), 3) for n, o in scored.items() if sum(o) / len(o) < THRESHOLDS[n]}
    assert not low, f"fields under their threshold: {low}"
