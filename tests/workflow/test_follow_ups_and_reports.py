"""After a complaint is resolved the follow-up is approved and published like any reply; moderator
reports for suspected fakes can be read and exported; a case is as old as the review."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.fake_marketplace import FakeMarketplace
from otklik.fake_marketplace.testing import fake_connectors
from otklik.profile import bundled_profile_path, load_profile
from otklik.store.db import open_store_engine
from otklik.workflow import review
from otklik.workflow.cases import list_cases, resolve_case
from otklik.workflow.drafting import draft_pending
from otklik.workflow.importing import import_file
from otklik.workflow.publish import publish
from otklik.workflow.sync import sync

runner = CliRunner()


def test_the_follow_up_is_in_the_inbox_approvable_and_published(db_url: str) -> None:
    profile = load_profile()
    with FakeMarketplace(seed=3, per_kind=0) as fake:
        fake.set_faults(enforce_limits=False)
        [torn] = fake.state.add_new("ozon", "review", 1, rating=1, text="Пришла рубашка с дыркой на рукаве, верните деньги")
        engine = open_store_engine(db_url)
        conns = fake_connectors(fake, fast=True)
        sync(engine, conns, profile)
        review.approve(engine, profile, torn.id, actor="marina", force=True)
        assert publish(engine, conns, profile).sent == 1

        follow = resolve_case(engine, profile, torn.id, resolution="Вернули деньги и отправили новую рубашку",
                              prevention="Теперь каждую рубашку осматриваем перед отправкой")
        [entry] = review.inbox(engine)
        assert entry.item_id == torn.id and entry.follow_up and entry.status == "draft" and entry.reply == follow.text

        res = runner.invoke(app, ["approve", torn.id, "--db", db_url, "--force"])
        assert res.exit_code == 0, res.output
        assert review.inbox(engine) == []
        assert publish(engine, conns, profile).sent == 1
        posted = [p["text"] for p in fake.posted() if p["item_id"] == torn.id]
        assert len(posted) == 2 and posted[1] == follow.text, "the reply, then the follow-up"
        engine.dispose()


def test_case_age_counts_from_when_the_customer_wrote(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "old.jsonl"
    f.write_text(json.dumps({"id": "late", "text": "Пришла с дыркой на рукаве", "rating": 1,
                             "created_at": "2026-11-20T10:00:00+03:00"}, ensure_ascii=False) + "\n", encoding="utf-8")
    engine = open_store_engine(db_url)
    import_file(engine, f)
    profile = load_profile()
    draft_pending(engine, profile)
    [case] = list_cases(engine, profile, now=datetime(2026, 11, 27, 7, tzinfo=UTC))
    assert case.item_id == "late" and case.age_hours == 168.0, "a week-old review imported today is a week old"
    assert case.overdue and case.opened_at == datetime(2026, 11, 20, 7, tzinfo=UTC)
    engine.dispose()


def test_moderator_reports_are_listed_and_exported(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "cafe.jsonl"
    f.write_text(json.dumps({"id": "ex-7", "rating": 1, "source": "yandex_maps",
                             "text": "Ужасно грязно на втором этаже, столы липкие, в туалете нет бумаги. Больше не придём!"},
                            ensure_ascii=False) + "\n", encoding="utf-8")
    cafe = str(bundled_profile_path("restaurant"))
    res = runner.invoke(app, ["import", str(f), "--process", "--db", db_url, "--profile", cafe])
    assert res.exit_code == 0, res.output
    shown = " ".join(runner.invoke(app, ["reports", "--db", db_url]).output.split())
    assert "ex-7" in shown and "deletion requested" in shown and "Просим проверить отзыв ex-7" in shown

    out = tmp_path / "reports.jsonl"
    res = runner.invoke(app, ["reports", "--export", str(out), "--db", db_url])
    assert res.exit_code == 0 and "exported 1 moderator reports" in res.output
    [rep] = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rep["item_id"] == "ex-7" and rep["request_deletion"] is True
    assert any("этаж" in s for s in rep["signals"]) and rep["text"].startswith("Просим проверить отзыв ex-7")
    res = runner.invoke(app, ["reports", "--export", str(tmp_path / "reports.csv"), "--db", db_url])
    with (tmp_path / "reports.csv").open(encoding="utf-8-sig") as fh:
        assert [r["item_id"] for r in csv.DictReader(fh)] == ["ex-7"]

    items = tmp_path / "all.jsonl"
    assert runner.invoke(app, ["export", str(items), "--db", db_url]).exit_code == 0
    [row] = [json.loads(x) for x in items.read_text(encoding="utf-8").splitlines()]
    assert row["reply_type"] == "moderator_report" and row["moderator_report"] == rep["text"]
