"""The single writer: health never waits behind writes; waiting writes are bounded, withdrawn, cancelled."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from qa_service.api.writer import WriteQueue
from tests.conftest import running_server
from tests.test_api_uploads import many_pages_pdf
from vectorstore.errors import QAError, WriterBusyError


class FakeRequest:
    """What `WriteQueue.run` asks of a request: whether its client is still there."""

    def __init__(self) -> None:
        self.gone = False

    async def is_disconnected(self) -> bool:
        return self.gone


def blocked_queue(max_waiting: int, start_timeout: float) -> tuple[WriteQueue, threading.Event]:
    """A queue whose one thread is busy until the returned event is set."""
    queue = WriteQueue(max_waiting, start_timeout)
    release = threading.Event()
    queue.submit(release.wait, 10)
    return queue, release


def test_writes_beyond_the_bound_are_refused_with_retry_after() -> None:
    queue, release = blocked_queue(max_waiting=2, start_timeout=10)
    try:
        queue.submit(lambda: None)
        with pytest.raises(WriterBusyError) as refused:
            queue.submit(lambda: None)
        assert refused.value.status_code == 503 and refused.value.retry_after > 0
        assert "thử lại" in refused.value.message
    finally:
        release.set()
        queue.close()
    assert queue.pending == 0


def test_a_write_that_cannot_start_in_time_is_withdrawn_and_never_runs() -> None:
    queue, release = blocked_queue(max_waiting=4, start_timeout=0.3)
    ran: list[str] = []
    try:
        with pytest.raises(WriterBusyError):
            asyncio.run(queue.run(FakeRequest(), ran.append, "late"))  # type: ignore[arg-type]
        request = FakeRequest()
        request.gone = True
        with pytest.raises(QAError) as gone:
            asyncio.run(queue.run(request, ran.append, "abandoned"))  # type: ignore[arg-type]
        assert gone.value.status_code == 499
    finally:
        release.set()
        queue.close()
    assert ran == [] and queue.pending == 0


def test_a_started_write_is_awaited_and_its_errors_are_told() -> None:
    queue = WriteQueue(2, 0.1)
    try:
        assert asyncio.run(queue.run(FakeRequest(), lambda: (time.sleep(0.5), "done")[1])) == "done"  # type: ignore[arg-type]

        def fails() -> None:
            raise QAError("hỏng", code="x", status_code=404)

        with pytest.raises(QAError, match="hỏng"):
            asyncio.run(queue.run(FakeRequest(), fails))  # type: ignore[arg-type]
    finally:
        queue.close()


# --- over a real server ----------------------------------------------------------------------------
@pytest.fixture
def server(indexed_dir: Path, tmp_path: Path) -> Iterator[str]:
    """`uvicorn --factory` as deployed (its own process, the default 40-thread pool), admin key set;
    the ingest time limit holds one huge upload on the writer for ~4 s."""
    limits = {"QA_MAX_PAGES": "100000", "QA_MAX_CHARS": "100000000", "QA_INGEST_SECONDS": "4"}
    with running_server(indexed_dir, tmp_path, QA_API_KEYS="a1:admin", **limits) as (url, _):
        yield url


def test_health_answers_within_a_second_through_a_20000_page_upload_and_40_deletes(server: str) -> None:
    admin = {"Authorization": "Bearer a1"}
    pdf = many_pages_pdf(20_000)
    with httpx.Client(base_url=server, headers=admin, timeout=60) as http:
        doc_ids = [d["doc_id"] for d in http.get("/v1/documents").json()["documents"]]
    results: dict[str, object] = {}

    def send_upload() -> None:
        with httpx.Client(base_url=server, headers=admin, timeout=120) as http:
            results["upload"] = http.post("/v1/documents", files=[("files", ("lon.pdf", pdf, "application/pdf"))])

    def send_delete(i: int) -> httpx.Response:
        with httpx.Client(base_url=server, headers=admin, timeout=120) as http:
            return http.delete(f"/v1/documents/{doc_ids[i % len(doc_ids)]}")

    uploader = threading.Thread(target=send_upload)
    uploader.start()
    time.sleep(1.0)  # the body is sent and its pages are being read on the writer thread
    probes: list[tuple[str, int, float]] = []
    during_upload = 0  # probes answered while the upload was still being read
    with ThreadPoolExecutor(40) as pool, httpx.Client(base_url=server, timeout=10) as probe:
        deletes = [pool.submit(send_delete, i) for i in range(40)]
        chat = pool.submit(lambda: httpx.post(server + "/v1/chat", headers=admin, timeout=30,
                                              json={"message": "Chỉ thị 12-CT/TW giao ai xây dựng chương trình?"}))
        while uploader.is_alive() or not all(d.done() for d in deletes):
            for path in ("/healthz", "/readyz"):
                started = time.monotonic()
                status = probe.get(path).status_code
                probes.append((path, status, time.monotonic() - started))
                during_upload += uploader.is_alive()
            time.sleep(0.1)
        statuses = [d.result().status_code for d in deletes]
        answer = chat.result()
    uploader.join()
    upload_out = results["upload"].json()["outcomes"][0]  # type: ignore[attr-defined]
    assert upload_out["status"] == "skipped" and "QA_INGEST_SECONDS" in upload_out["reason"]
    # probed all along the upload (stopped by its QA_INGEST_SECONDS budget) and the deletes; the count
    # of probes depends on how fast the machine is, the probes during the upload do not
    assert during_upload >= 6, (during_upload, len(probes))
    slowest = max(seconds for _, _, seconds in probes)
    assert all(status == 200 for _, status, _ in probes) and slowest < 1.0, slowest
    assert answer.status_code == 200 and answer.json()["citations"]
    # One write running, 7 more accepted (QA_WRITE_QUEUE=8); the rest refused at once with Retry-After.
    assert set(statuses) <= {200, 404, 503} and statuses.count(503) >= 40 - 8
    refused = next(d.result() for d in deletes if d.result().status_code == 503)
    assert refused.headers["retry-after"].isdigit() and refused.json()["error"]["code"] == "busy"
    assert 1 <= statuses.count(200) <= len(doc_ids)
