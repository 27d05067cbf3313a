"""What an app loads once and every request reuses: the linter (live lint, bulk approval) and the
analyser (regenerate). Loading them takes a second or more; a keystroke must not wait for it.

They hold no data of the store, only dictionaries and models, so every machine serving the inbox
has its own copy and nothing has to be kept in step.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from otklik.compose.faq import FaqIndex
from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank
from otklik.lint.rules import Linter
from otklik.profile import BusinessProfile
from otklik.understand import Analyzer


class WebResources:
    """Lazily built, once per app (a lock so two first requests do not both load)."""

    def __init__(self, profile: BusinessProfile) -> None:
        self.profile = profile
        self._lock = threading.Lock()
        self._linter: Linter | None = None
        self._analyzer: Analyzer | None = None

    @property
    def linter(self) -> Linter:
        with self._lock:
            if self._linter is None:
                morph = Morph()
                self._linter = Linter(self.profile, morph, FaqIndex(self.profile, morph), PhraseBank())
            return self._linter

    @property
    def analyzer(self) -> Analyzer:
        with self._lock:
            if self._analyzer is None:
                self._analyzer = Analyzer(self.profile)
            return self._analyzer


def _resources(request: Request) -> WebResources:
    state = request.app.state
    if getattr(state, "resources", None) is None:
        state.resources = WebResources(state.profile)
    return state.resources


ResourcesDep = Annotated[WebResources, Depends(_resources)]
