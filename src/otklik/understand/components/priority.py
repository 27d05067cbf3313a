"""Priority (higher = answer first): questions and complaints first, then the oldest against the target.

priority = 10 × tier + min(age / reply_target_hours, 9.99), so a tier is never overtaken by age:
tier 2 = question or negative review; 1 = mixed review or a reported problem; 0 = the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime

from otklik.domain import Sentiment
from otklik.understand.components.base import Batch

DEFAULT_TARGET_HOURS = 24.0


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)


class PriorityComponent:
    name = "priority"

    def run(self, batch: Batch) -> None:
        now = _aware(batch.now or datetime.now(UTC))
        target = batch.profile.reply_target_hours if batch.profile else DEFAULT_TARGET_HOURS
        for item, an in zip(batch.items, batch.results, strict=True):
            if an.is_question or an.sentiment == Sentiment.NEGATIVE:
                tier = 2
            elif an.problem or an.sentiment == Sentiment.MIXED:
                tier = 1
            else:
                tier = 0
            age = 0.0
            if item.created_at is not None:
                hours = (now - _aware(item.created_at)).total_seconds() / 3600
                age = min(max(hours, 0.0) / target, 9.99)
            an.priority = round(10 * tier + age, 3)
