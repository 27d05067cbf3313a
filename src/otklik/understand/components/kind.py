"""Item kind: a question on the Q&A channel, or a review."""

from __future__ import annotations

from otklik.domain import ItemKind
from otklik.understand.components.base import Batch


class KindComponent:
    name = "kind"

    def run(self, batch: Batch) -> None:
        for item, an in zip(batch.items, batch.results, strict=True):
            an.kind = ItemKind.QUESTION if item.kind == ItemKind.QUESTION else ItemKind.REVIEW
