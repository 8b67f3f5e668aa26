"""vectorstore.retriever: HybridRetriever over the ingested samples (real Chroma, fake embeddings)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from langchain_core.documents import Document

from ingestion.pipeline import ingest_paths
from vectorstore.embeddings import make_embeddings
from vectorstore.retriever import HybridRetriever
from vectorstore.store import IndexStore, embedding_text

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
METADATA_KEYS = {"chunk_id", "doc_id", "ord", "start", "end", "header", "title", "source", "published", "score",
                 "lexical_score", "dense_score"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexStore]:
    """The sample corpus, ingested once for the module (the retriever only reads)."""
    index = IndexStore(tmp_path_factory.mktemp("retriever") / "index", make_embeddings("fake"))
    summary = ingest_paths(index, [SAMPLE])
    assert summary.count("added") == 2
    yield index
    index.close()


@pytest.fixture(scope="module")
def e5_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IndexStore]:
    """The sample corpus with the real e5 model: fusion is only meaningful with real vectors
    (fake ones are random, and would make hybrid results depend on the noise)."""
    index = IndexStore(tmp_path_factory.mktemp("retriever-e5") / "index", make_embeddings("e5-small"))
    ingest_paths(index, [SAMPLE])
    yield index
    index.close()


def _retriever(store: IndexStore, mode: str, k: int = 3) -> HybridRetriever:
    return HybridRetriever(store=store, mode=mode, k=k)


def _source(doc: Document) -> str:
    return str(doc.metadata["source"])


# --- the LangChain contract ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_returns_documents_with_metadata(store: IndexStore, mode: str) -> None:
    docs = _retriever(store, mode, k=4).invoke("Ban Thường vụ Thành ủy yêu cầu gì?")
    assert 0 < len(docs) <= 4
    texts = {d.doc_id: d.text for d in store.documents().values()}
    for doc in docs:
        assert isinstance(doc, Document)
        assert set(doc.metadata) == METADATA_KEYS
        meta = doc.metadata
        assert doc.id == meta["chunk_id"]
        assert meta["chunk_id"].startswith(meta["doc_id"] + ":")
        # start/end are offsets of the chunk in the cleaned document text
        assert texts[meta["doc_id"]][meta["start"] : meta["end"]] == doc.page_content
        assert meta["source"] in {"000_bcc9d3f070f74c9b.txt", "002_2a1730ed412324ac.txt"}
        assert isinstance(meta["score"], float)
    scores = [d.metadata["score"] for d in docs]
    assert scores == sorted(scores, reverse=True)
    assert len({d.id for d in docs}) == len(docs)


def test_k_from_the_retriever_and_per_call(store: IndexStore) -> None:
    retriever = _retriever(store, "hybrid", k=2)
    assert len(retriever.invoke("đối ngoại nhân dân")) == 2
    assert len(retriever.invoke("đối ngoại nhân dân", k=5)) == 5


# --- modes ---------------------------------------------------------------------------------------


def test_lexical_mode_scores_are_bm25(store: IndexStore) -> None:
    docs = _retriever(store, "lexical").invoke("trách nhiệm xây dựng Chương trình hành động")
    for doc in docs:
        assert doc.metadata["score"] == pytest.approx(doc.metadata["lexical_score"])
        assert doc.metadata["lexical_score"] > 0
    assert "có trách nhiệm xây dựng Chương trình hành động" in docs[0].page_content


def test_dense_mode_finds_the_chunk_its_vector_came_from(store: IndexStore) -> None:
    chunk = store.registry.doc_chunks(next(iter(store.documents())))[2]
    # DeterministicFakeEmbedding: the same text gives the same vector, so this is an exact neighbour
    docs = _retriever(store, "dense").invoke(embedding_text(chunk))
    assert docs[0].id == chunk.chunk_id
    assert docs[0].metadata["score"] == pytest.approx(docs[0].metadata["dense_score"])
    assert docs[0].metadata["dense_score"] == pytest.approx(1.0, abs=1e-4)
    assert docs[0].metadata["lexical_score"] == 0.0  # lexical search did not run


def test_hybrid_scores_fuse_both_retrievers(e5_store: IndexStore) -> None:
    retriever = _retriever(e5_store, "hybrid", k=10)
    docs = retriever.invoke("Kế hoạch số 108-KH/TU của Ban Thường vụ Thành ủy")
    for doc in docs:
        assert -1e-9 <= doc.metadata["score"] <= 1.0 + 1e-9  # weighted min-max normalised scores
    assert any(d.metadata["lexical_score"] > 0 for d in docs)
    assert all(d.metadata["dense_score"] != 0.0 for d in docs)  # every candidate scored by both
    assert "108-KH/TU" in docs[0].page_content
    scored = retriever.score("Kế hoạch số 108-KH/TU của Ban Thường vụ Thành ủy")
    best_lexical = max(scored, key=lambda s: s[2])
    assert best_lexical[1] >= retriever.lexical_weight - 1e-9  # the lexical winner keeps its weight


def test_boost_doc_ids_lifts_that_document(store: IndexStore) -> None:
    retriever = _retriever(store, "hybrid", k=1)
    question = "nâng cao chất lượng, hiệu quả hoạt động của Liên hiệp"
    plain = retriever.invoke(question)
    other = next(d for d in store.documents() if d != plain[0].metadata["doc_id"])
    boosted = retriever.score(question, boost_docs={other})
    unboosted = {cid: fused for cid, fused, _, _ in retriever.score(question)}
    for cid, fused, _, _ in boosted:
        delta = fused - unboosted[cid]
        assert delta == pytest.approx(0.15 if cid.startswith(other + ":") else 0.0)


# --- Vietnamese questions in lexical mode --------------------------------------------------------


@pytest.mark.parametrize("question", ["chi thi 12 ban hanh ngay nao", "Chỉ thị 12 ban hành ngày nào?"])
def test_question_with_or_without_diacritics_finds_the_directive(store: IndexStore, question: str) -> None:
    top = _retriever(store, "lexical").invoke(question)[0]
    assert _source(top) == "000_bcc9d3f070f74c9b.txt"
    assert "Chỉ thị số 12-CT/TW ngày 05/01/2022" in top.page_content


def test_old_tone_style_question_finds_new_style_text(store: IndexStore) -> None:
    top = _retriever(store, "lexical").invoke("Thành uỷ ban hành công văn gì?")[0]  # the text says "Thành ủy"
    assert "Ban Thường vụ Thành ủy vừa ban hành công văn" in top.page_content


def test_new_tone_style_question_finds_old_style_text(store: IndexStore) -> None:
    top = _retriever(store, "lexical").invoke("Ủy ban nhân dân thành phố yêu cầu các Sở làm gì?")[0]
    assert _source(top) == "002_2a1730ed412324ac.txt"  # the text says "Uỷ ban"
    assert "Uỷ ban nhân dân thành phố yêu cầu các Sở" in top.page_content


def test_question_without_diacritics_finds_the_responsibility(store: IndexStore) -> None:
    top = _retriever(store, "lexical").invoke("ai co trach nhiem xay dung chuong trinh hanh dong")[0]
    assert "có trách nhiệm xây dựng Chương trình hành động" in top.page_content


@pytest.mark.parametrize(
    ("number", "source", "mode"),
    [
        ("12-CT/TW", "000_bcc9d3f070f74c9b.txt", "lexical"),
        ("108-KH/TU", "000_bcc9d3f070f74c9b.txt", "lexical"),
        ("1830/LHHN-VP", "000_bcc9d3f070f74c9b.txt", "lexical"),
        ("74-UBND-KH", "002_2a1730ed412324ac.txt", "lexical"),
        ("108-KH/TU", "000_bcc9d3f070f74c9b.txt", "hybrid"),
        ("74-UBND-KH", "002_2a1730ed412324ac.txt", "hybrid"),
        ("1830/LHHN-VP", "000_bcc9d3f070f74c9b.txt", "hybrid"),
    ],
)
def test_document_number_queries(
    store: IndexStore, e5_store: IndexStore, number: str, source: str, mode: str
) -> None:
    index = e5_store if mode == "hybrid" else store
    top = _retriever(index, mode).invoke(f"Văn bản {number} nói gì?")[0]
    assert _source(top) == source
    assert number in top.page_content


def test_document_number_in_lower_case_without_marks(store: IndexStore) -> None:
    top = _retriever(store, "lexical").invoke("ke hoach 108-kh/tu")[0]
    assert "108-KH/TU" in top.page_content


# --- edge cases ----------------------------------------------------------------------------------


def test_empty_index_returns_nothing(core_store: IndexStore) -> None:
    for mode in ("lexical", "dense", "hybrid"):
        assert _retriever(core_store, mode).invoke("Chỉ thị 12-CT/TW") == []


def test_question_matching_nothing_lexically(store: IndexStore) -> None:
    assert _retriever(store, "lexical").invoke("xyzzy qwerty") == []
    assert len(_retriever(store, "hybrid").invoke("xyzzy qwerty")) == 3  # dense always has neighbours


def test_reopened_store_still_scores_lexically(store: IndexStore) -> None:
    """A second process (the API after `qa ingest`) loads the saved lexical index: its BM25 scores must
    count in hybrid fusion, not silently read as 0 for every chunk."""
    reopened = IndexStore(store.data_dir, store.embeddings)
    try:
        docs = _retriever(reopened, "hybrid").invoke("Kế hoạch số 108-KH/TU của Ban Thường vụ Thành ủy")
        assert docs[0].metadata["lexical_score"] > 0
        lexical = _retriever(reopened, "lexical").invoke("chi thi 12 ban hanh ngay nao")
        assert lexical[0].metadata["score"] > 0
        assert "Chỉ thị số 12-CT/TW ngày 05/01/2022" in lexical[0].page_content
    finally:
        reopened.close()
