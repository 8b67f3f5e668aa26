"""The tutorial baseline served over HTTP, so it can be load-tested beside `qa serve`.

It does what the LangChain RAG tutorial's retrieval does, behind the same route: embed the
question (all-MiniLM-L6-v2 via HuggingFaceEmbeddings) and `similarity_search` k=4 in Chroma, then
return the hits. No answer generation (the tutorial calls an LLM there), so it is a lower bound
for the baseline's latency. Configured by `BENCH_BASELINE_DIR` (a Chroma folder from bench/perf.py).

    BENCH_BASELINE_DIR=... uvicorn bench.baseline_app:create_app --factory --port 8100
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel

sys.path.insert(0, str(Path(__file__).resolve().parent))


class Ask(BaseModel):
    message: str


def create_app() -> FastAPI:
    state: dict[str, Any] = {}
    ready = threading.Event()

    def load() -> None:
        from common import chroma_baseline, minilm_embeddings

        state["store"] = chroma_baseline(Path(os.environ["BENCH_BASELINE_DIR"]), minilm_embeddings())
        state["store"]._collection.count()
        ready.set()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(load)
        yield

    app = FastAPI(lifespan=lifespan)

    @app.get("/readyz")
    def readyz() -> JSONResponse:
        if not ready.is_set():
            return JSONResponse({"status": "loading"}, status_code=503)
        return JSONResponse({"status": "ready", "chunks": state["store"]._collection.count()})

    @app.post("/v1/chat")
    def chat(body: Ask) -> dict[str, Any]:
        docs = state["store"].similarity_search(body.message, k=4)
        return {"answer": "", "citations": [{"snippet": d.page_content[:200], "source": d.metadata.get("source")}
                                            for d in docs]}

    return app
