"""Shared API fixtures: an index of `data/sample` built with fake embeddings, and app clients on it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from langchain_core.embeddings import Embeddings

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "data" / "sample"
UVICORN = [sys.executable, "-m", "uvicorn", "qa_service.api.app:create_app", "--factory", "--host", "127.0.0.1",
           "--log-level", "warning"]  # fmt: skip


@contextmanager
def running_server(data_dir: Path, cwd: Path, cmd: list[str] | None = None, **env: str) -> Iterator[tuple[str, int]]:
    """The service in its own process, as deployed (`uvicorn --factory`, or `cmd` + `--port`), on a free
    loopback port with fake embeddings and no rate limit plus `env`: (url, port) once `/readyz` is 200."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    values = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    values |= {"QA_DATA_DIR": str(data_dir), "QA_EMBEDDINGS": "fake", "QA_RATE_LIMIT_PER_MINUTE": "0", **env}
    proc = subprocess.Popen([*(cmd or UVICORN), "--port", str(port)], env=values, cwd=cwd,
                            stdout=subprocess.DEVNULL if cmd else None, stderr=subprocess.DEVNULL if cmd else None)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url, port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def api_settings(data_dir: Path, **overrides: Any) -> Any:
    """Test settings: fake embeddings, open access and no rate limit unless a test asks for them."""
    from qa_service.settings import Settings

    values: dict[str, Any] = {"data_dir": data_dir, "embeddings": "fake", "api_keys": None, "rate_limit_per_minute": 0}
    return Settings(_env_file=None, **{**values, **overrides})  # type: ignore[call-arg]


def ingest_sample(data_dir: Path, database_url: str | None = None) -> Path:
    """Ingest the sample corpus into `data_dir` (and the database) the way `qa ingest data/sample` does."""
    from ingestion.pipeline import ingest_paths
    from qa_service.service import build_store

    store = build_store(api_settings(data_dir, database_url=database_url))
    try:
        ingest_paths(store, [SAMPLE_DIR])
    finally:
        store.close()
    return data_dir


@pytest.fixture
def engine() -> str:
    """Where registry and conversations live for the API fixtures; a test runs on both engines with
    `@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])`."""
    return "sqlite"


@pytest.fixture
def database_url(engine: str, request: pytest.FixtureRequest) -> str | None:
    return str(request.getfixturevalue("pg_url")) if engine == "postgresql" else None


@pytest.fixture
def indexed_dir(tmp_path: Path, database_url: str | None) -> Path:
    return ingest_sample(tmp_path / "index", database_url)


@pytest.fixture
def make_client(indexed_dir: Path, database_url: str | None) -> Iterator[Callable[..., TestClient]]:
    """`make_client(api_keys=..., ...)` → a started client (lifespan run) on the sample index."""
    from qa_service.api.app import create_app

    started: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        client = TestClient(create_app(api_settings(indexed_dir, database_url=database_url, **overrides)))
        client.__enter__()
        started.append(client)
        return client

    yield make
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


# --- core-module fixtures (vectorstore / ingestion tests): a real store in tmp_path, counted fakes ---


class CountingEmbeddings(Embeddings):
    """langchain_core's DeterministicFakeEmbedding behind the real interface, counting what it embeds."""

    def __init__(self, size: int = 64) -> None:
        from vectorstore.embeddings import make_embeddings

        self.inner = make_embeddings("fake", str(size))
        self.model_id = f"fake/{size}"  # the id `make_embeddings("fake")` gets in the index
        self.document_calls = 0
        self.texts_embedded = 0
        self.query_calls = 0
        self.calls: list[list[str]] = []  # the texts of every embed_documents call, in order

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        self.document_calls += 1
        self.texts_embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.query_calls += 1
        return self.inner.embed_query(text)

    def reset(self) -> None:
        self.document_calls = self.texts_embedded = self.query_calls = 0
        self.calls = []


@pytest.fixture
def counting_embeddings() -> CountingEmbeddings:
    return CountingEmbeddings()


@pytest.fixture
def core_store(tmp_path: Path, counting_embeddings: CountingEmbeddings) -> Iterator[Any]:
    """An empty `IndexStore` on real embedded Chroma under tmp_path, with counting fake embeddings."""
    from vectorstore.store import IndexStore

    store = IndexStore(tmp_path / "index", counting_embeddings, lock_timeout=0.5)
    yield store
    store.close()


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of `data/sample` (tests edit and delete files in it)."""
    import shutil

    folder = tmp_path / "docs"
    shutil.copytree(SAMPLE_DIR, folder)
    return folder


# --- a real `chroma run` server on loopback (scale-out and backup tests) ---------------------------


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    from tests.test_scaleout import CHROMA, free_port, stop, wait_for

    port = free_port()
    # Its log goes to a file: a pipe nobody reads fills after a few hundred requests (64 KB) and then
    # the server blocks on its next log line, every client with it.
    with (tmp_path / "chroma-server.log").open("wb") as log:
        proc = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(tmp_path / "chroma-server"), "--port", str(port), "--host", "127.0.0.1"],
            stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path,
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/api/v2/heartbeat", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc)


# --- a real throwaway PostgreSQL (tests/postgres.py): one cluster per session, one database per test ---


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[str]:
    from tests.postgres import cluster

    with cluster() as admin_url:
        yield admin_url


@pytest.fixture
def pg_url(pg_cluster: str) -> Iterator[str]:
    from tests.postgres import database

    with database(pg_cluster) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path | str]:
    """Where a store keeps its tables, once for each engine: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "store.sqlite3"
    else:
        yield request.getfixturevalue("pg_url")
