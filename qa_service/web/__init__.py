"""The chat page, the embeddable widget and the task register page: static files plus the headers
that make them safe.

There is one chat client, `static/widget.js`: the page at `/` runs it in inline (full-page) mode and
any other site embeds it with one script tag. `/tasks` (`static/tasks.html` + `tasks.js`) is the task
register, a table over `/v1/tasks`. The page is served with a strict Content-Security-Policy
(no inline script, no inline style), so everything the client needs lives in files under `static/`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"

# Short for widget.js: host pages keep the same URL forever, so a fix must reach them quickly.
WIDGET_CACHE = "public, max-age=300"
STATIC_CACHE = "public, max-age=3600"
# HTML is tiny and carries the CSP: always revalidate.
HTML_CACHE = "no-cache"

_COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def content_security_policy(connect_src: Iterable[str] = ()) -> str:
    """The page policy: our own files only; the API may also live on the listed origins."""
    connect = " ".join(["'self'", *(o.strip() for o in connect_src if o.strip())])
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # The widget styles its Shadow DOM with constructed stylesheets, which CSP allows.
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class _StaticFiles(StaticFiles):
    """StaticFiles with cache and nosniff headers (the stock class sets neither)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.setdefault("Cache-Control", STATIC_CACHE)
        response.headers.update(_COMMON_HEADERS)
        return response


def create_router(connect_src: Iterable[str] = ()) -> APIRouter:
    """Routes for `/`, `/tasks`, `/widget.js` and `/embed-demo`; `connect_src` extends the page CSP."""
    csp = content_security_policy(connect_src)
    html_headers = {**_COMMON_HEADERS, "Cache-Control": HTML_CACHE, "Content-Security-Policy": csp}
    router = APIRouter(include_in_schema=False)

    @router.api_route("/", methods=["GET", "HEAD"])
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=html_headers)

    @router.api_route("/tasks", methods=["GET", "HEAD"])
    def tasks() -> FileResponse:
        return FileResponse(STATIC_DIR / "tasks.html", media_type="text/html; charset=utf-8", headers=html_headers)

    @router.api_route("/embed-demo", methods=["GET", "HEAD"])
    def embed_demo() -> FileResponse:
        return FileResponse(STATIC_DIR / "embed-demo.html", media_type="text/html; charset=utf-8", headers=html_headers)

    @router.api_route("/widget.js", methods=["GET", "HEAD"])
    def widget() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "widget.js",
            media_type="text/javascript; charset=utf-8",
            headers={**_COMMON_HEADERS, "Cache-Control": WIDGET_CACHE},
        )

    return router


# For apps that only need the routes with the default CSP; `/static` still needs `mount_web`.
router = create_router()


def mount_web(app: FastAPI, connect_src: Iterable[str] = ()) -> None:
    """Serve the chat page, the task register page, the widget and their static files on `app`."""
    app.include_router(create_router(connect_src))
    app.mount("/static", _StaticFiles(directory=STATIC_DIR), name="web-static")
