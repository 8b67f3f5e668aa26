"""Chat model providers, picked by `QA_ANSWERER` and built in the lifespan, never at import.

`max_retries=0`: a retry would double the wait of a user whose answer already has an extractive
fallback ready; the timeout is the whole budget.
"""

from __future__ import annotations

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from qa_service.settings import Settings

OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None for the extractive answerer."""
    match settings.answerer:
        case "extractive":
            return None
        case "openai":
            from langchain_openai import ChatOpenAI

            if not settings.llm_base_url:
                # Never send an agency's documents to a cloud API by omission: say where, explicitly.
                raise ValueError("QA_ANSWERER=openai needs QA_LLM_BASE_URL (e.g. http://127.0.0.1:8000/v1; "
                                 "https://api.openai.com/v1 for OpenAI itself)")

            return ChatOpenAI(
                base_url=settings.llm_base_url,
                # Local servers (vLLM, llama.cpp, LM Studio) accept any key; the client insists on one.
                api_key=SecretStr(settings.llm_api_key or "not-needed"),
                model=settings.llm_model,
                timeout=settings.llm_timeout,
                max_retries=0,
                temperature=settings.llm_temperature,
                max_completion_tokens=settings.llm_max_tokens,
                # Older llama.cpp / LM Studio builds only read the legacy name: send both.
                extra_body={"max_tokens": settings.llm_max_tokens},
            )
        case "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                base_url=settings.llm_base_url or OLLAMA_DEFAULT_URL,
                model=settings.llm_model,
                temperature=settings.llm_temperature,
                num_predict=settings.llm_max_tokens,
                client_kwargs={"timeout": settings.llm_timeout},
                validate_model_on_init=False,
            )
    raise ValueError(f"unknown answerer {settings.answerer!r}")
