"""The answerer's phrasing file (`prompts/phrases_v1.yaml`): every phrase loads, declares exactly the fields
its text uses, renders, and a mistake in the file or in a call fails loudly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prompts import PromptError
from prompts.phrases import load_phrases, parse_phrases, phrase, used_fields

ANSWERING = Path(__file__).resolve().parents[1] / "qa_service" / "answering"


def test_every_phrase_renders_with_its_declared_fields() -> None:
    phrases = load_phrases()
    assert len(phrases) >= 40
    for key, p in phrases.items():
        text = phrase(key, **{f: f"<{f}>" for f in p.fields})
        assert all(f"<{f}>" in text for f in p.fields), key
        assert "{" not in text and "}" not in text, key  # no field left unrendered


def test_renders_as_the_answers_write_it() -> None:
    assert phrase("issued_by", label="Kế hoạch số 624/KH-UBND", issuer="UBND tỉnh Hà Tĩnh", cite=" [1]") == (
        "Kế hoạch số 624/KH-UBND do UBND tỉnh Hà Tĩnh ban hành [1].")
    assert phrase("deadline_note", deadline="trước ngày 15/12/2025", cite="") == " (thời hạn: trước ngày 15/12/2025)"
    assert phrase("tasks_of", actor="Sở Tài chính", total=3, condition=" đã quá hạn") == (
        "Sở Tài chính có 3 nhiệm vụ đã quá hạn:")


def test_a_call_with_missing_or_extra_values_fails() -> None:
    with pytest.raises(PromptError, match="takes"):
        phrase("issued_by", label="X", issuer="Y")
    with pytest.raises(PromptError, match="takes"):
        phrase("default_kind", kind="Văn bản")
    with pytest.raises(PromptError, match="no phrase"):
        phrase("no_such_phrase")


def test_a_phrase_that_uses_an_undeclared_field_does_not_load() -> None:
    with pytest.raises(PromptError, match="declares"):
        parse_phrases({"phrases": {"x": {"text": "{a} và {b}", "fields": ["a"]}}})
    with pytest.raises(PromptError, match="no phrases"):
        parse_phrases({"phrases": {}})
    assert used_fields("{label} do {issuer} ban hành{cite}.") == {"label", "issuer", "cite"}


def test_every_phrase_is_used_by_the_answerer() -> None:
    """A phrase no code asks for is dead wording; the answering package names each key it renders."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in ANSWERING.glob("*.py"))
    used = set(re.findall(r'"([a-z_]+)"', code)) | {"role_lead", "role_support"}  # phrase(f"role_{role}")
    assert set(load_phrases()) <= used, sorted(set(load_phrases()) - used)
