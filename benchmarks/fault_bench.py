"""Fault benchmark: sync + publish against a faulty fake marketplace while the worker is SIGKILLed at
random moments, many rounds over. Prints items lost and replies posted twice (both must be 0).

    python benchmarks/fault_bench.py [--rounds 30] [--seed 1]

The fake server runs in this process; each round starts a worker subprocess (this file with --worker),
waits until it has imported everything, lets it run for a random 0–3 s and kills it with SIGKILL.
Faults during every round: injected 429s (WB/Ozon, with X-Ratelimit-Retry) and 420s (YM), 500s, slow
responses, duplicate pages, and reply POSTs that are accepted and then get their connection dropped or
a 502. New items appear on the fake between rounds. The client's rate limits are lifted here (the
injected 429/420s exercise the waiting) so that 30 rounds fit in a few minutes. A final run without
kills lets the worker finish; then the store is compared with the fake's feed and posted replies.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

FAULTS = dict(rate_limit=0.08, rate_limit_retry=0.1, error_5xx=0.08, slow=0.03, slow_seconds=0.6, drop_after_accept=0.25,
              error_after_accept=0.05, duplicate_pages=0.2, enforce_limits=False)
WORDS = ["спасибо", "благодарим", "рады", "приятно", "ценим", "внимание", "выбор", "покупку", "отзыв", "мнение", "стараемся", "качество", "ткань", "размер", "доставку", "упаковку", "носите", "радостью", "ждём", "снова", "заглядывайте", "новинки", "коллекции", "удачи", "хорошего", "настроения", "дня", "важно", "учтём", "пожелания", "передадим", "команде", "производства"]


def reply_text(external_id: str) -> str:
    """A distinct reply per item (as real drafts are), so Ozon's repetition check passes."""
    rng = random.Random(int(hashlib.sha256(external_id.encode()).hexdigest()[:12], 16))  # noqa: S311
    return "Здравствуйте! " + " ".join(rng.sample(WORDS, 12)).capitalize() + "."


def worker(url: str, db_url: str, finish: bool) -> int:
    """One worker life: sync, approve every item's reply, publish; loop until everything is done."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session

    from otklik.domain import Draft, ReplyStatus, ReplyType
    from otklik.fake_marketplace.server import FakeMarketplace
    from otklik.fake_marketplace.testing import fake_connectors
    from otklik.profile import load_profile
    from otklik.store import repository as repo
    from otklik.store.db import open_store_engine
    from otklik.store.sync_tables import OutboxRow
    from otklik.store.tables import ItemRow, ReplyRow
    from otklik.workflow.publish import publish
    from otklik.workflow.sync import sync

    class Remote:  # the fake's address and default credentials, without starting a server here
        def __init__(self) -> None:
            from otklik.fake_marketplace.state import Credentials

            self.url = url
            self.state = type("S", (), {"creds": Credentials()})()

    import logging

    logging.basicConfig(level=logging.ERROR)
    engine = open_store_engine(db_url)
    conns = fake_connectors(Remote(), fast=True, max_attempts=8, timeout=3.0)  # type: ignore[arg-type]
    profile = load_profile()
    del FakeMarketplace
    print("ready", flush=True)
    for _ in range(200):
        res = sync(engine, conns, profile, draft=False)
        with Session(engine) as s, s.begin():
            q = select(ItemRow).where(~ItemRow.replies.any())
            for row in s.scalars(q):
                reply = repo.save_draft(s, row, Draft(text=reply_text(row.external_id), reply_type=ReplyType.REPLY))
                s.flush()
                repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor="human:bench")
        pub = publish(engine, conns, profile)
        with Session(engine) as s:
            open_rows = s.scalar(select(func.count()).select_from(OutboxRow).where(OutboxRow.state.in_(("pending", "sending"))))
            unpublished = s.scalar(select(func.count()).select_from(ReplyRow).where(ReplyRow.status == ReplyStatus.APPROVED))
        if finish and not res.added and not res.errors and not open_rows and not unpublished and not pub.errors:
            return 0
        if not finish and not open_rows and not unpublished:
            time.sleep(0.05)
    return 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-kind", type=int, default=12)
    args = ap.parse_args()

    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from otklik.fake_marketplace import FakeMarketplace, FakeState, Faults
    from otklik.store.db import open_store_engine
    from otklik.store.sync_tables import OutboxRow
    from otklik.store.tables import ItemRow, ReplyEventRow

    rng = random.Random(args.seed)  # noqa: S311
    tmp = Path(tempfile.mkdtemp(prefix="otklik-fault-"))
    db_url = os.environ.get("OTKLIK_BENCH_DB", f"sqlite:///{tmp / 'fault.db'}")
    open_store_engine(db_url)  # migrate once, before anyone can be killed mid-migration
    started = time.monotonic()
    kills = 0
    with FakeMarketplace(FakeState(seed=args.seed, per_kind=args.per_kind, faults=Faults(**FAULTS))) as fake:
        cmd = [sys.executable, __file__, "--worker", fake.url, db_url]
        for n in range(args.rounds):
            for platform in ("wildberries", "ozon", "yandex_market"):
                fake.add_items(platform, rng.choice(["review", "question"]), rng.randint(0, 3))
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)  # noqa: S603
            assert proc.stdout is not None
            proc.stdout.readline()  # "ready": imports done, the interesting part starts
            time.sleep(rng.uniform(0.0, 3.0))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
            print(f"round {n + 1:>2}: killed={proc.returncode == -signal.SIGKILL}  posted so far {len(fake.posted())}", file=sys.stderr)
        final = subprocess.run([*cmd, "--finish"], stdout=subprocess.DEVNULL, timeout=300)  # noqa: S603
        elapsed = time.monotonic() - started

        posted = Counter((p["platform"], p["item_id"]) for p in fake.posted())
        on_fake = {(i.platform, i.id) for items in fake.state.items.values() for i in items}
        engine = open_store_engine(db_url)
        with Session(engine) as s:
            stored = set(s.execute(select(ItemRow.source, ItemRow.external_id)).all())
            states = Counter(s.scalars(select(OutboxRow.state)).all())
            notes = list(s.scalars(select(ReplyEventRow.note).where(ReplyEventRow.actor == "otklik:publisher")))
        lost = on_fake - stored
        twice = {k: v for k, v in posted.items() if v > 1}
        unposted = on_fake - set(posted)
        stats = fake.state.snapshot()["stats"]
    print(f"rounds {args.rounds}, SIGKILLs {kills}, final run exit {final.returncode}, {elapsed:.0f} s")
    print(f"items on the fake {len(on_fake)}, in the store {len(stored)}, items lost {len(lost)}")
    print(f"replies posted {sum(posted.values())}, items answered {len(posted)}, replies posted twice {len(twice)}, "
          f"items never answered {len(unposted)}")
    print(f"outbox states {dict(states)}; interrupted sends found on the marketplace by read-back "
          f"{sum('read-back' in n for n in notes)}, proven absent and re-sent {sum('interrupted attempt' in n for n in notes)}")
    print(f"faults injected: {stats}")
    if lost or twice:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        raise SystemExit(worker(sys.argv[2], sys.argv[3], finish="--finish" in sys.argv))
    main()
