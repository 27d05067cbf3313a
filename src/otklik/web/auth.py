"""Who is asking and may they: sessions, bearer tokens, roles and CSRF, as FastAPI dependencies.

Pages take the session cookie only; `/api/...` takes `Authorization: Bearer <token>` or the
session. A write made with the cookie must carry the session's CSRF token (form field or
`X-CSRF-Token` header): SameSite=Lax and the Origin check already stop most forged writes, the
token stops the rest (an old browser, a same-site page). A bearer token is never sent by a browser
on its own, so it needs no CSRF token.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from otklik.store import accounts
from otklik.store.accounts import Account, Role
from otklik.web.deps import EngineDep
from otklik.web.security import UNSAFE_METHODS

SESSION_COOKIE = "otklik_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
ROLE_NAMES = {Role.owner: "владелец", Role.responder: "отвечает на отзывы", Role.viewer: "только просмотр"}
NOT_LOGGED_IN = "Нужно войти: откройте /login или передайте API-токен в заголовке «Authorization: Bearer …»."
BAD_TOKEN = "API-токен не принят: он неверен или отозван."
BAD_CSRF = "Форма устарела или отправлена не со страницы Otklik: обновите страницу и повторите."
FORBIDDEN = "Недостаточно прав: нужна роль «{need}», у вас «{have}»."


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller. `csrf` is the session's token (None for a bearer token)."""

    account: Account
    via: Literal["session", "token"]
    csrf: str | None = None

    def can(self, role: Role) -> bool:
        return self.account.role.allows(role)


bearer_scheme = HTTPBearer(auto_error=False, description="API token from `otklik token create LOGIN`")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False, description="browser session after /login")


def session_principal(engine: Engine, cookie: str | None) -> Principal | None:
    if not cookie:
        return None
    with Session(engine) as s:
        found = accounts.session_account(s, cookie)
    return Principal(found[0], "session", found[1]) if found else None


def _authenticate(engine: Engine, api: bool, bearer: HTTPAuthorizationCredentials | None,
                  cookie: str | None) -> Principal:
    if api and bearer is not None:
        with Session(engine) as s, s.begin():
            account = accounts.token_account(s, bearer.credentials)
        if account is None:
            raise HTTPException(401, BAD_TOKEN, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return Principal(account, "token")
    principal = session_principal(engine, cookie)
    if principal is None:
        raise HTTPException(401, NOT_LOGGED_IN, headers={"WWW-Authenticate": "Bearer"} if api else None)
    return principal


async def _check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(403, BAD_CSRF)


def require(role: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting callers with at least `role`; checks CSRF on cookie-made writes."""

    async def dependency(
        request: Request,
        engine: EngineDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
        cookie: Annotated[str | None, Depends(cookie_scheme)],
    ) -> Principal:
        api = request.url.path.startswith("/api/")
        principal = await run_in_threadpool(_authenticate, engine, api, bearer, cookie)
        if principal.via == "session" and request.method in UNSAFE_METHODS:
            await _check_csrf(request, principal.csrf or "")
        if not principal.can(role):
            raise HTTPException(403, FORBIDDEN.format(need=ROLE_NAMES[role], have=ROLE_NAMES[principal.account.role]))
        return principal

    return dependency


Viewer = Annotated[Principal, Depends(require(Role.viewer))]
Responder = Annotated[Principal, Depends(require(Role.responder))]
Owner = Annotated[Principal, Depends(require(Role.owner))]


def safe_next(value: str | None) -> str:
    """Where to go after login: only a path on this site, never another host (no open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(ch) < 32 for ch in value):
        return "/"
    parts = urlsplit(value)
    return "/" if parts.scheme or parts.netloc else value
