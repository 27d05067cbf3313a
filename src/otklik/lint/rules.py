"""INTERFACE CONTRACT (issue 4 implements).

    findings = lint_reply(text, item=item, analysis=analysis, profile=profile,
                          platform="ozon", memory=memory)

Returns LintFinding(rule, message in Russian, severity). Works on any reply: Otklik's, an LLM's,
a person's.
"""

from __future__ import annotations

from otklik.compose.uniqueness import ReplyMemory
from otklik.domain import Analysis, Item, LintFinding
from otklik.profile import BusinessProfile


def lint_reply(
    text: str,
    *,
    item: Item,
    analysis: Analysis,
    profile: BusinessProfile,
    platform: str | None = None,
    memory: ReplyMemory | None = None,
) -> list[LintFinding]:
    raise NotImplementedError("issue 4")
