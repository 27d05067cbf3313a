"""One alert check: find what is late, then per channel claim, send one digest, and record the result.

A failed channel does not stop the others; its error is reported by the channel's name and kept
(redacted) in the ledger for the next run to retry. ``dry_run`` reads the ledger and sends nothing.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, Protocol

from sqlalchemy import Engine

from otklik.alerts import ledger
from otklik.alerts.config import AlertsConfig, EmailChannel, TelegramChannel, WebhookChannel
from otklik.alerts.message import Message, format_message
from otklik.alerts.overdue import Alert, find_overdue
from otklik.alerts.redact import Redactor, read_secret
from otklik.alerts.smtp import EmailSender
from otklik.alerts.telegram import TelegramSender
from otklik.alerts.webhook import WebhookSender
from otklik.errors import AlertError

if TYPE_CHECKING:
    from otklik.profile import BusinessProfile

log = logging.getLogger("otklik.alerts")

Status = Literal["sent", "failed", "would_send", "nothing"]


class Sender(Protocol):
    max_chars: int | None

    def send(self, message: Message) -> None: ...


@dataclass(slots=True)
class ChannelOutcome:
    channel: str
    type: str
    status: Status
    alerts: list[Alert] = field(default_factory=list)  # sent, failed or that would be sent
    already_sent: int = 0
    busy: int = 0  # being sent by another run right now
    error: str = ""


@dataclass(slots=True)
class CheckReport:
    alerts: list[Alert]
    outcomes: list[ChannelOutcome]
    dry_run: bool

    @property
    def errors(self) -> dict[str, str]:
        return {o.channel: o.error for o in self.outcomes if o.status == "failed"}


def _secrets(config: AlertsConfig, environ: Mapping[str, str]) -> list[str]:
    names = {getattr(ch, attr) for ch in config.channels for attr in ("secret_env", "password_env", "token_env") if hasattr(ch, attr)}
    return [v for n in names if (v := read_secret(environ, n))]


def build_sender(channel: WebhookChannel | EmailChannel | TelegramChannel, environ: Mapping[str, str]) -> Sender:
    if isinstance(channel, WebhookChannel):
        return WebhookSender(channel, secret=read_secret(environ, channel.secret_env))
    if isinstance(channel, EmailChannel):
        return EmailSender(channel, password=read_secret(environ, channel.password_env))
    return TelegramSender(channel, token=read_secret(environ, channel.token_env))


def check_alerts(
    engine: Engine,
    profile: BusinessProfile,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    environ: Mapping[str, str] | None = None,
    senders: Mapping[str, Sender] | None = None,
) -> CheckReport:
    """Send every new warning and breach to every channel once; ``senders`` replaces built ones by channel name."""
    cfg = profile.alerts
    environ = os.environ if environ is None else environ
    now = now or datetime.now(UTC)
    redact = Redactor(_secrets(cfg, environ))
    alerts = find_overdue(engine, target_hours=profile.reply_target_hours, warn_at=cfg.warn_at,
                          include_cases=cfg.include_cases, now=now)
    outcomes = []
    for ch in cfg.channels:
        outcome = ChannelOutcome(channel=ch.name, type=ch.type, status="nothing")
        outcomes.append(outcome)
        seen = ledger.states(engine, ch.name, [a.key for a in alerts])
        pending = []
        for a in alerts:
            state, claimed_at, _err = seen.get(a.key, ("", now, ""))
            if state == "sent":
                outcome.already_sent += 1
            elif state == "sending" and _utc(claimed_at) > now - ledger.LEASE:
                outcome.busy += 1
            else:
                pending.append(a)
        if not pending:
            continue
        if dry_run:
            outcome.status, outcome.alerts = "would_send", pending
            continue
        token = ledger.new_claim()
        mine = ledger.claim(engine, ch.name, pending, token=token, now=now)
        outcome.busy += len(pending) - len(mine)
        if not mine:
            continue
        outcome.alerts = mine
        try:
            sender = (senders or {}).get(ch.name) or build_sender(ch, environ)
            message = format_message(mine, business=profile.business.name, max_listed=cfg.max_listed,
                                     inbox_url=cfg.inbox_url, max_chars=sender.max_chars)
            sender.send(message)
        except AlertError as exc:
            outcome.status, outcome.error = "failed", redact(str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug in one channel must not silence the others
            outcome.status, outcome.error = "failed", redact(f"{ch.name}: {type(exc).__name__}: {exc}")
        else:
            outcome.status = "sent"
        ledger.finish(engine, ch.name, mine, token=token, now=datetime.now(UTC), error=outcome.error)
        if outcome.error:
            log.info("alert channel failed (reported to the caller): %s", outcome.error)
        else:
            log.info("alerts sent to %s: %d", ch.name, len(mine))
    return CheckReport(alerts=alerts, outcomes=outcomes, dry_run=dry_run)


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
