"""The API docs (Swagger UI at /api/docs, ReDoc at /api/redoc) from files installed with Otklik.

FastAPI's own docs page loads Swagger UI from a CDN, which an inbox on a closed network cannot
reach. The `fastapi-offline` package ships the same Swagger UI and ReDoc bundles; they are served
from here, and the page starts them with a script file of ours, so the usual Content-Security-Policy
(nothing but this site) holds on the docs too.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/api/docs/assets"
router = APIRouter(include_in_schema=False)


def assets_dir() -> Path:
    """Where `fastapi-offline` keeps swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js."""
    return Path(str(files("fastapi_offline") / "static"))


def mount(app: FastAPI) -> None:
    """Serve the docs pages and their assets; call with docs_url=None, redoc_url=None on the app."""
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="api-docs-assets")
    app.include_router(router)


def _page(request: Request, name: str) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(
        request, name, {"spec_url": request.app.openapi_url, "assets": ASSETS_URL})


@router.get("/api/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, "api_docs.html")


@router.get("/api/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return _page(request, "api_redoc.html")


@router.get("/docs")
def docs_alias() -> RedirectResponse:
    return RedirectResponse("/api/docs", status_code=307)
