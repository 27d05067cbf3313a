"""What an app loads once and every request reuses: the linter (live lint, bulk approval), the
analyser (regenerate) and, for live lint, an index of the latest replies. Loading them takes a
second or more; a keystroke must not wait for it.

The linter and analyser are dictionaries and models; the reply index is a cache of the store that
each machine catches up from the store on every use, so nothing has to be kept in step.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.compose import ReplyMemory
from otklik.compose.faq import FaqIndex
from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank
from otklik.lint.rules import Linter
from otklik.profile import BusinessProfile
from otklik.store.tables import ReplyRow
from otklik.understand import Analyzer

LIVE_MEMORY = 5000  # live lint compares with the latest replies; approval compares with up to 50,000
REBUILD_AFTER_S = 600.0  # new replies are added as they come; a full reload drops rejected ones


class MemoryView:
    """A reply memory as the linter uses it (``len``, ``nearest``), blind to some texts: the item's
    own drafts, which the person is editing and which are no clone of anything."""

    def __init__(self, memory: ReplyMemory, ignore: Iterable[str]) -> None:
        self.memory = memory
        self.ignore = [t for t in ignore if t]

    def __len__(self) -> int:
        return len(self.memory)

    def nearest(self, text: str) -> tuple[float, str | None]:
        return self.memory.nearest(text, ignore=self.ignore)


class BusinessTools:
    """One business's profile with its linter and analyser, built lazily; replaced as a whole when
    the stored profile's version moves, so a saved profile is used from the next request on."""

    def __init__(self, profile: BusinessProfile, version: int) -> None:
        self.profile = profile
        self.version = version
        self._lock = threading.Lock()
        self._linter: Linter | None = None
        self._analyzer: Analyzer | None = None
        self._aspects: dict[str, str] | None = None

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

    @property
    def aspect_names(self) -> dict[str, str]:
        if self._aspects is None:
            from otklik.web.routes.pages import aspect_names

            self._aspects = aspect_names(self.profile)
        return self._aspects


class WebResources:
    """Lazily built, once per app (a lock so two first requests do not both load). ``profile`` is the
    start-up profile: the one of every business that stores none."""

    def __init__(self, profile: BusinessProfile) -> None:
        self.profile = profile
        self._lock = threading.Lock()
        self._fallback = BusinessTools(profile, 0)
        self._tools: dict[int, BusinessTools] = {}
        self._memory: ReplyMemory | None = None
        self._memory_max_id = 0
        self._memory_built = 0.0
        self.memory_lock = threading.Lock()  # held while a live lint reads the memory

    @property
    def linter(self) -> Linter:
        """The start-up profile's linter."""
        return self._fallback.linter

    @property
    def analyzer(self) -> Analyzer:
        """The start-up profile's analyser."""
        return self._fallback.analyzer

    def tools(self, engine: Engine, business_id: int) -> BusinessTools:
        """The tools of a business, checked against its stored profile's version on each call (one
        primary-key read); a business without a stored profile shares the start-up one's."""
        from otklik.store.business_tables import BusinessRow
        from otklik.store.businesses import parse_profile_text

        with Session(engine) as s:
            found = s.execute(select(BusinessRow.version, BusinessRow.profile_yaml, BusinessRow.slug)
                              .where(BusinessRow.id == business_id)).first()
        if found is None or found.profile_yaml is None:
            return self._fallback
        with self._lock:
            tools = self._tools.get(business_id)
            if tools is None or tools.version != found.version:
                profile = parse_profile_text(found.profile_yaml, origin=f"business '{found.slug}'")
                tools = self._tools[business_id] = BusinessTools(profile, found.version)
            return tools

    def live_memory(self, engine: Engine) -> ReplyMemory:
        """The latest replies, kept between keystrokes: only replies stored since the last call are
        read (a few rows), so a live lint does not re-index thousands of texts. Call with
        ``memory_lock`` held."""
        stale = self._memory is None or time.monotonic() - self._memory_built > REBUILD_AFTER_S
        with Session(engine) as s:
            q = select(ReplyRow.id, ReplyRow.text).where(ReplyRow.text.is_not(None), ReplyRow.status != "rejected")
            if stale:
                rows = list(s.execute(q.order_by(ReplyRow.id.desc()).limit(LIVE_MEMORY)))[::-1]
                self._memory, self._memory_built = ReplyMemory(), time.monotonic()
            else:
                rows = list(s.execute(q.where(ReplyRow.id > self._memory_max_id).order_by(ReplyRow.id)))
        assert self._memory is not None
        for reply_id, text in rows:
            self._memory.add(text)
            self._memory_max_id = max(self._memory_max_id, reply_id)
        return self._memory


def _resources(request: Request) -> WebResources:
    state = request.app.state
    if getattr(state, "resources", None) is None:
        state.resources = WebResources(state.profile)
    return state.resources


ResourcesDep = Annotated[WebResources, Depends(_resources)]
