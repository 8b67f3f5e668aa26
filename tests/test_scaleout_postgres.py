"""Past one machine (issue #14, its acceptance test): a real PostgreSQL, a real `chroma run` server and two
`qa serve` workers in separate processes with separate QA_DATA_DIRs, sharing no folder.

Through the HTTP API only: a document uploaded through one worker is answered, cited, by the other; a
delete through the other is seen by the first on its next question; a conversation started on one
continues on the other (its public-client token is valid on both); uploads through both at once end
consistent (every listed document answerable on both, chunk counts equal in PostgreSQL, Chroma and each
worker's BM25); and neither worker writes a SQLite file (or a BM25 snapshot, or a lock file) into its folder.
Fake embeddings and lexical retrieval keep it fast and deterministic (fake vectors are noise).
"""

from __future__ import annotations

import threading
from pathlib import Path
from urllib.parse import urlparse

import httpx
import psycopg
import pytest

from tests.conftest import running_server
from tests.test_scaleout import NEEDS_CLIS, QA

pytestmark = [pytest.mark.slow, NEEDS_CLIS]

PLACES = ["Khánh", "Lộc", "Thạnh", "Vinh", "Phước", "Tiến", "Sơn", "Hải"]


def write_plan(folder: Path, i: int) -> Path:
    """A short official plan whose assignments name a commune no other plan names."""
    n = PLACES[i]
    path = folder / f"ke_hoach_xa_hoa_{i}.txt"
    path.write_text(
        f"ỦY BAN NHÂN DÂN XÃ HÒA {n.upper()}\n\nSố: {10 + i}/KH-UBND\n\nKẾ HOẠCH\n"
        f"Triển khai chuyển đổi số năm 2026 tại xã Hòa {n}\n\n"
        f"1. Công an xã Hòa {n} chủ trì, phối hợp với các thôn làm sạch dữ liệu dân cư, hoàn thành trước ngày "
        f"{i + 1}/6/2026.\n\n2. Văn phòng Ủy ban nhân dân xã Hòa {n} tổng hợp kết quả, báo cáo Ủy ban nhân dân "
        "huyện trước ngày 15/12/2026.\n", encoding="utf-8")
    return path


def ask(url: str, i: int, **extra: object) -> dict[str, object]:
    message = f"Công an xã Hòa {PLACES[i]} phải hoàn thành làm sạch dữ liệu dân cư trước ngày nào?"
    res = httpx.post(f"{url}/v1/chat", json={"message": message, **extra}, timeout=60)
    assert res.status_code == 200, res.text
    return dict(res.json())


def upload(url: str, path: Path) -> dict[str, object]:
    """POST /v1/documents; a writer busy on the other worker for longer than the lock wait is a 503: retry."""
    for _ in range(20):
        res = httpx.post(f"{url}/v1/documents", files=[("files", (path.name, path.read_bytes(), "text/plain"))],
                         timeout=120)
        if res.status_code != 503:
            assert res.status_code == 200, res.text
            return dict(res.json())
    raise AssertionError(f"{path.name}: still busy after 20 tries")


def listing(url: str) -> dict[str, dict[str, object]]:
    res = httpx.get(f"{url}/v1/documents", params={"limit": 100}, timeout=30)
    assert res.status_code == 200, res.text
    return {d["source"]: d for d in res.json()["documents"]}


def cited(body: dict[str, object], source: str) -> bool:
    citations = body["citations"]
    assert isinstance(citations, list)
    return not body["abstained"] and bool(citations) and citations[0]["source"] == source


def test_two_workers_share_one_index_through_postgresql_and_chroma(tmp_path: Path, pg_url: str, chroma_url: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    plans = [write_plan(docs, i) for i in range(len(PLACES))]
    dirs = [tmp_path / "worker-a", tmp_path / "worker-b"]
    env = {"QA_DATABASE_URL": pg_url, "QA_CHROMA_URL": chroma_url, "QA_RETRIEVAL_MODE": "lexical",
           "QA_LOG_LEVEL": "WARNING"}
    qa_serve = [str(QA), "serve"]
    with running_server(dirs[0], tmp_path, qa_serve, **env) as (a, _), \
            running_server(dirs[1], tmp_path, qa_serve, **env) as (b, _):
        # Uploaded through A, answered and cited by B.
        assert upload(a, plans[0])["added"] == 1
        assert cited(ask(b, 0), plans[0].name)

        # A conversation started on A continues on B: same id, one history, the public token valid on both.
        first = ask(a, 0)
        cid, token = first["conversation_id"], first["conversation_token"]
        mine = {"X-Conversation-Token": str(token)}
        follow = httpx.post(f"{b}/v1/chat", headers=mine, timeout=60,
                            json={"message": "Văn phòng báo cáo kết quả trước ngày nào?", "conversation_id": cid})
        assert follow.status_code == 200 and follow.json()["conversation_id"] == cid
        history = httpx.get(f"{a}/v1/conversations/{cid}", headers=mine, timeout=30).json()["messages"]
        assert [m["role"] for m in history] == ["user", "assistant"] * 2
        assert httpx.get(f"{b}/v1/conversations/{cid}", timeout=30).status_code == 404  # no token: not yours

        # Deleted through B: A's next question no longer finds it.
        doc_id = listing(b)[plans[0].name]["doc_id"]
        assert httpx.delete(f"{b}/v1/documents/{doc_id}", timeout=60).status_code == 200
        after = ask(a, 0)
        assert plans[0].name not in {c["source"] for c in after["citations"]}  # type: ignore[attr-defined]
        assert listing(a) == {}

        # Uploads through both workers at once (the advisory lock takes turns), then everything agrees.
        errors: list[BaseException] = []

        def upload_all(url: str, paths: list[Path]) -> None:
            try:
                for p in paths:
                    upload(url, p)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=upload_all, args=(a, plans[0::2])),
                   threading.Thread(target=upload_all, args=(b, plans[1::2]))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        listed = listing(a)
        assert listed == listing(b) and set(listed) == {p.name for p in plans}
        for i, plan in enumerate(plans):  # every listed document is answerable, cited, on both workers
            assert cited(ask(a, i), plan.name) and cited(ask(b, i), plan.name), plan.name

        ready = [httpx.get(f"{url}/readyz", timeout=10).json() for url in (a, b)]
        chunks = ready[0]["chunks"]
        assert chunks == sum(int(d["chunks"]) for d in listed.values()) > 0
        for r in ready:  # each worker's BM25, rebuilt from the database after the last write
            assert r["chunks"] == chunks and r["documents"] == len(plans)
            assert r["bm25"]["chunks"] == chunks
        with psycopg.connect(pg_url) as conn:
            row = conn.execute("SELECT COUNT(*), COUNT(DISTINCT doc_id) FROM chunks").fetchone()
            assert row == (chunks, len(plans))
        import chromadb

        server = urlparse(chroma_url)
        collection = chromadb.HttpClient(host=server.hostname or "127.0.0.1", port=server.port or 8000
                                         ).get_collection("qa_chunks")
        assert collection.count() == chunks

    for folder in dirs:  # nothing another worker would need, and no SQLite at all, under either data dir
        left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
        assert not [p for p in left if p.endswith((".sqlite3", ".lock")) or p.startswith(("lexical", "chroma"))], left
