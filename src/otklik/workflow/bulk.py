"""Approve, in one action, the drafts nobody needs to read twice: thanks for plain praise.

A draft is a *safe positive* when the review is a positive 4–5★ review (not a question, no problem,
no sign of a fake), the draft is an ordinary reply that Otklik did not hold for a person, the item
is not flagged for attention, and the text passes the linter with no finding at all — re-checked
now, against the business's other replies, not taken from when it was drafted. Everything else
stays in the inbox for a person.

The web page first shows what would be approved; the confirmation names those reply ids, so a
draft that changed in between (regenerated, edited, rewritten by the customer) is not approved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from otklik.compose import ReplyMemory
from otklik.domain import ReplyStatus, ReplyType
from otklik.lint.rules import Linter, lint_reply
from otklik.profile import BusinessProfile
from otklik.store import repository as repo
from otklik.store.tables import AnalysisRow, ItemRow, ReplyRow

NOTE = "approved in bulk: safe positive (no lint finding)"


@dataclass(slots=True)
class SafeDraft:
    reply_id: int
    item_id: str
    source: str
    rating: int | None
    review: str
    reply: str


@dataclass(slots=True)
class BulkResult:
    approved: list[SafeDraft] = field(default_factory=list)
    skipped: int = 0  # asked for, but no longer a safe positive draft


def _candidates(s: Session) -> list[tuple[ItemRow, ReplyRow]]:
    """Drafts that look safe from the store alone; the linter has the last word."""
    q = (
        select(ItemRow, ReplyRow)
        .join(AnalysisRow, AnalysisRow.item_id == ItemRow.id)
        .join(ReplyRow, ReplyRow.item_id == ItemRow.id)
        .where(
            ReplyRow.status == ReplyStatus.DRAFT, ReplyRow.is_follow_up.is_(False), ReplyRow.needs_human.is_(False),
            ReplyRow.reply_type == str(ReplyType.REPLY), ReplyRow.text.is_not(None), ReplyRow.text != "",
            ItemRow.kind == "review", ItemRow.rating >= 4, ItemRow.attention.is_(None), ItemRow.rewritten.is_(False),
            AnalysisRow.sentiment == "positive", AnalysisRow.problem.is_(False), AnalysisRow.is_question.is_(False),
            AnalysisRow.suspected_fake.is_(False), AnalysisRow.content_hash == ItemRow.content_hash,
        )
        .options(selectinload(ItemRow.replies), selectinload(ItemRow.analysis))
        .order_by(ItemRow.id)
    )
    out = []
    for item, reply in s.execute(q):
        if repo.latest_reply(item) is reply:  # never an older draft beside a newer reply
            out.append((item, reply))
    return out


def _clean(s: Session, profile: BusinessProfile, linter: Linter | None,
           pairs: list[tuple[ItemRow, ReplyRow]]) -> list[tuple[ItemRow, ReplyRow]]:
    """The pairs whose text has no lint finding. Each is compared with every other reply of the
    business and with the candidates before it, so two identical drafts are never both approved."""
    mine = Counter(r.text for _i, r in pairs)  # each candidate's own text is left out once
    others = []
    for t in repo.reply_texts(s):
        if mine[t] > 0:
            mine[t] -= 1
        else:
            others.append(t)
    memory = ReplyMemory(others)
    platforms = repo.source_platforms(s)
    out = []
    for item, reply in pairs:
        assert item.analysis is not None and reply.text
        findings = lint_reply(reply.text, item=repo.row_to_item(item), analysis=repo.analysis_from_dict(item.analysis.payload),
                              profile=profile, platform=platforms.get(item.source, item.source), memory=memory,
                              linter=linter)
        memory.add(reply.text)
        if not findings:
            out.append((item, reply))
    return out


def _safe(item: ItemRow, reply: ReplyRow) -> SafeDraft:
    return SafeDraft(reply_id=reply.id, item_id=item.external_id, source=item.source, rating=item.rating,
                     review=item.text, reply=reply.text or "")


def safe_positives(engine: Engine, profile: BusinessProfile, *, linter: Linter | None = None) -> list[SafeDraft]:
    """What a bulk approval would approve now, in store order."""
    with Session(engine) as s:
        return [_safe(i, r) for i, r in _clean(s, profile, linter, _candidates(s))]


def approve_safe(
    engine: Engine,
    profile: BusinessProfile,
    *,
    actor: str,
    only: Collection[int] | None = None,
    linter: Linter | None = None,
) -> BulkResult:
    """Approve the safe positive drafts (only the reply ids in ``only``, when given: what the
    person confirmed). One transaction: all of them or, on an error, none."""
    result = BulkResult()
    with Session(engine) as s, s.begin():
        pairs = _candidates(s)
        if only is not None:
            wanted = set(only)
            pairs = [(i, r) for i, r in pairs if r.id in wanted]
        clean = _clean(s, profile, linter, pairs)
        for item, reply in clean:
            repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor=f"human:{actor}", note=NOTE)
            reply.lint = []
            result.approved.append(_safe(item, reply))
        result.skipped = (len(set(only)) if only is not None else len(pairs)) - len(clean)
    return result
