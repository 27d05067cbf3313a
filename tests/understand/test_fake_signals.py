"""Fake-review signals with readable evidence; only a contradicted profile fact proves falsity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from otklik.domain import Item

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _ids(an):
    return {s.id for s in an.fake_signals}


def test_dirt_on_the_second_floor_of_a_one_floor_restaurant_proves_false(restaurant):
    item = Item("r1", text="Ужасно грязно на втором этаже, столы липкие, официант хамил.", rating=1)
    an = restaurant.analyze([item], now=NOW)[0]
    facts = [s for s in an.fake_signals if s.id == "fact_contradiction"]
    assert facts and facts[0].proves_false
    assert "втором этаже" in facts[0].evidence and "второго этажа нет" in facts[0].evidence


def test_first_floor_complaint_is_not_a_fact_contradiction(restaurant):
    an = restaurant.analyze([Item("r2", text="В зале было грязно, столы липкие.", rating=2)], now=NOW)[0]
    assert "fact_contradiction" not in _ids(an)
    assert "cleanliness" in {a.id for a in an.complaints}


def test_same_text_from_two_authors_in_one_batch(clothing):
    text = "Отличная рубашка, ткань плотная, швы ровные, после стирки не села, всем советую этот магазин"
    items = [Item("a", text=text, rating=5, author="Анна"), Item("b", text=text + "!!", rating=5, author="Мария")]
    a, b = clothing.analyze(items, now=NOW)
    assert "duplicate_text" in _ids(a) and "duplicate_text" in _ids(b)
    dup = next(s for s in a.fake_signals if s.id == "duplicate_text")
    assert "Мария" in dup.evidence and not dup.proves_false


def test_duplicate_against_history(clothing):
    text = "Заказывала для дочки, размер подошёл идеально, ткань мягкая и приятная к телу, спасибо продавцу"
    old = Item("old", text=text, rating=5, author="Ирина")
    an = clothing.analyze([Item("new", text=text, rating=5, author="Олег")], now=NOW, history=[old])[0]
    assert "duplicate_text" in _ids(an)
    assert "ранее" in next(s.evidence for s in an.fake_signals if s.id == "duplicate_text")


def test_same_author_repeating_is_not_a_duplicate_signal(clothing):
    text = "Заказывала для дочки, размер подошёл идеально, ткань мягкая и приятная к телу, спасибо продавцу"
    items = [Item("a", text=text, rating=5, author="Ирина"), Item("b", text=text, rating=5, author="Ирина")]
    assert all("duplicate_text" not in _ids(an) for an in clothing.analyze(items, now=NOW))


def test_short_common_texts_are_not_duplicates(clothing):
    items = [Item("a", text="Всё отлично", rating=5, author="Анна"), Item("b", text="Всё отлично", rating=5, author="Олег")]
    assert all("duplicate_text" not in _ids(an) for an in clothing.analyze(items, now=NOW))


def test_burst_of_one_star_ratings_on_one_product(clothing):
    texts = ["Плохо", "Не понравилось", "Ужас", "Не берите", "Разочарована", "Кошмар"]
    burst = [
        Item(f"b{i}", text=t, rating=1, product_id="sku-1", created_at=NOW - timedelta(hours=2 + i), author=f"a{i}")
        for i, t in enumerate(texts)
    ]
    calm = [Item("c1", text="Хорошо", rating=1, product_id="sku-2", created_at=NOW - timedelta(days=3))]
    out = clothing.analyze(burst + calm, now=NOW)
    assert all("rating_burst" in _ids(an) for an in out[:6])
    assert "sku-1" in next(s.evidence for s in out[0].fake_signals if s.id == "rating_burst")
    assert "rating_burst" not in _ids(out[6])


def test_steady_stream_of_five_stars_is_no_burst(clothing):
    items = [Item(f"s{i}", text="Хорошая рубашка", rating=5, product_id="sku-9", created_at=NOW - timedelta(days=2 * i))
             for i in range(8)]
    assert all("rating_burst" not in _ids(an) for an in clothing.analyze(items, now=NOW))


def test_cancelled_ozon_order(clothing):
    item = Item("o1", source="ozon", text="Товар не пришёл, ужас", rating=1, order_status="CANCELLED")
    an = clothing.analyze([item], now=NOW)[0]
    sig = next(s for s in an.fake_signals if s.id == "cancelled_order")
    assert "отмен" in sig.evidence and not sig.proves_false


def test_delivered_order_has_no_signal(clothing):
    an = clothing.analyze([Item("o2", text="Всё хорошо", rating=5, order_status="DELIVERED")], now=NOW)[0]
    assert not an.fake_signals
