"""Tables for marketplace sync and publishing: credentials, cursors and the publishing outbox.

They live on the lead's ``Base`` so one Alembic history covers the whole store (migration 0002).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from otklik.store.tables import Base


class SourceCredentialRow(Base):
    """How to reach one seller account. The key is Fernet ciphertext, never the clear value."""

    __tablename__ = "source_credentials"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # == ItemRow.source
    platform: Mapped[str] = mapped_column(String(32))  # ozon | wildberries | yandex_market
    base_url: Mapped[str] = mapped_column(String(500))
    account_id: Mapped[str] = mapped_column(String(64), default="")  # Ozon Client-Id / YM businessId
    api_key_encrypted: Mapped[str] = mapped_column(Text)
    poll_interval: Mapped[float] = mapped_column(Float, default=60.0)
    options: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. rate-limit overrides, token type
    business_id: Mapped[int] = mapped_column(Integer, server_default="1")  # whose account (businesses.id)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()


class SyncCursorRow(Base):
    """Where the last sync of one stream stopped; written in the same transaction as the items."""

    __tablename__ = "sync_cursors"
    __table_args__ = (UniqueConstraint("source", "stream", name="uq_sync_cursors_source_stream"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    stream: Mapped[str] = mapped_column(String(32))  # e.g. "feedbacks", "questions"
    cursor: Mapped[dict] = mapped_column(JSON, default=dict)
    items_seen: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column()


class OutboxRow(Base):
    """One reply to publish: pending → sending (attempt recorded first) → sent | blocked | failed.

    A row is committed as 'sending' *before* the marketplace call, so after a crash the publisher
    knows the call may have happened and reads the marketplace back before any retry.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state", "state"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), unique=True)
    source: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    text: Mapped[str] = mapped_column(Text)  # exactly what is (to be) sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    next_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)
    external_reply_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    moderation_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
