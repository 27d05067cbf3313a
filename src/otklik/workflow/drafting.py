"""Analyse and draft every stored item that needs it. Idempotent: a re-run after a crash redoes
only what was not committed, and an unchanged item is never analysed or drafted twice.

A review the customer rewrote (5★ praise → 1★ «порвалось, верните деньги») never keeps a reply
written for the old words: an approved, not yet published reply is withdrawn and a new draft goes
to a person; a published one is flagged for a person, who fixes it on the marketplace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from otklik.compose import ReplyMemory
from otklik.domain import Draft, ReplyStatus
from otklik.errors import WorkflowError
from otklik.notes import note
from otklik.profile import BusinessProfile
from otklik.store import businesses
from otklik.store import repository as repo
from otklik.store.sync_tables import OutboxRow
from otklik.store.tables import ItemRow
from otklik.workflow.cases import open_case_if_needed
from otklik.workflow.pipeline import Pipeline

BATCH = 500


@dataclass(slots=True)
class DraftRunResult:
    analysed: int = 0
    drafted: int = 0
    needs_human: int = 0
    rewritten: int = 0  # items whose customer changed the words after a reply was approved or published


def _withdraw(session: Session, row: ItemRow) -> str | None:
    """The customer rewrote ``row``: take back replies made for the old words. Returns the reason
    to put on the new draft, or None when no new draft must be made (a reply is already public).

    A send already under way ('sending') is withdrawn too: if the read-back then finds it on the
    marketplace, the publisher flags the item as published-but-outdated; if not, it is never sent."""
    main = [r for r in row.replies if not r.is_follow_up and r.status != ReplyStatus.REJECTED]
    if any(r.status == ReplyStatus.PUBLISHED for r in main):
        row.attention = note("rewritten_after_publish", id=row.external_id)
        return None
    approved = [r for r in main if r.status == ReplyStatus.APPROVED]
    for reply in approved:
        repo.set_reply_status(session, reply, ReplyStatus.REJECTED, actor="otklik", note=note("rewritten_after_approval"))
        session.execute(
            update(OutboxRow).where(OutboxRow.reply_id == reply.id, OutboxRow.state == "pending")
            .values(state="cancelled", error="the review changed after approval")
        )
    if approved:
        row.attention = note("rewritten_after_approval")
        return note("rewritten_after_approval")
    return note("rewritten_draft")


def _has_final_reply(row: ItemRow) -> bool:
    return any(r.status in (ReplyStatus.APPROVED, ReplyStatus.PUBLISHED) and not r.is_follow_up for r in row.replies)


class BusinessPipelines:
    """The pipeline of each business met in a run: its stored profile, or the start-up one (whose
    pipeline the caller may have built already). Built once per business and run, not per item."""

    def __init__(self, profile: BusinessProfile, pipeline: Pipeline | None = None) -> None:
        self.fallback = profile
        self.default = pipeline
        self._built: dict[int, Pipeline] = {}

    def get(self, session: Session, business_id: int) -> Pipeline:
        if business_id not in self._built:
            prof = businesses.business_profile(session, business_id, self.fallback)
            if self.default is not None and (prof is self.fallback or prof == self.default.profile):
                built = self.default
            elif prof is self.fallback:
                self.default = built = Pipeline(prof)
            else:
                built = Pipeline(prof)
            self._built[business_id] = built
        return self._built[business_id]


def draft_pending(
    engine: Engine,
    profile: BusinessProfile,
    *,
    now: datetime | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int], None] | None = None,
) -> DraftRunResult:
    """Analyse new or changed items and draft replies for them, one committed batch at a time.

    Each item is read and answered with its own business's profile; ``profile`` (and ``pipeline``)
    serve the businesses that store none."""
    pipes = BusinessPipelines(profile, pipeline)
    result = DraftRunResult()
    with Session(engine) as session:
        memory = ReplyMemory(repo.reply_texts(session))
        history = repo.recent_items(session)
        platforms = repo.source_platforms(session)
    while True:
        with Session(engine) as session, session.begin():
            batch = repo.items_needing_work(session, limit=BATCH)
            if not batch:
                break
            by_business: dict[int, list[ItemRow]] = {}
            for row in batch:
                by_business.setdefault(row.business_id, []).append(row)
            for business_id, rows in sorted(by_business.items()):
                pipe = pipes.get(session, business_id)
                items = [repo.row_to_item(r) for r in rows]
                _draft_rows(session, pipe, rows, items, history, memory, platforms, now, result)
                history = [*history, *items][-5000:]
        if progress:
            progress(len(batch))
    return result


def _draft_rows(session: Session, pipe: Pipeline, rows: list[ItemRow], items: list, history: list,  # noqa: PLR0913
                memory: ReplyMemory, platforms: dict[str, str], now: datetime | None,
                result: DraftRunResult) -> None:
    """Analyse and draft one business's share of a batch."""
    analyses = pipe.analyze(items, history=history, now=now)
    todo = []
    for row, item, analysis in zip(rows, items, analyses, strict=True):
        repo.save_analysis(session, row, analysis)
        open_case_if_needed(session, row, analysis)
        reason = None
        if row.rewritten:
            row.rewritten = False
            if _has_final_reply(row):
                result.rewritten += 1
                reason = _withdraw(session, row)
                if reason is None:
                    continue
        # An item whose reply is approved or published keeps it; others get a new draft.
        if not _has_final_reply(row):
            todo.append((row, item, analysis, reason))
    result.analysed += len(rows)
    drafted = pipe.draft([t[1] for t in todo], [t[2] for t in todo], memory=memory, platforms=platforms)
    for (row, _item, _a, reason), d in zip(todo, drafted, strict=True):
        if reason:
            d.draft.needs_human = True
            d.draft.reasons.insert(0, reason)
        repo.save_draft(session, row, d.draft)
        result.drafted += 1
        result.needs_human += int(d.draft.needs_human)


def redraft(
    engine: Engine,
    profile: BusinessProfile,
    item_id: str,
    *,
    actor: str,
    source: str | None = None,
    pipeline: Pipeline | None = None,
    business_id: int | None = None,
) -> Draft:
    """Draft again for an item whose draft was rejected (or replace its current draft); the new
    text differs from every rejected one and goes to a person. ``pipeline`` is used when it reads
    with the item's own business profile; ``business_id`` limits the search to one business."""
    from otklik.workflow.review import find_item

    with Session(engine) as s, s.begin():
        row = find_item(s, item_id, source, business_id=business_id)
        pipe = BusinessPipelines(profile, pipeline).get(s, row.business_id)
        main = repo.latest_reply(row)
        if main is not None and main.status == ReplyStatus.PUBLISHED:
            raise WorkflowError(f"item '{item_id}' already has a published reply; change it on the marketplace",
                                ru=note("already_published", id=item_id))
        if main is not None and main.status == ReplyStatus.APPROVED:
            raise WorkflowError(f"the reply to '{item_id}' is approved; reject it first (otklik reject {item_id})",
                                ru=note("approved_reject_first", id=item_id))
        item = repo.row_to_item(row)
        [analysis] = pipe.analyze([item], history=repo.recent_items(s))
        repo.save_analysis(s, row, analysis)
        open_case_if_needed(s, row, analysis)
        rejected = [r.text for r in row.replies if r.status == ReplyStatus.REJECTED and r.text and not r.is_follow_up]
        memory = ReplyMemory([*repo.reply_texts(s), *rejected])
        [done] = pipe.draft([item], [analysis], memory=memory, platforms=repo.source_platforms(s))
        draft = done.draft
        draft.needs_human = True
        draft.reasons.insert(0, note("redrafted", actor=actor))
        repo.save_draft(s, row, draft)
        row.rewritten = False
        return draft
