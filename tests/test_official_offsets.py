"""Official documents through the real pipeline: every chunk and task is an exact span of the stored
text for every corpus-official document, and a DOCX copy reads like the text copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.load import load_bytes
from ingestion.pipeline import content_hash, prepare

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-official"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"


def _prepare(name: str, data: bytes):  # type: ignore[no-untyped-def]
    return prepare(load_bytes(name, data, name), name, content_hash(data), "doc")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus-official is not here")
def test_chunks_and_tasks_are_exact_spans_of_every_official_document() -> None:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) >= 60
    for path in files:
        doc = _prepare(path.name, path.read_bytes())
        text = doc.record.text
        for chunk in doc.chunks:
            assert text[chunk.start : chunk.end] == chunk.text, path.name
        for task in doc.tasks:
            assert text[task.start : task.end] == task.sentence, path.name
            for a in task.actors:
                assert a.start is not None and a.end is not None, path.name
                assert " ".join(text[a.start : a.end].split()) == " ".join((a.written or a.name).split()), path.name
            if task.deadline is not None and task.deadline.start is not None and task.deadline.end is not None:
                assert " ".join(text[task.deadline.start : task.deadline.end].split()) == " ".join(task.deadline.text.split())


def test_a_docx_copy_reads_like_the_text_copy(tmp_path: Path) -> None:
    import io

    import docx

    from ingestion.unwrap import unwrap

    # A Word file holds real paragraphs (no printed line wraps in the body); its letterhead and
    # signature block keep their lines.
    raw = FIXTURE.read_text(encoding="utf-8")
    cut = raw.index("Nơi nhận:")
    lines = (unwrap(raw[:cut]) + raw[cut:]).split("\n")
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    from_docx = _prepare("kehoach.docx", buf.getvalue()).record.metadata
    from_txt = _prepare("kehoach.txt", FIXTURE.read_bytes()).record.metadata
    for key in ("doc_kind", "number", "issuer", "signer", "signer_title", "published"):
        assert from_docx[key] == from_txt[key], key
    assert from_docx["number"] == "624/KH-UBND" and from_docx["signer"] == "Nguyễn Thị Nguyệt"
    assert [s["heading"] for s in from_docx["sections"]] == [s["heading"] for s in from_txt["sections"]]
