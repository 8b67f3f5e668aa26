"""The chat page and the widget in a real headless Chromium, against the real app on a loopback port.

The main flows (streamed answer, citations, follow-ups, feedback, a document full of HTML) run against
the real service with fake embeddings and the sample corpus. Failure modes the real service cannot be
made to produce on demand (429, 5xx, a dropped connection, an error mid-stream) are injected with
Playwright's request routing, so they still exercise the real client code.

Chromium comes from the system (`scripts/ensure_deb.sh chromium /usr/bin/chromium`), never from `playwright install`.
Screenshots land in artifacts/screenshots/.
"""

from __future__ import annotations

import html
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the `browser` fixture: skip locally, fail in CI
    expect = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "artifacts" / "screenshots"
SAMPLE_DIR = ROOT / "data" / "sample"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
QUESTION = "Ai ban hành Kế hoạch số 108-KH/TU?"
FOLLOW_UP = "Kế hoạch đó được ban hành ngày nào?"
XSS_DOC = (
    'Thông báo kiểm thử hiển thị <img src=x onerror="window.__xss=1">\n\n'
    "Thông báo số 77-TB/KTHT ngày 02/03/2023 về kiểm thử hiển thị văn bản trên trang hỏi đáp.\n\n"
    "Theo Thông báo số 77-TB/KTHT, Văn phòng chịu trách nhiệm kiểm thử hiển thị, nội dung gồm "
    '<script>window.__xss=1</script> và <img src=x onerror="window.__xss=1"> phải hiện nguyên văn.\n'
)
XSS_QUESTION = "Theo Thông báo số 77-TB/KTHT, ai chịu trách nhiệm kiểm thử hiển thị?"
CHAT_KEY, ADMIN_KEY = "web-test-chat", "web-test-admin"
TORTURE_CITATION = {
    "index": 1, "doc_id": "d1", "title": "Kế hoạch số 108-KH/TU", "source": "https://example.vn/ke-hoach-108",
    "published": "2022-05-20", "chunk_id": "d1:0", "snippet": "Kế hoạch số 108-KH/TU ngày 20/5/2022",
    "start": 0, "end": 35, "score": 0.9,
}  # fmt: skip
TORTURE_ANSWER = "Kế hoạch số 108-KH/TU do Ban Thường vụ Thành ủy ban hành ngày 20/5/2022 [1]."
TORTURE_STREAM = (
    ": keep-alive\r\n\r\n"
    f"event: citations\r\ndata: {json.dumps({'citations': [TORTURE_CITATION]}, ensure_ascii=False)}\r\n\r\n"
    'event: delta\ndata: {"text": "Kế hoạch "}\n\n'
    ": ping\n\n"
    'event: delta\ndata: {"text":\ndata:  "số 108-KH/TU [1]"}\n\n'
    'event: delta\rdata: {"text": " (đang viết…)"}\r\r'
    f"event: done\ndata: {json.dumps({'conversation_id': 'c-t', 'message_id': 'm-t', 'answer': TORTURE_ANSWER, 'abstained': False, 'citations': [TORTURE_CITATION], 'answerer': 'extractive'}, ensure_ascii=False)}\n\n"
).encode()

# One app and one browser for the whole module (module-scoped fixtures below).
pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _skip_or_fail(reason: str) -> None:
    """Locally a missing browser skips; in CI it must fail, or the suite would pass without testing."""
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI=true: browser tests must run; see scripts/ensure_deb.sh)")
    pytest.skip(f"{reason}; run `sh scripts/ensure_deb.sh chromium /usr/bin/chromium` to install it")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Portal(ThreadingHTTPServer):
    """Another site, on another origin (a second loopback port), embedding the widget by one tag.

    A routed page on a made-up public origin would not do: Chromium's local-network rules forbid a
    public page to load from 127.0.0.1 at all. A real loopback server is what an intranet portal is.
    """

    api_url = ""


class PortalPage(BaseHTTPRequestHandler):
    server: Portal

    def do_GET(self) -> None:
        """The portal page; `?key=` goes in data-api-key, `?endpoint=portal` points the widget here."""
        query = parse_qs(urlparse(self.path).query)
        key = query.get("key", [""])[0]
        api = self.server.api_url
        endpoint = f"http://{self.headers['Host']}" if query.get("endpoint") == ["portal"] else api
        body = (
            "<!doctype html><html lang='vi'><head><meta charset='utf-8'><title>Cổng thông tin</title>"
            "<link rel='icon' href='data:,'><style>button, div { background: hotpink !important; }</style>"
            "</head><body><h1>Cổng thông tin của một sở</h1>"
            f"<script src='{api}/widget.js' data-endpoint='{endpoint}' data-api-key='{html.escape(key)}'></script>"
            "</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        """A chat stream cut into 5-byte writes: splits UTF-8 characters and CRLF pairs, with
        comments and a multi-line data field, to exercise the client's SSE parser."""
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.end_headers()
        done_at = TORTURE_STREAM.index(b"event: done")
        # 5-byte writes, then `done` held back so the test sees the streamed text first.
        for part in (TORTURE_STREAM[:done_at], TORTURE_STREAM[done_at:]):
            for i in range(0, len(part), 5):
                self.wfile.write(part[i : i + 5])
                self.wfile.flush()
                time.sleep(0.001)
            time.sleep(0.8)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


@contextmanager
def serve_app(settings: Any, files: list[tuple[str, tuple[str, bytes, str]]], headers: dict[str, str]) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, in a background thread, with `files`
    uploaded through `POST /v1/documents` (sent with `headers`); yields its base URL."""
    import uvicorn

    from qa_service.api.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"web-test-uvicorn-{port}", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 60
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        res = httpx.post(f"{url}/v1/documents", files=files, headers=headers, timeout=120)
        assert res.status_code < 300, res.text
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def sample_files() -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(SAMPLE_DIR.glob("*.txt"))]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(api, portal) URLs: the real app under uvicorn with the sample corpus plus an HTML-laden
    document, and the portal page server, each in a background thread."""
    from tests.conftest import api_settings

    portal = Portal(("127.0.0.1", 0), PortalPage)
    portal_url = f"http://127.0.0.1:{portal.server_address[1]}"
    threading.Thread(target=portal.serve_forever, name="web-test-portal", daemon=True).start()
    # Keys as in production, chat open to the page at `/` (public_chat), CORS for the portal only.
    settings = api_settings(
        tmp_path_factory.mktemp("web-index"),
        api_keys=f"{CHAT_KEY}:chat,{ADMIN_KEY}:admin",
        public_chat=True,
        cors_origins=portal_url,
    )
    files = [*sample_files(), ("files", ("kiem-thu-hien-thi.txt", XSS_DOC.encode(), "text/plain"))]
    try:
        with serve_app(settings, files, {"Authorization": f"Bearer {ADMIN_KEY}"}) as url:
            portal.api_url = url
            yield url, portal_url
    finally:
        portal.shutdown()
        portal.server_close()


@pytest.fixture(scope="module")
def open_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app with no API keys at all (an open server), on the sample corpus."""
    from tests.conftest import api_settings

    with serve_app(api_settings(tmp_path_factory.mktemp("web-open-index")), sample_files(), {}) as url:
        yield url


@pytest.fixture(scope="module")
def base_url(servers: tuple[str, str]) -> str:
    return servers[0]


@pytest.fixture(scope="module")
def portal_url(servers: tuple[str, str]) -> str:
    return servers[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is not installed")
    if expect is None:
        _skip_or_fail("playwright is not installed in this environment")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


class PageErrors:
    """Uncaught exceptions and console errors (CSP violations are reported there)."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        page.on("console", self._console)

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1100, "height": 820}, locale="vi-VN")
    context.set_default_timeout(20_000)
    pg = context.new_page()
    pg.errors = PageErrors(pg)  # type: ignore[attr-defined]
    yield pg
    context.close()


def ask(page: Any, question: str) -> Any:
    """Type a question, send it with Enter, wait for the finished answer; returns the message locator."""
    before = page.locator(".msg.bot:not(.welcome)").count()
    box = page.get_by_label("Câu hỏi của bạn")
    box.fill(question)
    box.press("Enter")
    answer = page.locator(".msg.bot:not(.welcome)").nth(before)
    answer.wait_for()
    expect(answer).to_have_attribute("data-state", re.compile("^(done|error|stopped)$"))
    return answer


def on_stream(page: Any, event: str, handle: Callable[[Any], None]) -> None:
    """Call `handle` with each request/response of the chat stream endpoint."""
    page.on(event, lambda r: handle(r) if r.url.endswith("/v1/chat/stream") else None)


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def sse(*events: tuple[str, dict[str, Any]]) -> str:
    return "".join(f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n" for name, data in events)


# ---- against the real service ----------------------------------------------------------------


def test_streamed_answer_citation_follow_up_and_feedback(page: Any, base_url: str) -> None:
    requests: list[dict[str, Any]] = []
    on_stream(page, "request", lambda r: requests.append(r.post_data_json))
    stream_types: list[str] = []
    on_stream(page, "response", lambda r: stream_types.append(r.headers["content-type"]))
    page.goto(f"{base_url}/")

    answer = ask(page, QUESTION)
    assert stream_types and stream_types[0].startswith("text/event-stream")
    text = answer.locator(".text").inner_text()
    assert "Thành" in text and "[1]" in text, text
    shot(page, "01-answer")

    cite = answer.locator("button.cite").first
    cite.click()
    panel = page.locator(".cite-panel")
    assert panel.is_visible()
    assert panel.locator(".cite-title").inner_text().strip()
    snippet = panel.locator(".cite-snippet").inner_text()
    assert "108-KH/TU" in snippet or "Thành" in snippet, snippet
    assert panel.locator(".cite-meta").inner_text().strip()  # date and/or source
    shot(page, "02-citation")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.classList.contains('cite')")

    answer.get_by_label("Câu trả lời hữu ích").click()
    page.get_by_text("Cảm ơn bạn đã góp ý.").wait_for()

    second = ask(page, FOLLOW_UP)
    assert second.locator(".text").inner_text().strip()
    assert len(requests) == 2
    assert requests[1]["conversation_id"], requests[1]
    assert [m["role"] for m in requests[1]["history"]] == ["user", "assistant"]
    assert requests[1]["history"][0]["content"] == QUESTION
    shot(page, "03-follow-up")
    assert page.errors.errors == []


def test_document_html_is_shown_as_text_never_run(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    answer = ask(page, XSS_QUESTION)
    for btn in answer.locator("button.source").all():
        btn.click()
        if "<script>" in page.locator(".cite-snippet").inner_text():
            break
    snippet = page.locator(".cite-snippet").inner_text()
    assert "<script>window.__xss=1</script>" in snippet
    assert 'onerror="window.__xss=1"' in snippet
    shot(page, "04-xss-as-text")
    assert page.evaluate("typeof window.__xss") == "undefined"
    # No element was built from the document: no <img>/<script> inside the widget at all.
    assert page.locator("qa-chat-widget img, qa-chat-widget script").count() == 0
    assert page.errors.errors == []


def test_phone_width_layout(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base_url}/")
    ask(page, QUESTION)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    composer = page.locator(".composer").bounding_box()
    assert composer and composer["x"] >= 0 and composer["x"] + composer["width"] <= 375
    assert composer["y"] + composer["height"] <= 740
    send = page.get_by_label("Gửi câu hỏi").bounding_box()
    assert send and send["x"] + send["width"] <= 375
    shot(page, "05-phone")
    page.locator("button.cite").first.click()
    panel = page.locator(".cite-panel").bounding_box()
    assert panel and panel["width"] <= 375
    shot(page, "06-phone-citation")
    context.close()


def test_widget_embedded_by_one_script_tag(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/embed-demo")
    launcher = page.get_by_label("Mở trợ lý hỏi đáp văn bản")
    launcher.wait_for()
    # The host page paints every button hot pink with !important: the Shadow DOM keeps it out.
    color = launcher.evaluate("b => getComputedStyle(b).backgroundColor")
    assert color == "rgb(11, 92, 173)", color
    shot(page, "07-embed-closed")

    launcher.focus()
    page.keyboard.press("Enter")  # keyboard only from here
    assert launcher.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type(QUESTION)
    page.keyboard.press("Enter")
    answer = page.locator(".msg.bot:not(.welcome)").first
    answer.locator(".feedback").wait_for()
    assert "[1]" in answer.locator(".text").inner_text()
    shot(page, "08-embed-open")

    page.keyboard.press("Escape")
    assert not page.locator(".panel").is_visible()
    assert launcher.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.shadowRoot.activeElement.classList.contains('launcher')")
    assert page.errors.errors == []


def test_floating_widget_fills_a_phone_screen(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{base_url}/embed-demo")
    page.get_by_label("Mở trợ lý hỏi đáp văn bản").click()
    box = page.locator(".panel").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 700}
    shot(page, "09-embed-phone")
    page.get_by_label("Đóng cửa sổ hỏi đáp").click()
    assert not page.locator(".panel").is_visible()
    context.close()


def test_abstention_lists_the_closest_passages(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    msg = ask(page, "Giá vàng hôm nay là bao nhiêu?")
    assert "abstained" in (msg.get_attribute("class") or "")
    assert "không chứa câu trả lời" in msg.inner_text()
    assert "Các đoạn gần nhất" in (msg.text_content() or "")
    assert msg.locator("button.source").count() >= 1
    shot(page, "10-abstained")


def test_widget_on_another_origin_uses_cors_and_the_api_key(page: Any, portal_url: str) -> None:
    sent: list[dict[str, str]] = []
    on_stream(page, "request", lambda r: sent.append(r.headers))
    page.goto(f"{portal_url}/trang-chu?key={CHAT_KEY}")
    launcher = page.get_by_label("Mở trợ lý hỏi đáp văn bản")
    launcher.wait_for()  # the widget shows itself once its stylesheet is in
    # Styled, so chat.css came through CORS; the portal's hot pink stayed outside.
    assert launcher.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(11, 92, 173)"
    launcher.click()
    answer = ask(page, QUESTION)
    assert "[1]" in answer.locator(".text").inner_text()
    assert sent and sent[0]["authorization"] == f"Bearer {CHAT_KEY}"
    shot(page, "11-other-origin")
    assert page.errors.errors == []


def test_sse_parser_survives_awkward_chunks(page: Any, portal_url: str) -> None:
    page.goto(f"{portal_url}/?endpoint=portal")
    page.get_by_label("Mở trợ lý hỏi đáp văn bản").click()
    box = page.get_by_label("Câu hỏi của bạn")
    box.fill(QUESTION)
    box.press("Enter")
    answer = page.locator(".msg.bot:not(.welcome)").first
    # Deltas joined: CRLF, CR-only and LF lines, a two-line data field, comments skipped.
    expect(answer.locator(".text")).to_have_text("Kế hoạch số 108-KH/TU [1] (đang viết…)")
    assert answer.get_attribute("data-state") == "streaming"
    expect(answer).to_have_attribute("data-state", "done")
    # `done` replaces what was streamed, markers become buttons, the https source becomes a link.
    assert answer.locator(".text").inner_text() == TORTURE_ANSWER
    answer.locator("button.cite").click()
    link = page.locator(".cite-meta a")
    assert link.get_attribute("href") == "https://example.vn/ke-hoach-108"
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert page.errors.errors == []


def test_widget_with_a_wrong_key_says_so(page: Any, portal_url: str) -> None:
    page.goto(f"{portal_url}/trang-chu?key=not-a-key")
    page.get_by_label("Mở trợ lý hỏi đáp văn bản").click()
    msg = ask(page, QUESTION)
    assert "Khóa API không hợp lệ" in msg.inner_text()
    assert msg.locator(".retry").count() == 0  # retrying with the same key cannot help


# ---- failure modes injected with request routing ----------------------------------------------


def test_rate_limit_server_error_and_network_failure(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    body = {"error": {"code": "rate_limited", "message": "Too many requests"}}
    page.route(
        "**/v1/chat/stream",
        lambda r: r.fulfill(status=429, headers={"Retry-After": "2"}, json=body),
    )
    msg = ask(page, "Câu hỏi thử giới hạn")
    assert "2 giây" in msg.inner_text()
    expect(page.get_by_label("Gửi câu hỏi")).to_be_disabled()  # until Retry-After has passed
    expect(msg.locator(".retry")).to_be_disabled()
    expect(page.get_by_label("Gửi câu hỏi")).to_be_enabled(timeout=5_000)
    expect(msg.locator(".retry")).to_be_enabled()
    page.unroute("**/v1/chat/stream")

    page.route(
        "**/v1/chat/stream",
        lambda r: r.fulfill(status=500, json={"error": {"code": "internal", "message": "Lỗi chỉ mục"}}),
    )
    msg = ask(page, "Câu hỏi thử lỗi máy chủ")
    assert "Máy chủ gặp lỗi" in msg.inner_text() and "Lỗi chỉ mục" in msg.inner_text()
    page.unroute("**/v1/chat/stream")

    page.route("**/v1/chat/stream", lambda r: r.abort("internetdisconnected"))
    msg = ask(page, "Câu hỏi thử mất mạng")
    assert "Không kết nối được máy chủ" in msg.inner_text()
    shot(page, "12-errors")
    page.unroute("**/v1/chat/stream")

    # Retry after the network is back: the real service answers.
    msg.locator(".retry").click()
    page.locator(".msg.bot[data-state=done] .feedback").first.wait_for()


def test_error_event_mid_stream_and_unsafe_source(page: Any, base_url: str) -> None:
    cit = {
        "index": 1, "doc_id": "d1", "title": "Kế hoạch số 108-KH/TU", "source": "javascript:window.__xss=1",
        "published": "2022-05-20", "chunk_id": "d1:0", "snippet": "Đoạn gần nhất", "start": 0, "end": 13,
        "score": 0.2,
    }  # fmt: skip
    broken = sse(("citations", {"citations": [cit]}), ("delta", {"text": "Theo"}),
                 ("error", {"error": {"code": "llm_timeout", "message": "Mô hình không phản hồi"}}))  # fmt: skip
    page.route("**/v1/chat/stream", lambda r: r.fulfill(status=200, content_type="text/event-stream", body=broken))
    page.goto(f"{base_url}/")
    msg = ask(page, "Câu hỏi thử lỗi giữa chừng")
    assert "Mô hình không phản hồi" in msg.inner_text()
    page.unroute("**/v1/chat/stream")

    # A file name that parses as a URL ("https:evil…") is no link either; the section path is shown.
    named = cit | {"index": 2, "chunk_id": "d1:1", "source": "https:evil.example.docx",
                   "section": "III. Tổ chức thực hiện › 2. Sở Tài chính"}  # fmt: skip
    done = {"conversation_id": "c1", "message_id": "m1", "answer": "Không tìm thấy thông tin trong tài liệu.",
            "abstained": True, "citations": [cit, named], "answerer": "extractive"}  # fmt: skip
    page.route(
        "**/v1/chat/stream",
        lambda r: r.fulfill(status=200, content_type="text/event-stream", body=sse(("done", done))),
    )
    msg = ask(page, "Giá vàng hôm nay là bao nhiêu?")
    assert "abstained" in (msg.get_attribute("class") or "")
    assert "không chứa câu trả lời" in msg.inner_text()
    assert "Các đoạn gần nhất" in (msg.text_content() or "")
    msg.locator("button.source").first.click()
    meta = page.locator(".cite-meta")
    assert "20/05/2022" in meta.inner_text()
    assert meta.locator("a").count() == 0  # a javascript: source is never a link
    assert "Mục" not in meta.inner_text()  # no section, no row
    page.keyboard.press("Escape")  # the open panel covers the other sources
    msg.locator("button.source").nth(1).click()
    expect(meta).to_contain_text("III. Tổ chức thực hiện › 2. Sở Tài chính")
    assert "https:evil.example.docx" in meta.inner_text() and meta.locator("a").count() == 0
    shot(page, "13-mid-stream-error-and-source")


# ---- a client without a key: the conversation token ---------------------------------------------


@pytest.mark.parametrize("server", ["open", "public_chat"])
def test_follow_up_without_a_key_stays_in_one_conversation(
    request: pytest.FixtureRequest, page: Any, server: str
) -> None:
    """Without a key the server binds the conversation to the token it returns with the first answer;
    the widget sends it back, so the follow-up lands in the same conversation, which only the token's
    holder can read. A new chat forgets both the conversation and its token."""
    url = request.getfixturevalue("open_url" if server == "open" else "base_url")
    sent: list[dict[str, str]] = []
    on_stream(page, "request", lambda r: sent.append(r.all_headers() | {"body": r.post_data or ""}))
    returned: list[Any] = []
    on_stream(page, "response", returned.append)
    page.goto(f"{url}/")

    first = ask(page, QUESTION)
    second = ask(page, FOLLOW_UP)
    assert first.get_attribute("data-state") == second.get_attribute("data-state") == "done"
    assert len(sent) == len(returned) == 2
    token = returned[0].headers.get("x-conversation-token")
    assert token and re.fullmatch(r"[A-Za-z0-9_-]{32,128}", token), token
    assert "x-conversation-token" not in sent[0]  # nothing to send before the first answer
    assert sent[1].get("x-conversation-token") == token
    assert returned[1].headers.get("x-conversation-token") == token  # the same conversation, the same token
    conversation_id = json.loads(sent[1]["body"])["conversation_id"]
    assert conversation_id

    held = httpx.get(f"{url}/v1/conversations/{conversation_id}", headers={"X-Conversation-Token": token})
    assert held.status_code == 200, held.text
    messages = held.json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"], messages
    assert [m["content"] for m in messages[::2]] == [QUESTION, FOLLOW_UP]
    assert messages[3]["content"] == second.locator(".text").inner_text()
    assert httpx.get(f"{url}/v1/conversations/{conversation_id}").status_code == 404
    other = {"X-Conversation-Token": "x" * 43}  # well-formed, but not this conversation's
    assert httpx.get(f"{url}/v1/conversations/{conversation_id}", headers=other).status_code == 404

    page.get_by_label("Cuộc trò chuyện mới").click()
    ask(page, QUESTION)
    assert len(sent) == 3
    assert "x-conversation-token" not in sent[2] and "conversation_id" not in json.loads(sent[2]["body"])
    assert returned[2].headers.get("x-conversation-token") not in (None, token)
    assert page.errors.errors == []
