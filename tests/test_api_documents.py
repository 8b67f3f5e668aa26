"""Admin document routes over HTTP: upload with per-file outcomes, limits, list, detail, delete."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from langchain_core.embeddings import DeterministicFakeEmbedding

ADMIN = {"Authorization": "Bearer a1"}
CHAT = {"Authorization": "Bearer c1"}
SOURCE_000 = "000_bcc9d3f070f74c9b.txt"
NEW_PLAN = (
    "Kế hoạch số 74/KH-UBND ngày 15/3/2024 của Ủy ban nhân dân thành phố về chuyển đổi số.\n\n"
    "Sở Thông tin và Truyền thông chủ trì, phối hợp với các sở, ngành xây dựng cổng dữ liệu mở, "
    "hoàn thành trước ngày 30/9/2024. Ủy ban nhân dân các quận, huyện báo cáo kết quả thực hiện "
    "về Sở Thông tin và Truyền thông trước ngày 15/12/2024."
)


@pytest.fixture
def admin(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client(api_keys="c1:chat,a1:admin", max_upload_mb=1)


def upload(client: TestClient, *files: tuple[str, bytes], replace: bool = False) -> dict:
    params = {"replace": "true"} if replace else None
    res = client.post("/v1/documents", headers=ADMIN, files=[("files", f) for f in files], params=params)
    assert res.status_code == 200, res.text
    return res.json()


def doc_000(client: TestClient) -> str:
    """The sample article's id (it hashes the ingested path, so it depends on where the repo lives)."""
    docs = client.get("/v1/documents", headers=ADMIN).json()["documents"]
    return str(next(d["doc_id"] for d in docs if d["source"] == SOURCE_000))


def total(client: TestClient) -> int:
    return int(client.get("/v1/documents", headers=ADMIN).json()["total"])


# --- list, detail, delete ---------------------------------------------------------------------------
def test_list_is_paged_with_a_total(admin: TestClient) -> None:
    body = admin.get("/v1/documents", headers=ADMIN).json()
    assert body["total"] == 2
    assert [set(d) for d in body["documents"]] == [{"doc_id", "title", "source", "published", "chunks"}] * 2
    assert sum(d["chunks"] for d in body["documents"]) == 11
    page = admin.get("/v1/documents", headers=ADMIN, params={"offset": 1, "limit": 1}).json()
    assert page["total"] == 2 and page["documents"] == body["documents"][1:]
    assert admin.get("/v1/documents", headers=ADMIN, params={"limit": 0}).status_code == 422
    assert admin.get("/v1/documents", headers=ADMIN, params={"offset": -1}).status_code == 422


def test_detail_has_metadata_and_facts(admin: TestClient) -> None:
    doc_id = doc_000(admin)
    body = admin.get(f"/v1/documents/{doc_id}", headers=ADMIN).json()
    assert body["author"] == "Ngô Phương Văn" and body["published"] == "2023-01-12"
    assert {"12-CT/TW", "108-KH/TU"} <= {n["number"] for n in body["doc_numbers"]}
    assert body["facts"] and all(f["chunk_id"].startswith(doc_id) for f in body["facts"])
    assert body["chunks"] == 7 and body["ingested_at"].endswith("+00:00")


def test_unknown_document_is_404(admin: TestClient) -> None:
    for method in ("GET", "DELETE"):
        res = admin.request(method, "/v1/documents/khong-co", headers=ADMIN)
        assert res.status_code == 404
        assert res.json()["error"]["code"] == "not_found"


def test_delete_removes_the_document_everywhere(admin: TestClient) -> None:
    doc_id = doc_000(admin)
    res = admin.delete(f"/v1/documents/{doc_id}", headers=ADMIN)
    assert res.json() == {"doc_id": doc_id, "status": "removed", "chunks": 7}
    assert admin.get(f"/v1/documents/{doc_id}", headers=ADMIN).status_code == 404
    assert total(admin) == 1
    assert admin.get("/readyz").json()["chunks"] == 4
    answer = admin.post("/v1/chat", headers=CHAT, json={"message": "Chỉ thị 12-CT/TW giao ai xây dựng chương trình?"})
    assert doc_id not in {c["doc_id"] for c in answer.json()["citations"]}


# --- upload -----------------------------------------------------------------------------------------
def test_upload_ingests_good_files_and_skips_bad_ones_with_reasons(admin: TestClient) -> None:
    body = upload(
        admin,
        ("ke-hoach-74.txt", NEW_PLAN.encode()),
        ("rong.txt", b""),
        ("nhi-phan.txt", b"\x00\x01\x02PK\x03\x04" * 10),
        ("sai-ma.txt", b"Ke hoach \x81\x8d\x8f\x90 so 74"),
        ("anh.png", b"\x89PNG\r\n\x1a\n"),
    )
    outcomes = {o["path"]: o for o in body["outcomes"]}
    assert outcomes["ke-hoach-74.txt"]["status"] == "added" and outcomes["ke-hoach-74.txt"]["chunks"] >= 1
    reasons = {name: o["reason"] for name, o in outcomes.items() if o["status"] == "skipped"}
    assert set(reasons) == {"rong.txt", "nhi-phan.txt", "sai-ma.txt", "anh.png"}
    assert "empty" in reasons["rong.txt"]
    assert "binary" in reasons["nhi-phan.txt"]
    assert "decode" in reasons["sai-ma.txt"]
    assert "unsupported" in reasons["anh.png"]
    assert (body["files"], body["added"], body["skipped"]) == (5, 1, 4)
    assert total(admin) == 3
    doc_id = outcomes["ke-hoach-74.txt"]["doc_id"]
    detail = admin.get(f"/v1/documents/{doc_id}", headers=ADMIN).json()
    assert detail["source"] == "ke-hoach-74.txt"
    assert "74/KH-UBND" in {n["number"] for n in detail["doc_numbers"]}
    answer = admin.post(
        "/v1/chat", headers=CHAT, json={"message": "Ai chủ trì xây dựng cổng dữ liệu mở theo Kế hoạch 74/KH-UBND?"}
    )
    assert "ke-hoach-74.txt" in {c["source"] for c in answer.json()["citations"]}


def test_reupload_is_unchanged_and_a_new_version_replaces(admin: TestClient) -> None:
    first = upload(admin, ("ke-hoach-74.txt", NEW_PLAN.encode()))["outcomes"][0]
    again = upload(admin, ("ke-hoach-74.txt", NEW_PLAN.encode()))["outcomes"][0]
    assert (again["status"], again["doc_id"]) == ("unchanged", first["doc_id"])
    changed = NEW_PLAN.replace("30/9/2024", "31/10/2024").encode()
    # Replacing a document by its name is asked for (without `replace` it is a 409: test_api_uploads.py).
    updated = upload(admin, ("C:\\Users\\vanthu\\ke-hoach-74.txt", changed), replace=True)["outcomes"][0]
    assert (updated["status"], updated["doc_id"], updated["path"]) == ("updated", first["doc_id"], "ke-hoach-74.txt")
    assert total(admin) == 3


def test_same_content_under_another_name_is_skipped(admin: TestClient) -> None:
    from tests.conftest import SAMPLE_DIR

    data = (SAMPLE_DIR / "002_2a1730ed412324ac.txt").read_bytes()
    outcome = upload(admin, ("ban-sao.txt", data))["outcomes"][0]
    assert outcome["status"] == "skipped" and "already indexed" in outcome["reason"]
    assert total(admin) == 2


def test_unsupported_type_alone_is_415(admin: TestClient) -> None:
    res = admin.post("/v1/documents", headers=ADMIN, files=[("files", ("bang-tinh.xlsx", b"PK\x03\x04"))])
    assert res.status_code == 415
    assert res.json()["error"]["code"] == "unsupported_type"
    json_body = admin.post("/v1/documents", headers=ADMIN, json={"files": ["a.txt"]})
    assert json_body.status_code == 415
    assert total(admin) == 2


def test_missing_files_field_is_422(admin: TestClient) -> None:
    res = admin.post("/v1/documents", headers=ADMIN, files=[("tep", ("a.txt", NEW_PLAN.encode()))])
    assert res.status_code == 422 and "files" in res.json()["error"]["message"]
    res = admin.post("/v1/documents", headers=ADMIN, data={"files": "a.txt"}, files=[("x", ("b.txt", b"x"))])
    assert res.status_code == 422


def test_oversized_upload_is_413_and_nothing_is_ingested(admin: TestClient) -> None:
    big = (NEW_PLAN + "\n\n").encode() * (2**20 // len(NEW_PLAN) + 10)  # > 1 MB
    res = admin.post("/v1/documents", headers=ADMIN, files=[("files", ("lon.txt", big))])
    assert res.status_code == 413 and res.json()["error"]["code"] == "too_large"
    assert total(admin) == 2


def multipart_chunks(name: str, data: bytes, boundary: str = "ranh-gioi-42") -> Iterator[bytes]:
    """A multipart body sent chunked: no Content-Length for the server to check up front."""
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'.encode()
    yield b"Content-Type: text/plain\r\n\r\n"
    for i in range(0, len(data), 64 * 1024):
        yield data[i : i + 64 * 1024]
    yield f"\r\n--{boundary}--\r\n".encode()


def test_oversized_chunked_upload_is_413_while_reading(admin: TestClient) -> None:
    big = b"Chi thi so 12-CT/TW. " * 60_000  # 1.2 MB
    headers = {**ADMIN, "Content-Type": "multipart/form-data; boundary=ranh-gioi-42"}
    res = admin.post("/v1/documents", headers=headers, content=multipart_chunks("lon.txt", big))
    assert "content-length" not in res.request.headers
    assert res.status_code == 413
    assert total(admin) == 2
    small = admin.post("/v1/documents", headers=headers, content=multipart_chunks("ke-hoach-74.txt", NEW_PLAN.encode()))
    assert small.status_code == 200 and small.json()["added"] == 1


def test_documents_need_the_admin_scope(admin: TestClient) -> None:
    assert admin.get("/v1/documents").status_code == 401
    doc_id = doc_000(admin)
    for method, path in (
        ("GET", "/v1/documents"),
        ("GET", f"/v1/documents/{doc_id}"),
        ("DELETE", f"/v1/documents/{doc_id}"),
        ("POST", "/v1/documents"),
    ):
        res = admin.request(method, path, headers=CHAT)
        assert res.status_code == 403, (method, path)
        assert res.json()["error"]["code"] == "forbidden"
    assert total(admin) == 2


def test_concurrent_uploads_are_serialised(admin: TestClient) -> None:
    def send(i: int) -> int:
        text = NEW_PLAN.replace("74/KH-UBND", f"{70 + i}/KH-UBND").encode()
        res = admin.post("/v1/documents", headers=ADMIN, files=[("files", (f"ke-hoach-{i}.txt", text))])
        return res.status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(send, range(4))) == [200] * 4
    assert total(admin) == 6
    assert admin.get("/readyz").json()["documents"] == 6


class ExplodingEmbeddings(DeterministicFakeEmbedding):
    """A fake embedding that fails on one marked document, as a model crash mid-batch would."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if any("BOOM" in t for t in texts):
            raise RuntimeError("embedding backend crashed")
        return super().embed_documents(texts)


def test_a_file_failing_mid_write_leaves_nothing_behind(tmp_path: Path) -> None:
    from qa_service.api.app import create_app
    from qa_service.service import build_service
    from tests.conftest import api_settings
    from vectorstore.store import IndexStore

    settings = api_settings(tmp_path / "index")
    store = IndexStore(settings.data_dir, ExplodingEmbeddings(size=64))
    service = build_service(settings, store)
    try:
        with TestClient(create_app(settings, service=service)) as client:
            body = upload(client, ("tot.txt", NEW_PLAN.encode()), ("hong.txt", (NEW_PLAN + "\n\nBOOM").encode()))
            outcomes = {o["path"]: o for o in body["outcomes"]}
            assert outcomes["tot.txt"]["status"] == "added"
            assert outcomes["hong.txt"]["status"] == "skipped" and "crashed" in outcomes["hong.txt"]["reason"]
            assert [d["source"] for d in client.get("/v1/documents").json()["documents"]] == ["tot.txt"]
        assert store.registry.get_meta("dirty") == "0"
        assert sorted(store.collection.get(include=[])["ids"]) == sorted(store.registry.chunk_ids())
    finally:
        store.close()


def test_an_official_document_shows_its_layout_over_http(admin: TestClient) -> None:
    fixture = Path(__file__).resolve().parent / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"
    out = upload(admin, ("kehoach-624.txt", fixture.read_bytes()))
    doc_id = out["outcomes"][0]["doc_id"] if "outcomes" in out else out["documents"][0]["doc_id"]
    d = admin.get(f"/v1/documents/{doc_id}", headers=ADMIN).json()
    assert d["doc_kind"] == "Kế hoạch" and d["number"] == "624/KH-UBND"
    assert d["title"].lower().startswith("kế hoạch thực hiện chương trình chuyển đổi số")
    assert d["published"] == "2025-11-19" and d["signer"] == "Nguyễn Thị Nguyệt"
    assert d["signer_title"] == "Phó Chủ tịch" and "Hà Tĩnh" in (d["issuer"] or "")
    heads = [s["heading"] for s in d["sections"]]
    assert "II. TỔ CHỨC THỰC HIỆN" in heads and "1. Sở Giáo dục và Đào tạo" in heads
    tasks = [f for f in d["facts"] if f["kind"] == "task"]
    lead = next(t for t in tasks if "kho học liệu" in t["sentence"])
    assert {(a["name"], a["role"]) for a in lead["actors"]} >= {("Sở Giáo dục và Đào tạo", "lead"),
                                                                  ("Sở Khoa học và Công nghệ", "support")}
    assert lead["deadline"]["date"] == "2026-06-30"
    yearly = next(t for t in tasks if "15/12" in t["sentence"])
    assert yearly["deadline"]["recurrence"] == "annual" and yearly["deadline"]["date"] == "2025-12-15"
