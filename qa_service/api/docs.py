"""The API's own documentation: Swagger UI served from the installed `swagger-ui-bundle` package (an
offline intranet cannot reach a CDN), and an OpenAPI document that declares how callers authenticate."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs-static"
# Both ways a key may be sent (DESIGN.md); a route accepts either.
SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "Khoá API: `Authorization: Bearer KEY`"},
    "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key", "description": "Khoá API trong `X-API-Key`"},
}
KEYED_PREFIX = "/v1/"  # everything under it needs a key when keys are configured (health and pages do not)


def _openapi_with_auth(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {})["securitySchemes"] = SECURITY_SCHEMES
        for path, operations in schema.get("paths", {}).items():
            if path.startswith(KEYED_PREFIX):
                for operation in operations.values():
                    operation["security"] = [{name: []} for name in SECURITY_SCHEMES]
        app.openapi_schema = schema
    return app.openapi_schema


def install_docs(app: FastAPI, serve_ui: bool) -> None:
    """Auth in the OpenAPI document; `/docs` from packaged assets when `serve_ui`."""
    app.openapi = lambda: _openapi_with_auth(app)  # type: ignore[method-assign]
    if not serve_ui or app.openapi_url is None:
        return
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="docs-static")
    openapi_url = app.openapi_url

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        )
