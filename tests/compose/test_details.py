"""Venue details said back: the occasion, the employee thanked by name, the dishes praised — never invented."""

from __future__ import annotations

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.compose.details import DetailFinder
from otklik.compose.morph import Morph
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment

POS, NEG = Sentiment.POSITIVE, Sentiment.NEGATIVE


@pytest.fixture(scope="module")
def finder() -> DetailFinder:
    return DetailFinder(Morph())


def test_the_occasion_counts_only_when_the_guest_celebrated_it(finder: DetailFinder) -> None:
    assert finder.find("Отмечали у вас день рождения мужа", food_praised=True, staff_praised=True).occasion \
        == "день рождения"
    assert finder.find("Наша свадьба проходила в большом зале", food_praised=True, staff_praised=True).occasion \
        == "свадьба"
    assert finder.find("Зашли поужинать, всё вкусно", food_praised=True, staff_praised=True).occasion is None


def test_staff_are_named_only_when_thanked_not_when_blamed(finder: DetailFinder) -> None:
    got = finder.find("Отдельное спасибо управляющей Юлии, она помогла с меню", food_praised=True, staff_praised=True)
    assert got.staff == ["Юлия"]
    assert finder.find("Официантка Мария нахамила и забыла заказ", food_praised=True, staff_praised=True).staff == []
    assert finder.find("Реклама у блогера Юлии сработала", food_praised=True, staff_praised=True).staff == []


def test_dishes_come_from_praising_clauses_as_written(finder: DetailFinder) -> None:
    got = finder.find("Салат был холодный, а вот суши и десерты отличные", food_praised=True, staff_praised=True)
    assert got.dishes == ["суши", "десерты"]
    assert finder.find("Очень вкусный стейк", food_praised=False, staff_praised=True).dishes == [], \
        "only when the analysis has the food praised"


@pytest.mark.parametrize("i", range(6))
def test_a_glowing_birthday_review_gets_the_birthday_the_manager_and_the_dish(cafe: Composer, i: int) -> None:
    item = Item(f"bd{i}", text="Отмечали день рождения, всё было прекрасно. Очень вкусные хачапури! "
                              "Отдельное спасибо администратору Галине за помощь", rating=5, author="Ольга")
    an = Analysis(ItemKind.REVIEW, POS, customer_name="Ольга",
                  aspects=[AspectMention("food", POS, "вкусные хачапури"),
                           AspectMention("staff_service", POS, "администратору")])
    text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
    assert "Галине" in text, text
    assert "хачапури" in text, text


def test_a_ruined_birthday_is_acknowledged_beside_the_apology(cafe: Composer) -> None:
    item = Item("bd-bad", text="Отмечали день рождения всей семьёй, а в итоге ждали горячее полтора "
                                    "часа, официант хамил и спорил с нами, праздник был испорчен", rating=1)
    an = Analysis(ItemKind.REVIEW, NEG, problem=True,
                  aspects=[AspectMention("wait_time", NEG, "ждали горячее полтора часа"),
                           AspectMention("staff_service", NEG, "официант хамил")])
    text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
    assert "важный для Вас день" in text or "запомниться только хорошим" in text, text


def test_every_occasion_and_dish_phrase_agrees(finder: DetailFinder) -> None:
    import random
    import re

    from otklik.compose.phrasebank import PhraseBank, Renderer

    bank = PhraseBank().details
    morph = finder.morph
    expect = {"день рождения": "прошёл", "свадьба": "прошла", "юбилей": "прошёл", "крестины": "прошли"}
    for occasion, verb in expect.items():
        r = Renderer(morph=morph, rng=random.Random(0), context={"occasion": occasion})
        texts = [r.render(t) for t in bank["occasion_positive"]]
        assert any(f"{occasion} {verb}" in t for t in texts), texts
        assert all("{" not in t for t in texts)
    for dishes, verb in {"суп": "понравился", "паста": "понравилась", "пиво": "понравилось",
                         "десерты": "понравились", "суп и десерты": "понравились"}.items():
        r = Renderer(morph=morph, rng=random.Random(0), context={"dishes": dishes})
        texts = [r.render(t) for t in bank["dishes_praise"]]
        assert any(re.search(verb, t) for t in texts), texts


def test_dishes_are_named_in_the_nominative_once_each() -> None:
    found = DetailFinder(Morph()).find("Великолепные шашлыки из баранины, очень вкусное вино, и вина отличные",
                                       food_praised=True, staff_praised=False)
    assert "вина" not in found.dishes and "баранины" not in found.dishes, found.dishes
    assert len(found.dishes) == len({d[:4] for d in found.dishes}), found.dishes
