"""A person reviews drafts: the inbox by priority, approve (optionally with own text), reject.

A person's text goes through the same linter as Otklik's drafts; errors block approval unless
the person explicitly overrides them (the override is recorded in the reply's history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from otklik.compose import ReplyMemory
from otklik.domain import LintFinding, ReplyStatus
from otklik.errors import WorkflowError
from otklik.lint import lint_reply
from otklik.notes import note as workflow_note
from otklik.profile import BusinessProfile
from otklik.store import businesses, inbox_query
from otklik.store import repository as repo
from otklik.store.inbox_query import InboxFilter
from otklik.store.tables import ItemRow, ReplyEventRow, ReplyRow


@dataclass(slots=True)
class InboxEntry:
    item_id: str
    source: str
    kind: str
    rating: int | None
    text: str
    sentiment: str
    priority: float
    reply: str | None
    reply_type: str
    status: str
    needs_human: bool
    follow_up: bool = False  # the public follow-up of a resolved case (N-RESULT), approved like any reply
    reasons: list[str] = field(default_factory=list)  # why the draft needs a person
    attention: str | None = None  # why a person must look again (e.g. the review was rewritten)


@dataclass(slots=True)
class InboxPage:
    """One page of the inbox: what matched the filter, how many in all, and the counters per status."""

    entries: list[InboxEntry]
    total: int
    page: int
    per_page: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _entry(row: Any) -> InboxEntry:
    line = row[0]
    return InboxEntry(
        item_id=row.external_id, source=line.source, kind=line.kind, rating=line.rating, text=row.text,
        sentiment=line.sentiment, priority=line.priority, reply=row.reply_text,
        reply_type=row.reply_type or "-", status=line.status, needs_human=line.needs_human,
        follow_up=line.follow_up, reasons=list(row.reasons or []) if line.reply_id else [],
        attention=row.attention_note if line.attention else None,
    )


def inbox_page(
    engine: Engine,
    flt: InboxFilter | None = None,
    *,
    page: int = 1,
    per_page: int = 50,
    target_hours: float = 24,
    now: datetime | None = None,
    with_counts: bool = False,
) -> InboxPage:
    """A page of the inbox, most urgent first; ``target_hours`` (the profile's reply target) says
    what is overdue. Counters per status come with ``with_counts`` (the web page shows them)."""
    flt = flt or InboxFilter()
    now = now or repo.now_utc()
    with Session(engine) as s:
        rows, total = inbox_query.page(s, flt, page=page, per_page=per_page, now=now, target_hours=target_hours)
        counts = inbox_query.status_counts(s, now=now, target_hours=target_hours,
                                           business_id=flt.business_id) if with_counts else {}
    return InboxPage([_entry(r) for r in rows], total, page, per_page, counts)


def inbox(engine: Engine, *, limit: int = 50, include_done: bool = False) -> list[InboxEntry]:
    """Items waiting for a person, most urgent first (questions and complaints lead).

    An item flagged for attention shows even when its reply is published; a follow-up draft of a
    resolved case is an entry of its own."""
    flt = InboxFilter(status="all" if include_done else "open")
    return inbox_page(engine, flt, per_page=min(max(limit, 1), inbox_query.MAX_PER_PAGE)).entries


def find_item(s: Session, item_id: str, source: str | None, *, business_id: int | None = None) -> ItemRow:
    """The item with this id on its source (of one business, when given: another business's item is
    "not found" there); a WorkflowError a person can act on otherwise."""
    q = select(ItemRow).where(ItemRow.external_id == item_id).options(selectinload(ItemRow.replies))
    if source:
        q = q.where(ItemRow.source == source)
    if business_id is not None:
        q = q.where(ItemRow.business_id == business_id)
    rows = list(s.scalars(q))
    if not rows:
        raise WorkflowError(f"no item with id '{item_id}'" + (f" from {source}" if source else ""),
                            ru=workflow_note("no_item", id=item_id, where=f" в источнике {source}" if source else ""))
    if len(rows) > 1:
        raise WorkflowError(f"id '{item_id}' exists in several sources; pass --source",
                            ru=workflow_note("ambiguous_item", id=item_id))
    return rows[0]


def approve(
    engine: Engine,
    profile: BusinessProfile,
    item_id: str,
    *,
    actor: str,
    text: str | None = None,
    source: str | None = None,
    force: bool = False,
    follow_up: bool | None = None,
    business_id: int | None = None,
) -> list[LintFinding]:
    """Approve the item's draft, or a person's own text. Returns the lint findings of what was approved.

    Which reply: ``follow_up`` True/False chooses; by default the item's reply while it is a draft,
    else the follow-up draft of its resolved case (so `otklik approve ID` works on either).
    The text is linted with the item's business profile (``profile`` when it stores none)."""
    with Session(engine) as s, s.begin():
        row = find_item(s, item_id, source, business_id=business_id)
        profile = businesses.business_profile(s, row.business_id, profile)
        if follow_up is None:
            main, follow = repo.latest_reply(row), repo.latest_reply(row, follow_up=True)
            follow_up = follow is not None and follow.status == ReplyStatus.DRAFT and (
                main is None or main.status != ReplyStatus.DRAFT)
        reply = repo.latest_reply(row, follow_up=follow_up)
        if reply is not None and reply.status == ReplyStatus.PUBLISHED:
            raise WorkflowError(f"item '{item_id}' already has a published reply", ru=workflow_note("already_published", id=item_id))
        final_text = text if text is not None else (reply.text if reply else None)
        if not final_text:
            raise WorkflowError(f"item '{item_id}' has no reply text to approve; pass --text",
                                ru=workflow_note("nothing_to_approve", id=item_id))
        if row.analysis is None:
            raise WorkflowError(f"item '{item_id}' is not analysed yet; run `otklik process` first",
                                ru=workflow_note("not_analysed", id=item_id))
        analysis = repo.analysis_from_dict(row.analysis.payload)
        others = [t for t in repo.reply_texts(s) if not reply or t != reply.text]
        findings = lint_reply(final_text, item=repo.row_to_item(row), analysis=analysis, profile=profile,
                              platform=repo.platform_of(s, row.source), memory=ReplyMemory(others),
                              follow_up=bool(reply and reply.is_follow_up))
        errors = [f for f in findings if f.severity == "error"]
        if errors and not force:
            listed = "; ".join(f"{f.rule}: {f.message}" for f in errors)
            raise WorkflowError(f"the reply breaks the rules ({listed}); fix it or approve with --force",
                                ru=workflow_note("breaks_rules", listed=listed))
        if text is not None and (reply is None or text != reply.text):
            from otklik.domain import Draft, ReplyType

            reply = repo.save_draft(s, row, Draft(text=text, reply_type=ReplyType(reply.reply_type) if reply else ReplyType.REPLY,
                                                  lint=findings, written_by=f"human:{actor}"), follow_up=follow_up)
            s.flush()
        assert reply is not None
        note = "approved" + (" over lint errors: " + ", ".join(f.rule for f in errors) if errors else "")
        repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor=f"human:{actor}", note=note)
        reply.lint = [{"rule": f.rule, "message": f.message, "severity": f.severity} for f in findings]
        if not follow_up:
            row.attention = None
        return findings


def reject(engine: Engine, item_id: str, *, actor: str, note: str = "", source: str | None = None,
           business_id: int | None = None) -> None:
    """Reject the item's draft or approved reply (or, when that is settled, its follow-up draft).
    A rejected item can be drafted again: `otklik redraft ID`."""
    with Session(engine) as s, s.begin():
        row = find_item(s, item_id, source, business_id=business_id)
        reply = repo.latest_reply(row)
        if reply is None or reply.status not in (ReplyStatus.DRAFT, ReplyStatus.APPROVED):
            follow = repo.latest_reply(row, follow_up=True)
            reply = follow if follow is not None and follow.status == ReplyStatus.DRAFT else reply
        if reply is None or reply.status not in (ReplyStatus.DRAFT, ReplyStatus.APPROVED):
            raise WorkflowError(f"item '{item_id}' has no draft or approved reply to reject")
        repo.set_reply_status(s, reply, ReplyStatus.REJECTED, actor=f"human:{actor}", note=note)


def dismiss(engine: Engine, item_id: str, *, actor: str, source: str | None = None) -> str:
    """A person has dealt with what the item was flagged for (e.g. fixed the published reply on the
    marketplace after the customer rewrote the review). Returns the note that is cleared."""
    with Session(engine) as s, s.begin():
        row = find_item(s, item_id, source)
        if not row.attention:
            raise WorkflowError(f"item '{item_id}' is not flagged for attention")
        cleared = row.attention
        row.attention = None
        reply = repo.latest_reply(row)
        if reply is not None:
            s.add(ReplyEventRow(reply=reply, at=repo.now_utc(), status=reply.status, actor=f"human:{actor}",
                                note="attention dismissed: " + cleared))
        return cleared


def reply_row(s: Session, item_id: str) -> ReplyRow | None:
    return repo.latest_reply(find_item(s, item_id, None))
