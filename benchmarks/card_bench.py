"""Latency of the item card's actions in-process: live lint per keystroke pause, the card page,
regenerate, and the bulk approval's preview, on a store of drafted realistic reviews.

Run: .venv/bin/python benchmarks/card_bench.py [--n 2000] [--db URL]   (default: a temporary SQLite)
Live lint must answer well inside its 0.4 s typing pause; the figures are p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return round(xs[min(len(xs) - 1, int(p * len(xs)))] * 1000, 1)


def main() -> None:
    from common import realistic_items
    from sqlalchemy.orm import Session

    from otklik.profile import load_profile
    from otklik.store import accounts
    from otklik.store.db import open_store_engine
    from otklik.web import create_app
    from otklik.workflow.drafting import draft_pending
    from otklik.workflow.importing import import_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--db", default=None, help="an empty database URL (default: temporary SQLite)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    url = args.db or f"sqlite:///{tmp / 'card.db'}"
    rows = tmp / "items.jsonl"
    with rows.open("w", encoding="utf-8") as fh:
        for it in realistic_items(args.n):
            fh.write(json.dumps({"id": it.external_id, "text": it.text, "rating": it.rating, "author": it.author,
                                 "product": it.product, "source": "ozon"}, ensure_ascii=False) + "\n")
    engine = open_store_engine(url)
    profile = load_profile(None)
    t0 = time.perf_counter()
    import_file(engine, rows)
    draft_pending(engine, profile)
    with Session(engine) as s, s.begin():
        accounts.add_user(s, "bench", "bench-password-1", accounts.Role.responder)
        _id, token = accounts.create_token(s, "bench", "bench")
    setup_s = time.perf_counter() - t0
    app = create_app(database_url=url, profile=profile)
    auth = {"authorization": f"Bearer {token}"}

    async def run() -> dict[str, object]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as c:
            async def timed(method: str, path: str, **kw: object) -> float:
                t = time.perf_counter()
                r = await c.request(method, path, headers=auth, **kw)  # type: ignore[arg-type]
                assert r.status_code == 200, (path, r.status_code, r.text[:200])
                return time.perf_counter() - t

            first = await timed("POST", "/api/lint", json={"item_id": "b0", "text": "Спасибо!"})
            words = ["Здравствуйте!", "Спасибо", "за", "отзыв", "о", "рубашке,", "нам", "очень", "приятно,", "что", "ткань", "понравилась"]
            lint = [await timed("POST", "/api/lint", json={"item_id": f"b{i % args.n}",
                                                          "text": " ".join(words[: 1 + i % len(words)])})
                    for i in range(200)]
            card_login = httpx.AsyncClient(transport=transport, base_url="http://bench")
            await card_login.post("/login", data={"login": "bench", "password": "bench-password-1"})
            cards = []
            for i in range(50):
                t = time.perf_counter()
                r = await card_login.get(f"/items/b{(i * 37) % args.n}?source=ozon")
                assert r.status_code == 200
                cards.append(time.perf_counter() - t)
            await card_login.aclose()
            regen = [await timed("POST", f"/api/items/b{i}/regenerate", json={}) for i in range(1, 11)]
            preview = [await timed("GET", "/api/approve-safe") for _ in range(3)]
            r = await c.get("/api/approve-safe", headers=auth)
            ids = [i["reply_id"] for i in r.json()["items"]]
            t = time.perf_counter()
            done = await c.post("/api/approve-safe", json={"reply_ids": ids}, headers=auth)
            approve_s = time.perf_counter() - t
            return {
                "items": args.n, "store": url.split(":")[0], "setup_s": round(setup_s, 1),
                "live_lint_first_ms": round(first * 1000, 1),
                "live_lint_p50_ms": _pct(lint, 0.5), "live_lint_p95_ms": _pct(lint, 0.95),
                "card_page_p50_ms": _pct(cards, 0.5), "card_page_p95_ms": _pct(cards, 0.95),
                "regenerate_median_ms": round(statistics.median(regen) * 1000, 1),
                "approve_safe_preview_median_ms": round(statistics.median(preview) * 1000, 1),
                "safe_positive_drafts": r.json()["total"],
                "bulk_approve_one_action_s": round(approve_s, 2), "bulk_approved": done.json()["approved"],
                "bulk_left_for_a_person": done.json()["skipped"],
            }

    print(json.dumps(asyncio.run(run()), ensure_ascii=False))
    engine.dispose()


if __name__ == "__main__":
    main()
