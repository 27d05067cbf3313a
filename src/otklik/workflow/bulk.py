"""Approve, in one action, the drafts nobody needs to read twice: thanks for plain praise.

A draft is a *safe positive* when the review is a positive 4–5★ review (not a question, no problem,
no sign of a fake), the draft is an ordinary reply that Otklik did not hold for a person, the item
is not flagged for attention, and the text passes the linter with no finding at all — re-checked
now, against the business's other replies, not taken from when it was drafted. Everything else
stays in the inbox for a person.

The web page first shows what would be approved (from the store: drafts whose lint was empty);
the confirmation names those reply ids, so a draft that changed in between (regenerated, edited,
rewritten by the customer) is not approved, and each is linted again before it is. One action
approves at most BULK_LIMIT drafts, so a large backlog is a few clicks, never one huge transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Engine, Select, String, cast, func, select
from sqlalchemy.orm import Session, aliased

from otklik.compose import ReplyMemory
from otklik.domain import ReplyStatus, ReplyType
from otklik.lint.rules import Linter, lint_reply
from otklik.profile import BusinessProfile
from otklik.store import businesses
from otklik.store import repository as repo
from otklik.store.tables import AnalysisRow, ItemRow, ReplyRow

NOTE = "approved in bulk: safe positive (no lint finding)"
BULK_LIMIT = 500  # one action approves at most this many (one transaction); the rest wait for the next


@dataclass(slots=True)
class SafeDraft:
    reply_id: int
    item_id: str
    source: str
    rating: int | None
    review: str
    reply: str


@dataclass(slots=True)
class SafePreview:
    drafts: list[SafeDraft]  # the first BULK_LIMIT, in store order
    total: int  # all drafts that look safe now


@dataclass(slots=True)
class BulkResult:
    approved: list[SafeDraft] = field(default_factory=list)
    skipped: int = 0  # asked for, but no longer safe (changed, or the linter now finds something)


def _safe_query() -> Select[tuple[ItemRow, ReplyRow, AnalysisRow]]:
    """Drafts that look safe from the store alone (their lint at drafting time was empty); the
    linter, run again at approval, has the last word."""
    newer = aliased(ReplyRow)
    superseded = (select(newer.id).where(newer.item_id == ReplyRow.item_id, newer.id > ReplyRow.id,
                                         newer.is_follow_up.is_(False), newer.status != ReplyStatus.REJECTED).exists())
    return (
        select(ItemRow, ReplyRow, AnalysisRow)
        .join(AnalysisRow, AnalysisRow.item_id == ItemRow.id)
        .join(ReplyRow, ReplyRow.item_id == ItemRow.id)
        .where(
            ReplyRow.status == ReplyStatus.DRAFT, ReplyRow.is_follow_up.is_(False), ReplyRow.needs_human.is_(False),
            ReplyRow.reply_type == str(ReplyType.REPLY), ReplyRow.text.is_not(None), ReplyRow.text != "",
            cast(ReplyRow.lint, String) == "[]", ~superseded,
            ItemRow.kind == "review", ItemRow.rating >= 4, ItemRow.attention.is_(None), ItemRow.rewritten.is_(False),
            AnalysisRow.sentiment == "positive", AnalysisRow.problem.is_(False), AnalysisRow.is_question.is_(False),
            AnalysisRow.suspected_fake.is_(False), AnalysisRow.content_hash == ItemRow.content_hash,
        )
    )


def _candidates(s: Session, *, only: Collection[int] | None = None, limit: int | None = None,
                business_id: int | None = None) -> list[tuple[ItemRow, ReplyRow, AnalysisRow]]:
    limit = limit or BULK_LIMIT
    q = _safe_query()
    if business_id is not None:
        q = q.where(ItemRow.business_id == business_id)
    if only is not None:
        q = q.where(ReplyRow.id.in_(list(only)[:limit]))
    return [(i, r, a) for i, r, a in s.execute(q.order_by(ItemRow.id).limit(limit))]


def _clean(s: Session, profile: BusinessProfile, linter: Linter | None,
           pairs: list[tuple[ItemRow, ReplyRow, AnalysisRow]]) -> list[tuple[ItemRow, ReplyRow]]:
    """The pairs whose text has no lint finding. Each is compared with every other reply of the
    business and with the candidates before it, so two identical drafts are never both approved."""
    mine = Counter(r.text for _i, r, _a in pairs)  # each candidate's own text is left out once
    others = []
    for t in repo.reply_texts(s):
        if mine[t] > 0:
            mine[t] -= 1
        else:
            others.append(t)
    memory = ReplyMemory(others)
    platforms = repo.source_platforms(s)
    # each item's business profile; ``linter`` was built for ``profile``, so only where it is the same
    profiles: dict[int, tuple[BusinessProfile, Linter | None]] = {}
    out = []
    for item, reply, analysis in pairs:
        assert reply.text
        if item.business_id not in profiles:
            own = businesses.business_profile(s, item.business_id, profile)
            profiles[item.business_id] = (own, linter if own is profile or own == profile else None)
        own, own_linter = profiles[item.business_id]
        findings = lint_reply(reply.text, item=repo.row_to_item(item), analysis=repo.analysis_from_dict(analysis.payload),
                              profile=own, platform=platforms.get(item.source, item.source), memory=memory,
                              linter=own_linter)
        memory.add(reply.text)
        if not findings:
            out.append((item, reply))
    return out


def _safe(item: ItemRow, reply: ReplyRow) -> SafeDraft:
    return SafeDraft(reply_id=reply.id, item_id=item.external_id, source=item.source, rating=item.rating,
                     review=item.text, reply=reply.text or "")


def safe_positives(engine: Engine, *, limit: int | None = None, business_id: int | None = None) -> SafePreview:
    """What a bulk approval would approve now (at most ``limit``), and how many look safe in all
    (of one business, when given)."""
    q = _safe_query()
    if business_id is not None:
        q = q.where(ItemRow.business_id == business_id)
    with Session(engine) as s:
        total = int(s.scalar(select(func.count()).select_from(q.subquery())) or 0)
        return SafePreview([_safe(i, r) for i, r, _a in _candidates(s, limit=limit, business_id=business_id)], total)


def approve_safe(
    engine: Engine,
    profile: BusinessProfile,
    *,
    actor: str,
    only: Collection[int] | None = None,
    linter: Linter | None = None,
    business_id: int | None = None,
) -> BulkResult:
    """Approve the safe positive drafts (only the reply ids in ``only``, when given: what the
    person confirmed), each linted again now. One transaction: all of them or, on an error, none."""
    result = BulkResult()
    with Session(engine) as s, s.begin():
        pairs = _candidates(s, only=only, business_id=business_id)
        clean = _clean(s, profile, linter, pairs)
        for item, reply in clean:
            repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor=f"human:{actor}", note=NOTE)
            reply.lint = []
            result.approved.append(_safe(item, reply))
        result.skipped = (len(set(only)) if only is not None else len(pairs)) - len(clean)
    return result
