"""Publishing exactly once through the outbox, against the fake marketplace (crashes and drops included)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from otklik.domain import Draft, ReplyStatus, ReplyType
from otklik.fake_marketplace import FakeMarketplace
from otklik.fake_marketplace.testing import fake_connectors
from otklik.profile import load_profile
from otklik.sources.base import Connector
from otklik.store import repository as repo
from otklik.store.db import open_store_engine
from otklik.store.sync_tables import OutboxRow
from otklik.store.tables import AnalysisRow, ItemRow, ReplyRow
from otklik.workflow.publish import publish
from otklik.workflow.sync import sync

WORDS = ["спасибо", "рады", "носите", "с", "удовольствием", "ждём", "снова", "будем", "стараться", "дальше",
         "ценим", "ваше", "мнение", "очень", "приятно", "читать", "такие", "отзывы", "хорошего", "дня"]


def unique_text(n: int) -> str:
    """Replies that differ enough not to trip the repetition check (as real drafts do)."""
    words = [WORDS[(n * 7 + i * (n % 5 + 1)) % len(WORDS)] for i in range(9)]
    return f"Здравствуйте! Ответ номер {n}: " + " ".join(words) + f". Код {n * 7919 % 10007}."


@pytest.fixture
def fake() -> Iterator[FakeMarketplace]:
    with FakeMarketplace(seed=5, per_kind=3) as server:
        server.set_faults(enforce_limits=False)
        yield server


def setup_store(fake: FakeMarketplace, db_url: str, *, approve: bool = True):  # noqa: ANN201
    engine = open_store_engine(db_url)
    conns = fake_connectors(fake, fast=True)
    sync(engine, conns, load_profile(), draft=False)
    with Session(engine) as s, s.begin():
        for n, row in enumerate(s.scalars(select(ItemRow).order_by(ItemRow.id))):
            reply = repo.save_draft(s, row, Draft(text=unique_text(n), reply_type=ReplyType.REPLY))
            s.flush()
            if approve:
                repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor="human:test")
    return engine, conns


def posted_per_item(fake: FakeMarketplace) -> dict[tuple[str, str], int]:
    out: dict[tuple[str, str], int] = {}
    for p in fake.posted():
        out[(p["platform"], p["item_id"])] = out.get((p["platform"], p["item_id"]), 0) + 1
    return out


def test_approved_replies_are_posted_once_with_ids_and_moderation_states(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url)
    first = publish(engine, conns, load_profile())
    assert (first.sent, first.blocked, first.failed) == (18, 0, 0)
    again = publish(engine, conns, load_profile())
    assert again.sent == 0 and again.enqueued == 0
    assert sorted(set(posted_per_item(fake).values())) == [1] and len(fake.posted()) == 18
    with Session(engine) as s:
        replies = list(s.scalars(select(ReplyRow).where(ReplyRow.status == ReplyStatus.PUBLISHED)))
        assert len(replies) == 18
        states = {(r.item.source, r.item.kind): r.moderation_state for r in replies}
        assert states[("ozon", "question")] == "AWAITING_MODERATION"
        assert states[("yandex_market", "review")] == "UNMODERATED"
        assert states[("wildberries", "review")] == "reviewRequired"
        fake_ids = {(p["platform"], p["item_id"]): p["id"] for p in fake.posted()}
        for r in replies:
            assert r.external_reply_id == fake_ids[(r.item.source, r.item.external_id)]
            assert [e.status for e in r.events][-1] == ReplyStatus.PUBLISHED


def test_dropped_connection_after_accept_is_reconciled_not_reposted(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url)
    fake.set_faults(drop_after_accept=1.0)  # every reply POST is stored, then the connection is cut
    result = publish(engine, conns, load_profile())
    assert fake.state.stats["dropped"] == 18
    assert result.reconciled == 18 and result.sent == 0
    fake.set_faults(drop_after_accept=0.0)
    assert publish(engine, conns, load_profile()).sent == 0
    assert len(fake.posted()) == 18 and set(posted_per_item(fake).values()) == {1}
    with Session(engine) as s:
        rows = list(s.scalars(select(OutboxRow)))
        assert {r.state for r in rows} == {"sent"} and all(r.external_reply_id for r in rows)


def _crash_after_post(engine, conn: Connector) -> None:  # noqa: ANN001
    """What a process killed right after the marketplace accepted the reply leaves behind."""
    with Session(engine) as s, s.begin():
        row = s.scalars(select(OutboxRow).where(OutboxRow.source == conn.name, OutboxRow.state == "pending")).first()
        assert row is not None
        row.state, row.attempts, row.last_attempt_at = "sending", 1, datetime.now(UTC)
        item = repo.row_to_item(s.get(ReplyRow, row.reply_id).item)
        text = row.text
    conn.post_reply(item, text)  # accepted by the marketplace ... and the process dies here


def test_crash_between_post_and_recording_posts_nothing_new(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url)
    from otklik.workflow.publish import enqueue

    enqueue(engine, load_profile(), {c.name for c in conns})
    for conn in conns:
        _crash_after_post(engine, conn)
    assert len(fake.posted()) == 3
    result = publish(engine, conns, load_profile())  # the restart
    assert result.reconciled == 3 and result.sent == 15
    assert len(fake.posted()) == 18 and set(posted_per_item(fake).values()) == {1}
    with Session(engine) as s:
        rec = [r for r in s.scalars(select(ReplyRow)) if any("read-back" in e.note for e in r.events)]
        assert len(rec) == 3 and all(r.external_reply_id and r.status == ReplyStatus.PUBLISHED for r in rec)


def test_crash_before_the_call_posts_exactly_once_after_read_back(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url)
    from otklik.workflow.publish import enqueue

    enqueue(engine, load_profile(), {c.name for c in conns})
    with Session(engine) as s, s.begin():
        for row in s.scalars(select(OutboxRow)):
            row.state = "sending"  # killed after committing 'sending', before the HTTP call
    result = publish(engine, conns, load_profile())
    assert result.reposted == 18 and result.sent == 18
    assert len(fake.posted()) == 18


def test_platform_rules_block_contacts_links_and_repeats(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url, approve=False)
    bad = {
        ("yandex_market", "review"): "Спасибо! Пишите нам на shop@example.ru или звоните +7 (912) 345-67-89.",
        ("wildberries", "review"): "Спасибо! Подробности на нашем сайте https://example-shop.ru/sale",
        ("ozon", "question"): "Да",  # a 1-char answer is too short for Ozon (2..3000)
    }
    with Session(engine) as s, s.begin():
        seen: set[tuple[str, str]] = set()
        for row in s.scalars(select(ItemRow).order_by(ItemRow.id)):
            key = (row.source, row.kind)
            reply = repo.latest_reply(row)
            if key in bad and key not in seen:
                seen.add(key)
                reply = repo.save_draft(s, row, Draft(text=bad[key][: 1 if key[0] == "ozon" else None], reply_type=ReplyType.REPLY))
                s.flush()
                repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor="human:test")
            elif row.source == "ozon" and row.kind == "review":
                repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor="human:test")
    publish(engine, conns, load_profile())
    # now try to post, on Ozon, a near copy of a reply already published there
    with Session(engine) as s, s.begin():
        done = s.scalars(select(ReplyRow).join(ItemRow).where(ItemRow.source == "ozon", ReplyRow.status == ReplyStatus.PUBLISHED)).first()
        assert done is not None and done.text
        target = s.scalars(select(ItemRow).where(ItemRow.source == "ozon", ItemRow.kind == "question")).all()[-1]
        copy = repo.save_draft(s, target, Draft(text=done.text.replace("Здравствуйте!", "Добрый день!"), reply_type=ReplyType.REPLY))
        s.flush()
        repo.set_reply_status(s, copy, ReplyStatus.APPROVED, actor="human:test")
    result = publish(engine, conns, load_profile())
    assert result.blocked == 1
    posted_texts = [p["text"] for p in fake.posted()]
    assert not any("@" in t or "http" in t or t == "Д" for t in posted_texts)
    with Session(engine) as s:
        blocked = list(s.scalars(select(OutboxRow).where(OutboxRow.state == "blocked")))
        reasons = " | ".join(b.error for b in blocked)
        assert len(blocked) == 4
        assert "phone" in reasons and "link" in reasons and "length" in reasons and "repeats" in reasons


def test_auto_publish_rule_posts_only_what_the_profile_allows(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url, approve=False)
    profile = load_profile().model_copy(deep=True)
    profile.auto_publish.enabled = True
    with Session(engine) as s, s.begin():
        for row in s.scalars(select(ItemRow)):
            s.add(AnalysisRow(item_id=row.id, sentiment="positive" if (row.rating or 0) >= 4 else "negative",
                              payload={}, content_hash=row.content_hash, analyzed_at=datetime.now(UTC)))
    result = publish(engine, conns, profile)
    with Session(engine) as s:
        fives = [r for r in s.scalars(select(ItemRow)) if r.rating == 5]
    assert fives and result.auto_approved == len(fives) == result.sent
    assert {p["item_id"] for p in fake.posted()} == {r.external_id for r in fives}


def test_ozon_comment_hidden_until_moderation_is_still_not_posted_twice(fake: FakeMarketplace, db_url: str) -> None:
    """Ozon's comment list shows only moderated comments; the review's PROCESSED status proves acceptance."""
    engine, conns = setup_store(fake, db_url)
    ozon = [c for c in conns if c.name == "ozon"]
    fake.set_faults(drop_after_accept=1.0, hide_unmoderated=True)
    result = publish(engine, ozon, load_profile())
    assert result.reconciled == 6 and result.sent == 0
    fake.set_faults(drop_after_accept=0.0)
    publish(engine, ozon, load_profile())
    assert len(fake.posted()) == 6 and set(posted_per_item(fake).values()) == {1}


def test_auto_publish_never_posts_an_unsure_reading(fake: FakeMarketplace, db_url: str) -> None:
    engine, conns = setup_store(fake, db_url, approve=False)
    profile = load_profile().model_copy(deep=True)
    profile.auto_publish.enabled = True
    with Session(engine) as s, s.begin():
        for row in s.scalars(select(ItemRow)):
            unsure = {"confidence": 0.3, "doubts": ["stars_text_disagree"]}
            s.add(AnalysisRow(item_id=row.id, sentiment="positive" if (row.rating or 0) >= 4 else "negative",
                              payload=unsure, content_hash=row.content_hash, analyzed_at=datetime.now(UTC)))
    result = publish(engine, conns, profile)
    assert result.auto_approved == 0 and result.sent == 0
    assert fake.posted() == []
