"""Request guards every response passes through: same-origin writes, security headers, signed notices.

A browser sends `Origin` on every cross-site form POST, so refusing a state-changing request whose
Origin (or, failing that, Referer) names another host stops a foreign page from approving a reply
in an operator's open inbox. Requests with neither header come from scripts, not browsers.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cache-control": "no-store",  # pages show what one logged-in person may see: no shared caches
}
# The pages use inline styles and data: images (insights plots); nothing is loaded from elsewhere.
CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"
FOREIGN_ORIGIN = "Запрос с чужого сайта отклонён: изменять данные можно только со страниц самого Otklik."


def same_origin(scope: Scope) -> bool:
    """True when the request's Origin/Referer is this host, or when it carries neither (not a browser)."""
    headers = Headers(scope=scope)
    host = headers.get("host")
    claimed = headers.get("origin") or headers.get("referer")
    if claimed is None:
        return True
    if claimed == "null" or host is None:
        return False
    return urlsplit(claimed).netloc.lower() == host.lower()


class SecurityMiddleware:
    """Refuses cross-origin writes with 403 and adds security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] in UNSAFE_METHODS and not same_origin(scope):
            refusal = JSONResponse({"error": FOREIGN_ORIGIN}, status_code=403, headers=_security_headers(scope))
            await refusal(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(_security_headers(scope))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _security_headers(_scope: Scope) -> dict[str, str]:
    return {**SECURITY_HEADERS, "content-security-policy": CSP}  # the API docs too: their scripts are ours


def sign_notice(key: bytes, text: str) -> str:
    """A short MAC so the inbox shows only notices this app wrote, never text put in a link."""
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def notice_is_ours(key: bytes, text: str, sig: str) -> bool:
    return hmac.compare_digest(sign_notice(key, text), sig)
