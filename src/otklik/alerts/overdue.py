"""What is late: items a person still has to answer, and complaint cases still open, by their age.

Age is counted from the review's own date (``created_at``): a customer waits from the moment they
wrote, not from when Otklik imported the review. Only an item without a date falls back to its
import time. An item waits for a person while it has no approved or published reply (no draft yet,
a draft held for a person, a draft not yet approved, a rejected draft). A complaint whose reply is
out but whose case is still open is late as a case. Each item reaches a level once: ``warning``
after ``warn_at`` × the target, ``breach`` after the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import Engine, and_, exists, select
from sqlalchemy.orm import Session

from otklik.domain import CaseStatus, ReplyStatus
from otklik.store.tables import CaseRow, ItemRow, ReplyRow

Level = Literal["warning", "breach"]
Kind = Literal["reply", "case"]
EXCERPT_CHARS = 80


@dataclass(frozen=True, slots=True)
class Alert:
    """One late (or nearly late) item at one level; ``key`` is stable across runs and machines."""

    kind: Kind
    level: Level
    item_pk: int
    item_id: str
    source: str
    item_kind: str  # review | question
    product: str | None
    excerpt: str
    waiting_since: datetime
    age_hours: float
    target_hours: float

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.source}:{self.item_id}:{self.level}"

    @property
    def late_hours(self) -> float:
        """Hours past the target (negative: hours still left)."""
        return self.age_hours - self.target_hours


def _utc(dt: datetime | None) -> datetime | None:
    if dt is None:
        return None
    return dt.astimezone(UTC) if dt.tzinfo else dt.replace(tzinfo=UTC)


def _excerpt(text: str) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1].rstrip() + "…"


def _level(age: float, target: float, warn_at: float) -> Level | None:
    if age >= target:
        return "breach"
    if age >= warn_at * target:
        return "warning"
    return None


def find_overdue(
    engine: Engine,
    *,
    target_hours: float,
    warn_at: float = 0.8,
    include_cases: bool = True,
    now: datetime | None = None,
) -> list[Alert]:
    """Every item at its current level, the longest waiting first."""
    now = _utc(now) or datetime.now(UTC)
    answered = exists().where(
        and_(ReplyRow.item_id == ItemRow.id, ReplyRow.is_follow_up.is_(False),
             ReplyRow.status.in_([ReplyStatus.APPROVED.value, ReplyStatus.PUBLISHED.value]))
    )
    cols = (ItemRow.id, ItemRow.source, ItemRow.external_id, ItemRow.kind, ItemRow.product, ItemRow.text,
            ItemRow.created_at, ItemRow.imported_at)
    out: list[Alert] = []
    waiting: set[int] = set()

    def add(kind: Kind, row: tuple, since: datetime | None) -> None:
        since = _utc(since)
        if since is None:
            return
        age = max(0.0, (now - since).total_seconds() / 3600)
        level = _level(age, target_hours, warn_at)
        if level is not None:
            out.append(Alert(kind=kind, level=level, item_pk=row[0], source=row[1], item_id=row[2], item_kind=row[3],
                             product=row[4] or None, excerpt=_excerpt(row[5]), waiting_since=since,
                             age_hours=round(age, 2), target_hours=target_hours))

    with Session(engine) as s:
        for row in s.execute(select(*cols).where(~answered)):
            waiting.add(row[0])
            add("reply", tuple(row), row[6] or row[7])
        if include_cases:
            open_ = [CaseStatus.OPEN.value, CaseStatus.IN_PROGRESS.value]
            q = select(*cols, CaseRow.opened_at).join(CaseRow, CaseRow.item_id == ItemRow.id).where(CaseRow.status.in_(open_))
            for row in s.execute(q):
                if row[0] not in waiting:  # one line per review: an unanswered complaint is late as a reply
                    add("case", tuple(row), row[6] or row[8])
    out.sort(key=lambda a: (-a.age_hours, a.key))
    return out
