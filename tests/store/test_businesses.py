"""Several businesses in one store: migration 0007 on a store with data, drafting with each
business's own profile, validated profile changes."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from otklik.errors import InputError, ProfileError
from otklik.profile import BusinessProfile, bundled_profile_path
from otklik.store import businesses
from otklik.store.db import alembic_config, open_store_engine
from otklik.store.inbox_query import InboxFilter
from otklik.store.tables import ItemRow, ReplyRow
from otklik.workflow import review
from otklik.workflow.drafting import draft_pending


def _drafts(engine) -> dict[str, str]:  # noqa: ANN001
    with Session(engine) as s:
        q = select(ItemRow.external_id, ReplyRow.text).join(ReplyRow, ReplyRow.item_id == ItemRow.id)
        return {ext: txt or "" for ext, txt in s.execute(q)}


def test_each_business_drafts_with_its_own_profile(two_businesses: dict, db_url: str) -> None:
    engine = open_store_engine(db_url)
    drafts = _drafts(engine)
    assert set(drafts) == {"shop-1", "shop-2", "cafe-1", "cafe-2"}
    for ext in ("cafe-1", "cafe-2"):
        assert "Печь и Сад" in drafts[ext] and "Лён и Хлопок" not in drafts[ext]
    for ext in ("shop-1", "shop-2"):
        assert "Лён и Хлопок" in drafts[ext] and "Печь и Сад" not in drafts[ext]
    cafe = two_businesses["cafe_id"]
    listed = review.inbox_page(engine, InboxFilter(status="all", business_id=cafe), with_counts=True)
    assert sorted(e.item_id for e in listed.entries) == ["cafe-1", "cafe-2"]
    assert listed.counts["all"] == 2 and listed.total == 2
    whole = review.inbox_page(engine, InboxFilter(status="all"), with_counts=True)
    assert whole.counts["all"] == 4
    engine.dispose()


def test_0007_upgrades_a_store_with_data_into_the_default_business(two_businesses: dict, db_url: str) -> None:
    """Back to 0006 (one business, no business columns) and up again: everything is the default
    business's, the lines and counters are kept, and drafting still works."""
    engine = open_store_engine(db_url)
    with engine.begin() as conn:  # a store of 0006 had one business: move the cafe's items back first
        conn.execute(text("UPDATE items SET business_id = 1"))
        conn.execute(text("UPDATE inbox_entries SET business_id = 1"))
    before = review.inbox_page(engine, InboxFilter(status="all"), with_counts=True)
    command.downgrade(alembic_config(engine), "0006")
    with engine.connect() as conn:
        cols = list(conn.execute(text("SELECT * FROM items LIMIT 1")).keys())
    assert "business_id" not in cols
    command.upgrade(alembic_config(engine), "head")
    with Session(engine) as s:
        assert [b.slug for b in businesses.list_businesses(s)] == ["default"]
        assert set(s.scalars(select(ItemRow.business_id))) == {1}
    after = review.inbox_page(engine, InboxFilter(status="all"), with_counts=True)
    assert after.entries == before.entries and after.counts == before.counts
    mine = review.inbox_page(engine, InboxFilter(status="all", business_id=1), with_counts=True)
    assert mine.counts == before.counts
    with Session(engine) as s, s.begin():  # a business added after the upgrade gets a fresh id
        assert businesses.add_business(s, "second", profile_text=None).id == 2
    engine.dispose()


def test_a_bad_profile_changes_nothing(two_businesses: dict, db_url: str) -> None:
    engine = open_store_engine(db_url)
    with Session(engine) as s:
        kept, version = businesses.profile_text(s, two_businesses["cafe_id"]), businesses.get_business(s, "cafe").version
    bad = "business:\n  name: Кафе\nplatforms:\n  ozon:\n    max_length: много\n"
    with Session(engine) as s, s.begin(), pytest.raises(ProfileError) as err:
        businesses.set_profile(s, "cafe", bad, actor="marina", origin="cafe.yaml")
    assert "cafe.yaml" in str(err.value) and "platforms.ozon.max_length" in str(err.value)
    assert err.value.fields[0][0] == "platforms.ozon.max_length"
    with Session(engine) as s:
        assert businesses.profile_text(s, two_businesses["cafe_id"]) == kept
        assert businesses.get_business(s, "cafe").version == version
        with pytest.raises(InputError, match="no business 'bar'.*known: default, cafe"):
            businesses.get_business(s, "bar")
    engine.dispose()


def test_a_saved_profile_is_used_for_the_next_drafts(two_businesses: dict, db_url: str,
                                                     clothing: BusinessProfile) -> None:
    engine = open_store_engine(db_url)
    changed = bundled_profile_path("restaurant").read_text("utf-8").replace(
        "Управляющая ресторана «Печь и Сад», Марина", "Шеф-повар «Печи и Сада», Ольга")
    with Session(engine) as s, s.begin():
        saved = businesses.set_profile(s, "cafe", changed, actor="marina", expected_version=1)
    assert saved.version == 2 and saved.updated_by == "marina" and saved.updated_at is not None
    with Session(engine) as s, s.begin(), pytest.raises(InputError, match="meanwhile"):
        businesses.set_profile(s, "cafe", changed, actor="olga", expected_version=1)
    review.reject(engine, "cafe-2", actor="marina")
    from otklik.workflow.drafting import redraft

    d = redraft(engine, clothing, "cafe-2", actor="marina")
    assert "Ольга" in (d.text or "") and "Лён и Хлопок" not in (d.text or "")
    draft_pending(engine, clothing)  # nothing pending: idempotent
    engine.dispose()


def test_an_item_of_one_business_is_not_imported_into_another(two_businesses: dict, db_url: str, tmp_path) -> None:  # noqa: ANN001
    from otklik.workflow.importing import import_file

    engine = open_store_engine(db_url)
    f = tmp_path / "again.jsonl"
    f.write_text('{"id": "cafe-1", "text": "Долго ждали", "rating": 2, "source": "yandex_maps"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="another business"):
        import_file(engine, f, business_id=1)
    engine.dispose()
