"""Uploads over HTTP: names normalised once, a taken name is 409 unless `replace=true`, per-file limits."""

from __future__ import annotations

import io
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from langchain_core.embeddings import DeterministicFakeEmbedding

from tests.test_api_documents import ADMIN, NEW_PLAN, SOURCE_000, doc_000, total, upload

OTHER_PLAN = NEW_PLAN.replace("74/KH-UBND", "75/KH-UBND")


def many_pages_pdf(pages: int, line: str = "Ke hoach so 74/KH-UBND: So Thong tin va Truyen thong chu tri.") -> bytes:
    """A real text PDF of `pages` pages sharing one content stream: 20,000 pages are ~3 MB, built in ~1 s."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }))
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode())
    content_ref = writer._add_object(content)
    resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
    for _ in range(pages):
        page = writer.add_blank_page(612, 792)
        page[NameObject("/Resources")] = resources
        page[NameObject("/Contents")] = content_ref
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def post(client: TestClient, *files: tuple[str, bytes], replace: bool | None = None) -> tuple[int, dict]:
    params = None if replace is None else {"replace": str(replace).lower()}
    res = client.post("/v1/documents", headers=ADMIN, files=[("files", f) for f in files], params=params)
    return res.status_code, res.json()


def numbers(client: TestClient, doc_id: str) -> set[str]:
    detail = client.get(f"/v1/documents/{doc_id}", headers=ADMIN).json()
    return {n["number"] for n in detail["doc_numbers"]}


@pytest.fixture
def admin(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys="a1:admin")


# --- names and replacement ----------------------------------------------------------------------------
NAME_FORMS = ["../../etc/x.txt", "dir/sub/x.txt", "~/x.txt", "x.txt ", " C:\\Users\\vanthu\\x.txt", "./x.txt"]


def test_every_form_of_a_name_is_one_document_and_a_taken_name_is_409(admin: TestClient) -> None:
    first = upload(admin, ("x.txt", NEW_PLAN.encode()))["outcomes"][0]
    assert first["status"] == "added" and first["path"] == "x.txt"
    for name in NAME_FORMS:
        status, body = post(admin, (name, OTHER_PLAN.encode()))
        assert status == 409, (name, body)
        error = body["error"]
        assert (error["code"], error["doc_id"], error["source"]) == ("conflict", first["doc_id"], "x.txt")
        assert "replace=true" in error["message"] and "Đã có văn bản" in error["message"]
        again = upload(admin, (name, NEW_PLAN.encode()))["outcomes"][0]  # same content: nothing to confirm
        assert (again["status"], again["doc_id"], again["path"]) == ("unchanged", first["doc_id"], "x.txt")
    assert numbers(admin, first["doc_id"]) == {"74/KH-UBND"} and total(admin) == 3  # nothing was lost
    replaced = upload(admin, ("../../etc/x.txt", OTHER_PLAN.encode()), replace=True)["outcomes"][0]
    assert (replaced["status"], replaced["doc_id"]) == ("updated", first["doc_id"])
    assert numbers(admin, first["doc_id"]) == {"75/KH-UBND"} and total(admin) == 3


def test_a_name_in_nfd_is_the_same_name(admin: TestClient) -> None:
    name = "kế-hoạch-74.txt"
    first = upload(admin, (name, NEW_PLAN.encode()))["outcomes"][0]
    status, body = post(admin, (unicodedata.normalize("NFD", name), OTHER_PLAN.encode()))
    assert status == 409 and body["error"]["doc_id"] == first["doc_id"] and body["error"]["source"] == name


def test_a_name_ingested_by_the_cli_is_taken_too(admin: TestClient) -> None:
    cli_doc = doc_000(admin)
    status, body = post(admin, (SOURCE_000, NEW_PLAN.encode()))
    assert status == 409 and body["error"]["doc_id"] == cli_doc
    replaced = upload(admin, (f"tai-lieu/{SOURCE_000}", NEW_PLAN.encode()), replace=True)["outcomes"][0]
    assert (replaced["status"], replaced["doc_id"]) == ("updated", cli_doc)  # replaced in place, not a second one
    sources = [d["source"] for d in admin.get("/v1/documents", headers=ADMIN).json()["documents"]]
    assert sources.count(SOURCE_000) == 1 and len(sources) == 2


def test_one_conflicting_file_does_not_fail_the_others(admin: TestClient) -> None:
    upload(admin, ("x.txt", NEW_PLAN.encode()))
    status, body = post(admin, ("x.txt", OTHER_PLAN.encode()), ("moi.txt", OTHER_PLAN.replace("75/", "76/").encode()))
    assert status == 200 and (body["files"], body["added"], body["conflicts"]) == (2, 1, 1)
    conflict, added = body["outcomes"]
    assert conflict["status"] == "conflict" and conflict["doc_id"] and "replace=true" in conflict["reason"]
    assert added["status"] == "added" and total(admin) == 4
    status, body = post(admin, ("x.txt", OTHER_PLAN.encode()), ("dir/x.txt", b"khac"), replace=False)
    assert status == 409 and [c["path"] for c in body["error"]["conflicts"]] == ["x.txt", "x.txt"]


def test_replace_leaves_one_document_per_name(indexed_dir: Path, make_client: Callable[..., TestClient],
                                              tmp_path: Path) -> None:
    """Folders ingested by `qa ingest` may hold one name twice; a replacing upload makes it one document."""
    from ingestion.pipeline import ingest_paths
    from qa_service.service import build_store
    from tests.conftest import api_settings

    for i, folder in enumerate(("a", "b")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "trung.txt").write_text(NEW_PLAN.replace("74/", f"{80 + i}/"), encoding="utf-8")
    store = build_store(api_settings(indexed_dir))
    try:
        ingest_paths(store, [tmp_path / "a", tmp_path / "b"])
    finally:
        store.close()
    admin = make_client(api_keys="a1:admin")
    assert total(admin) == 4
    assert post(admin, ("trung.txt", NEW_PLAN.encode()))[0] == 409
    out = upload(admin, ("trung.txt", NEW_PLAN.encode()), replace=True)["outcomes"][0]
    assert out["status"] == "updated" and total(admin) == 3
    assert numbers(admin, out["doc_id"]) == {"74/KH-UBND"}


# --- bounded work per file ----------------------------------------------------------------------------
def test_a_pdf_over_the_page_limit_is_refused_before_its_text_is_read(make_client: Callable[..., TestClient]) -> None:
    admin = make_client(api_keys="a1:admin", max_pages=1000)
    big = many_pages_pdf(20_000)
    started = time.monotonic()
    body = upload(admin, ("lon.pdf", big), ("tot.txt", NEW_PLAN.encode()))
    elapsed = time.monotonic() - started
    big_out, good = body["outcomes"]
    assert big_out["status"] == "skipped" and "20000 trang" in big_out["reason"] and "QA_MAX_PAGES" in big_out["reason"]
    assert good["status"] == "added" and total(admin) == 3
    assert elapsed < 8, elapsed  # extracting 20,000 pages takes ~10 s on this machine; counting them ~2 s


def test_text_over_the_character_limit_is_skipped(make_client: Callable[..., TestClient]) -> None:
    admin = make_client(api_keys="a1:admin", max_chars=1000)
    body = upload(admin, ("dai.txt", ((NEW_PLAN + "\n\n") * 5).encode()), ("ngan.txt", NEW_PLAN.encode()))
    long_out, short = body["outcomes"]
    assert long_out["status"] == "skipped" and "QA_MAX_CHARS" in long_out["reason"] and "1.000 ký tự" in long_out["reason"]
    assert short["status"] == "added" and total(admin) == 3


def test_a_pdf_over_the_time_limit_is_skipped_whole(make_client: Callable[..., TestClient]) -> None:
    admin = make_client(api_keys="a1:admin", max_pages=100_000, ingest_seconds=0.5)
    started = time.monotonic()
    out = upload(admin, ("cham.pdf", many_pages_pdf(4000)))["outcomes"][0]
    assert out["status"] == "skipped" and "QA_INGEST_SECONDS" in out["reason"] and "0.5 giây" in out["reason"]
    assert time.monotonic() - started < 5
    assert total(admin) == 2


class SlowEmbeddings(DeterministicFakeEmbedding):
    """A fake embedding that takes its time, as a real model on a long document does: per text, so that
    how the store groups texts into calls does not change the total."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        time.sleep(0.02 * len(texts))
        return super().embed_documents(texts)


def test_the_time_limit_stops_embedding_and_nothing_is_half_written(tmp_path: Path) -> None:
    from qa_service.api.app import create_app
    from qa_service.service import build_service
    from tests.conftest import api_settings
    from vectorstore.store import IndexStore

    settings = api_settings(tmp_path / "index", ingest_seconds=0.5)
    store = IndexStore(settings.data_dir, SlowEmbeddings(size=64))
    service = build_service(settings, store)
    long_text = "\n\n".join(NEW_PLAN.replace("74/", f"{100 + i}/") for i in range(120))
    try:
        with TestClient(create_app(settings, service=service)) as client:
            out = upload(client, ("dai.txt", long_text.encode()))["outcomes"][0]
            assert out["status"] == "skipped" and "QA_INGEST_SECONDS" in out["reason"]
            assert client.get("/v1/documents").json()["total"] == 0
        assert store.registry.get_meta("dirty") in (None, "0")  # never begun (a busy machine) or finished clean
        assert store.collection.get(include=[])["ids"] == [] and store.registry.chunk_ids() == []
    finally:
        store.close()
