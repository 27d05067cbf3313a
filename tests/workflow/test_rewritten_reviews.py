"""A customer rewrites a review after its reply was approved or published: the old reply never
goes out silently; a rejected draft can be drafted again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.fake_marketplace import FakeMarketplace
from otklik.fake_marketplace.testing import fake_connectors
from otklik.profile import load_profile
from otklik.store.db import open_store_engine
from otklik.store.sync_tables import OutboxRow
from otklik.store.tables import ItemRow
from otklik.workflow import review
from otklik.workflow.publish import enqueue, publish
from otklik.workflow.sync import sync

runner = CliRunner()
HEADER = "id,text,rating,author,product\n"
PRAISE = 'r1,"Рубашка просто супер, ткань плотная, сидит идеально!",5,Анна,Рубашка оверсайз из льна\n'
TORN = 'r1,"Порвалось после первой стирки, верните деньги",1,Анна,Рубашка оверсайз из льна\n'


def run(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, res.output
    return res.output


def flat(output: str) -> str:
    """What a person reads in the boxes, with the frame and line breaks taken out."""
    return " ".join(output.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


def exported(db: str, tmp_path: Path) -> dict[str, dict]:
    out = tmp_path / "out.jsonl"
    run("export", str(out), "--db", db)
    return {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def test_rewritten_after_approval_is_redrafted_and_goes_back_to_a_person(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "cabinet.csv"
    f.write_text(HEADER + PRAISE, encoding="utf-8")
    run("import", str(f), "--process", "--db", db_url)
    run("approve", "r1", "--db", db_url)
    approved = exported(db_url, tmp_path)["r1"]
    assert approved["reply_status"] == "approved" and approved["sentiment"] == "positive"
    assert "nothing waits" in run("inbox", "--db", db_url)

    f.write_text(HEADER + TORN, encoding="utf-8")  # the customer rewrote it: 5★ praise → 1★ refund
    assert "1 updated" in run("import", str(f), "--process", "--db", db_url)

    now = exported(db_url, tmp_path)["r1"]
    assert now["sentiment"] == "negative" and now["problem"] is True, "re-analysed"
    assert now["reply_status"] == "draft" and now["needs_human"] is True
    assert now["reply"] != approved["reply"], "a new draft for the new words"
    assert "изменил отзыв" in now["attention"]
    inbox = flat(run("inbox", "--db", db_url))
    assert "r1" in inbox and "needs a person" in inbox and "изменил отзыв после того, как ответ был одобрен" in inbox
    assert "r1" in run("cases", "--db", db_url), "the complaint opened a case"

    run("approve", "r1", "--force", "--db", db_url)
    assert exported(db_url, tmp_path)["r1"]["attention"] is None, "approving the new reply settles it"


@pytest.fixture
def fake() -> Iterator[FakeMarketplace]:
    with FakeMarketplace(seed=11, per_kind=2) as server:
        server.set_faults(enforce_limits=False)
        yield server


def test_rewritten_on_the_marketplace_the_approved_old_reply_is_never_posted(fake: FakeMarketplace, db_url: str) -> None:
    engine = open_store_engine(db_url)
    profile = load_profile()
    conns = fake_connectors(fake, fast=True)
    sync(engine, conns, profile)
    newest = fake.state.listing("wildberries", "review")[-1]  # re-read by the next sync (its second is the cursor)
    review.approve(engine, profile, newest.id, actor="marina", force=True)
    enqueue(engine, profile, {c.name for c in conns if c.platform == "wildberries"})  # queued, not yet sent

    newest.rating, newest.text, newest.pros, newest.cons = 1, "Порвалось после первой стирки, верните деньги", "", ""
    result = sync(engine, conns, profile)
    assert result.updated >= 1 and result.drafted.rewritten == 1

    publish(engine, conns, profile)
    posted_here = [p for p in fake.posted() if p["item_id"] == newest.id]
    assert posted_here == [], "the reply approved for the praise must not answer the complaint"
    [entry] = [e for e in review.inbox(engine) if e.item_id == newest.id]
    assert entry.status == "draft" and entry.needs_human and entry.attention
    assert entry.rating == 1 and entry.reply and "изменил отзыв" in entry.reasons[0]
    with Session(engine) as s:
        row = s.scalar(select(ItemRow).where(ItemRow.external_id == newest.id))
        assert row is not None
        states = [o.state for o in s.scalars(select(OutboxRow)) if o.reply_id in {r.id for r in row.replies}]
        assert states == ["cancelled"]
    engine.dispose()


def test_rewritten_after_the_answer_was_published_is_flagged_never_kept_silently(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "wb.csv"
    f.write_text("Номер отзыва;Оценка;Текст отзыва;Имя;Ответ продавца\n"
                 "r1;5;Отличная рубашка, сидит идеально;Анна;Анна, спасибо! Рады, что рубашка села идеально.\n",
                 encoding="utf-8")
    run("import", str(f), "--process", "--db", db_url)
    assert "nothing waits" in run("inbox", "--db", db_url)

    f.write_text("Номер отзыва;Оценка;Текст отзыва;Имя;Ответ продавца\n"
                 "r1;1;Порвалось после первой стирки, верните деньги;Анна;Анна, спасибо! Рады, что рубашка села идеально.\n",
                 encoding="utf-8")
    run("import", str(f), "--process", "--db", db_url)
    inbox = flat(run("inbox", "--db", db_url))
    assert "r1" in inbox and "опубликованный ответ больше не подходит" in inbox and "otklik dismiss r1" in inbox
    row = exported(db_url, tmp_path)["r1"]
    assert row["sentiment"] == "negative" and row["reply_status"] == "published" and row["attention"]

    run("dismiss", "r1", "--db", db_url)
    assert "nothing waits" in run("inbox", "--db", db_url)


def test_a_rejected_reply_can_be_drafted_again(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "in.csv"
    f.write_text(HEADER + 'r1,"Всё нравится, но маломерит на размер",4,Мария,Брюки палаццо из льна\n', encoding="utf-8")
    run("import", str(f), "--process", "--db", db_url)
    first = exported(db_url, tmp_path)["r1"]["reply"]
    run("reject", "r1", "--db", db_url)
    assert exported(db_url, tmp_path)["r1"]["reply"] is None
    out = run("redraft", "r1", "--db", db_url)
    again = exported(db_url, tmp_path)["r1"]
    assert again["reply"] and again["reply"] != first and again["reply_status"] == "draft"
    assert again["reply"].split()[0] in out
    assert "r1" in run("inbox", "--db", db_url)
    run("approve", "r1", "--force", "--db", db_url)
    assert exported(db_url, tmp_path)["r1"]["reply_status"] == "approved"
    res = runner.invoke(app, ["redraft", "r1", "--db", db_url])
    assert res.exit_code == 2 and "reject it first" in res.output


def test_rewritten_while_the_old_reply_was_being_sent(fake: FakeMarketplace, db_url: str) -> None:
    """The customer rewrote the review while the old reply was being sent, and the publisher died
    before recording the send. The read-back finds the old reply on the marketplace: the item is
    flagged for a person (and nothing is posted twice)."""
    from otklik.store import repository as repo
    from otklik.workflow.publish import _claim

    engine = open_store_engine(db_url)
    profile = load_profile()
    conns = fake_connectors(fake, fast=True)
    wb = next(c for c in conns if c.platform == "wildberries")
    sync(engine, conns, profile)
    newest = fake.state.listing("wildberries", "review")[-1]
    review.approve(engine, profile, newest.id, actor="marina", force=True)
    enqueue(engine, profile, {wb.name})
    with Session(engine) as s:
        row = s.scalar(select(ItemRow).where(ItemRow.external_id == newest.id))
        assert row is not None
        outbox = s.scalar(select(OutboxRow).where(OutboxRow.reply_id.in_([r.id for r in row.replies])))
        assert outbox is not None
        item = repo.row_to_item(row)
    text = _claim(engine, outbox.id, profile, "wildberries")  # marked 'sending', the request goes out…
    assert text
    newest.rating, newest.text, newest.pros, newest.cons = 1, "Порвалось после первой стирки, верните деньги", "", ""
    assert sync(engine, conns, profile).drafted.rewritten == 1  # …the customer rewrites meanwhile…
    wb.post_reply(item, text)  # …the slow request lands, and the process dies before recording it
    result = publish(engine, conns, profile)
    assert result.reconciled == 1 and [p["text"] for p in fake.posted() if p["item_id"] == newest.id] == [text]
    flagged = [e for e in review.inbox(engine) if e.item_id == newest.id and e.attention]
    assert flagged and "опубликованный ответ больше не подходит" in flagged[0].attention
    engine.dispose()
