"""Tables for several businesses in one store: the businesses with their profiles, and which users
may work for which (migration 0007).

Items, sources and seller accounts carry ``business_id``; a store made before 0007 has one business,
``default`` (id 1), that owns everything. Businesses are never deleted, so the id stays valid.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from otklik.store.tables import Base


class BusinessRow(Base):
    """One business (a brand, a shop, a restaurant) with its own validated profile.

    ``profile_yaml`` is the YAML as the owner wrote it, checked by ``parse_profile`` before it is
    stored; NULL means "the profile given at start-up" (``--profile`` / ``OTKLIK_PROFILE``), which is
    how a single-business store keeps working as before. ``version`` counts saved profiles."""

    __tablename__ = "businesses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")  # empty: the profile's business.name
    profile_yaml: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_by: Mapped[str | None] = mapped_column(String(100), nullable=True)


class BusinessMemberRow(Base):
    """A user limited to some businesses: one row per business they may see. A user without rows
    sees every business (as every user did before 0007)."""

    __tablename__ = "business_members"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), primary_key=True)
