"""Offline measurement of the LLM path: which verification policy, and what verification costs.

`python bench/llm_policy.py eval/testsets/sample_vi.jsonl` ingests the sample documents into a
temporary index, then runs the test set with the extractive answerer and with the scripted model
(`mixed`: mostly correct, with invented dates, wrong dates and bad markers as a model makes them)
under both policies: `remove` (drop the unsupported sentence) and `fallback` (extractive answer).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from qa_service.condense import condense
from qa_service.eval.metrics import judge, summarize
from qa_service.eval.runner import run_cases, service_target
from qa_service.eval.testset import load_testset
from qa_service.llm.answerer import LLMAnswerer
from qa_service.llm.chain import StreamingLLMAnswerer
from qa_service.llm.scripted import ScriptedLLM
from qa_service.llm.verify import verify
from qa_service.schemas import ChatResponse
from qa_service.settings import Settings
from qa_service.turn import WholeAnswerer

KEYS = ("accuracy", "answer_correctness", "citation_precision", "citation_recall", "abstention_recall")


def run(testset: Path, sample: Path, behaviour: str, embeddings: Any) -> dict[str, Any]:
    from ingestion.pipeline import ingest_paths
    from qa_service.service import build_service

    cases = load_testset(testset)
    results: dict[str, Any] = {}
    with ScriptedLLM(behaviour) as llm, tempfile.TemporaryDirectory() as tmp:
        base = Settings(data_dir=Path(tmp), embeddings=embeddings, answerer="openai", llm_base_url=llm.base_url,
                        llm_model="scripted", llm_api_key="x", llm_timeout=5)
        service = build_service(base)
        ingest_paths(service.store, [sample])
        service.chain.condenser = condense  # the rules for everyone: only the answer step differs
        answerer = service.chain.answerer
        assert isinstance(answerer, LLMAnswerer)
        responses: list[ChatResponse] = []
        touched: list[int] = []
        answer = service.answer

        def recording(request: Any) -> ChatResponse:
            response = answer(request)
            responses.append(response)
            return response

        service.answer = recording  # type: ignore[method-assign]
        for name, policy in (("extractive", None), ("llm-remove", "remove"), ("llm-fallback", "fallback")):
            responses.clear()
            if policy is None:
                service.chain.answering = WholeAnswerer(answerer.fallback)
            else:
                service.chain.answering = StreamingLLMAnswerer(answerer)
                answerer.policy = policy  # type: ignore[assignment]
            started = time.perf_counter()
            result = run_cases(cases, service_target(service), progress=False)
            judgements = [judge(o) for o in result.outcomes]
            metrics = summarize(judgements)
            ver = [r.verification or {} for r in responses]
            if name == "llm-remove":  # the questions where verification changed something
                touched = [i for i, v in enumerate(ver) if v.get("removed_sentences") or v.get("fallback")
                           or v.get("dropped_markers") or v.get("uncited_sentences")]
            correct = [j.correct for j in judgements]
            timings = [v["verify_ms"] for v in ver if "verify_ms" in v]
            results[name] = {
                **{k: round(float(v), 4) if (v := metrics[k]) is not None else None for k in KEYS},
                "fallbacks": sum(r.answerer == "extractive-fallback" for r in responses),
                "sentences_removed": sum(len(v.get("removed_sentences", [])) for v in ver),
                "verify_ms_p50": round(statistics.median(timings), 3) if timings else None,
                "verify_ms_max": round(max(timings), 3) if timings else None,
                "seconds": round(time.perf_counter() - started, 2),
                "_correct": correct,
            }
        for r in results.values():
            flags = r.pop("_correct")
            r["touched_questions"] = len(touched)
            r["accuracy_on_touched"] = round(sum(flags[i] for i in touched) / len(touched), 4) if touched else None
        service.close()
    return results


def micro(repeat: int = 2000) -> float:
    """Milliseconds for one `verify` of a typical 3-sentence answer against 5 passages."""
    passages = ["Ngày 05/01/2022, Ban Bí thư ban hành Chỉ thị số 12-CT/TW về công tác đối ngoại nhân dân. " * 4] * 5
    text = ("Ban Bí thư ban hành Chỉ thị số 12-CT/TW ngày 05/01/2022 [1]. Các cấp uỷ quán triệt chỉ thị [2]. "
            "Hạn báo cáo là ngày 31/12/2031 [3].")
    started = time.perf_counter()
    for _ in range(repeat):
        verify(text, passages, "Không tìm thấy.")
    return (time.perf_counter() - started) * 1000 / repeat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("testset", type=Path)
    parser.add_argument("--sample", type=Path, default=Path("data/sample"))
    parser.add_argument("--behaviour", default="mixed")
    parser.add_argument("--embeddings", default="fake")
    args = parser.parse_args()
    out = run(args.testset, args.sample, args.behaviour, args.embeddings)
    out["verify_micro_ms"] = round(micro(), 3)
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
