"""The inbox table follows items, analyses and replies, so listing it never re-derives anything.

Every ORM flush notes which items it touched (an item, its analysis or one of its replies); just
before the transaction commits, those items' inbox lines are computed again from the store in one
batch. No workflow step can forget it, and a rolled-back transaction leaves the inbox as it was.
``rebuild`` does the same for every item (migration 0006 and the benchmark use it).

An analysed item has one line for its reply; a case's follow-up, while it lives, has its own.
A line is *open* (shown by default) while its reply is not approved or published, or while the
item is flagged for attention; ``late_from`` holds the review's date while a reply is still owed,
so "overdue" is one index range (the same rule as ``otklik.alerts.overdue``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, event, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from otklik.store.tables import (
    AnalysisRow,
    AspectRow,
    InboxAspectRow,
    InboxCountRow,
    InboxEntryRow,
    ItemRow,
    ReplyRow,
)

DONE = ("approved", "published")
CHUNK = 500
REBUILD_CHUNK = 5000
_PENDING = "otklik_inbox_pending"

items_t = ItemRow.__table__
analyses_t = AnalysisRow.__table__
replies_t = ReplyRow.__table__
inbox_t = InboxEntryRow.__table__
counts_t = InboxCountRow.__table__
aspects_t = AspectRow.__table__
line_aspects_t = InboxAspectRow.__table__


def fold(text: str) -> str:
    """Lower-cased, ё as е: what search compares, computed here so SQLite and PG agree on Cyrillic."""
    return text.lower().replace("ё", "е")


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def _lines(item: Any, replies: Sequence[Any]) -> list[dict[str, Any]]:
    """The inbox lines of one analysed item; ``replies`` are its live (not rejected) ones by id."""
    written = _utc(item.created_at or item.imported_at)
    common = {
        "item_id": item.id, "priority": float(item.priority), "rank": -float(item.priority),
        "sentiment": item.sentiment, "source": item.source, "kind": item.kind, "rating": item.rating,
        "product_id": item.product_id, "product": item.product, "written_at": written,
        "business_id": item.business_id,
        "haystack": fold(" ".join(x for x in (item.text, item.pros, item.cons, item.author, item.product) if x)),
    }
    out = []
    main = [r for r in replies if not r.is_follow_up]
    follow = [r for r in replies if r.is_follow_up]
    reply = main[-1] if main else None
    status = reply.status if reply else "none"
    attention = bool(item.attention)
    out.append({**common, "follow_up": False, "reply_id": reply.id if reply else None, "status": status,
                "is_open": attention or status not in DONE, "attention": attention,
                "needs_human": bool(reply and reply.needs_human),
                "late_from": written if status not in DONE else None})
    if follow:
        f = follow[-1]
        out.append({**common, "follow_up": True, "reply_id": f.id, "status": f.status,
                    "is_open": f.status not in DONE, "attention": False, "needs_human": bool(f.needs_human),
                    "late_from": None})
    return out


_ITEM_COLS = (items_t.c.id, items_t.c.source, items_t.c.kind, items_t.c.rating, items_t.c.text, items_t.c.pros,
              items_t.c.cons, items_t.c.author, items_t.c.product, items_t.c.product_id, items_t.c.created_at,
              items_t.c.imported_at, items_t.c.attention, items_t.c.business_id, analyses_t.c.sentiment,
              analyses_t.c.priority)
_REPLY_COLS = (replies_t.c.id, replies_t.c.item_id, replies_t.c.status, replies_t.c.is_follow_up,
               replies_t.c.needs_human)


def _compute(conn: Connection, item_where: Any, reply_where: Any) -> list[dict[str, Any]]:
    by_item: dict[int, list[Any]] = {}
    q = select(*_REPLY_COLS).where(reply_where, replies_t.c.status != "rejected").order_by(replies_t.c.id)
    for r in conn.execute(q):
        by_item.setdefault(r.item_id, []).append(r)
    rows = conn.execute(select(*_ITEM_COLS).join(analyses_t, analyses_t.c.item_id == items_t.c.id).where(item_where))
    return [line for item in rows for line in _lines(item, by_item.get(item.id, ()))]


def count_keys(status: str, is_open: bool, attention: bool, owed: bool, business_id: int | None = None) -> list[str]:
    """The counters one line adds to: its status, all, and open / flagged / a reply owed when it is —
    once for the whole store and once more, prefixed ``b<id>:``, for its business."""
    keys = [f"status:{status}", "all", *(["open"] if is_open else []), *(["attention"] if attention else []),
            *(["owed"] if owed else [])]
    return keys + ([f"b{business_id}:{k}" for k in keys] if business_id is not None else [])


def _move_counts(conn: Connection, delta: Counter[str]) -> None:
    """Add ``delta`` to the counters, in key order (two writers never wait on each other in a circle)."""
    upsert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    for key in sorted(k for k, d in delta.items() if d):
        stmt = upsert(counts_t).values(key=key, n=delta[key])
        conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"n": counts_t.c.n + stmt.excluded.n}))


def aspect_rows(conn: Connection, lines: Sequence[dict[str, Any]], aspect_where: Any) -> list[dict[str, Any]]:
    """Each line's aspects with its state and sort key (``aspect_where`` picks the items' aspects)."""
    by_item: dict[int, set[str]] = {}
    for item_id, aspect in conn.execute(select(aspects_t.c.item_id, aspects_t.c.aspect).where(aspect_where)):
        by_item.setdefault(item_id, set()).add(aspect)
    return [{"aspect": a, "item_id": ln["item_id"], "follow_up": ln["follow_up"], "is_open": ln["is_open"],
             "late_from": ln["late_from"], "rank": ln["rank"]}
            for ln in lines for a in sorted(by_item.get(ln["item_id"], ()))]


def refresh(conn: Connection, item_ids: Iterable[int]) -> None:
    """Compute the inbox lines of these items again, and move the counters by the difference."""
    ids = sorted(set(item_ids))
    delta: Counter[str] = Counter()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        if conn.dialect.name == "postgresql":  # two writers of one item take turns, so the later sees the earlier
            conn.execute(select(items_t.c.id).where(items_t.c.id.in_(chunk)).order_by(items_t.c.id).with_for_update())
        lines = _compute(conn, items_t.c.id.in_(chunk), replies_t.c.item_id.in_(chunk))
        gone = conn.execute(delete(inbox_t).where(inbox_t.c.item_id.in_(chunk))
                            .returning(inbox_t.c.status, inbox_t.c.is_open, inbox_t.c.attention, inbox_t.c.late_from,
                                       inbox_t.c.business_id))
        for old in gone:
            delta.subtract(count_keys(old.status, old.is_open, old.attention, old.late_from is not None,
                                      old.business_id))
        conn.execute(delete(line_aspects_t).where(line_aspects_t.c.item_id.in_(chunk)))
        if lines:
            conn.execute(insert(inbox_t), lines)
            tagged = aspect_rows(conn, lines, aspects_t.c.item_id.in_(chunk))
            if tagged:
                conn.execute(insert(line_aspects_t), tagged)
            for line in lines:
                delta.update(count_keys(line["status"], line["is_open"], line["attention"],
                                        line["late_from"] is not None, line["business_id"]))
    _move_counts(conn, delta)


def recount(conn: Connection) -> None:
    """Set every counter from the lines themselves (after a rebuild or a bulk load)."""
    conn.execute(delete(counts_t))
    delta: Counter[str] = Counter()
    owed = inbox_t.c.late_from.is_not(None)
    b = inbox_t.c.business_id
    q = select(inbox_t.c.status, inbox_t.c.is_open, inbox_t.c.attention, owed, b, func.count()).group_by(
        inbox_t.c.status, inbox_t.c.is_open, inbox_t.c.attention, owed, b)
    for status, is_open, attention, is_owed, business_id, n in conn.execute(q):
        for key in count_keys(status, bool(is_open), bool(attention), bool(is_owed), business_id):
            delta[key] += n
    for key in ("all", "open", "attention", "owed", *(f"status:{s}" for s in ("none", "draft", "approved", "published"))):
        delta.setdefault(key, 0)
    conn.execute(insert(counts_t), [{"key": k, "n": n} for k, n in sorted(delta.items())])


def rebuild(conn: Connection) -> int:
    """Fill the inbox from scratch in id ranges, one batched insert each; returns the lines written."""
    conn.execute(delete(inbox_t))
    conn.execute(delete(line_aspects_t))
    top = conn.scalar(select(func.max(items_t.c.id))) or 0
    written = 0
    for low in range(0, top + 1, REBUILD_CHUNK):
        high = low + REBUILD_CHUNK
        lines = _compute(conn, and_(items_t.c.id >= low, items_t.c.id < high),
                         and_(replies_t.c.item_id >= low, replies_t.c.item_id < high))
        if lines:
            conn.execute(insert(inbox_t), lines)
            tagged = aspect_rows(conn, lines, and_(aspects_t.c.item_id >= low, aspects_t.c.item_id < high))
            if tagged:
                conn.execute(insert(line_aspects_t), tagged)
            written += len(lines)
    recount(conn)
    return written


# -- keeping step with the ORM ----------------------------------------------------------------
def _touched(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, ItemRow):
            ids.add(obj.id)
        elif isinstance(obj, AnalysisRow | ReplyRow):
            ids.add(obj.item_id)
    ids.discard(None)  # type: ignore[arg-type]
    return ids


@event.listens_for(Session, "after_flush")
def _note_touched(session: Session, _ctx: object) -> None:
    ids = _touched(session)
    if ids:
        session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "before_commit")
def _refresh_touched(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    ids = session.info.pop(_PENDING, None)
    if ids:
        refresh(session.connection(), ids)


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    session.info.pop(_PENDING, None)
