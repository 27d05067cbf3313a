"""The team inbox from the store: filters pick the right items, pages cover every item exactly once,
counters add up, search takes «50%» literally, and the inbox follows every change of a reply."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.domain import Item, ItemKind
from otklik.errors import InputError
from otklik.profile import load_profile
from otklik.store import inbox as inbox_sync
from otklik.store import repository as repo
from otklik.store.db import open_store_engine
from otklik.store.inbox_query import InboxFilter, parse_rating
from otklik.store.tables import InboxAspectRow, InboxEntryRow
from otklik.workflow import review
from otklik.workflow.drafting import draft_pending
from otklik.workflow.importing import import_file

NOW = datetime.now(UTC)
OLD = (NOW - timedelta(days=5)).isoformat()
FRESH = (NOW - timedelta(hours=1)).isoformat()
ROWS = [
    {"id": "n1", "text": "Пришла с дыркой на рукаве, брак, очень расстроена", "rating": 1, "author": "Ольга",
     "product": "Рубашка оверсайз из льна", "product_id": "sku-1", "source": "wildberries", "created_at": OLD},
    {"id": "n2", "text": "Маломерит на два размера, ткань тонкая и просвечивает", "rating": 2, "author": "Ирина",
     "product": "Платье миди", "product_id": "sku-2", "source": "ozon", "created_at": FRESH},
    {"id": "p1", "text": "Отличная рубашка, сидит идеально, спасибо!", "rating": 5, "author": "Анна",
     "product": "Рубашка оверсайз из льна", "product_id": "sku-1", "source": "wildberries", "created_at": OLD},
    {"id": "p2", "text": "Скидка 50% порадовала, рубашка отличная", "rating": 5, "author": "Мария",
     "product": "Рубашка оверсайз из льна", "product_id": "sku-1", "source": "ozon", "created_at": FRESH},
    {"id": "p3", "text": "Взяла за 500 рублей, качество отличное", "rating": 5, "author": "Елена",
     "product": "Платье миди", "product_id": "sku-2", "source": "ozon", "created_at": FRESH},
    {"id": "p4", "text": "Цвет как на фото, размер 50_52 подошёл, всё отлично", "rating": 4, "author": "Ёлка",
     "product": "Платье миди", "product_id": "sku-2", "source": "wildberries", "created_at": "2026-11-02T10:00:00+00:00"},
    {"id": "q1", "kind": "question", "text": "Подскажите, какой размер взять на рост 170?", "author": "Вика",
     "product": "Платье миди", "product_id": "sku-2", "source": "ozon", "created_at": FRESH},
]


@pytest.fixture
def engine(db_url: str, tmp_path: Path):  # noqa: ANN201 - Engine
    f = tmp_path / "rows.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    eng = open_store_engine(db_url)
    import_file(eng, f)
    draft_pending(eng, load_profile())
    yield eng
    eng.dispose()


def ids(engine, flt: InboxFilter, **kw: object) -> list[str]:  # noqa: ANN001
    return [e.item_id for e in review.inbox_page(engine, flt, per_page=50, **kw).entries]


def test_filters_return_exactly_the_matching_items(engine) -> None:  # noqa: ANN001
    assert set(ids(engine, InboxFilter())) == {r["id"] for r in ROWS}
    assert ids(engine, InboxFilter(source="ozon")) == [e for e in ids(engine, InboxFilter()) if e in {"n2", "p2", "p3", "q1"}]
    assert set(ids(engine, InboxFilter(rating_max=2))) == {"n1", "n2"}
    assert set(ids(engine, InboxFilter(rating_min=5))) == {"p1", "p2", "p3"}
    assert ids(engine, InboxFilter(kind="question")) == ["q1"]
    assert set(ids(engine, InboxFilter(sentiment="negative", rating_max=2))) == {"n1", "n2"}
    assert set(ids(engine, InboxFilter(product="sku-1"))) == {"n1", "p1", "p2"}
    assert set(ids(engine, InboxFilter(product="Платье миди"))) == {"n2", "p3", "p4", "q1"}
    assert "n2" in ids(engine, InboxFilter(aspect="size_fit")) and "p1" not in ids(engine, InboxFilter(aspect="defect"))
    assert ids(engine, InboxFilter(aspect="defect", overdue=True), target_hours=24) == ["n1"]
    assert ids(engine, InboxFilter(aspect="defect", status="approved")) == []
    assert ids(engine, InboxFilter(written_from=date(2026, 11, 1), written_to=date(2026, 11, 2))) == ["p4"]
    # overdue: still owed a reply and older than the 24 h target
    assert set(ids(engine, InboxFilter(overdue=True), target_hours=24)) == {"n1", "p1", "p4"}
    assert set(ids(engine, InboxFilter(overdue=True), target_hours=24 * 365)) == set()


def test_most_urgent_first_and_pages_cover_every_item_once(engine) -> None:  # noqa: ANN001
    whole = review.inbox_page(engine, InboxFilter(), per_page=50).entries
    assert [e.priority for e in whole] == sorted((e.priority for e in whole), reverse=True)
    assert whole[0].item_id in {"n1", "n2", "q1"}, "a complaint or a question leads"
    seen = []
    for page in range(1, 5):
        got = review.inbox_page(engine, InboxFilter(), page=page, per_page=2)
        assert got.total == len(ROWS) and got.pages == 4
        seen += [e.item_id for e in got.entries]
    assert seen == [e.item_id for e in whole] and len(set(seen)) == len(ROWS)
    assert review.inbox_page(engine, InboxFilter(), page=9, per_page=2).entries == []


def test_search_is_literal_and_folds_case_and_yo(engine) -> None:  # noqa: ANN001
    assert ids(engine, InboxFilter(search="50%")) == ["p2"], "% is a character, not a wildcard"
    assert ids(engine, InboxFilter(search="50_")) == ["p4"], "_ is a character, not a wildcard"
    assert ids(engine, InboxFilter(search="СКИДКА")) == ["p2"]
    assert ids(engine, InboxFilter(search="елка")) == ["p4"], "the author, ё as е"
    assert set(ids(engine, InboxFilter(search="миди"))) == {"n2", "p3", "p4", "q1"}, "the product name"
    assert ids(engine, InboxFilter(search="%")) == ["p2"]
    assert ids(engine, InboxFilter(search="'; DROP TABLE items; --")) == []


def test_counters_follow_approval_and_match_the_lists(engine) -> None:  # noqa: ANN001
    profile = load_profile()
    review.approve(engine, profile, "p1", actor="marina", force=True)
    review.reject(engine, "n2", actor="marina")
    got = review.inbox_page(engine, InboxFilter(), with_counts=True, target_hours=24)
    counts = got.counts
    assert counts["approved"] == 1 and counts["none"] == 1 and counts["all"] == len(ROWS)
    assert counts["open"] == len(ROWS) - 1 == got.total
    assert counts["overdue"] == 2, "n1 and p4 still owed; p1 is answered now"
    for status in ("draft", "none", "approved", "published", "all", "open"):
        listed = review.inbox_page(engine, InboxFilter(status=status), per_page=50)
        assert listed.total == counts[status] == len(listed.entries), status
    assert ids(engine, InboxFilter(status="approved")) == ["p1"]
    assert "p1" not in ids(engine, InboxFilter()), "an approved reply leaves the waiting list"


def test_the_inbox_table_always_equals_a_rebuild(engine, db_url: str) -> None:  # noqa: ANN001
    """Every change below goes through the workflow; the table kept in step must equal a fresh build."""
    profile = load_profile()
    review.approve(engine, profile, "p3", actor="marina", force=True)
    review.reject(engine, "n1", actor="marina")
    with Session(engine) as s, s.begin():  # the customer rewrites p2 and the seller answered q1 elsewhere
        p2 = dict(ROWS[3], text="Скидка 50% была, но рубашка села после стирки", rating=2)
        q1 = dict(ROWS[6])
        items = [Item(external_id=r["id"], source=r["source"], kind=ItemKind(r.get("kind", "review")), text=r["text"],
                      rating=r.get("rating"), author=r["author"], product=r["product"], product_id=r["product_id"],
                      created_at=datetime.fromisoformat(r["created_at"]),
                      seller_answer="Берите M" if r is q1 else None) for r in (p2, q1)]
        repo.upsert_items(s, items)
    draft_pending(engine, profile)

    def snapshot() -> list[tuple]:
        with Session(engine) as s:
            rows = s.scalars(select(InboxEntryRow).order_by(InboxEntryRow.item_id, InboxEntryRow.follow_up))
            lines = [(r.item_id, r.follow_up, r.reply_id, r.status, r.is_open, r.attention, r.rating, r.haystack)
                     for r in rows]
            tagged = s.scalars(select(InboxAspectRow).order_by(InboxAspectRow.item_id, InboxAspectRow.follow_up,
                                                               InboxAspectRow.aspect))
            return lines + [(t.aspect, t.item_id, t.follow_up, t.is_open, t.late_from, t.rank) for t in tagged]

    kept = snapshot()
    counted = review.inbox_page(engine, with_counts=True).counts
    with engine.begin() as conn:
        inbox_sync.rebuild(conn)
    assert snapshot() == kept
    assert review.inbox_page(engine, with_counts=True).counts == counted, "the counters moved as the lines did"
    by_id = {e.item_id: e for e in review.inbox_page(engine, InboxFilter(status="all"), per_page=50).entries}
    assert by_id["q1"].status == "published" and by_id["n1"].status == "none"
    assert by_id["p2"].rating == 2 and ids(engine, InboxFilter(search="после стирки")) == ["p2"]


def test_bad_filters_are_refused_by_name() -> None:
    with pytest.raises(InputError, match="status"):
        InboxFilter(status="deleted")
    with pytest.raises(InputError, match="sentiment"):
        InboxFilter(sentiment="angry")
    with pytest.raises(InputError, match="rating"):
        parse_rating("7")
    assert parse_rating("<=2") == (None, 2) and parse_rating("≥4") == (4, None) and parse_rating("2-1") == (1, 2)


def test_cli_inbox_filters_and_says_how_many(engine, db_url: str) -> None:  # noqa: ANN001
    runner = CliRunner()
    res = runner.invoke(app, ["inbox", "--db", db_url, "--rating", "<=2", "--limit", "1"])
    assert res.exit_code == 0, res.output
    assert "shown 1 of 2 (page 1 of 2)" in res.output
    res = runner.invoke(app, ["inbox", "--db", db_url, "--search", "50%", "--source", "ozon"])
    assert "p2" in res.output and "shown 1 of 1" in res.output
    bad = runner.invoke(app, ["inbox", "--db", db_url, "--sentiment", "angry"])
    assert bad.exit_code == 2 and "sentiment 'angry' is not one of" in bad.output


@pytest.mark.parametrize("overdue", [False, True])
@pytest.mark.parametrize("status", ["open", "all"])
def test_an_aspect_view_read_from_its_own_index_matches_the_full_query(engine, status: str, overdue: bool) -> None:  # noqa: ANN001
    """An aspect filter alone is answered from inbox_aspects: same lines, same order, same total as the
    general query (forced here by a date filter every line passes)."""
    for aspect in ("size_fit", "defect", "quality", "price"):
        fast = review.inbox_page(engine, InboxFilter(status=status, aspect=aspect, overdue=overdue),
                                 per_page=50, target_hours=24)
        full = review.inbox_page(engine, InboxFilter(status=status, aspect=aspect, overdue=overdue,
                                                     written_from=date(2000, 1, 1)), per_page=50, target_hours=24)
        assert [e.item_id for e in fast.entries] == [e.item_id for e in full.entries]
        assert fast.total == full.total
        past = review.inbox_page(engine, InboxFilter(status=status, aspect=aspect, overdue=overdue),
                                 page=9, per_page=50, target_hours=24)
        assert past.entries == [] and past.total == full.total
    assert ids(engine, InboxFilter(aspect="defect", overdue=True), target_hours=24) == ["n1"]
