"""Tables of the store. Columns that are JSON hold plain dicts/lists from the domain objects."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True)}


class SourceRow(Base):
    """A place items come from: a marketplace account or files."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    platform: Mapped[str] = mapped_column(String(32), default="default")
    title: Mapped[str] = mapped_column(String(200), default="")
    business_id: Mapped[int] = mapped_column(Integer, server_default="1")  # businesses.id (1: the default one)


class ProductRow(Base):
    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("source", "external_id", name="uq_products_source_ext"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(500), default="")


class ItemRow(Base):
    """A review or question. (source, external_id) is unique: importing twice adds nothing."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_items_source_ext"),
        Index("ix_items_product", "source", "product_id"),
        Index("ix_items_created", "created_at"),
        Index("ix_items_business", "business_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pros: Mapped[str] = mapped_column(Text, default="")
    cons: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(200), nullable=True)
    product: Mapped[str | None] = mapped_column(String(500), nullable=True)
    product_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[datetime | None] = mapped_column(nullable=True)
    photos: Mapped[int] = mapped_column(Integer, default=0)
    videos: Mapped[int] = mapped_column(Integer, default=0)
    order_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column()
    # the customer changed the words (text, stars, pros, cons) since the item was last processed
    rewritten: Mapped[bool] = mapped_column(Boolean, default=False)
    attention: Mapped[str | None] = mapped_column(Text, nullable=True)  # why a person must look (inbox)
    # whose review: businesses.id; 1 is the default business every store has (migration 0007)
    business_id: Mapped[int] = mapped_column(Integer, server_default="1")

    analysis: Mapped[AnalysisRow | None] = relationship(back_populates="item", uselist=False)
    replies: Mapped[list[ReplyRow]] = relationship(back_populates="item", order_by="ReplyRow.id")


class AnalysisRow(Base):
    """The latest analysis of an item; the whole Analysis is kept as JSON for audit."""

    __tablename__ = "analyses"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    sentiment: Mapped[str] = mapped_column(String(16))
    problem: Mapped[bool] = mapped_column(Boolean, default=False)
    is_question: Mapped[bool] = mapped_column(Boolean, default=False)
    suspected_fake: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    payload: Mapped[dict] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))  # of the item text it was made from
    analyzed_at: Mapped[datetime] = mapped_column()

    item: Mapped[ItemRow] = relationship(back_populates="analysis")


class AspectRow(Base):
    """One aspect mention per row, so insights can group complaints by cause, product and time."""

    __tablename__ = "aspects"
    __table_args__ = (Index("ix_aspects_aspect", "aspect"), Index("ix_aspects_aspect_item", "aspect", "item_id"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    aspect: Mapped[str] = mapped_column(String(64))
    sentiment: Mapped[str] = mapped_column(String(16))


class ReplyRow(Base):
    """A reply through its life: draft → approved → published / rejected."""

    __tablename__ = "replies"
    __table_args__ = (Index("ix_replies_item", "item_id"), Index("ix_replies_status", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    reply_type: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    written_by: Mapped[str] = mapped_column(String(100), default="otklik")
    is_follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_human: Mapped[bool] = mapped_column(Boolean, default=False)
    lint: Mapped[list] = mapped_column(JSON, default=list)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    external_reply_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    moderation_state: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    item: Mapped[ItemRow] = relationship(back_populates="replies")
    events: Mapped[list[ReplyEventRow]] = relationship(back_populates="reply", order_by="ReplyEventRow.id")


class InboxEntryRow(Base):
    """One line of the team inbox: an analysed item (or its case's follow-up) with what the inbox
    filters and sorts on copied beside it, so a page of a million items is an index range, not a
    join and a scan. Kept in step with items, analyses and replies by ``otklik.store.inbox``."""

    __tablename__ = "inbox_entries"
    __table_args__ = (
        UniqueConstraint("item_id", "follow_up", name="uq_inbox_item_follow_up"),
        # each ends with the sort key, so a filtered page is read from the index in order
        Index("ix_inbox_open_order", "is_open", "rank", "item_id", "follow_up"),
        Index("ix_inbox_order", "rank", "item_id", "follow_up"),
        Index("ix_inbox_status_order", "status", "rank", "item_id", "follow_up"),
        Index("ix_inbox_open_sentiment", "is_open", "sentiment", "rating", "rank", "item_id", "follow_up"),
        Index("ix_inbox_open_source", "is_open", "source", "rank", "item_id", "follow_up"),
        Index("ix_inbox_late", "late_from"),
        Index("ix_inbox_attention", "attention"),
        Index("ix_inbox_product", "product_id"),
        Index("ix_inbox_written", "written_at"),
        Index("ix_inbox_business_open", "business_id", "is_open", "rank", "item_id", "follow_up"),
        Index("ix_inbox_business_late", "business_id", "late_from"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("replies.id", ondelete="SET NULL"), nullable=True)
    status: Mapped[str] = mapped_column(String(16))  # of the latest live reply, or "none"
    is_open: Mapped[bool] = mapped_column(Boolean)  # waits for a person (the default inbox view)
    attention: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_human: Mapped[bool] = mapped_column(Boolean, default=False)
    late_from: Mapped[datetime | None] = mapped_column(nullable=True)  # set while a reply is still owed
    written_at: Mapped[datetime | None] = mapped_column(nullable=True)
    priority: Mapped[float] = mapped_column(Float)
    rank: Mapped[float] = mapped_column(Float)  # -priority: an ascending index walks most urgent first
    sentiment: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    product_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    product: Mapped[str | None] = mapped_column(String(500), nullable=True)
    haystack: Mapped[str] = mapped_column(Text, default="")  # lower-cased text, author and product, for search
    business_id: Mapped[int] = mapped_column(Integer, server_default="1")  # the item's, copied


class InboxAspectRow(Base):
    """An aspect of an inbox line with the line's sort key and state beside it, so "complaints about
    size, overdue" is one index range instead of a probe per line into ``aspects``."""

    __tablename__ = "inbox_aspects"
    __table_args__ = (
        Index("ix_inbox_aspects_open", "aspect", "is_open", "rank", "item_id", "follow_up"),
        Index("ix_inbox_aspects_late", "aspect", "late_from", "item_id", "follow_up"),
        Index("ix_inbox_aspects_item", "item_id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aspect: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    follow_up: Mapped[bool] = mapped_column(Boolean)
    is_open: Mapped[bool] = mapped_column(Boolean)
    late_from: Mapped[datetime | None] = mapped_column(nullable=True)
    rank: Mapped[float] = mapped_column(Float)


class InboxCountRow(Base):
    """How many inbox lines per status (and open, flagged, all), moved by every refresh, so the
    counters above the inbox are a few primary-key reads rather than a count over a million lines."""

    __tablename__ = "inbox_counts"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class ReplyEventRow(Base):
    __tablename__ = "reply_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("replies.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")

    reply: Mapped[ReplyRow] = relationship(back_populates="events")


class CaseRow(Base):
    """A complaint from opening to the public follow-up (N-RESULT)."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    cause: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime] = mapped_column()
    resolved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    prevention: Mapped[str] = mapped_column(Text, default="")


class ModeratorReportRow(Base):
    """A report to the platform's moderator with evidence (F-REPORT)."""

    __tablename__ = "moderator_reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    text: Mapped[str] = mapped_column(Text)
    request_deletion: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="prepared")
    created_at: Mapped[datetime] = mapped_column()


class UserRow(Base):
    """A person who may use the web inbox or the API. Only an argon2 hash of the password is kept."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # owner | responder | viewer
    created_at: Mapped[datetime] = mapped_column()


class ApiTokenRow(Base):
    """A bearer token for scripts. Only its SHA-256 is kept; revoked tokens stay for the record."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WebSessionRow(Base):
    """A browser login, kept in the store so any machine serving the inbox knows it.

    The primary key is the SHA-256 of the cookie value: a copy of the table opens no session.
    """

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column(index=True)


class LoginFailureRow(Base):
    """One failed login, for rate limiting by login and by client address across machines."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_login_at", "login", "at"), Index("ix_login_failures_ip_at", "client_ip", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    login: Mapped[str] = mapped_column(String(64))
    client_ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column()
