"""The store on SQLite and PostgreSQL: idempotent upserts, analyses, drafts with history."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from otklik.domain import (
    Analysis,
    AspectMention,
    Draft,
    FakeSignal,
    Item,
    ItemKind,
    LintFinding,
    ModeratorReport,
    ReplyStatus,
    ReplyType,
    Sentiment,
)
from otklik.store import repository as repo
from otklik.store.db import is_current, open_store_engine
from otklik.store.tables import AspectRow, ItemRow, ModeratorReportRow, ReplyEventRow


def _item(i: int, text: str = "Отличная рубашка", **kw) -> Item:
    return Item(external_id=f"r{i}", source="ozon", text=text, rating=5, author="Анна",
                created_at=datetime(2026, 11, 20, 10, tzinfo=UTC), **kw)


def test_migrations_bring_an_empty_database_to_head(db_url: str) -> None:
    engine = open_store_engine(db_url)
    assert is_current(engine)
    open_store_engine(db_url)  # a second upgrade is a no-op
    engine.dispose()


def test_upsert_is_idempotent_and_tracks_changes(db_url: str) -> None:
    engine = open_store_engine(db_url)
    with Session(engine) as s, s.begin():
        r = repo.upsert_items(s, [_item(1), _item(2, product="Рубашка", product_id="SH-1")])
        assert (r.added, r.updated, r.unchanged) == (2, 0, 0)
    with Session(engine) as s, s.begin():
        r = repo.upsert_items(s, [_item(1), _item(2, product="Рубашка", product_id="SH-1")])
        assert (r.added, r.updated, r.unchanged) == (0, 0, 2)
    with Session(engine) as s, s.begin():
        r = repo.upsert_items(s, [_item(1, text="Передумала: маломерит")])
        assert (r.added, r.updated) == (0, 1)
    with Session(engine) as s:
        assert repo.count_items(s) == 2
        row = s.scalar(select(ItemRow).where(ItemRow.external_id == "r1"))
        assert row is not None and row.text == "Передумала: маломерит"
        back = repo.row_to_item(row)
        assert back.created_at == datetime(2026, 11, 20, 10, tzinfo=UTC)
    engine.dispose()


def test_changed_item_needs_analysis_again(db_url: str) -> None:
    engine = open_store_engine(db_url)
    analysis = Analysis(kind=ItemKind.REVIEW, sentiment=Sentiment.POSITIVE,
                        aspects=[AspectMention("quality", Sentiment.POSITIVE, "качество")])
    with Session(engine) as s, s.begin():
        repo.upsert_items(s, [_item(1)])
        [row] = repo.items_needing_work(s)
        repo.save_analysis(s, row, analysis)
    with Session(engine) as s:
        assert repo.items_needing_work(s) == []
        assert [a.aspect for a in s.scalars(select(AspectRow))] == ["quality"]
    with Session(engine) as s, s.begin():
        repo.upsert_items(s, [_item(1, text="Порвалась после стирки")])
    with Session(engine) as s:
        assert [r.external_id for r in repo.items_needing_work(s)] == ["r1"]
    engine.dispose()


def test_drafts_keep_history_and_moderator_reports(db_url: str) -> None:
    engine = open_store_engine(db_url)
    signal = FakeSignal("fact_contradiction", "второго этажа нет", proves_false=True)
    d1 = Draft(text="Анна, спасибо за отзыв о рубашке!", reply_type=ReplyType.REPLY,
               lint=[LintFinding("P-NEXT", "нет приглашения", "warning")])
    d2 = Draft(text="Анна, благодарим за тёплые слова о рубашке.", reply_type=ReplyType.MODERATOR_REPORT,
               moderator_report=ModeratorReport("r1", [signal], "Просим проверить отзыв", request_deletion=True))
    with Session(engine) as s, s.begin():
        repo.upsert_items(s, [_item(1)])
        row = s.scalar(select(ItemRow))
        repo.save_draft(s, row, d1)
        s.flush()
        repo.save_draft(s, row, d2)
    with Session(engine) as s, s.begin():
        row = s.scalar(select(ItemRow))
        assert [r.status for r in row.replies] == [ReplyStatus.REJECTED, ReplyStatus.DRAFT]
        live = repo.latest_reply(row)
        assert live is not None and live.text == d2.text
        repo.set_reply_status(s, live, ReplyStatus.APPROVED, actor="human:marina")
        assert repo.reply_texts(s) == [d2.text]
        report = s.scalar(select(ModeratorReportRow))
        assert report is not None and report.request_deletion and report.reasons[0]["id"] == "fact_contradiction"
    with Session(engine) as s:
        events = [(e.status, e.actor) for e in s.scalars(select(ReplyEventRow).order_by(ReplyEventRow.id))]
        assert ("approved", "human:marina") in events and events.count(("draft", "otklik")) == 2
    engine.dispose()
