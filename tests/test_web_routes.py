"""The chat page, widget and static routes: content types and the headers that keep them safe."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from qa_service.web import STATIC_DIR, content_security_policy, mount_web


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    mount_web(app, connect_src=["https://api.example.vn"])
    return TestClient(app)


def _csp(value: str) -> dict[str, str]:
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in (p.strip() for p in value.split(";")) if " " in d}


def test_index_is_html_with_a_strict_csp(client: TestClient) -> None:
    res = client.get("/")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert "widget.js" in res.text and 'data-mode="inline"' in res.text
    csp = _csp(res.headers["content-security-policy"])
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert "unsafe" not in res.headers["content-security-policy"]
    assert csp["connect-src"] == "'self' https://api.example.vn"
    assert csp["frame-ancestors"] == "'none'"
    assert res.headers["x-content-type-options"] == "nosniff"


def test_tasks_page_is_html_with_the_same_strict_csp(client: TestClient) -> None:
    res = client.get("/tasks")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/html")
    assert res.headers["cache-control"] == "no-cache"  # the HTML carries the CSP: always revalidate
    assert res.headers["content-security-policy"] == client.get("/").headers["content-security-policy"]
    assert "unsafe" not in res.headers["content-security-policy"]
    assert res.headers["x-content-type-options"] == "nosniff"
    assert '<html lang="vi">' in res.text
    # Relative to /tasks, so the page works under a path prefix too.
    assert '<script src="static/tasks.js" defer></script>' in res.text
    assert 'href="static/tasks.css"' in res.text
    assert client.head("/tasks").status_code == 200


def test_tasks_static_files_are_served() -> None:
    app = FastAPI()
    mount_web(app)
    client = TestClient(app)
    js = client.get("/static/tasks.js")
    assert js.status_code == 200
    assert js.headers["content-type"].startswith("text/javascript")
    assert "max-age" in js.headers["cache-control"]
    assert "/v1/tasks" in js.text and "/v1/actors" in js.text
    css = client.get("/static/tasks.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_chat_page_links_to_the_task_register() -> None:
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert 'data-tasks-url="tasks"' in html
    assert "Sổ nhiệm vụ" in (STATIC_DIR / "widget.js").read_text(encoding="utf-8")
    assert 'href="./"' in (STATIC_DIR / "tasks.html").read_text(encoding="utf-8")  # and back


def test_index_has_no_inline_script_or_style() -> None:
    for name in ("index.html", "embed-demo.html", "tasks.html"):
        html = (STATIC_DIR / name).read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag, f"inline script in {name}: the CSP would block it"
        assert "<style" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler in {name}"


def test_widget_js_is_javascript_and_cacheable(client: TestClient) -> None:
    res = client.get("/widget.js")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/javascript")
    assert "max-age" in res.headers["cache-control"]
    assert "/v1/chat/stream" in res.text


def test_head_requests_are_answered(client: TestClient) -> None:
    assert client.head("/").status_code == 200
    assert client.head("/widget.js").status_code == 200


def test_static_css_and_embed_demo(client: TestClient) -> None:
    css = client.get("/static/chat.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert "max-age" in css.headers["cache-control"]
    demo = client.get("/embed-demo")
    assert demo.status_code == 200
    assert "content-security-policy" in demo.headers
    assert re.search(r'<script src="widget.js"', demo.text)
    assert client.get("/static/does-not-exist.js").status_code == 404


@pytest.mark.parametrize("name", ["widget.js", "tasks.js"])
def test_clients_never_write_html(name: str) -> None:
    """Document text is untrusted: the clients may only use textContent, never HTML sinks."""
    js = (STATIC_DIR / name).read_text(encoding="utf-8")
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)  # comments may name the sinks they avoid
    js = re.sub(r"^\s*//.*$", "", js, flags=re.M)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in js, sink


def test_csp_ignores_blank_origins() -> None:
    assert "connect-src 'self';" in content_security_policy(["", "  "])
