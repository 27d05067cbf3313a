"""Inbox benchmark: the web inbox page and /api/items on a big store.

    python benchmarks/inbox_bench.py                          # SQLite, 100,000 items
    python benchmarks/inbox_bench.py --store pg               # PostgreSQL, 1,000,000 items (database otklik_bench)
    python benchmarks/inbox_bench.py --store pg --items 200000 --repeat 50

The store is filled once with realistic rows (real Ozon/WB review texts, analyses, aspects, replies
in every state, follow-ups, flagged items, overdue and fresh dates) by batched inserts (COPY on
PostgreSQL) and marked, so a rerun reuses it; ``--refill`` starts over. The test database ``test``
is never touched: PostgreSQL gets its own database (``--pg-url``, default otklik_bench on
127.0.0.1). Requests go through the real app in-process (httpx.ASGITransport) with a logged-in
browser session: login, CSRF, templates and JSON included. Target: p95 < 150 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import quantiles
from types import SimpleNamespace
from typing import Any

import httpx
from sqlalchemy import Connection, Engine, create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import realistic_items  # noqa: E402

from otklik.profile import load_profile  # noqa: E402
from otklik.store import accounts  # noqa: E402
from otklik.store import inbox as inbox_sync  # noqa: E402
from otklik.store.db import open_store_engine  # noqa: E402
from otklik.store.tables import AnalysisRow, AspectRow, InboxAspectRow, InboxEntryRow, ItemRow, ReplyRow  # noqa: E402
from otklik.web import create_app  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/otklik_bench"
LOGIN, PASSWORD = "bench", "bench-password-1"
BATCH = 20_000
SOURCES = ("wildberries", "ozon", "yandex_market")
ASPECTS = ("quality", "size_fit", "defect", "delivery", "packaging", "price", "material", "color")
NOW = datetime.now(UTC).replace(microsecond=0)


# -- filling ------------------------------------------------------------------------------------
def _marker(engine: Engine) -> int:
    with engine.connect() as conn:
        try:
            return int(conn.scalar(text("SELECT items FROM inbox_bench_marker")) or 0)
        except Exception:  # noqa: BLE001 - no marker table: not filled yet
            return 0


def _rows(n: int, seed: int = 7) -> dict[str, list[dict[str, Any]]]:
    """Rows for every table, ids given, as the workflow would have left them over two years."""
    rnd = random.Random(seed)
    pool = [(it.text, it.rating, it.author) for it in realistic_items(4000)]
    replies_pool = [f"Здравствуйте! Спасибо за отзыв о товаре №{i}. Нам важно ваше мнение, " * 3 for i in range(60)]
    products = [(f"sku-{i}", f"Товар {i} — рубашка, платье или брюки") for i in range(2000)]
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("items", "analyses", "aspects", "replies", "inbox",
                                                            "line_aspects")}
    reply_id = aspect_id = 0
    for i in range(1, n + 1):
        body, rating, author = pool[rnd.randrange(len(pool))]
        question = rnd.random() < 0.06
        rating = None if question else rating
        pid, pname = products[rnd.randrange(len(products))]
        roll = rnd.random()  # most of a big store's history is answered; the recent part waits
        status = ("published" if roll < 0.85 else "approved" if roll < 0.88 else "draft" if roll < 0.98 else "none")
        age_h = rnd.uniform(0, 72) if status in ("draft", "none") else rnd.uniform(24, 2 * 365 * 24)
        created = NOW - timedelta(hours=age_h)
        sentiment = ("negative" if rating and rating <= 2 else "mixed" if rating == 3 else "neutral" if question
                     else "positive")
        tier = 2 if sentiment == "negative" else 1.5 if question else 1 if sentiment == "mixed" else 0
        priority = round(10 * tier + min(age_h / 24, 9.99), 3)
        attention = "Покупатель изменил отзыв после публикации ответа" if status == "published" and rnd.random() < 0.005 else None
        out["items"].append({
            "id": i, "source": SOURCES[i % 3], "external_id": f"r{i}", "kind": "question" if question else "review",
            "text": body, "rating": rating, "pros": "", "cons": "", "author": author or None, "product": pname,
            "product_id": pid, "created_at": created, "photos": 0, "videos": 0, "order_status": None, "extra": {},
            "content_hash": hashlib.sha256(f"{i}{body}".encode()).hexdigest(), "imported_at": created,
            "rewritten": False, "attention": attention, "business_id": 1})
        out["analyses"].append({"item_id": i, "sentiment": sentiment, "problem": sentiment == "negative",
                                "is_question": question, "suspected_fake": False, "priority": priority,
                                "payload": {"sentiment": sentiment, "priority": priority},
                                "content_hash": out["items"][-1]["content_hash"], "analyzed_at": created})
        mine = sorted(rnd.sample(ASPECTS, rnd.choice((0, 1, 1, 2))))
        for a in mine:
            aspect_id += 1
            out["aspects"].append({"id": aspect_id, "item_id": i, "aspect": a, "sentiment": sentiment})
        live = []
        for follow_up, st in ((False, "rejected" if status == "none" else status),
                              *(((True, rnd.choice(("draft", "published"))),) if sentiment == "negative"
                                and status == "published" and rnd.random() < 0.1 else ())):
            reply_id += 1
            needs = st == "draft" and rnd.random() < 0.2
            row = {"id": reply_id, "item_id": i, "text": replies_pool[reply_id % 60], "reply_type": "reply",
                   "status": st, "written_by": "otklik", "is_follow_up": follow_up, "needs_human": needs,
                   "lint": [], "reasons": ["Отзыв о браке: проверьте ответ"] if needs else [],
                   "external_reply_id": None, "moderation_state": None, "created_at": created, "updated_at": created}
            out["replies"].append(row)
            if st != "rejected":
                live.append(SimpleNamespace(**row))
        item = SimpleNamespace(**out["items"][-1], sentiment=sentiment, priority=priority)
        lines = inbox_sync._lines(item, live)  # the very lines the store keeps
        out["inbox"] += lines
        out["line_aspects"] += [{"aspect": a, "item_id": ln["item_id"], "follow_up": ln["follow_up"],
                                 "is_open": ln["is_open"], "late_from": ln["late_from"], "rank": ln["rank"]}
                                for ln in lines for a in mine]
    return out


def _copy(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        for start in range(0, len(rows), BATCH):
            conn.execute(insert(table), rows[start : start + BATCH])
        return
    cols = list(rows[0])
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                            for v in (r[c] for c in cols)])


def fill(engine: Engine, n: int) -> float:
    t0 = time.perf_counter()
    done = 0
    tables = (("items", ItemRow), ("analyses", AnalysisRow), ("aspects", AspectRow), ("replies", ReplyRow),
              ("inbox", InboxEntryRow), ("line_aspects", InboxAspectRow))
    for start in range(0, n, 100_000):
        chunk = min(100_000, n - start)
        rows = _rows(chunk, seed=start)
        shift = {"items": start, "replies": 0, "aspects": 0}
        with engine.begin() as conn:
            base_reply = conn.scalar(text("SELECT coalesce(max(id), 0) FROM replies")) or 0
            base_aspect = conn.scalar(text("SELECT coalesce(max(id), 0) FROM aspects")) or 0
            shift.update(replies=base_reply, aspects=base_aspect)
            for key, model in tables:
                for r in rows[key]:
                    if key == "items":
                        r["id"] += start
                        r["external_id"] = f"r{r['id']}"
                    elif key == "aspects":
                        r["id"] += shift["aspects"]
                        r["item_id"] += start
                    elif key == "replies":
                        r["id"] += shift["replies"]
                        r["item_id"] += start
                    else:
                        r["item_id"] += start
                        if key == "inbox" and r["reply_id"] is not None:
                            r["reply_id"] += shift["replies"]
                _copy(conn, model.__table__, rows[key])
        done += chunk
        print(f"  filled {done:,} items ({time.perf_counter() - t0:.0f} s)", flush=True)
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            for t in ("items", "replies", "aspects", "inbox_entries", "inbox_aspects"):  # our own table names, not input
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))"))  # noqa: S608
        inbox_sync.recount(conn)
        conn.execute(text("CREATE TABLE inbox_bench_marker (items INTEGER)"))
        conn.execute(text("INSERT INTO inbox_bench_marker VALUES (:n)"), {"n": n})
    with Session(engine) as s, s.begin():
        accounts.add_user(s, LOGIN, PASSWORD, accounts.Role.responder)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return time.perf_counter() - t0


def open_bench_store(store: str, n: int, pg_url: str, refill: bool) -> str:
    if store == "sqlite":
        path = Path(tempfile.gettempdir()) / f"otklik-inbox-bench-{n}.db"
        if refill:
            for p in path.parent.glob(path.name + "*"):
                p.unlink()
        url = f"sqlite:///{path}"
    else:
        url = pg_url
        name = make_url(url).database
        admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if refill:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    engine = open_store_engine(url)
    have = _marker(engine)
    if have and have != n:
        raise SystemExit(f"{url} holds {have:,} items, not {n:,}: pass --refill or --items {have}")
    if not have:
        print(f"filling {url} with {n:,} items…", flush=True)
        print(f"  fill took {fill(engine, n):.0f} s", flush=True)
    else:
        print(f"reusing {url} ({n:,} items, marked)", flush=True)
    engine.dispose()
    return url


# -- measuring ----------------------------------------------------------------------------------
def pct(xs: list[float], p: int) -> float:
    return quantiles(xs, n=100, method="inclusive")[p - 1] if len(xs) > 1 else xs[0]


async def measure(url: str, repeat: int, concurrency: int) -> list[tuple[str, str, float, float, int]]:
    app = create_app(database_url=url, profile=load_profile())
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench.test") as c:
        r = await c.post("/login", data={"login": LOGIN, "password": PASSWORD, "next": "/"})
        assert r.status_code == 303, r.text
        first = (await c.get("/api/items?counts=true")).json()
        deep = max(1, first["pages"] // 2)
        cases = [
            ("first page", ""),
            ("rating ≤2 + negative", "rating=%3C%3D2&sentiment=negative"),
            ("search «молни»", "search=%D0%BC%D0%BE%D0%BB%D0%BD%D0%B8"),
            ("search «50%» in all", "status=all&search=50%25"),
            ("aspect size_fit + overdue", "aspect=size_fit&overdue=true"),
            (f"deep page {deep:,}", f"page={deep}"),
            ("all, page 2,000", "status=all&page=2000"),
        ]
        out = []
        for label, query in cases:
            for path in ("/", "/api/items"):
                full = f"{path}?{query}" if query else path
                times = []
                for k in range(repeat + 3):
                    t0 = time.perf_counter()
                    resp = await c.get(full)
                    dt = (time.perf_counter() - t0) * 1000
                    assert resp.status_code == 200, (full, resp.status_code, resp.text[:200])
                    if k >= 3:
                        times.append(dt)
                total = (await c.get("/api/items?" + query)).json()["total"]
                out.append((label, path, pct(times, 50), pct(times, 95), total))
        if concurrency > 1:
            for path in ("/", "/api/items"):
                times: list[float] = []

                async def one(full: str, times: list[float] = times) -> None:
                    t0 = time.perf_counter()
                    resp = await c.get(full)
                    times.append((time.perf_counter() - t0) * 1000)
                    assert resp.status_code == 200

                queries = [q for _l, q in cases]
                for k in range(max(3, repeat // 4)):
                    await asyncio.gather(*(one(f"{path}?{queries[(k + j) % len(queries)]}") for j in range(concurrency)))
                out.append((f"{concurrency} at once (mixed)", path, pct(times, 50), pct(times, 95), len(times)))
    app.state.engine.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", choices=("sqlite", "pg"), default="sqlite")
    ap.add_argument("--items", type=int, default=None, help="default: 100,000 on SQLite, 1,000,000 on PG")
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--refill", action="store_true")
    args = ap.parse_args()
    n = args.items or (100_000 if args.store == "sqlite" else 1_000_000)
    url = open_bench_store(args.store, n, args.pg_url, args.refill)
    rows = asyncio.run(measure(url, args.repeat, args.concurrency))
    print(f"\n{args.store}, {n:,} items, {args.repeat} requests each (target p95 < 150 ms)")
    print(f"{'case':32} {'endpoint':11} {'p50 ms':>8} {'p95 ms':>8} {'matches':>10}")
    worst = 0.0
    for label, path, p50, p95, total in rows:
        alone = "at once" not in label
        worst = max(worst, p95) if alone else worst
        print(f"{label:32} {path:11} {p50:8.1f} {p95:8.1f} {total:>10,}" + ("" if alone else " requests"))
    print(f"worst p95 of single requests: {worst:.1f} ms — {'met' if worst < 150 else 'NOT met'}"
          f" (the '{args.concurrency} at once' rows are each request's latency while {args.concurrency} run together)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
