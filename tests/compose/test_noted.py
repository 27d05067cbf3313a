"""The things a customer praised in their own words are named back (compose/noted.py, R-SPECIFIC)."""

from __future__ import annotations

import re

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.compose.morph import Morph
from otklik.compose.noted import NotedFinder
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment


@pytest.fixture(scope="module")
def finder() -> NotedFinder:
    return NotedFinder(Morph())


@pytest.mark.parametrize(("text", "nouns"), [
    ("Хорошая станция. Небольшая, но звук достойный\nПодсветка прикалывает", ["звук", "подсветка"]),
    ("Ткань приятная к телу, пуговицы крепкие, но рукава длинные", ["ткань", "пуговицы"]),
    ("Упаковка суперская.", ["упаковка"]),
    ("Хорошее качество ткани, пошива.", ["ткань"]),  # the quality of the fabric: the fabric, in the nominative
    ("Цвет рубашки яркий", ["цвет"]),  # «рубашки» is a genitive here
])
def test_praised_nouns_are_found_as_written(finder: NotedFinder, text: str, nouns: list[str]) -> None:
    assert finder.find(text) == nouns


@pytest.mark.parametrize("text", [
    "Хорошая рубашка, но швы кривые",  # a complaint beside the praise
    "Не очень удобная застёжка",  # negated
    "хорошая колонка, соседи довольны",  # people and the product itself
    "Хорошая девчонка, эта ваша Алиска",
])
def test_nothing_is_taken_from_complaints_people_or_the_product(finder: NotedFinder, text: str) -> None:
    assert finder.find(text) == []


def test_a_reply_names_what_the_customer_praised(shop: Composer) -> None:
    item = Item("noted-1", text="Хорошая станция. Небольшая, но звук достойный. Подсветка прикалывает", rating=5,
                author="Владимир А.", product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=[AspectMention("functionality", Sentiment.POSITIVE, "звук")],
                  customer_name="Владимир")
    texts = [shop.draft(Item(f"noted-{i}", text=item.text, rating=5, product=item.product), an,
                        memory=ReplyMemory()).text or "" for i in range(6)]
    assert all(re.search(r"звук и подсветку", t) for t in texts), texts


@pytest.mark.parametrize(("text", "found"), [
    ("Великолепная колонка! легко и быстро настроили.", ("настроить", "легко и быстро")),
    ("В восторге, установили быстро и без проблем.", ("установить", "быстро и без проблем")),
    ("Долго не могла подключить, настроили только через час", None),
    ("Класс! все целое, сразу удалось подключить", ("подключить", "сразу")),
    ("Даже без особых навыков я смог быстро настроить колонку.", ("настроить", "быстро")),
    ("Так и не смог быстро настроить", None),
    ("Легко подключается, работает в дальнем углу от роутера", ("подключить", "легко")),
])
def test_an_easy_setup_is_found_with_the_customers_words(finder: NotedFinder, text: str, found: object) -> None:
    assert finder.setup(text) == found


def test_a_reply_says_back_that_the_setup_was_easy(shop: Composer) -> None:
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=[])
    for i in range(4):
        item = Item(f"setup-{i}", text="Отличная колонка, легко и быстро настроили.", rating=5, product="Умная колонка")
        text = shop.draft(item, an, memory=ReplyMemory()).text or ""
        assert re.search(r"колонку удалось настроить легко и быстро|настроить колонку получилось легко и быстро", text), text


def test_a_gift_liked_by_the_person_it_was_for_is_thanked_and_not_read_as_our_promise(shop: Composer) -> None:
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=[AspectMention("functionality", Sentiment.POSITIVE, "играет")])
    for i in range(4):
        item = Item(f"gift-{i}", text="Заказывал в подарок, теперь у сестрёнки каждый день играет любимая музыка.",
                    rating=5, product="Умная колонка")
        draft = shop.draft(item, an, memory=ReplyMemory())
        assert "сестрёнке" in (draft.text or ""), draft.text
        assert not draft.needs_human and not [f for f in draft.lint if f.rule == "R-HONEST"], draft.lint
        assert "музык" not in (draft.text or "")  # «любимая музыка» praises nothing we sold


@pytest.mark.parametrize(("text", "said", "never"), [
    ("На подарок", r"подар", r"служит Вам|Вам служит|Вам понравил"),
    ("Офигенная колонка. Давно мечтал о ней. Были скидки и жена подарила.", r"подарок", r"выбрали .* в подарок"),
    ("Она крутая, я как ребенок радуюсь", r"", r"ребёнку|ребенку"),
])
def test_gifts_bought_received_and_comparisons_are_told_apart(shop: Composer, text: str, said: str, never: str) -> None:
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=[])
    for i in range(4):
        reply = shop.draft(Item(f"g-{i}-{len(text)}", text=text, rating=5, product="Умная колонка"), an,
                           memory=ReplyMemory()).text or ""
        assert re.search(said, reply), reply
        assert not re.search(never, reply), reply
