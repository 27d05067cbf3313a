"""SLA alerts: tell someone when a review waits longer than the business's reply target.

    find_overdue   items waiting for a person and open complaint cases, by the review's age
    format_message one Russian digest per channel and run (phrases in data/messages.yaml)
    senders        webhook (httpx, HMAC-signed), e-mail (smtplib), Telegram Bot API
    ledger         claim → send → mark in the store: at-least-once, no double send within a run
    check_alerts   all of the above, once (``otklik alerts check``, and each ``otklik watch`` cycle)

Configured in the profile's ``alerts:`` section (``AlertsConfig``); secrets only from the environment.
Heavy parts load on first use, so the profile can embed the config without importing httpx.
"""

from __future__ import annotations

from typing import Any

from otklik.alerts.config import AlertsConfig, EmailChannel, TelegramChannel, WebhookChannel

__all__ = [
    "Alert",
    "AlertsConfig",
    "ChannelOutcome",
    "CheckReport",
    "EmailChannel",
    "TelegramChannel",
    "WebhookChannel",
    "check_alerts",
    "find_overdue",
    "format_message",
]

_LAZY = {
    "Alert": "otklik.alerts.overdue",
    "find_overdue": "otklik.alerts.overdue",
    "format_message": "otklik.alerts.message",
    "check_alerts": "otklik.alerts.check",
    "ChannelOutcome": "otklik.alerts.check",
    "CheckReport": "otklik.alerts.check",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'otklik.alerts' has no attribute {name!r}")
