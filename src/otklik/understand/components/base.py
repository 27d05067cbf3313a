"""What components share: the batch being analysed and the component protocol."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from otklik.domain import Analysis, Item
from otklik.profile import BusinessProfile
from otklik.understand.resources import Resources
from otklik.understand.text import Doc


@dataclass(slots=True)
class Batch:
    """Items with their split texts and the analyses being filled in, index for index."""

    items: Sequence[Item]
    docs: list[Doc]
    results: list[Analysis]
    res: Resources
    profile: BusinessProfile | None = None
    now: datetime | None = None
    history: Sequence[Item] = ()
    # per-item scratch that later components read (clause polarities, model scores, ...)
    notes: list[dict[str, Any]] = field(default_factory=list)


class Component(Protocol):
    """Fills some Analysis fields for every item of a batch."""

    name: str

    def run(self, batch: Batch) -> None: ...
