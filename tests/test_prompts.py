"""Every prompt file loads, declares exactly its variables and renders Vietnamese text intact."""

from __future__ import annotations

import pytest

from prompts import PROMPTS_DIR, PromptError, load_prompt, prompt_path, read_spec
from qa_service.answering.lexicon import ABSTAIN_TEXT

PASSAGES = "[1] Nguồn: kh108.txt\n⟦ab12cd34⟧\nUBND thành phố chủ trì, hoàn thành trước ngày 30/6/2022.\n⟦ab12cd34⟧"


def test_every_prompt_file_loads_and_renders_vietnamese() -> None:
    names = sorted(p.stem for p in PROMPTS_DIR.glob("*_v*.yaml") if not p.stem.startswith("phrases_"))  # test_phrases.py
    assert {"answer_v1", "condense_v1"} <= set(names)
    values = {
        "question": "Ai chịu trách nhiệm thực hiện Kế hoạch 108-KH/TU?", "passages": PASSAGES,
        "fence": "⟦ab12cd34⟧", "abstain_text": ABSTAIN_TEXT,
        "history": "Người hỏi: Chỉ thị 12-CT/TW ban hành ngày nào?",
    }
    for name in names:
        prompt = load_prompt(name)
        spec = read_spec(name)
        assert set(spec["variables"]) == set(prompt.input_variables)
        messages = prompt.format_messages(**{v: values[v] for v in prompt.input_variables})
        text = "\n".join(str(m.content) for m in messages)
        for v in prompt.input_variables:
            assert values[v] in text
        assert "{" not in text.replace(values.get("passages", ""), "")  # no unrendered variable


def test_answer_prompt_fences_numbers_and_abstains() -> None:
    messages = load_prompt("answer").format_messages(
        question="Hạn chót là ngày nào?", passages=PASSAGES, fence="⟦ab12cd34⟧", abstain_text=ABSTAIN_TEXT
    )
    system, human = (str(m.content) for m in messages)
    assert messages[0].type == "system" and messages[1].type == "human"
    assert "[1]" in human and "⟦ab12cd34⟧" in system and "KHÔNG ĐÁNG TIN CẬY" in system
    assert ABSTAIN_TEXT in system and ABSTAIN_TEXT in human
    assert "ngày tháng" in system and "[1], [2]" in system
    assert "key" not in system.lower() and "http" not in system  # the system prompt holds no secrets


def test_latest_version_is_picked_and_bad_names_fail() -> None:
    assert prompt_path("answer").name == "answer_v1.yaml"
    with pytest.raises(PromptError):
        load_prompt("does_not_exist")
