"""Telegram channel: Bot API ``sendMessage`` (``POST {base_url}/bot<token>/sendMessage``).

The Bot API answers ``{"ok": true, "result": {...}}``, or ``{"ok": false, "error_code", "description"}``;
a 429 carries ``parameters.retry_after`` seconds, waited out once when short enough. The token is in
the URL path, so it never appears in our messages (they name the env var instead) or in httpx's logs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx

from otklik.alerts.config import TelegramChannel
from otklik.alerts.message import Message
from otklik.alerts.redact import Redactor, hidden_in_logs
from otklik.errors import AlertError

MAX_TEXT = 4096  # Bot API limit of one message


class TelegramSender:
    max_chars: int | None = MAX_TEXT

    def __init__(self, channel: TelegramChannel, *, token: str | None, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.channel = channel
        self._token = token
        self._transport = transport
        self._sleep = sleep
        self._redact = Redactor([token])

    def send(self, message: Message) -> None:
        name, env = self.channel.name, self.channel.token_env
        if not self._token:
            raise AlertError(name, f"no bot token: set {env}")
        url = f"{self.channel.base_url.rstrip('/')}/bot{self._token}/sendMessage"
        body = {"chat_id": self.channel.chat_id, "text": message.text[:MAX_TEXT], "disable_web_page_preview": True}
        with hidden_in_logs(self._redact), httpx.Client(timeout=self.channel.timeout, transport=self._transport) as client:
            for attempt in (1, 2):
                status, data = self._post(client, url, body)
                if status == 200 and data.get("ok") is True:
                    return
                desc = self._redact(str(data.get("description") or ""))[:200]
                if status == 429:
                    wait = _retry_after(data)
                    if attempt == 1 and wait <= self.channel.max_retry_wait:
                        self._sleep(wait)
                        continue
                    raise AlertError(name, f"Telegram asks to wait {wait:g} s (429 Too Many Requests); will retry next run")
                if status == 401:
                    raise AlertError(name, f"Telegram rejected the bot token (401 Unauthorized): check {env}")
                raise AlertError(name, f"Telegram answered {status}" + (f": {desc}" if desc else ""))
        raise AlertError(name, "Telegram kept asking to wait")  # pragma: no cover - loop always returns or raises

    def _post(self, client: httpx.Client, url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            resp = client.post(url, json=body)
        except httpx.HTTPError as exc:
            raise AlertError(self.channel.name, f"Telegram Bot API unreachable ({type(exc).__name__}: {self._redact(exc)})") from None
        try:
            data = resp.json()
        except ValueError:
            data = {}
        return resp.status_code, data if isinstance(data, dict) else {}


def _retry_after(data: dict[str, Any]) -> float:
    params = data.get("parameters")
    try:
        return max(0.0, float(params.get("retry_after", 1))) if isinstance(params, dict) else 1.0
    except (TypeError, ValueError):
        return 1.0
