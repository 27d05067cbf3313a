"""`otklik watch`: poll each source at its own interval, draft what is new, publish what is approved.

Single process, one thread: sources are polled in turn when due. Rate-limit state lives in the
connectors' ``RateLimiter`` (in-process); run one watcher per database, or give the limiter a shared
(Redis) bucket store before running several.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from otklik.errors import OtklikError
from otklik.profile import BusinessProfile
from otklik.sources.base import Connector
from otklik.workflow.publish import PublishResult, publish
from otklik.workflow.sync import SyncResult, sync

log = logging.getLogger("otklik.watch")


@dataclass(slots=True)
class Cycle:
    source: str
    sync: SyncResult | None = None
    publish: PublishResult | None = None
    error: str = ""


@dataclass
class Watcher:
    engine: Engine
    connectors: list[Connector]
    profile: BusinessProfile
    intervals: dict[str, float] = field(default_factory=dict)  # source → seconds
    default_interval: float = 60.0
    draft: bool = True
    do_publish: bool = True
    on_cycle: Callable[[Cycle], None] | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)

    def interval(self, conn: Connector) -> float:
        return float(self.intervals.get(conn.name) or conn.config.options.get("poll_interval") or self.default_interval)

    def run_once(self, conn: Connector) -> Cycle:
        cycle = Cycle(source=conn.name)
        try:
            cycle.sync = sync(self.engine, [conn], self.profile, draft=self.draft)
            if self.do_publish:
                cycle.publish = publish(self.engine, [conn], self.profile)
        except OtklikError as exc:  # one bad cycle must not stop the watcher
            cycle.error = str(exc)
            log.error("%s: %s", conn.name, exc)
        except Exception as exc:  # noqa: BLE001 - e.g. a bug in drafting: log it, keep syncing and publishing
            cycle.error = f"{type(exc).__name__}: {exc}"
            log.exception("%s: unexpected error in a watch cycle", conn.name)
        if self.on_cycle:
            self.on_cycle(cycle)
        return cycle

    def run(self, *, max_cycles: int | None = None) -> int:
        """Poll until stopped; returns the number of cycles run."""
        due = {c.name: 0.0 for c in self.connectors}
        cycles = 0
        while not self.stop_event.is_set():
            now = time.monotonic()
            for conn in self.connectors:
                if due[conn.name] <= now and not self.stop_event.is_set():
                    self.run_once(conn)
                    cycles += 1
                    due[conn.name] = time.monotonic() + self.interval(conn)
                    if max_cycles is not None and cycles >= max_cycles:
                        return cycles
            wait = max(0.0, min(due.values()) - time.monotonic())
            self.stop_event.wait(min(wait, 1.0) if wait else 0.05)
        return cycles

    def stop(self) -> None:
        self.stop_event.set()
