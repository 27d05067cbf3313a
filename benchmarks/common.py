"""Helpers for benchmarks: realistic items from ../shared/data (or the bundled demo) and figures."""

from __future__ import annotations

import csv
import json
import resource
from pathlib import Path

from otklik.domain import Item, ItemKind

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def realistic_items(n: int) -> list[Item]:
    """``n`` reviews cycled from real Ozon and WB reviews (falls back to the demo set)."""
    base: list[tuple[str, int | None, str]] = []
    oz = SHARED / "ozon_station_reviews" / "ozon_station_reviews.csv"
    wb = SHARED / "wb_shirt_reviews" / "wb_shirt_reviews.csv"
    if oz.exists() and wb.exists():
        with oz.open(encoding="utf-8") as fh:
            base += [(r["text"], int(r["rating"]), r["author"]) for r in csv.DictReader(fh) if r["text"]]
        with wb.open(encoding="utf-8") as fh:
            base += [(r["text"], int(float(r["mark"])), r["reviewerName"]) for r in csv.DictReader(fh) if r["text"]]
    else:
        demo = ROOT / "src" / "otklik" / "data" / "demo" / "items.jsonl"
        for line in demo.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            base.append((r.get("text", ""), r.get("rating"), r.get("author") or ""))
    items = []
    for i in range(n):
        text, rating, author = base[i % len(base)]
        items.append(Item(external_id=f"b{i}", source="ozon", kind=ItemKind.REVIEW, text=text, rating=rating,
                          author=author, product="Рубашка оверсайз из льна"))
    return items


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
