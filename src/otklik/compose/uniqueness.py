"""INTERFACE CONTRACT (issue 4 implements): memory of earlier replies for R-UNIQUE."""

from __future__ import annotations

from collections.abc import Iterable


class ReplyMemory:
    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.texts = list(texts)

    def add(self, text: str) -> None:
        self.texts.append(text)

    def nearest(self, text: str) -> tuple[float, str | None]:
        """Highest similarity (0..1) to any earlier reply, and that reply."""
        raise NotImplementedError("issue 4")
