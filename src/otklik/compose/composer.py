"""INTERFACE CONTRACT (issue 4 implements).

    memory = ReplyMemory(earlier_reply_texts)       # the business's stored replies
    composer = Composer(profile)                     # optional: llm=LLMBackend(...)
    draft = composer.draft(item, analysis, memory=memory, platform="ozon")
    memory.add(draft.text)                           # the caller records accepted drafts

Every draft has passed the linter; a draft that still fails is marked needs_human with reasons.
"""

from __future__ import annotations

from otklik.compose.uniqueness import ReplyMemory
from otklik.domain import Analysis, Case, Draft, Item
from otklik.profile import BusinessProfile


class Composer:
    def __init__(self, profile: BusinessProfile, *, seed: int | None = None) -> None:
        self.profile = profile
        self.seed = seed

    def draft(
        self, item: Item, analysis: Analysis, *, memory: ReplyMemory, platform: str | None = None
    ) -> Draft:
        raise NotImplementedError("issue 4")

    def follow_up(
        self, item: Item, analysis: Analysis, case: Case, *, memory: ReplyMemory, platform: str | None = None
    ) -> Draft:
        raise NotImplementedError("issue 4")
