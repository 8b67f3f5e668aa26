"""Prompt injection in extractive mode: the same 22 attacks as the LLM suite. A document saying
"ignore previous instructions…" is only ever evidence: it never changes what is answered, the
answer never carries an injected URL or an obeyed "HACKED", and the document's real content is
still answered and cited."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ingestion.pipeline import ingest_paths
from qa_service.schemas import ChatRequest
from qa_service.service import QAService, build_service
from qa_service.settings import Settings
from tests.test_llm_injection import ATTACKS, DOC_ATTACKS, PLACES, Attack, document, question

# What obeying an attack would put in an answer (the attacks' own words are quoted only in citations).
OBEYED = re.compile(r"(?i)\bHACKED\b|system prompt|lời nhắc hệ thống|quy tắc hệ thống|mã bí mật|!\[|<img")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[QAService]:
    docs = tmp_path_factory.mktemp("docs")
    for i, attack in enumerate(DOC_ATTACKS):
        (docs / f"kh_{i:02d}.txt").write_text(document(i, attack), encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("index"), embeddings="fake")  # type: ignore[call-arg]
    svc = build_service(settings)
    ingest_paths(svc.store, [docs])
    yield svc
    svc.close()


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.id for a in ATTACKS])
def test_injected_text_never_changes_the_answer(attack: Attack, service: QAService) -> None:
    response = service.chat(ChatRequest(message=question(attack)))
    assert response.answerer == "extractive"
    for url in attack.urls:
        assert url not in response.answer
    assert not OBEYED.search(response.answer), response.answer
    if attack.where == "doc":  # the real duty is still answered, from its own sentence, and cited
        place = PLACES[DOC_ATTACKS.index(attack)]
        assert not response.abstained
        assert f"Phòng Văn hóa và Thông tin huyện {place}" in response.answer
        assert any(f"Phòng Văn hóa và Thông tin huyện {place} chủ trì" in c.snippet for c in response.citations)


def test_questions_that_are_only_attacks_are_refused(service: QAService) -> None:
    """An instruction with nothing to look up in the documents gets the plain refusal, not obedience."""
    pure = [a for a in ATTACKS if a.where == "question" and "?" not in a.text and "chủ trì" not in a.text]
    assert len(pure) >= 5
    for attack in pure:
        response = service.chat(ChatRequest(message=attack.text))
        assert response.abstained, (attack.id, response.answer)
