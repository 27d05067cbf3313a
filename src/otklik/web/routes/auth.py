"""Login and logout pages. Failed logins are counted in the store, so every machine sees them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from otklik.store import accounts
from otklik.web.auth import SESSION_COOKIE, Viewer, safe_next, session_principal
from otklik.web.deps import EngineDep

router = APIRouter(include_in_schema=False)

WRONG_PASSWORD = "Неверный логин или пароль."
TOO_MANY = "Слишком много неудачных попыток входа. Попробуйте снова через {minutes} мин."


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, engine: EngineDep, next: str = "/") -> Response:
    if session_principal(engine, request.cookies.get(SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _form(request, engine, next=next)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    engine: EngineDep,
    login: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    client_ip = request.client.host if request.client else "unknown"
    with Session(engine) as s, s.begin():
        wait = accounts.login_blocked_for(s, login, client_ip)
        if not wait:  # counted before the slow check, so parallel guesses see each other; withdrawn on success
            accounts.record_failure(s, login, client_ip)
    if wait:
        return _form(request, engine, next=next, login=login, status=429,
                     error=TOO_MANY.format(minutes=max(1, -(-wait // 60))), headers={"Retry-After": str(wait)})
    with Session(engine) as s, s.begin():
        account = accounts.check_password(s, login, password)
        if account is not None:
            accounts.clear_failures(s, login)
            cookie = accounts.open_session(s, account)
    if account is None:
        return _form(request, engine, next=next, login=login, status=401, error=WRONG_PASSWORD)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, max_age=int(accounts.SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request, engine: EngineDep, _who: Viewer) -> RedirectResponse:
    with Session(engine) as s, s.begin():
        accounts.close_session(s, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=request.url.scheme == "https")
    return response


def _form(request: Request, engine: EngineDep, *, next: str, login: str = "", error: str = "", status: int = 200,
          headers: dict[str, str] | None = None) -> HTMLResponse:
    with Session(engine) as s:
        no_users = accounts.count_users(s) == 0
    return request.app.state.templates.TemplateResponse(
        request, "login.html", {"next": safe_next(next), "login": login, "error": error, "no_users": no_users},
        status_code=status, headers=headers)
