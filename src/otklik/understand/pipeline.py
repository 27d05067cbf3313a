"""The analysis pipeline. INTERFACE CONTRACT (issue 3 implements the components).

    analyzer = Analyzer(profile)              # loads shipped models once (< 2 s)
    analyses = analyzer.analyze(items, now=..., history=earlier_items)

``analyze`` takes a batch because some signals need context across items (near-duplicate texts
from different authors, bursts of extreme ratings on one product). ``history`` is earlier items
of the same business from the store, so those signals also work across runs.
Returns one Analysis per item, in the same order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from otklik.domain import Analysis, Item
from otklik.profile import BusinessProfile


class Analyzer:
    def __init__(self, profile: BusinessProfile | None = None) -> None:
        self.profile = profile

    def analyze(
        self,
        items: Sequence[Item],
        *,
        now: datetime | None = None,
        history: Sequence[Item] = (),
    ) -> list[Analysis]:
        raise NotImplementedError("issue 3")
