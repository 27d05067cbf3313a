"""Causes only when known for this case; remedies that fit the complaint."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.profile import BusinessProfile, Remedy

NEG = Sentiment.NEGATIVE


def waited(text: str) -> tuple[Item, Analysis]:
    item = Item("w1", text=text, rating=2, author="Сергей")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("wait_time", NEG, "долго ждали")],
                  customer_name="Сергей", customer_gender="m")
    return item, an


def test_a_cause_scoped_to_fridays_is_not_pasted_into_a_tuesday_review(cafe: Composer) -> None:
    draft = cafe.draft(*waited("Во вторник днём ждали суп 40 минут"), memory=ReplyMemory())
    text = draft.text or ""
    assert "пятниц" not in text
    assert re.search(r"выясн|разбираемся", text), "promises to find out"
    assert draft.needs_human and any("Причина жалобы на «ожидание»" in r for r in draft.reasons)


def test_the_friday_cause_is_stated_for_a_friday_review(cafe: Composer) -> None:
    draft = cafe.draft(*waited("В пятницу вечером ждали горячее час"), memory=ReplyMemory())
    assert "по пятницам вечером зал заполнен" in (draft.text or "")
    assert not any("Причина жалобы" in r for r in draft.reasons)


@pytest.mark.parametrize(("day", "stated"), [(datetime(2026, 11, 20, tzinfo=UTC), True),
                                             (datetime(2026, 6, 3, tzinfo=UTC), False), (None, False)])
def test_a_cause_scoped_to_a_period_is_stated_only_inside_it(shop: Composer, day: datetime | None, stated: bool) -> None:
    item = Item("dl", text="Везли две недели", rating=2, author="Анна", product="Юбка миди из хлопка", created_at=day)
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("delivery", NEG, "везли две недели")],
                  customer_name="Анна", customer_gender="f")
    draft = shop.draft(item, an, memory=ReplyMemory())
    assert ("склады площадки работают с перегрузкой" in (draft.text or "")) is stated
    assert any("Причина жалобы" in r for r in draft.reasons) is not stated


def test_a_smell_that_stays_after_washing_contradicts_the_factory_smell_cause(shop: Composer) -> None:
    item = Item("sm", text="Запах химии, постирала два раза — всё равно воняет", rating=1, author="Анна",
                product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("smell", NEG, "запах химии, воняет")],
                  customer_name="Анна", customer_gender="f")
    draft = shop.draft(item, an, memory=ReplyMemory())
    assert "после первой стирки" not in (draft.text or "")
    assert any("отзыв ей противоречит" in r for r in draft.reasons)


@pytest.mark.parametrize("i", range(10))
def test_a_cut_gets_a_replacement_or_refund_never_a_size_exchange(clothing: BusinessProfile, i: int) -> None:
    profile = clothing.model_copy(deep=True)
    # a profile that lists every offer under defects: the composer still picks only those that fit a defect
    profile.remedies["defect"] = [*profile.remedies["size_fit"], *profile.remedies["defect"]]
    composer = Composer(profile, seed=i)
    item = Item(f"cut{i}", text="Куртка пришла с порезом на рукаве", rating=1, author="Елена",
                product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("defect", NEG, "с порезом на рукаве")],
                  customer_name="Елена", customer_gender="f")
    text = composer.draft(item, an, memory=ReplyMemory()).text or ""
    assert "другой размер" not in text
    assert re.search(r"заменим изделие|вернём полную стоимость|оформим возврат", text)


def test_a_size_complaint_gets_the_size_exchange(shop: Composer) -> None:
    item = Item("sz", text="Маломерит на размер", rating=3, author="Вера", product="Юбка миди из хлопка")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("size_fit", NEG, "маломерит")],
                  customer_name="Вера", customer_gender="f")
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert re.search(r"другой размер|оформим возврат", text)


def test_remedies_of_the_wrong_kind_fall_back_to_a_promise(clothing: BusinessProfile) -> None:
    profile = clothing.model_copy(deep=True)
    profile.remedies["defect"] = [Remedy(type="discount", text="дадим скидку 15% на следующий заказ",
                                         discount_percent=15)]
    item = Item("cut", text="Пришла с дыркой", rating=1, author="Елена", product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("defect", NEG, "с дыркой")],
                  customer_name="Елена", customer_gender="f")
    text = Composer(profile, seed=1).draft(item, an, memory=ReplyMemory()).text or ""
    assert "скидк" not in text, "a discount does not repair a hole"
    assert "разберёмся в ситуации и предложим решение" in text


@pytest.mark.parametrize("i", range(6))
def test_a_size_the_customer_chose_wrongly_gets_no_apology_but_help_with_the_next(shop: Composer, i: int) -> None:
    item = Item(f"own{i}", text="Рубашка понравилась, но с размером ошиблась, брала S, буду перезаказывать XS",
                rating=5, author="Юлия", product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, Sentiment.MIXED, problem=True, customer_name="Юлия", customer_gender="f",
                  aspects=[AspectMention("size_fit", Sentiment.NEGATIVE, "с размером ошиблась")])
    text = (shop.draft(item, an, memory=ReplyMemory()).text or "").rsplit("\n", 1)[0]
    assert not re.search(r"прост|прощ|извин|подвел|выясн|причин", text, re.I), text
    assert "размер" in text, text


@pytest.mark.parametrize("seed", range(4))
def test_a_sound_complaint_is_apologised_for_as_sound_not_as_a_broken_device(clothing: BusinessProfile,
                                                                            seed: int) -> None:
    """«Отсутствует бас» is about how it sounds: no «колонка отсутствует», no «подвела в работе»."""
    item = Item(f"bass{seed}", text="Отсутствует бас.", rating=4, product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("functionality", NEG, "отсутствует бас")])
    text = Composer(clothing, seed=seed).draft(item, an, memory=ReplyMemory()).text or ""
    assert re.search(r"бас|звук|звуч", text), text
    assert not re.search(r"колонка отсутствует|подвел|с работой|недостающ", text), text


def test_a_praised_sound_beside_another_trouble_is_never_apologised_for(clothing: BusinessProfile) -> None:
    """«Звук хороший. Иногда не понимает»: the trouble is understanding commands, not the sound."""
    item = Item("sound-ok", text="Звук хороший. Иногда не понимает", rating=4, product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, Sentiment.MIXED, problem=True,
                  aspects=[AspectMention("functionality", Sentiment.MIXED, "звук, не понимает")])
    for seed in range(4):
        text = Composer(clothing, seed=seed).draft(item, an, memory=ReplyMemory()).text or ""
        assert not re.search(r"звук\w* [^.]*(?:разочаровал|хуже|не устроил|не таким)", text), text


def test_the_devices_own_app_is_not_our_ordering(clothing: BusinessProfile) -> None:
    item = Item("app", text="Быстро настроилась через приложение «Мой дом», звук подстроила под комнату", rating=5,
                product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=[AspectMention("app_website", Sentiment.POSITIVE, "приложение")])
    for seed in range(4):
        text = Composer(clothing, seed=seed).draft(item, an, memory=ReplyMemory()).text or ""
        assert "оформ" not in text, text
