"""Webhook channel: the alerts as JSON, POSTed with httpx, signed with HMAC-SHA256 when a secret is set.

The receiver checks ``X-Otklik-Signature: sha256=<hex>``, the HMAC of the raw body under the
shared secret (``OTKLIK_ALERT_WEBHOOK_SECRET``); the body carries ``sent_at`` against replays.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

import httpx

from otklik.alerts.config import WebhookChannel
from otklik.alerts.message import Message
from otklik.alerts.redact import Redactor, hidden_in_logs
from otklik.errors import AlertError

SIGNATURE_HEADER = "X-Otklik-Signature"


def payload(message: Message, *, now: datetime | None = None) -> dict[str, Any]:
    return {
        "event": "otklik.sla_alert",
        "business": message.business,
        "sent_at": (now or datetime.now(UTC)).isoformat(),
        "subject": message.subject,
        "text": message.text,
        "alerts": [
            {"key": a.key, "level": a.level, "kind": a.kind, "item_id": a.item_id, "source": a.source,
             "item_kind": a.item_kind, "product": a.product, "waiting_since": a.waiting_since.isoformat(),
             "age_hours": a.age_hours, "target_hours": a.target_hours, "late_hours": round(a.late_hours, 2)}
            for a in message.alerts
        ],
    }


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookSender:
    max_chars: int | None = None

    def __init__(self, channel: WebhookChannel, *, secret: str | None, transport: httpx.BaseTransport | None = None) -> None:
        self.channel = channel
        self._secret = secret
        self._transport = transport
        self._redact = Redactor([secret])

    def send(self, message: Message) -> None:
        body = json.dumps(payload(message), ensure_ascii=False).encode("utf-8")
        headers = {**self.channel.headers, "Content-Type": "application/json; charset=utf-8",
                   "User-Agent": "otklik-alerts"}
        if self._secret:
            headers[SIGNATURE_HEADER] = sign(self._secret, body)
        try:
            with hidden_in_logs(self._redact), httpx.Client(timeout=self.channel.timeout, transport=self._transport) as client:
                resp = client.post(self.channel.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise AlertError(self.channel.name, f"webhook unreachable ({type(exc).__name__}: {self._redact(exc)})") from None
        if not 200 <= resp.status_code < 300:
            raise AlertError(self.channel.name, f"webhook answered HTTP {resp.status_code}")
