"""Shared API fixtures: an index of `data/sample` built with fake embeddings, and app clients on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"


def api_settings(data_dir: Path, **overrides: Any) -> Any:
    """Test settings: fake embeddings, open access and no rate limit unless a test asks for them."""
    from qa_service.settings import Settings

    values: dict[str, Any] = {"data_dir": data_dir, "embeddings": "fake", "api_keys": None, "rate_limit_per_minute": 0}
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


def ingest_sample(data_dir: Path) -> Path:
    """Ingest the sample corpus into `data_dir` the way `qa ingest data/sample` does."""
    from ingestion.pipeline import ingest_paths
    from qa_service.service import build_store

    store = build_store(api_settings(data_dir))
    try:
        ingest_paths(store, [SAMPLE_DIR])
    finally:
        store.close()
    return data_dir


@pytest.fixture
def indexed_dir(tmp_path: Path) -> Path:
    return ingest_sample(tmp_path / "index")


@pytest.fixture
def make_client(indexed_dir: Path) -> Iterator[Callable[..., TestClient]]:
    """`make_client(api_keys=..., ...)` → a started client (lifespan run) on the sample index."""
    from qa_service.api.app import create_app

    started: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(api_settings(indexed_dir, **overrides)))
        client.__enter__()
        started.append(client)
        return client

    yield make
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()
