"""Import of a ~50 MB cabinet export (CSV) into a fresh store: seconds and peak memory.

    python benchmarks/import_bench.py [--mb 50] [--db sqlite:///…] [--keep]

The CSV is generated row by row (real Ozon/WB review texts from ../shared/data, cycled, with
Russian cabinet headers and a semicolon) so generating it costs no memory; the import then streams
it in chunks inside one transaction. Prints rows, seconds, rows/s and the process's peak RSS
before and after the import (memory must stay flat however large the file).
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import peak_rss_mb, realistic_items

from otklik.store.db import open_store_engine
from otklik.workflow.importing import import_file

HEADER = ["ID отзыва", "Дата", "Оценка", "Текст отзыва", "Достоинства", "Недостатки", "Имя", "Товар", "Артикул", "Бренд"]


def write_csv(path: Path, megabytes: float) -> int:
    base = realistic_items(2000)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    limit = int(megabytes * 1024 * 1024)
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        while fh.tell() < limit:
            it = base[n % len(base)]
            when = (start + timedelta(minutes=3 * n)).strftime("%d.%m.%Y %H:%M")
            w.writerow([f"wb-{n}", when, it.rating or 5, it.text, "", "", it.author or "", it.product or "",
                        f"SKU-{n % 300}", "Лён и Хлопок"])
            n += 1
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=50.0)
    ap.add_argument("--db", default=None, help="store URL (default: a temporary SQLite file)")
    ap.add_argument("--keep", action="store_true", help="keep the generated CSV and store")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="otklik-import-bench-"))
    csv_path = tmp / "cabinet.csv"
    rows = write_csv(csv_path, args.mb)
    size_mb = csv_path.stat().st_size / 2**20
    engine = open_store_engine(args.db or f"sqlite:///{tmp / 'bench.db'}")
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    res = import_file(engine, csv_path)
    seconds = time.perf_counter() - t0
    rss_after = peak_rss_mb()
    engine.dispose()
    print(f"file: {size_mb:.1f} MB, {rows:,} rows ({res.added:,} added)")
    print(f"import: {seconds:.1f} s, {rows / seconds:,.0f} rows/s")
    print(f"peak RSS: {rss_before:.0f} MB before the import, {rss_after:.0f} MB after (+{rss_after - rss_before:.0f} MB)")
    if not args.keep:
        for p in tmp.iterdir():
            p.unlink()
        tmp.rmdir()
    else:
        print(f"kept in {tmp}")


if __name__ == "__main__":
    main()
