"""App factory: everything is built when the app is created, nothing at import."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from otklik.errors import InputError, OtklikError, WorkflowError
from otklik.profile import BusinessProfile
from otklik.store.db import open_store_engine
from otklik.web.resources import WebResources
from otklik.web.routes import actions, api, auth, business, docs, pages
from otklik.web.security import SecurityMiddleware

TITLES = {401: "Нужно войти", 403: "Доступ запрещён", 404: "Не найдено", 405: "Так нельзя", 429: "Подождите"}
STANDARD = {404: "Такой страницы нет.", 405: "Этот адрес не принимает такой запрос."}


def create_app(*, database_url: str, profile: BusinessProfile) -> FastAPI:
    app = FastAPI(title="Otklik", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.engine = open_store_engine(database_url)
    app.state.profile = profile
    app.state.aspect_names = pages.aspect_names(profile)
    app.state.templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(api.router, prefix="/api")
    app.state.resources = WebResources(profile)
    app.include_router(actions.router)
    app.include_router(actions.api_router, prefix="/api")
    app.include_router(business.router)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    docs.mount(app)  # Swagger UI and ReDoc from installed files, no CDN
    app.add_middleware(SecurityMiddleware)

    @app.exception_handler(OtklikError)
    async def _otklik_error(request: Request, exc: OtklikError) -> Response:
        status = 409 if isinstance(exc, WorkflowError) else 422 if isinstance(exc, InputError) else 400
        if status == 422 and not request.url.path.startswith("/api/"):
            return _bad_request(request, str(exc))
        return JSONResponse({"error": str(exc)}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        """A parameter that makes no sense: the API says which, as JSON; a page says it in a page."""
        wrong = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}" for e in exc.errors())
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"bad parameters: {wrong}", "detail": jsonable_encoder(exc.errors())},
                                status_code=422)
        return _bad_request(request, wrong)

    def _bad_request(request: Request, message: str) -> Response:
        return app.state.templates.TemplateResponse(
            request, "message.html", {"title": "Неверный запрос", "message": f"Фильтр не понят: {message}"}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        """JSON for the API; for pages, a way to the login form or a short page in Russian."""
        message = STANDARD.get(exc.status_code, exc.detail) if exc.detail in ("Not Found", "Method Not Allowed") \
            else exc.detail
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message}, status_code=exc.status_code, headers=exc.headers)
        if exc.status_code == 401:
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(back if request.method == 'GET' else '/')}", status_code=303)
        return app.state.templates.TemplateResponse(
            request, "message.html", {"title": TITLES.get(exc.status_code, "Ошибка"), "message": message},
            status_code=exc.status_code, headers=exc.headers)

    return app
