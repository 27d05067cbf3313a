"""The analysis pipeline: an ordered list of small components, each filling some Analysis fields.

    analyzer = Analyzer(profile)              # loads shipped models lazily, once (< 2 s)
    analyses = analyzer.analyze(items, now=..., history=earlier_items)

``analyze`` takes a batch because some signals need context across items (near-duplicate texts
from different authors, bursts of extreme ratings on one product). ``history`` is earlier items
of the same business from the store, so those signals also work across runs.
Returns one Analysis per item, in the same order.

Order matters: polarity → aspects → text sentiment → rating fusion → questions → problem →
customer → fake signals → confidence → priority (each reads what the earlier ones wrote).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from otklik.domain import Analysis, Item, ItemKind, Sentiment
from otklik.profile import BusinessProfile
from otklik.understand.components.aspects import AspectComponent
from otklik.understand.components.base import Batch, Component
from otklik.understand.components.confidence import ConfidenceComponent
from otklik.understand.components.customer import CustomerComponent
from otklik.understand.components.fake import FakeSignalComponent
from otklik.understand.components.kind import KindComponent
from otklik.understand.components.polarity import PolarityComponent
from otklik.understand.components.priority import PriorityComponent
from otklik.understand.components.problem import ProblemComponent
from otklik.understand.components.questions import QuestionComponent
from otklik.understand.components.rating import RatingFusionComponent
from otklik.understand.components.sentiment import TextSentimentComponent
from otklik.understand.lexicon import PatternSet
from otklik.understand.resources import Resources
from otklik.understand.text import make_doc


class Analyzer:
    def __init__(self, profile: BusinessProfile | None = None, *, models_dir: Path | None = None) -> None:
        self.profile = profile
        self.resources = Resources(models_dir)

    @cached_property
    def custom_aspects(self) -> PatternSet | None:
        """The profile's own aspects (keywords lemmatised like the taxonomy)."""
        if self.profile is None or not self.profile.aspects:
            return None
        ps = PatternSet()
        for a in self.profile.aspects:
            ps.extend(a.id, [*a.keywords, a.name], self.resources.lemmatizer)
        return ps

    @cached_property
    def components(self) -> list[Component]:
        custom = self.custom_aspects
        return [
            KindComponent(),
            PolarityComponent(),
            AspectComponent(custom),
            TextSentimentComponent(),
            RatingFusionComponent(),
            QuestionComponent(custom),
            ProblemComponent(),
            CustomerComponent(),
            FakeSignalComponent(),
            ConfidenceComponent(),
            PriorityComponent(),
        ]

    def warm(self) -> None:
        """Load models and data now instead of on the first batch."""
        self.resources.warm()
        _ = self.components

    def analyze(
        self,
        items: Sequence[Item],
        *,
        now: datetime | None = None,
        history: Sequence[Item] = (),
    ) -> list[Analysis]:
        return self.analyze_with_notes(items, now=now, history=history)[0]

    def analyze_with_notes(
        self,
        items: Sequence[Item],
        *,
        now: datetime | None = None,
        history: Sequence[Item] = (),
    ) -> tuple[list[Analysis], list[dict[str, Any]]]:
        """``analyze`` plus each item's scratch notes (training reads the decision heads' inputs there)."""
        if not items:
            return [], []
        lem = self.resources.lemmatizer
        batch = Batch(
            items=items,
            docs=[make_doc(it.full_text, lem) for it in items],
            results=[Analysis(kind=ItemKind(it.kind), sentiment=Sentiment.NEUTRAL) for it in items],
            res=self.resources,
            profile=self.profile,
            now=now,
            history=history,
            notes=[{} for _ in items],
        )
        for component in self.components:
            component.run(batch)
        return batch.results, batch.notes
