"""The alert ledger in the store: claim before sending, mark after — at-least-once, never twice at once.

Delivery choice: **at-least-once** per (alert key, channel). A row is committed as ``sending``
under this run's claim token before the channel is called; success marks it ``sent``, a failure
``failed`` (retried on the next run). A run that dies mid-send leaves ``sending``: after the lease
(15 minutes, longer than any channel timeout) another run claims it and sends again — a late alert
may arrive twice after a crash, but is never lost. Claims are single statements (INSERT … ON
CONFLICT DO NOTHING, guarded UPDATE), so two machines on one PostgreSQL never both own a row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from otklik.alerts.overdue import Alert
from otklik.store.alert_tables import AlertDeliveryRow as Row

LEASE = timedelta(minutes=15)
CHUNK = 500


def new_claim() -> str:
    return str(uuid.uuid4())


def _chunks(keys: Sequence[str]) -> Iterable[list[str]]:
    for i in range(0, len(keys), CHUNK):
        yield list(keys[i : i + CHUNK])


def states(engine: Engine, channel: str, keys: Sequence[str]) -> dict[str, tuple[str, datetime, str]]:
    """key → (state, claimed_at, error) for the keys already in the ledger of ``channel``."""
    out: dict[str, tuple[str, datetime, str]] = {}
    with Session(engine) as s:
        for part in _chunks(keys):
            q = select(Row.key, Row.state, Row.claimed_at, Row.error).where(Row.channel == channel, Row.key.in_(part))
            out.update({k: (st, at, err) for k, st, at, err in s.execute(q)})
    return out


def claim(engine: Engine, channel: str, alerts: Sequence[Alert], *, token: str, now: datetime,
          lease: timedelta = LEASE) -> list[Alert]:
    """Take the alerts this run may send on ``channel``: new ones, failed ones, and abandoned sends."""
    if not alerts:
        return []
    keys = [a.key for a in alerts]
    stale = now - lease
    with Session(engine) as s, s.begin():
        known = {k for part in _chunks(keys) for k in s.scalars(select(Row.key).where(Row.channel == channel, Row.key.in_(part)))}
        fresh = [dict(key=a.key, channel=channel, level=a.level, kind=a.kind, item_id=a.item_pk, age_hours=a.age_hours,
                      state="sending", claim=token, attempts=1, error="", claimed_at=now) for a in alerts if a.key not in known]
        if fresh:
            dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
            s.execute(dialect.insert(Row).on_conflict_do_nothing(index_elements=["key", "channel"]), fresh)
        for part in _chunks(sorted(known)):
            s.execute(
                update(Row)
                .where(Row.channel == channel, Row.key.in_(part),
                       or_(Row.state == "failed", and_(Row.state == "sending", Row.claimed_at < stale)))
                .values(state="sending", claim=token, claimed_at=now, attempts=Row.attempts + 1)
            )
    with Session(engine) as s:
        owned = {k for part in _chunks(keys)
                 for k in s.scalars(select(Row.key).where(Row.channel == channel, Row.claim == token,
                                                          Row.state == "sending", Row.key.in_(part)))}
    return [a for a in alerts if a.key in owned]


def finish(engine: Engine, channel: str, alerts: Sequence[Alert], *, token: str, now: datetime, error: str = "") -> None:
    """Mark this run's claimed rows ``sent`` (no error) or ``failed`` with the (redacted) reason."""
    values = {"state": "failed", "error": error[:2000]} if error else {"state": "sent", "error": "", "sent_at": now}
    with Session(engine) as s, s.begin():
        for part in _chunks([a.key for a in alerts]):
            s.execute(update(Row).where(Row.channel == channel, Row.claim == token, Row.state == "sending",
                                        Row.key.in_(part)).values(**values))
