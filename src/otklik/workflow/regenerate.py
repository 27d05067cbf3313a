"""Draft again for one item on a person's request, with fresh dice so the text changes.

The composer's choices are seeded by (seed, item, attempt); the seed here is how many replies the
item has had, so each request rolls differently while a re-run of the same request stays
reproducible. The current draft is among the business's replies the new one must not repeat
(R-UNIQUE), and the new draft is held for the person who asked.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from otklik.domain import Draft
from otklik.profile import BusinessProfile
from otklik.store import businesses
from otklik.understand import Analyzer
from otklik.workflow.drafting import redraft
from otklik.workflow.pipeline import Pipeline
from otklik.workflow.review import find_item


def regenerate(
    engine: Engine,
    profile: BusinessProfile,
    item_id: str,
    *,
    actor: str,
    source: str | None = None,
    analyzer: Analyzer | None = None,
    business_id: int | None = None,
) -> Draft:
    """A new draft for the item (WorkflowError when its reply is approved or published), in its
    business's profile; ``profile`` and ``analyzer`` should be that business's (the web's cache)."""
    with Session(engine) as s:
        row = find_item(s, item_id, source, business_id=business_id)
        attempt = len([r for r in row.replies if not r.is_follow_up])
        profile = businesses.business_profile(s, row.business_id, profile)
    return redraft(engine, profile, item_id, actor=actor, source=source, business_id=business_id,
                   pipeline=Pipeline(profile, seed=attempt, analyzer=analyzer))
