"""End to end against the fake marketplace: sync all three marketplaces into the store, incrementally."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from otklik.fake_marketplace import FakeMarketplace
from otklik.fake_marketplace.testing import fake_connectors
from otklik.profile import load_profile
from otklik.store.db import open_store_engine
from otklik.store.sync_tables import SyncCursorRow
from otklik.store.tables import ItemRow
from otklik.workflow.sync import sync, sync_source


@pytest.fixture
def fake() -> Iterator[FakeMarketplace]:
    with FakeMarketplace(seed=11, per_kind=8) as server:
        yield server


def counts(engine) -> dict[tuple[str, str], tuple[int, int]]:  # noqa: ANN001
    with Session(engine) as s:
        rows = s.execute(select(ItemRow.source, ItemRow.kind, func.count(), func.count(ItemRow.product))
                         .group_by(ItemRow.source, ItemRow.kind)).all()
    return {(src, kind): (n, named) for src, kind, n, named in rows}


def test_sync_brings_every_item_with_product_names_and_a_rerun_adds_nothing(fake: FakeMarketplace, db_url: str) -> None:
    engine = open_store_engine(db_url)
    profile = load_profile()
    result = sync(engine, fake_connectors(fake), profile, draft=False)
    assert result.errors == {} and result.added == 6 * 8
    got = counts(engine)
    for source in ("wildberries", "ozon", "yandex_market"):
        for kind in ("review", "question"):
            assert got[(source, kind)] == (8, 8), (source, kind)  # all items, all with a product name
    with Session(engine) as s:
        ozon = s.scalars(select(ItemRow).where(ItemRow.source == "ozon", ItemRow.kind == "review")).first()
        assert ozon is not None and ozon.product in {p["name"] for p in fake.state.bank["products"]}
    # a "restart": new engine, new connectors; the cursors in the database carry on
    engine2 = open_store_engine(db_url)
    again = sync(engine2, fake_connectors(fake), profile, draft=False)
    assert again.added == 0 and again.updated == 0
    fake.add_items("wildberries", "review", 2)
    fake.add_items("ozon", "question", 1)
    fake.add_items("yandex_market", "review", 3)
    third = sync(engine2, fake_connectors(fake), profile, draft=False)
    assert third.added == 6 and third.updated == 0
    with Session(engine2) as s:
        assert s.scalar(select(func.count()).select_from(SyncCursorRow)) == 6


def test_sync_survives_rate_limits_server_errors_and_duplicate_pages(fake: FakeMarketplace, db_url: str) -> None:
    # client buckets lifted so that the injected 429/420s, not our own pacing, decide the timing
    fake.set_faults(rate_limit=0.25, rate_limit_retry=0.05, error_5xx=0.2, duplicate_pages=0.3, enforce_limits=False)
    engine = open_store_engine(db_url)
    result = sync(engine, fake_connectors(fake, fast=True, page_size=3, max_attempts=12), load_profile(), draft=False)
    assert result.errors == {}
    assert all(n == 8 for n, _named in counts(engine).values())
    state = fake.state.snapshot()["stats"]
    assert state["rate_limited_injected"] > 0 and state["errors_injected"] > 0


def test_sync_keeps_under_the_documented_rate_limits(fake: FakeMarketplace, db_url: str) -> None:
    """The fake enforces WB's 3 rps/burst 6 and answers 429 when exceeded: our buckets never trigger it."""
    engine = open_store_engine(db_url)
    wb = [c for c in fake_connectors(fake, page_size=1) if c.platform == "wildberries"][0]
    sync_source(engine, wb, streams=("feedbacks",))  # 8 items, one per page: more requests than the burst
    assert wb.stats["requests"] > 6
    assert fake.state.stats["rate_limited_enforced"] == 0


def test_watch_loop_polls_each_source_and_picks_up_new_items(fake: FakeMarketplace, db_url: str) -> None:
    from otklik.workers.poller import Watcher

    engine = open_store_engine(db_url)
    conns = fake_connectors(fake, fast=True)
    fake.set_faults(enforce_limits=False)
    watcher = Watcher(engine, conns, load_profile(), intervals={c.name: 0.05 for c in conns}, draft=False, do_publish=False)
    assert watcher.run(max_cycles=3) == 3
    fake.add_items("ozon", "review", 2)
    watcher.run(max_cycles=3)
    assert counts(engine)[("ozon", "review")] == (10, 10)
