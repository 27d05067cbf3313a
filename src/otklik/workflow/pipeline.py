"""Understand and draft a batch of items: the one pipeline behind files, the store and connectors."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from otklik.compose import Composer, ReplyMemory
from otklik.domain import Analysis, Draft, Item, ReplyType
from otklik.notes import note
from otklik.profile import BusinessProfile
from otklik.understand import Analyzer

Progress = Callable[[int], None]
CHUNK = 1000


@dataclass(slots=True)
class Drafted:
    item: Item
    analysis: Analysis
    draft: Draft


class Pipeline:
    """Holds the loaded models for a run; build one per process, not per item."""

    def __init__(self, profile: BusinessProfile, *, composer: Composer | None = None, seed: int | None = None,
                 analyzer: Analyzer | None = None) -> None:
        self.profile = profile
        self.analyzer = analyzer or Analyzer(profile)
        self.composer = composer or Composer(profile, seed=seed)

    def analyze(
        self,
        items: Sequence[Item],
        *,
        history: Sequence[Item] = (),
        now: datetime | None = None,
        progress: Progress | None = None,
    ) -> list[Analysis]:
        """Analyse in chunks; earlier chunks are history for the later ones (duplicates, bursts)."""
        out: list[Analysis] = []
        seen: list[Item] = list(history)
        for start in range(0, len(items), CHUNK):
            chunk = items[start : start + CHUNK]
            out.extend(self.analyzer.analyze(chunk, now=now, history=seen))
            seen.extend(chunk)
            if progress:
                progress(len(chunk))
        return out

    def draft(
        self,
        items: Sequence[Item],
        analyses: Sequence[Analysis],
        *,
        memory: ReplyMemory,
        platforms: dict[str, str] | None = None,
        progress: Progress | None = None,
    ) -> list[Drafted]:
        """Draft each item; ``platforms`` maps a source name to the platform whose rules apply.
        An item the seller already answered (an answer column in the file) gets no new reply."""
        out: list[Drafted] = []
        platforms = platforms or {}
        for item, analysis in zip(items, analyses, strict=True):
            platform = platforms.get(item.source, item.source)
            if item.seller_answer:
                memory.add(item.seller_answer)
                out.append(Drafted(item, analysis, Draft(text=None, reply_type=ReplyType.REPLY,
                                                         reasons=[note("already_answered")])))
                if progress:
                    progress(1)
                continue
            d = self.composer.draft(item, analysis, memory=memory, platform=platform)
            if d.text:
                memory.add(d.text)
            out.append(Drafted(item, analysis, d))
            if progress:
                progress(1)
        return out
