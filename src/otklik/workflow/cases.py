"""Cases: a complaint from opening to resolution and the public follow-up (N-RESULT).

A case opens when a review reports a problem; resolving it drafts the follow-up reply
("the question is closed, what was done, what changed"), which then goes through approval
and publishing like any reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.compose import Composer, ReplyMemory
from otklik.domain import Analysis, Case, CaseStatus, Draft
from otklik.errors import WorkflowError
from otklik.profile import BusinessProfile
from otklik.store import repository as repo
from otklik.store.tables import CaseRow, ItemRow


def open_case_if_needed(session: Session, row: ItemRow, analysis: Analysis) -> CaseRow | None:
    """Open a case for a complaint that has none yet; idempotent."""
    if not analysis.problem:
        return None
    existing = session.scalar(select(CaseRow).where(CaseRow.item_id == row.id))
    if existing is not None:
        return existing
    cause = analysis.complaints[0].id if analysis.complaints else None
    case = CaseRow(item_id=row.id, cause=cause, status=CaseStatus.OPEN, opened_at=repo.now_utc())
    session.add(case)
    return case


@dataclass(slots=True)
class CaseView:
    item_id: str
    cause: str | None
    status: str
    opened_at: datetime  # when the customer wrote the review (its created_at), else when Otklik saw it
    age_hours: float
    overdue: bool


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def list_cases(engine: Engine, profile: BusinessProfile, *, now: datetime | None = None, all_: bool = False) -> list[CaseView]:
    """Open cases, oldest first, with whether they passed the business's reply target (S-SPEED).

    A case is as old as the complaint: its age counts from the review's own date, so a week-old
    review imported today is already overdue."""
    now = now or repo.now_utc()
    with Session(engine) as s:
        q = (select(CaseRow, ItemRow.external_id, ItemRow.created_at)
             .join(ItemRow, ItemRow.id == CaseRow.item_id))
        out = []
        for case, ext, written in s.execute(q):
            if not all_ and case.status in (CaseStatus.RESOLVED, CaseStatus.FOLLOWED_UP):
                continue
            since = _utc(written or case.opened_at)
            age = (now - since).total_seconds() / 3600
            out.append(CaseView(ext, case.cause, case.status, since, round(age, 1), age > profile.reply_target_hours))
        return sorted(out, key=lambda c: c.opened_at)


def resolve_case(
    engine: Engine,
    profile: BusinessProfile,
    item_id: str,
    *,
    resolution: str,
    prevention: str = "",
    composer: Composer | None = None,
    source: str | None = None,
) -> Draft:
    """Mark the case resolved and draft the public follow-up reply; it waits in the inbox for
    approval (`otklik approve ID`) and is then published like any reply."""
    from otklik.workflow.review import find_item

    if len(resolution.strip()) < 5:
        raise WorkflowError("say what was done to resolve the case (--resolution)")
    with Session(engine) as s, s.begin():
        row = find_item(s, item_id, source)
        case_row = s.scalar(select(CaseRow).where(CaseRow.item_id == row.id))
        if case_row is None:
            raise WorkflowError(f"item '{item_id}' has no case: only complaints open cases")
        if row.analysis is None:
            raise WorkflowError(f"item '{item_id}' is not analysed yet")
        case_row.status = CaseStatus.RESOLVED
        case_row.resolved_at = repo.now_utc()
        case_row.resolution = resolution.strip()
        case_row.prevention = prevention.strip()
        case = Case(item_external_id=item_id, cause=case_row.cause, status=CaseStatus.RESOLVED,
                    opened_at=case_row.opened_at, resolved_at=case_row.resolved_at,
                    resolution=case_row.resolution, prevention=case_row.prevention)
        analysis = repo.analysis_from_dict(row.analysis.payload)
        comp = composer or Composer(profile)
        draft = comp.follow_up(repo.row_to_item(row), analysis, case, memory=ReplyMemory(repo.reply_texts(s)),
                               platform=repo.platform_of(s, row.source))
        repo.save_draft(s, row, draft, follow_up=True)
        return draft
