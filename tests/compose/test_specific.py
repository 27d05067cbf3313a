"""Specific: the reply names something the customer wrote, in the customer's own words, re-inflected."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.compose.evidence import EvidencePhrases
from otklik.compose.morph import Morph
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.profile import bundled_profile_path, load_profile
from otklik.sources.files import read_items
from otklik.understand import Analyzer

POS, NEG, MIX = Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.MIXED


def draft_text(composer: Composer, item: Item, an: Analysis) -> str:
    return composer.draft(item, an, memory=ReplyMemory(), platform="ozon").text or ""


@pytest.mark.parametrize("i", range(5))
def test_praise_echoes_the_customers_words(shop: Composer, i: int) -> None:
    item = Item(f"sk{i}", text="Юбка села идеально, очень довольна", rating=5, author="Юлия", product="Юбка миди из хлопка")
    an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("size_fit", POS, "села идеально")], customer_name="Юлия")
    assert "юбка села идеально" in draft_text(shop, item, an)


@pytest.mark.parametrize("i", range(5))
def test_the_customers_verb_agrees_with_a_plural_product(shop: Composer, i: int) -> None:
    item = Item(f"tr{i}", text="Брюки хорошие, но маломерит", rating=4, author="Ольга", product="Брюки палаццо из льна")
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[AspectMention("size_fit", NEG, "маломерит")],
                  customer_name="Ольга")
    text = draft_text(shop, item, an)
    assert "брюки маломерят" in text and "брюки маломерит" not in text


def test_two_things_praised_in_a_row_are_joined(shop: Composer) -> None:
    item = Item("torch", text="Фонарь ярко светит, держит заряд", rating=5, author="Олег", product="Фонарь налобный")
    an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("functionality", POS, "ярко светит, держит заряд")],
                  customer_name="Олег", customer_gender="m")
    assert "фонарь ярко светит и держит заряд" in draft_text(shop, item, an)


def test_a_defect_is_named_as_the_customer_described_it(shop: Composer) -> None:
    item = Item("hole", text="Пришла рубашка с дыркой на рукаве", rating=1, author="Игорь", product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("defect", NEG, "дыркой на рукаве")],
                  customer_name="Игорь", customer_gender="m")
    assert "рубашка пришла с дыркой на рукаве" in draft_text(shop, item, an)


@pytest.mark.parametrize("evidence", ["подключения, алиса, громкости", "пришлось менять", "взяла на размер",
                                      "доставили быстрее", "колонка не плохая звук", "градусах не села"])
def test_words_that_cannot_be_inflected_safely_are_not_echoed(evidence: str) -> None:
    """Names, fragments, someone else's actions («доставили»), the customer's own («взяла»)."""
    assert EvidencePhrases(Morph()).clause(evidence, "praise", "рубашка") is None


@pytest.mark.parametrize("evidence", ["длинна", "коротка", "велика", "широка в бёдрах"])
def test_a_short_size_adjective_is_never_praised_back(evidence: str) -> None:
    """«юбка длинна» says «too long» — a typo of «длина» must not become a complaint inside praise."""
    assert EvidencePhrases(Morph()).clause(evidence, "praise", "юбка") is None


def test_an_unsafe_fragment_falls_back_to_the_aspects_phrase(shop: Composer) -> None:
    item = Item("spk", text="Нравится после подключения, алиса отвечает, громкости хватает", rating=5, author="Оля",
                product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("functionality", POS, "подключения, алиса, громкости")],
                  customer_name="Оля")
    text = draft_text(shop, item, an)
    assert "алиса" not in text.lower() and "подключения" not in text
    assert "работ" in text or "колонк" in text


def test_most_demo_replies_to_concrete_reviews_use_the_customers_words() -> None:
    profile = load_profile(bundled_profile_path("clothing"))
    morph = Morph()
    items = read_items(Path(__file__).resolve().parents[2] / "src" / "otklik" / "data" / "demo" / "items.jsonl")
    analyses = Analyzer(profile).analyze(items)
    composer = Composer(profile, seed=1)
    concrete = echoed = 0
    for item, an in zip(items, analyses, strict=True):
        if an.kind == ItemKind.QUESTION or an.suspected_fake or an.confidence < 0.6 or not an.aspects:
            continue
        text = composer.draft(item, an, memory=ReplyMemory()).text or ""
        body = set(morph.lemmas(text.rsplit("\n", 1)[0]))
        words = {w for a in an.aspects for w in morph.lemmas(a.evidence) if len(w) > 3}
        concrete += 1
        echoed += bool(body & words)
    assert concrete > 25
    assert echoed / concrete >= 0.8, (echoed, concrete)


@pytest.mark.parametrize(("title", "subject"), [
    ("Рубашка женская оверсайз белая", "Рубашки"),
    ("Рубашки", "Рубашки"),
    ("Блузка белая с длинным рукавом офисная", "Рубашки"),
])
def test_a_marketplace_title_or_plural_category_becomes_one_plain_noun(title: str, subject: str) -> None:
    profile = load_profile(bundled_profile_path("clothing"))
    composer = Composer(profile, seed=3)
    item = Item("t1", source="wildberries", text="Очень понравилась, ткань приятная", rating=5, author="Ольга",
                product=title, extra={"subject": subject})
    an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("material", POS, "ткань приятная")], customer_name="Ольга")
    text = composer.draft(item, an, memory=ReplyMemory()).text or ""
    assert title.lower() not in text.lower() or len(title.split()) == 1
    assert "женск" not in text and "офисн" not in text and "рубашки" not in text, text


@pytest.mark.parametrize(("text", "said", "unsaid"), [
    ("сыну понравилось, классная колонка", "сыну", None),
    ("Ребёнок доволен, и взрослым нравится", "ребёнку", None),
    ("Вторую подарили маме. Всё отлично работает", "в подарок маме", "по душе"),
    ("Отличная колонка, для всех в семье есть свой аккаунт", None, "семье"),
    ("Дочке не понравилась, а мне отлично", None, "дочке"),
])
def test_the_person_the_purchase_was_for_is_named_only_as_the_customer_said(
    shop: Composer, text: str, said: str | None, unsaid: str | None
) -> None:
    item = Item("who", text=text, rating=5, author="Рустам", product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, POS, customer_name="Рустам")
    reply = (shop.draft(item, an, memory=ReplyMemory()).text or "").lower()
    if said:
        assert said in reply, reply
    if unsaid:
        assert unsaid not in reply, reply


def test_a_two_word_product_is_named_in_full_once_then_by_its_noun(shop: Composer) -> None:
    for i in range(8):
        item = Item(f"p{i}", text="Очень понравилась, работает отлично", rating=5, author="Инна", product="Умная колонка")
        an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("functionality", POS, "работает отлично")],
                      customer_name="Инна")
        reply = shop.draft(item, an, memory=ReplyMemory()).text or ""
        assert len(re.findall(r"умн\w+ колонк", reply, re.I)) <= 1, reply


def test_what_the_customer_misses_is_said_back_in_their_words() -> None:
    ev = EvidencePhrases(Morph())
    got = ev.clause("не хватает баса и звука", "complaint", "умная колонка")
    assert got is not None and got.text == "умной колонке не хватает баса и звука"
    assert ev.clause("не хватает мне", "complaint", "колонка") is None


def test_a_bare_verb_that_reads_two_ways_is_not_said_back() -> None:
    ev = EvidencePhrases(Morph())
    assert ev.clause("села", "praise", "рубашка") is None, "«рубашка села» may read as «shrank»"
    got = ev.clause("села идеально", "praise", "рубашка")
    assert got is not None and got.text == "рубашка села идеально"


def test_a_gift_that_went_down_well_is_answered_as_such(shop: Composer) -> None:
    """«Подарок понравился»: the reply speaks of the gift, not of «Вам понравилась»."""
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE)
    for i in range(5):
        item = Item(f"gift-liked-{i}", text="Подарок понравился, заказчик доволен)", rating=5, product="Умная колонка")
        text = shop.draft(item, an, memory=ReplyMemory()).text or ""
        assert "подар" in text, text
        assert not re.search(r"Вам понравил|Вам по душе", text), text


def test_a_product_that_has_not_broken_is_not_praised_for_how_it_arrived(shop: Composer) -> None:
    """«до сих пор не сломалась» is about service life; «пришла в безупречном состоянии» would be invented."""
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=[AspectMention("defect", Sentiment.POSITIVE, "не сломалась")])
    for i in range(5):
        item = Item(f"unbroken-{i}", text="нормально работает до сих пор и не сломалась", rating=5, product="Умная колонка")
        text = shop.draft(item, an, memory=ReplyMemory()).text or ""
        assert not re.search(r"пришл|доехал|состояни", text), text


def test_the_customers_words_keep_their_particle(shop: Composer) -> None:
    """The analyser's span «разу не зависла» is said back whole: «ни разу не зависла»."""
    an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE,
                  aspects=[AspectMention("functionality", Sentiment.POSITIVE, "разу не зависла")])
    texts = [shop.draft(Item(f"particle-{i}", text="Ни разу не зависла, всем рекомендую", rating=5, product="Умная колонка"),
                        an, memory=ReplyMemory()).text or "" for i in range(6)]
    assert not any(re.search(r"(?<!ни )разу", t) for t in texts), texts
    assert any("ни разу не зависла" in t for t in texts), texts
