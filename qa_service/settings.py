"""All settings, read once from `QA_*` environment variables (and `.env`) by one class."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data/index")
    sample_dir: Path = Path("data/sample")
    embeddings: Literal["e5-small", "sentence-transformers", "fake"] = "e5-small"
    embeddings_model: str | None = None
    chroma_url: str | None = None
    # PostgreSQL (`postgresql://user:pass@host:5432/qa`): registry, conversations, feedback and the writer
    # lock shared by workers on any host; unset = embedded SQLite under data_dir (one machine).
    database_url: str | None = Field(default=None, pattern=r"^postgres(ql)?://")

    top_k: int = Field(default=5, ge=1, le=20)
    lexical_weight: float = Field(default=0.5, ge=0.0, le=1.0)  # bench/retrieval.py: best ALQAC MRR
    retrieval_mode: Literal["hybrid", "lexical", "dense"] = "hybrid"

    answerer: Literal["extractive", "openai", "ollama"] = "extractive"
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5:7b-instruct"
    llm_api_key: str | None = None
    llm_timeout: float = 30.0
    llm_temperature: float = 0.1
    llm_max_tokens: int = 512
    llm_verify_policy: Literal["fallback", "remove"] = "fallback"  # what an unsupported claim costs

    api_keys: str | None = None  # "key1:chat,key2:admin"
    public_chat: bool = False  # chat routes open without a key (trusted intranet widget)
    cors_origins: str = ""  # comma-separated allowlist
    # Metrics reveal traffic, abstention rates and document counts: with keys configured they need the
    # admin key unless the scrape is kept private by other means (e.g. a loopback-only listener).
    metrics_public: bool = False
    api_docs: bool | None = None  # /docs, /redoc, /openapi.json; unset = served only when no keys are configured
    max_upload_mb: int = 20
    # Work one uploaded file may cost; over it the file is skipped whole with a reason (pages are
    # counted before any text is extracted). `qa ingest` is an operator's own run: unbounded.
    max_pages: int = Field(default=1000, ge=1)
    max_chars: int = Field(default=2_000_000, ge=1)
    ingest_seconds: float = Field(default=120.0, gt=0)
    # Uploads and deletes queue for one writer thread: beyond this many, 503 with Retry-After; a
    # write that cannot start within `write_wait` seconds is withdrawn (503) rather than hang.
    write_queue: int = Field(default=8, ge=1)
    write_wait: float = Field(default=30.0, gt=0)
    max_body_kb: int = 64  # JSON request bodies
    max_header_kb: int = 32  # a request line and headers together (`qa serve`)
    header_timeout: float = 10.0  # seconds to send a request's head after connecting or a response
    rate_limit_per_minute: int = 60
    request_timeout: float = 30.0
    conversation_max_turns: int = 20
    log_json: bool = False
    log_level: str = "INFO"

    def api_key_scopes(self) -> dict[str, set[str]]:
        """`key:scope` pairs; `admin` implies `chat`."""
        keys: dict[str, set[str]] = {}
        for item in (self.api_keys or "").split(","):
            item = item.strip()
            if not item:
                continue
            key, _, scope = item.partition(":")
            scopes = keys.setdefault(key.strip(), set())
            scopes.add(scope.strip() or "chat")
            if "admin" in scopes:
                scopes.add("chat")
        return keys

    def serve_api_docs(self) -> bool:
        return self.api_docs if self.api_docs is not None else not self.api_key_scopes()

    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
