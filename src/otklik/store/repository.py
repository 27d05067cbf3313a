"""Reading and writing domain objects. Functions take a Session; the caller (workflow) commits."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from otklik.domain import (
    Analysis,
    AspectMention,
    Draft,
    FakeSignal,
    Item,
    ItemKind,
    ReplyStatus,
    Sentiment,
)
from otklik.errors import InputError
from otklik.notes import note
from otklik.store.tables import (
    AnalysisRow,
    AspectRow,
    ItemRow,
    ModeratorReportRow,
    ProductRow,
    ReplyEventRow,
    ReplyRow,
)


def now_utc() -> datetime:
    return datetime.now(UTC)


def content_hash(item: Item) -> str:
    """Hash of what the customer wrote: a changed hash means the item must be analysed again."""
    payload = json.dumps(
        [item.kind, item.text, item.rating, item.pros, item.cons, item.author, item.product, item.order_status],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class UpsertResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


def _as_utc(dt: datetime | None) -> datetime | None:
    """In UTC: SQLite keeps no offset, so a time stored as +03:00 would come back three hours off."""
    if dt is None:
        return None
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def _words(kind: str, text: str, rating: int | None, pros: str, cons: str) -> tuple[object, ...]:
    """What the customer wrote; a change here (not a product name filled in) is a rewritten review."""
    return (str(kind), text, rating, pros, cons)


def upsert_items(session: Session, items: Sequence[Item], *, business_id: int | None = None) -> UpsertResult:
    """Insert new items, update changed ones, leave identical ones alone (idempotent).

    New items go to ``business_id`` (None: the default business). An item already stored for another
    business is refused, not moved: (source, id) names one review, and it has one owner.

    An existing item whose words change is marked ``rewritten``, so the workflow re-checks a reply
    already approved or published for the old words. A seller's answer given outside Otklik is kept
    as a published reply, so the item gets no draft of its own.
    """
    result = UpsertResult()
    if not items:
        return result
    existing: dict[tuple[str, str], ItemRow] = {}
    by_source: dict[str, list[str]] = {}
    for it in items:
        by_source.setdefault(it.source, []).append(it.external_id)
    answered = any(it.seller_answer for it in items)
    for source, ids in by_source.items():
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            q = select(ItemRow).where(ItemRow.source == source, ItemRow.external_id.in_(chunk))
            if answered:
                q = q.options(selectinload(ItemRow.replies))
            for row in session.scalars(q):
                existing[(row.source, row.external_id)] = row
    stamp = now_utc()
    for it in items:
        h = content_hash(it)
        row = existing.get((it.source, it.external_id))
        if row is not None and business_id is not None and row.business_id != business_id:
            raise InputError(f"item '{it.external_id}' from {it.source} is already stored for another business "
                             f"(id {row.business_id}); give this business's rows their own source name",
                             field="id")
        if row is None:
            row = ItemRow(source=it.source, external_id=it.external_id, imported_at=stamp)
            if business_id is not None:
                row.business_id = business_id
            _fill(row, it, h)
            session.add(row)
            existing[(it.source, it.external_id)] = row
            result.added += 1
        elif row.content_hash != h or (it.product and not row.product):
            old = _words(row.kind, row.text, row.rating, row.pros, row.cons)
            _fill(row, it, h)
            if old != _words(row.kind, row.text, row.rating, row.pros, row.cons):
                row.rewritten = True
            result.updated += 1
        else:
            result.unchanged += 1
        if it.seller_answer:
            _keep_seller_answer(session, row, it.seller_answer, stamp)
    _remember_products(session, items)
    session.flush()
    return result


def _keep_seller_answer(session: Session, row: ItemRow, answer: str, stamp: datetime) -> None:
    """Store the seller's own answer as the published reply; drafts and approvals of ours give way."""
    answer = answer.strip()
    if any(r.status == ReplyStatus.PUBLISHED and not r.is_follow_up and (r.text or "").strip() == answer
           for r in row.replies):
        return
    for old in row.replies:
        if old.status in (ReplyStatus.DRAFT, ReplyStatus.APPROVED) and not old.is_follow_up:
            set_reply_status(session, old, ReplyStatus.REJECTED, actor="otklik", note=note("answered_elsewhere"))
    reply = ReplyRow(item=row, text=answer, reply_type="reply", status=ReplyStatus.PUBLISHED, written_by="seller",
                     is_follow_up=False, needs_human=False, lint=[], reasons=[note("already_answered")],
                     created_at=stamp, updated_at=stamp)
    session.add(reply)
    session.add(ReplyEventRow(reply=reply, at=stamp, status=ReplyStatus.PUBLISHED, actor="seller",
                              note=note("answered_elsewhere")))


def _remember_products(session: Session, items: Sequence[Item]) -> None:
    """Keep the product catalogue seen on each source: one query per source, not per item."""
    names: dict[tuple[str, str], str | None] = {}
    for it in items:
        if it.product_id:
            key = (it.source, it.product_id)
            names[key] = it.product or names.get(key)
    if not names:
        return
    by_source: dict[str, list[str]] = {}
    for source, pid in names:
        by_source.setdefault(source, []).append(pid)
    known: dict[tuple[str, str], ProductRow] = {}
    with session.no_autoflush:
        for source, pids in by_source.items():
            for start in range(0, len(pids), 500):
                q = select(ProductRow).where(ProductRow.source == source, ProductRow.external_id.in_(pids[start : start + 500]))
                known.update({(r.source, r.external_id): r for r in session.scalars(q)})
    for key, name in names.items():
        row = known.get(key)
        if row is None:
            session.add(ProductRow(source=key[0], external_id=key[1], name=name or ""))
        elif name and row.name != name:
            row.name = name


def _fill(row: ItemRow, it: Item, h: str) -> None:
    row.kind = str(it.kind)
    row.text = it.text
    row.rating = it.rating
    row.pros = it.pros
    row.cons = it.cons
    row.author = it.author
    row.product = it.product
    row.product_id = it.product_id
    row.created_at = _as_utc(it.created_at)
    row.photos = it.photos
    row.videos = it.videos
    row.order_status = it.order_status
    row.extra = dict(it.extra)
    row.content_hash = h


def row_to_item(row: ItemRow) -> Item:
    return Item(
        external_id=row.external_id,
        source=row.source,
        kind=ItemKind(row.kind),
        text=row.text,
        rating=row.rating,
        pros=row.pros,
        cons=row.cons,
        author=row.author,
        product=row.product,
        product_id=row.product_id,
        created_at=_as_utc(row.created_at),
        photos=row.photos,
        videos=row.videos,
        order_status=row.order_status,
        extra=dict(row.extra or {}),
    )


# -- analyses ---------------------------------------------------------------------------------
def analysis_to_dict(a: Analysis) -> dict[str, Any]:
    d = asdict(a)
    d["kind"] = str(a.kind)
    d["sentiment"] = str(a.sentiment)
    d["text_sentiment"] = str(a.text_sentiment) if a.text_sentiment else None
    d["aspects"] = [{"id": m.id, "sentiment": str(m.sentiment), "evidence": m.evidence} for m in a.aspects]
    return d


def analysis_from_dict(d: dict[str, Any]) -> Analysis:
    return Analysis(
        kind=ItemKind(d["kind"]),
        sentiment=Sentiment(d["sentiment"]),
        problem=bool(d.get("problem")),
        aspects=[AspectMention(m["id"], Sentiment(m["sentiment"]), m.get("evidence", "")) for m in d.get("aspects", [])],
        customer_name=d.get("customer_name"),
        customer_gender=d.get("customer_gender"),
        is_question=bool(d.get("is_question")),
        questions=list(d.get("questions", [])),
        question_topics=list(d.get("question_topics", [])),
        fake_signals=[FakeSignal(**s) for s in d.get("fake_signals", [])],
        priority=float(d.get("priority", 0.0)),
        text_sentiment=Sentiment(d["text_sentiment"]) if d.get("text_sentiment") else None,
        rating_disagrees=bool(d.get("rating_disagrees")),
        scores=dict(d.get("scores", {})),
        confidence=float(d.get("confidence", 1.0)),
        doubts=list(d.get("doubts", [])),
    )


def save_analysis(session: Session, item_row: ItemRow, analysis: Analysis) -> None:
    """Replace the item's analysis (and its aspect rows) with ``analysis``."""
    row = session.get(AnalysisRow, item_row.id)
    if row is None:
        row = AnalysisRow(item_id=item_row.id)
        session.add(row)
    row.sentiment = str(analysis.sentiment)
    row.problem = analysis.problem
    row.is_question = analysis.is_question
    row.suspected_fake = analysis.suspected_fake
    row.priority = analysis.priority
    row.payload = analysis_to_dict(analysis)
    row.content_hash = item_row.content_hash
    row.analyzed_at = now_utc()
    session.query(AspectRow).filter(AspectRow.item_id == item_row.id).delete()
    for m in analysis.aspects:
        session.add(AspectRow(item_id=item_row.id, aspect=m.id, sentiment=str(m.sentiment)))


# -- replies ----------------------------------------------------------------------------------
def save_draft(session: Session, item_row: ItemRow, draft: Draft, *, follow_up: bool = False) -> ReplyRow:
    """Store a new draft, superseding older unpublished drafts of the same item."""
    stamp = now_utc()
    for old in item_row.replies:
        if old.status == ReplyStatus.DRAFT and old.is_follow_up == follow_up:
            old.status = ReplyStatus.REJECTED
            old.updated_at = stamp
            session.add(ReplyEventRow(reply=old, at=stamp, status=ReplyStatus.REJECTED, actor="otklik", note="superseded by a new draft"))
    reply = ReplyRow(
        item=item_row,
        text=draft.text,
        reply_type=str(draft.reply_type),
        status=ReplyStatus.DRAFT,
        written_by=draft.written_by,
        is_follow_up=follow_up,
        needs_human=draft.needs_human,
        lint=[{"rule": f.rule, "message": f.message, "severity": f.severity} for f in draft.lint],
        reasons=list(draft.reasons),
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(reply)
    session.add(ReplyEventRow(reply=reply, at=stamp, status=ReplyStatus.DRAFT, actor=draft.written_by, note="drafted"))
    if draft.moderator_report is not None:
        rep = session.scalar(select(ModeratorReportRow).where(ModeratorReportRow.item_id == item_row.id))
        if rep is None:
            rep = ModeratorReportRow(item_id=item_row.id, created_at=stamp)
            session.add(rep)
        rep.reasons = [asdict(s) for s in draft.moderator_report.reasons]
        rep.text = draft.moderator_report.text
        rep.request_deletion = draft.moderator_report.request_deletion
    return reply


def set_reply_status(session: Session, reply: ReplyRow, status: ReplyStatus, *, actor: str, note: str = "") -> None:
    stamp = now_utc()
    reply.status = status
    reply.updated_at = stamp
    session.add(ReplyEventRow(reply=reply, at=stamp, status=status, actor=actor, note=note))


def reply_texts(session: Session, *, limit: int = 50_000) -> list[str]:
    """The business's latest reply texts (drafted, approved or published), for R-UNIQUE."""
    q = (
        select(ReplyRow.text)
        .where(ReplyRow.text.is_not(None), ReplyRow.status != ReplyStatus.REJECTED)
        .order_by(ReplyRow.id.desc())
        .limit(limit)
    )
    return [t for t in session.scalars(q) if t]


def items_needing_work(session: Session, *, limit: int | None = None) -> list[ItemRow]:
    """Items with no analysis, or an analysis of an older version of the text."""
    q = (
        select(ItemRow)
        .outerjoin(AnalysisRow, AnalysisRow.item_id == ItemRow.id)
        .where((AnalysisRow.item_id.is_(None)) | (AnalysisRow.content_hash != ItemRow.content_hash))
        .order_by(ItemRow.id)
        .options(selectinload(ItemRow.replies))
    )
    if limit:
        q = q.limit(limit)
    return list(session.scalars(q))


def recent_items(session: Session, *, limit: int = 5000) -> list[Item]:
    """Earlier items, for batch signals (duplicates, bursts) that span runs."""
    rows = session.scalars(select(ItemRow).order_by(ItemRow.id.desc()).limit(limit))
    return [row_to_item(r) for r in rows]


def all_items(session: Session) -> Iterable[ItemRow]:
    q = select(ItemRow).order_by(ItemRow.id).options(selectinload(ItemRow.replies), selectinload(ItemRow.analysis))
    yield from session.scalars(q)


def platform_of(session: Session, source: str) -> str:
    """The platform whose rules apply to a source (a source may be named 'ozon-main' on 'ozon')."""
    from otklik.store.tables import SourceRow

    platform = session.scalar(select(SourceRow.platform).where(SourceRow.name == source))
    return platform or source


def source_platforms(session: Session) -> dict[str, str]:
    """Every registered source name → its platform."""
    from otklik.store.tables import SourceRow

    return {name: platform for name, platform in session.execute(select(SourceRow.name, SourceRow.platform))}


def count_items(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ItemRow)) or 0)


def latest_reply(row: ItemRow, *, follow_up: bool = False) -> ReplyRow | None:
    live = [r for r in row.replies if r.status != ReplyStatus.REJECTED and r.is_follow_up == follow_up]
    return live[-1] if live else None
