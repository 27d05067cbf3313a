"""The ledger keeps alerts at-least-once and never sent twice at the same time, across runs and machines."""

from __future__ import annotations

import datetime as dt

from otklik.alerts import check_alerts, find_overdue, ledger

from .conftest import NOW, add_item, profile_with


def test_a_run_that_died_mid_send_is_not_doubled_at_once_but_retried_after_the_lease(engine, webhook) -> None:  # noqa: ANN001
    add_item(engine, "wb-1", age=30)
    prof = profile_with([{"type": "webhook", "url": webhook.url}])
    alerts = find_overdue(engine, target_hours=24, now=NOW)
    # a run on another machine claimed the alert, then died before it could say whether it sent
    assert ledger.claim(engine, "webhook", alerts, token=ledger.new_claim(), now=NOW) == alerts
    soon = check_alerts(engine, prof, now=NOW + dt.timedelta(minutes=1))
    assert soon.outcomes[0].status == "nothing" and soon.outcomes[0].busy == 1 and webhook.requests == []
    later = check_alerts(engine, prof, now=NOW + ledger.LEASE + dt.timedelta(minutes=1))
    assert later.outcomes[0].status == "sent" and len(webhook.requests) == 1
    again = check_alerts(engine, prof, now=NOW + ledger.LEASE + dt.timedelta(minutes=2))
    assert again.outcomes[0].status == "nothing" and len(webhook.requests) == 1


def test_two_runs_claiming_at_once_share_nothing(engine) -> None:  # noqa: ANN001
    for i in range(5):
        add_item(engine, f"wb-{i}", age=30 + i)
    alerts = find_overdue(engine, target_hours=24, now=NOW)
    first = ledger.claim(engine, "telegram", alerts[:3], token="machine-a", now=NOW)
    second = ledger.claim(engine, "telegram", alerts, token="machine-b", now=NOW)
    assert len(first) == 3 and len(second) == 2
    assert {a.key for a in first}.isdisjoint({a.key for a in second})
    # each channel has its own ledger: the same alert is new for e-mail
    assert len(ledger.claim(engine, "email", alerts, token="machine-a", now=NOW)) == 5


def test_a_failed_send_is_claimed_again_and_counts_attempts(engine) -> None:  # noqa: ANN001
    add_item(engine, "wb-1", age=30)
    alerts = find_overdue(engine, target_hours=24, now=NOW)
    mine = ledger.claim(engine, "ops", alerts, token="run-1", now=NOW)
    ledger.finish(engine, "ops", mine, token="run-1", now=NOW, error="ops: webhook answered HTTP 500")
    assert ledger.states(engine, "ops", [alerts[0].key])[alerts[0].key][0] == "failed"
    again = ledger.claim(engine, "ops", alerts, token="run-2", now=NOW)
    ledger.finish(engine, "ops", again, token="run-2", now=NOW)
    state, _at, error = ledger.states(engine, "ops", [alerts[0].key])[alerts[0].key]
    assert (state, error, len(again)) == ("sent", "", 1)
    assert ledger.claim(engine, "ops", alerts, token="run-3", now=NOW) == []


def test_migration_0005_matches_the_table_and_downgrades(db_url) -> None:  # noqa: ANN001
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import inspect

    from otklik.store.db import alembic_config, open_store_engine
    from otklik.store.tables import Base

    engine = open_store_engine(db_url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diffs if "alert_deliveries" in repr(d)] == []
    command.downgrade(alembic_config(engine), "0004")
    assert "alert_deliveries" not in inspect(engine).get_table_names()
    command.upgrade(alembic_config(engine), "head")
    assert "alert_deliveries" in inspect(engine).get_table_names()
    engine.dispose()
