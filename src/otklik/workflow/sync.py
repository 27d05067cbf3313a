"""Bring new marketplace items into the store, incrementally and crash-safely, then draft replies.

Each page of items is written in one transaction together with the stream's cursor, so after a crash
the next run resumes exactly where the store is; pages re-read after a crash are harmless because
``upsert_items`` is idempotent by (source, external_id).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.domain.models import Item
from otklik.errors import ConnectorError
from otklik.profile import BusinessProfile
from otklik.sources.base import Connector
from otklik.store.repository import upsert_items
from otklik.store.sync_tables import SourceCredentialRow, SyncCursorRow
from otklik.store.tables import ProductRow

log = logging.getLogger("otklik.sync")


@dataclass(slots=True)
class StreamResult:
    source: str
    stream: str
    pages: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)
class SyncResult:
    streams: list[StreamResult] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # source → message (credentials never included)
    drafted: Any = None  # DraftRunResult of the pipeline run, if any

    @property
    def added(self) -> int:
        return sum(s.added for s in self.streams)

    @property
    def updated(self) -> int:
        return sum(s.updated for s in self.streams)


def load_cursor(engine: Engine, source: str, stream: str) -> dict[str, Any]:
    with Session(engine) as s:
        row = s.scalar(select(SyncCursorRow).where(SyncCursorRow.source == source, SyncCursorRow.stream == stream))
        return dict(row.cursor or {}) if row else {}


def _save_cursor(s: Session, source: str, stream: str, cursor: dict[str, Any], seen: int) -> None:
    row = s.scalar(select(SyncCursorRow).where(SyncCursorRow.source == source, SyncCursorRow.stream == stream))
    if row is None:
        row = SyncCursorRow(source=source, stream=stream, items_seen=0)
        s.add(row)
    row.cursor = dict(cursor)
    row.items_seen = (row.items_seen or 0) + seen
    row.updated_at = datetime.now(UTC)


class ProductNamer:
    """Product names for items the marketplace lists without one: store → marketplace → profile catalogue."""

    def __init__(self, engine: Engine, connector: Connector, profile: BusinessProfile | None) -> None:
        self.engine = engine
        self.connector = connector
        self.cache: dict[str, str] = {}
        self.asked: set[str] = set()
        self.catalogue: dict[str, str] = {}
        for p in profile.products if profile else []:
            for key in (p.id, *p.aliases):
                self.catalogue.setdefault(str(key), p.name)

    def fill(self, items: list[Item]) -> None:
        for it in items:
            if it.product and it.product_id:
                self.cache[it.product_id] = it.product
        missing = sorted({it.product_id for it in items if not it.product and it.product_id and it.product_id not in self.cache})
        if missing:
            with Session(self.engine) as s:
                q = select(ProductRow.external_id, ProductRow.name).where(
                    ProductRow.source == self.connector.name, ProductRow.external_id.in_(missing), ProductRow.name != ""
                )
                self.cache.update({pid: name for pid, name in s.execute(q)})
            ask = [m for m in missing if m not in self.cache and m not in self.asked]
            if ask:
                self.asked.update(ask)
                try:
                    self.cache.update(self.connector.product_names(ask))
                except ConnectorError as exc:
                    log.warning("%s: product names unavailable: %s", self.connector.name, exc)
        for it in items:
            if not it.product and it.product_id:
                it.product = self.cache.get(it.product_id) or self.catalogue.get(it.product_id)


def sync_source(
    engine: Engine,
    connector: Connector,
    *,
    profile: BusinessProfile | None = None,
    streams: tuple[str, ...] | None = None,
    progress: Callable[[StreamResult], None] | None = None,
) -> list[StreamResult]:
    """Read every stream of one source from its stored cursor; one transaction per page."""
    namer = ProductNamer(engine, connector, profile)
    with Session(engine) as s:  # the seller account's business owns what it brings in
        business_id = s.scalar(select(SourceCredentialRow.business_id).where(SourceCredentialRow.name == connector.name))
    results = []
    for stream in streams or connector.streams:
        res = StreamResult(source=connector.name, stream=stream)
        cursor = load_cursor(engine, connector.name, stream)
        for page in connector.list_new(stream, cursor):
            namer.fill(page.items)
            with Session(engine) as s, s.begin():
                up = upsert_items(s, page.items, business_id=business_id)
                _save_cursor(s, connector.name, stream, page.cursor, up.added)
            res.pages += 1
            res.added += up.added
            res.updated += up.updated
            res.unchanged += up.unchanged
            if progress:
                progress(res)
        results.append(res)
    return results


def sync(
    engine: Engine,
    connectors: list[Connector],
    profile: BusinessProfile,
    *,
    draft: bool = True,
    now: datetime | None = None,
    progress: Callable[[StreamResult], None] | None = None,
) -> SyncResult:
    """Sync each source (a failing source does not stop the others), then run the pipeline once."""
    result = SyncResult()
    for conn in connectors:
        try:
            result.streams += sync_source(engine, conn, profile=profile, progress=progress)
        except ConnectorError as exc:
            log.error("sync of %s failed: %s", conn.name, exc)
            result.errors[conn.name] = str(exc)
    if draft and (result.added or result.updated or not result.errors):
        from otklik.workflow.drafting import draft_pending

        result.drafted = draft_pending(engine, profile, now=now)
    return result
