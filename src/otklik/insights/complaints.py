"""Complaint causes over time and per product (S-LEARN): "a spike of one cause is news"."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.store.tables import AspectRow, ItemRow

Period = Literal["day", "week", "month"]


def period_start(dt: datetime, period: Period) -> date:
    d = dt.astimezone(UTC).date() if dt.tzinfo else dt.date()
    if period == "day":
        return d
    if period == "week":
        return d - timedelta(days=d.weekday())
    return d.replace(day=1)


@dataclass(slots=True)
class Spike:
    aspect: str
    period: date
    count: int
    baseline: float  # mean of the earlier periods

    @property
    def ratio(self) -> float:
        return self.count / self.baseline if self.baseline else float(self.count)


@dataclass(slots=True)
class Example:
    item_id: str
    product: str
    text: str


@dataclass(slots=True)
class ComplaintStats:
    period: Period
    periods: list[date] = field(default_factory=list)
    by_period: dict[str, dict[date, int]] = field(default_factory=dict)  # aspect → period → count
    by_product: dict[str, Counter[str]] = field(default_factory=dict)  # product → aspect counts
    totals: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[Example]] = field(default_factory=dict)
    spikes: list[Spike] = field(default_factory=list)
    reviews: int = 0


def complaint_stats(engine: Engine, *, period: Period = "week", min_spike: int = 3,
                    business_id: int | None = None) -> ComplaintStats:
    """Count complained-about aspects per period and per product (of one business, when given);
    find spikes of a cause."""
    stats = ComplaintStats(period=period)
    with Session(engine) as s:
        q = (
            select(AspectRow.aspect, ItemRow.external_id, ItemRow.product, ItemRow.product_id, ItemRow.text,
                   ItemRow.created_at, ItemRow.imported_at)
            .join(ItemRow, ItemRow.id == AspectRow.item_id)
            .where(AspectRow.sentiment.in_(("negative", "mixed")))
        )
        if business_id is not None:
            q = q.where(ItemRow.business_id == business_id)
        seen_items: set[str] = set()
        for aspect, ext, product, product_id, text, created, imported in s.execute(q):
            when = created or imported
            p = period_start(when, period)
            stats.by_period.setdefault(aspect, {}).setdefault(p, 0)
            stats.by_period[aspect][p] += 1
            name = product or product_id or "—"
            stats.by_product.setdefault(name, Counter())[aspect] += 1
            stats.totals[aspect] += 1
            ex = stats.examples.setdefault(aspect, [])
            if len(ex) < 3 and text:
                ex.append(Example(ext, name, text[:300]))
            seen_items.add(ext)
        stats.reviews = len(seen_items)
    all_periods = sorted({p for counts in stats.by_period.values() for p in counts})
    stats.periods = _fill_periods(all_periods, period)
    stats.spikes = find_spikes(stats.by_period, stats.periods, min_count=min_spike)
    return stats


def _fill_periods(periods: list[date], period: Period) -> list[date]:
    """Every period from the first to the last, so quiet weeks count as zero."""
    if not periods:
        return []
    out = [periods[0]]
    while out[-1] < periods[-1]:
        d = out[-1]
        if period == "day":
            nxt = d + timedelta(days=1)
        elif period == "week":
            nxt = d + timedelta(days=7)
        else:
            nxt = (d.replace(day=28) + timedelta(days=4)).replace(day=1)
        out.append(nxt)
    return out


def find_spikes(by_period: dict[str, dict[date, int]], periods: list[date], *, min_count: int = 3) -> list[Spike]:
    """The latest period of a cause is a spike when it is well above that cause's own history."""
    if not periods:
        return []
    last = periods[-1]
    spikes = []
    for aspect, counts in by_period.items():
        now = counts.get(last, 0)
        history = [counts.get(p, 0) for p in periods[:-1]]
        if now < min_count:
            continue
        mean = statistics.fmean(history) if history else 0.0
        sd = statistics.pstdev(history) if len(history) > 1 else 0.0
        if now >= max(2 * mean, mean + 2 * sd, min_count):
            spikes.append(Spike(aspect, last, now, round(mean, 2)))
    return sorted(spikes, key=lambda s: -s.ratio)


def series(stats: ComplaintStats, aspect: str) -> list[int]:
    counts = stats.by_period.get(aspect, {})
    return [counts.get(p, 0) for p in stats.periods]


def top_products(stats: ComplaintStats, n: int = 10) -> list[tuple[str, Counter[str]]]:
    ranked = sorted(stats.by_product.items(), key=lambda kv: -sum(kv[1].values()))
    return ranked[:n]


def aspect_matrix(stats: ComplaintStats) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for product, counts in stats.by_product.items():
        for aspect, n in counts.items():
            out[product][aspect] = n
    return dict(out)
