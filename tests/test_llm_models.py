"""The provider factory: one `match` on `QA_ANSWERER`, nothing connects while building."""

from __future__ import annotations

import pytest
from langchain_ollama import ChatOllama
from langchain_openai import ChatOpenAI

from qa_service.llm.models import make_chat_model
from qa_service.settings import Settings


def test_extractive_needs_no_model() -> None:
    assert make_chat_model(Settings(answerer="extractive")) is None


def test_openai_compatible_client_is_configured_from_settings() -> None:
    s = Settings(answerer="openai", llm_base_url="http://127.0.0.1:9/v1", llm_model="qwen", llm_timeout=7,
                 llm_temperature=0.0, llm_max_tokens=300)
    model = make_chat_model(s)
    assert isinstance(model, ChatOpenAI)
    assert model.openai_api_base == "http://127.0.0.1:9/v1" and model.model_name == "qwen"
    assert model.request_timeout == 7 and model.max_retries == 0 and model.max_tokens == 300
    assert model.openai_api_key is not None  # local servers need no key, the client needs one


def test_openai_without_a_base_url_is_refused_not_sent_to_the_cloud() -> None:
    with pytest.raises(ValueError, match="QA_LLM_BASE_URL"):
        make_chat_model(Settings(answerer="openai", llm_base_url=None))


def test_ollama_client_is_configured_from_settings() -> None:
    model = make_chat_model(Settings(answerer="ollama", llm_model="qwen2.5:7b-instruct", llm_timeout=5))
    assert isinstance(model, ChatOllama)
    assert model.base_url == "http://127.0.0.1:11434" and model.client_kwargs == {"timeout": 5}
