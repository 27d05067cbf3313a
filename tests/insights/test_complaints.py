"""Complaint causes over time and per product; a spike of one cause is reported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.insights import complaint_stats
from otklik.insights.report import render_html
from otklik.store import repository as repo
from otklik.store.db import open_store_engine
from otklik.store.tables import ItemRow


def _seed(db_url: str) -> None:
    engine = open_store_engine(db_url)
    start = datetime(2026, 9, 7, 12, tzinfo=UTC)  # a Monday
    rows = []
    n = 0
    for week in range(8):
        for _ in range(2):  # a steady trickle of delivery complaints
            rows.append((start + timedelta(weeks=week), "delivery", "Юбка миди"))
        if week == 7:  # size complaints jump in the last week
            for _ in range(6):
                rows.append((start + timedelta(weeks=week, days=1), "size_fit", "Рубашка оверсайз"))
        elif week % 3 == 0:
            rows.append((start + timedelta(weeks=week), "size_fit", "Рубашка оверсайз"))
    with Session(engine) as s, s.begin():
        items = []
        for when, _aspect, product in rows:
            n += 1
            items.append(Item(external_id=f"i{n}", source="ozon", kind=ItemKind.REVIEW,
                              text="<script>alert(1)</script> маломерит", rating=2, product=product, created_at=when))
        repo.upsert_items(s, items)
        by_ext = {r.external_id: r for r in s.scalars(select(ItemRow))}
        for i, (_when, aspect, _p) in enumerate(rows, start=1):
            repo.save_analysis(s, by_ext[f"i{i}"], Analysis(kind=ItemKind.REVIEW, sentiment=Sentiment.NEGATIVE, problem=True,
                                                           aspects=[AspectMention(aspect, Sentiment.NEGATIVE)]))
    engine.dispose()


def test_spike_of_one_cause_is_news(db_url: str) -> None:
    _seed(db_url)
    stats = complaint_stats(open_store_engine(db_url), period="week")
    assert len(stats.periods) == 8
    assert stats.totals["delivery"] == 16
    assert [s.aspect for s in stats.spikes] == ["size_fit"]
    assert stats.spikes[0].count == 6
    assert stats.by_product["Рубашка оверсайз"]["size_fit"] == 9


def test_report_has_plots_and_escapes_review_text(db_url: str) -> None:
    _seed(db_url)
    html = render_html(complaint_stats(open_store_engine(db_url)), business="Лён & Хлопок")
    assert html.count("data:image/png;base64,") == 2
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Лён &amp; Хлопок" in html
