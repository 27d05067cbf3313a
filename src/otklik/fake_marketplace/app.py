"""The fake marketplace ASGI app: three marketplaces' routes, auth, rate limits, faults and an admin API."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from otklik.fake_marketplace import routes_ozon, routes_wb, routes_ym
from otklik.fake_marketplace.state import PLATFORMS, FakeState, Faults

REPLY_POSTS = {
    ("POST", "/api/v1/feedbacks/answer"), ("PATCH", "/api/v1/questions"),
    ("POST", "/v1/review/comment/create"), ("POST", "/v1/question/answer/create"),
}
REPLY_POST_SUFFIXES = ("/goods-feedback/comments/update", "/goods-questions/update")


def platform_of(path: str) -> str | None:
    if path.startswith("/api/"):
        return "wildberries"
    if "/businesses/" in path:
        return "yandex_market"
    if path.startswith(("/v1/", "/v2/", "/v3/")):
        return "ozon"
    return None


def is_reply_post(method: str, path: str) -> bool:
    return (method, path) in REPLY_POSTS or (method == "POST" and path.endswith(REPLY_POST_SUFFIXES))


class FaultsAndLimits:
    """ASGI middleware: authentication, documented rate limits and injected faults, per marketplace."""

    def __init__(self, app: Any, state: FakeState) -> None:
        self.app = app
        self.state = state

    async def _reply(self, send: Any, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body, ensure_ascii=False).encode()
        hdrs = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
        hdrs += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
        await send({"type": "http.response.start", "status": status, "headers": hdrs})
        await send({"type": "http.response.body", "body": raw})

    def _auth(self, platform: str, headers: dict[str, str]) -> str | None:
        """The caller's token key, or None when the credentials are wrong."""
        c = self.state.creds
        if platform == "wildberries":
            token = headers.get("authorization", "").removeprefix("Bearer ").strip()
            return token if token == c.wb_token else None
        if platform == "ozon":
            ok = headers.get("client-id") == c.ozon_client_id and headers.get("api-key") == c.ozon_api_key
            return c.ozon_client_id if ok else None
        return headers.get("api-key") if headers.get("api-key") == c.ym_api_key else None

    async def _limited(self, send: Any, platform: str, injected: bool) -> None:
        st = self.state
        st.stats["rate_limited_injected" if injected else "rate_limited_enforced"] += 1
        if platform == "yandex_market":
            await self._reply(send, 420, {"status": "ERROR", "errors": [{"code": "LIMIT_EXCEEDED", "message": "resource access limit exceeded"}]})
        elif platform == "wildberries":
            retry = st.faults.rate_limit_retry if injected else 0.34
            await self._reply(send, 429, {"title": "too many requests", "detail": "limited by c122a060-a7fb-4bb4-abb0-32fd4e18d489",
                                          "code": "07e4668e-ac19-4b31-a3ce-7e4bc9ad8e00", "requestId": "fake", "origin": "s2s-api-auth-feedbacks",
                                          "status": 429, "statusText": "Too Many Requests", "timestamp": "2026-03-14T09:12:45Z"},
                              {"X-Ratelimit-Retry": f"{retry:g}", "X-Ratelimit-Limit": "6", "X-Ratelimit-Reset": f"{max(retry, 2):g}"})
        else:
            await self._reply(send, 429, {"code": 8, "message": "You have reached request rate limit per second", "details": []})

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        platform = platform_of(path) if scope["type"] == "http" else None
        if platform is None:
            await self.app(scope, receive, send)
            return
        st, f = self.state, self.state.faults
        st.stats["requests"] += 1
        headers = {k.decode().lower(): v.decode() for k, v in scope.get("headers", [])}
        key = self._auth(platform, headers)
        if key is None:
            await self._reply(send, 401, {"title": "unauthorized", "detail": "invalid credentials", "status": 401})
            return
        method_key = path.split("/businesses/", 1)[-1].split("/", 1)[-1] if platform == "yandex_market" else path
        if st.over_limit(platform, key, method_key):
            await self._limited(send, platform, injected=False)
            return
        if st.chance(f.slow):
            await asyncio.sleep(f.slow_seconds)
        if st.chance(f.rate_limit):
            await self._limited(send, platform, injected=True)
            return
        if st.chance(f.error_5xx):
            st.stats["errors_injected"] += 1
            await self._reply(send, 500, {"code": 13, "message": "internal error (injected)"})
            return
        if is_reply_post(scope["method"], path):
            if st.chance(f.drop_after_accept):
                await self._accept_then_drop(scope, receive, send)
                return
            if st.chance(f.error_after_accept):
                await self.app(scope, receive, _swallow)
                st.stats["errors_injected"] += 1
                await self._reply(send, 502, {"code": 14, "message": "bad gateway (injected after accepting)"})
                return
        await self.app(scope, receive, send)

    async def _accept_then_drop(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Do the work, then close the TCP connection without a response (a crash on the way back)."""
        await self.app(scope, receive, _swallow)
        self.state.stats["dropped"] += 1
        transport = getattr(getattr(send, "__self__", None), "transport", None)
        if transport is not None:
            transport.close()
            return
        await self._reply(send, 502, {"code": 14, "message": "connection dropped (emulated)"})


async def _swallow(message: dict[str, Any]) -> None:
    return None


def create_app(state: FakeState) -> Any:
    app = FastAPI(title="Otklik fake marketplace", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(routes_wb.router(state))
    app.include_router(routes_ozon.router(state))
    app.include_router(routes_ym.router(state))

    @app.get("/admin/state")
    def admin_state() -> Any:
        return state.snapshot()

    @app.post("/admin/faults")
    async def admin_faults(request: Request) -> Any:
        body = await request.json()
        with state.lock:
            base = asdict(Faults()) if body.pop("_reset", False) else asdict(state.faults)
            base.update(body)
            state.faults = Faults(**base)
        return asdict(state.faults)

    @app.post("/admin/items")
    async def admin_items(request: Request) -> Any:
        body = await request.json()
        platform, kind = body.get("platform"), body.get("kind", "review")
        if platform not in PLATFORMS or kind not in ("review", "question"):
            return JSONResponse({"error": "platform must be one of " + ", ".join(PLATFORMS)}, status_code=400)
        given = {k: body[k] for k in ("text", "rating", "author", "pros", "cons") if k in body}
        items = state.add_new(platform, kind, int(body.get("count", 1)), **given)
        return {"ids": [i.id for i in items], "created": [i.created.isoformat() for i in items]}

    @app.get("/admin/items")
    def admin_list(platform: str, kind: str = "review") -> Any:
        with state.lock:
            return {"ids": [i.id for i in state.listing(platform, kind)]}

    @app.get("/admin/posted")
    def admin_posted() -> Any:
        with state.lock:
            return {"posted": list(state.posted)}

    return FaultsAndLimits(app, state)
