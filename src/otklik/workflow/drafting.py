"""Analyse and draft every stored item that needs it. Idempotent: a re-run after a crash redoes
only what was not committed, and an unchanged item is never analysed or drafted twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from otklik.compose import ReplyMemory
from otklik.domain import ReplyStatus
from otklik.profile import BusinessProfile
from otklik.store import repository as repo
from otklik.workflow.cases import open_case_if_needed
from otklik.workflow.pipeline import Pipeline

BATCH = 500


@dataclass(slots=True)
class DraftRunResult:
    analysed: int = 0
    drafted: int = 0
    needs_human: int = 0


def draft_pending(
    engine: Engine,
    profile: BusinessProfile,
    *,
    now: datetime | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int], None] | None = None,
) -> DraftRunResult:
    """Analyse new or changed items and draft replies for them, one committed batch at a time."""
    pipe = pipeline or Pipeline(profile)
    result = DraftRunResult()
    with Session(engine) as session:
        memory = ReplyMemory(repo.reply_texts(session))
        history = repo.recent_items(session)
        platforms = repo.source_platforms(session)
    while True:
        with Session(engine) as session, session.begin():
            rows = repo.items_needing_work(session, limit=BATCH)
            if not rows:
                break
            items = [repo.row_to_item(r) for r in rows]
            analyses = pipe.analyze(items, history=history, now=now)
            for row, analysis in zip(rows, analyses, strict=True):
                repo.save_analysis(session, row, analysis)
                open_case_if_needed(session, row, analysis)
            result.analysed += len(rows)
            # An item whose reply is already approved or published keeps it; others get a new draft.
            todo = [
                (row, item, analysis)
                for row, item, analysis in zip(rows, items, analyses, strict=True)
                if not any(r.status in (ReplyStatus.APPROVED, ReplyStatus.PUBLISHED) and not r.is_follow_up for r in row.replies)
            ]
            drafted = pipe.draft([t[1] for t in todo], [t[2] for t in todo], memory=memory, platforms=platforms)
            for (row, _item, _a), d in zip(todo, drafted, strict=True):
                repo.save_draft(session, row, d.draft)
                result.drafted += 1
                result.needs_human += int(d.draft.needs_human)
            history = [*history, *items][-5000:]
        if progress:
            progress(len(rows))
    return result
