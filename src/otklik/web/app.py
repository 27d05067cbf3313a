"""App factory: everything is built when the app is created, nothing at import."""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates

from otklik.errors import OtklikError, WorkflowError
from otklik.profile import BusinessProfile
from otklik.store.db import open_store_engine
from otklik.web.routes import api, pages
from otklik.web.security import SecurityMiddleware


def create_app(*, database_url: str, profile: BusinessProfile) -> FastAPI:
    app = FastAPI(title="Otklik", docs_url="/api/docs", openapi_url="/api/openapi.json")
    app.state.engine = open_store_engine(database_url)
    app.state.profile = profile
    app.state.notice_key = secrets.token_bytes(32)  # per process: notices signed here only
    app.state.templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    app.include_router(pages.router)
    app.include_router(api.router, prefix="/api")
    app.add_middleware(SecurityMiddleware)

    @app.exception_handler(OtklikError)
    async def _otklik_error(_request: Request, exc: OtklikError) -> JSONResponse:
        status = 409 if isinstance(exc, WorkflowError) else 400
        return JSONResponse({"error": str(exc)}, status_code=status)

    return app
