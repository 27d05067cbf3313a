"""The SLA alert ledger: one row per (alert key, channel), so an alert goes out once per channel.

A row is written as ``sending`` (with the run's claim token) and committed *before* the channel is
called, then marked ``sent`` or ``failed``. Several machines sharing the store never both send: a
row is claimed by one INSERT … ON CONFLICT DO NOTHING or one guarded UPDATE. Nothing secret is kept
here; ``error`` holds the redacted reason of the last failure (migration 0005).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otklik.store.tables import Base


class AlertDeliveryRow(Base):
    __tablename__ = "alert_deliveries"
    __table_args__ = (
        UniqueConstraint("key", "channel", name="uq_alert_deliveries_key_channel"),
        Index("ix_alert_deliveries_state", "state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(300))  # e.g. "reply:wildberries:123:breach"
    channel: Mapped[str] = mapped_column(String(64))  # the channel's name in the profile
    level: Mapped[str] = mapped_column(String(16))  # warning | breach
    kind: Mapped[str] = mapped_column(String(16))  # reply | case
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), nullable=True)
    age_hours: Mapped[float] = mapped_column(Float, default=0.0)  # how long it had waited when claimed
    state: Mapped[str] = mapped_column(String(16))  # sending | sent | failed
    claim: Mapped[str] = mapped_column(String(36))  # the run that owns a 'sending' row
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    claimed_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
