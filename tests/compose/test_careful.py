"""Never contradict the review: no cheerful reply to a complaint or 1–2★; careful, held drafts when unsure;
a short thanks for stars without text."""

from __future__ import annotations

import re

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment

POS, NEG, NEU = Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.NEUTRAL
CHEERFUL = re.compile(r"рад[ыа]?,? что|понрав|по душе|настроени|(?<!не )порадова|оправдал|хорошего .*дня|всегда рады|"
                      r"добрые слова|тёплый отзыв|(?<!не )(?<!не)приятно", re.I)
APOLOGY = re.compile(r"прост|прощ|извин|сожале|жаль", re.I)


def body(text: str | None) -> str:
    """The reply without its signature line."""
    return (text or "").rsplit("\n", 1)[0]


def sentences(text: str | None) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", body(text)) if s.strip()]


@pytest.mark.parametrize("i", range(12))
def test_a_1_star_torn_item_never_gets_a_cheerful_reply_even_when_misread(shop: Composer, i: int) -> None:
    item = Item(f"torn{i}", text="Пришла мятая, порванная", rating=1, author="Анна", product="Рубашка оверсайз из льна")
    for an in (
        Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("defect", NEG, "порванная")],
                 customer_name="Анна"),
        Analysis(ItemKind.REVIEW, NEU, customer_name="Анна"),  # the analyser found nothing wrong
    ):
        draft = shop.draft(item, an, memory=ReplyMemory())
        assert draft.text and not CHEERFUL.search(body(draft.text)), draft.text


@pytest.mark.parametrize("i", range(8))
def test_a_complaint_under_five_stars_gets_no_joy(shop: Composer, i: int) -> None:
    item = Item(f"five{i}", text="Швы разошлись после первой стирки", rating=5, author="Ольга",
                product="Брюки палаццо из льна")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("defect", NEG, "швы разошлись")],
                  customer_name="Ольга", customer_gender="f")
    text = body(shop.draft(item, an, memory=ReplyMemory()).text)
    assert APOLOGY.search(text) and not CHEERFUL.search(text), text


@pytest.mark.parametrize("i", range(10))
def test_stars_that_disagree_with_the_text_get_a_short_careful_held_reply(shop: Composer, i: int) -> None:
    item = Item(f"dis{i}", text="Рубашка отличная, ткань мягкая, сидит идеально!", rating=1, author="Зоя",
                product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, POS, rating_disagrees=True, confidence=0.55, doubts=["stars_text_disagree"],
                  aspects=[AspectMention("material", POS, "ткань мягкая")], customer_name="Зоя", customer_gender="f")
    draft = shop.draft(item, an, memory=ReplyMemory())
    text = body(draft.text)
    assert draft.needs_human and any("расходятся" in r for r in draft.reasons)
    assert text.startswith(("Зоя", "Здравствуйте, Зоя", "Добрый день, Зоя", "Доброго дня, Зоя", "Приветствуем Вас, Зоя"))
    assert re.search(r"спасибо|благодар", text, re.I)
    assert "напишите нам в чат" in text, "an invitation to tell more"
    assert not CHEERFUL.search(text) and not APOLOGY.search(text), text
    assert len(sentences(draft.text)) <= 4


@pytest.mark.parametrize("i", range(6))
def test_an_unsure_complaint_gets_no_apology_for_a_problem_it_may_not_have(shop: Composer, i: int) -> None:
    item = Item(f"uns{i}", text="ну такое, вроде норм но чёт не то, хз", rating=3, author="Пётр",
                product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, Sentiment.MIXED, problem=True, confidence=0.45,
                  doubts=["low_margin", "unknown_words"], aspects=[AspectMention("quality", NEG, "не то")],
                  customer_name="Пётр", customer_gender="m")
    draft = shop.draft(item, an, memory=ReplyMemory())
    text = body(draft.text)
    assert draft.needs_human and any("не уверен" in r for r in draft.reasons)
    assert not APOLOGY.search(text) and not CHEERFUL.search(text)
    assert not re.search(r"качеств|брак|замен|скидк", text), "no specific problem or remedy it is unsure of"
    assert not [f for f in draft.lint if f.severity == "error"], draft.lint


@pytest.mark.parametrize("rating", [5, 4])
def test_stars_without_text_get_a_short_thanks_for_the_rating(shop: Composer, rating: int) -> None:
    for i in range(10):
        item = Item(f"st{rating}-{i}", text="", rating=rating, author="Ирина", product="Рубашка оверсайз из льна")
        an = Analysis(ItemKind.REVIEW, POS, customer_name="Ирина", customer_gender="f", doubts=["no_text"],
                      confidence=0.9)
        draft = shop.draft(item, an, memory=ReplyMemory())
        text = body(draft.text)
        assert re.search(r"оценк|оцени", text), text
        assert not re.search(r"добр\w* слов|отзыв|тёпл|впечатлени|понравил|подош", text, re.I), text
        assert 2 <= len(sentences(draft.text)) <= 3, "greeting + one or two sentences"
        assert not [f for f in draft.lint if f.severity == "error"]


def test_a_low_rating_without_text_asks_what_went_wrong_without_guessing(shop: Composer) -> None:
    item = Item("st1", text="", rating=1, author="Ирина", product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, NEG, customer_name="Ирина", customer_gender="f", doubts=["no_text"], confidence=0.9)
    text = body(shop.draft(item, an, memory=ReplyMemory()).text)
    assert "оценк" in text and "напишите нам в чат" in text
    assert not CHEERFUL.search(text) and not re.search(r"брак|размер|доставк|отзыв", text), text
    assert len(sentences(text)) <= 3


SURPRISE = re.compile(r"удивл|редк|нечасто|как правило|обычно", re.I)


@pytest.mark.parametrize("i", range(10))
def test_a_problem_the_customer_says_keeps_happening_is_never_called_rare(cafe: Composer, i: int) -> None:
    item = Item(f"rep{i}", text="Уже третий раз официант грубит гостям и спорит, опять то же самое, хотя ходим сюда давно",
                rating=1, author="Сергей")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, customer_name="Сергей",
                  aspects=[AspectMention("staff_service", NEG, "официант грубит")])
    text = body(cafe.draft(item, an, memory=ReplyMemory()).text)
    assert not SURPRISE.search(text), text


def test_a_one_word_low_rating_gets_a_question_not_a_promise(shop) -> None:  # noqa: ANN001
    from otklik.compose import ReplyMemory
    from otklik.domain import Analysis, Item, ItemKind, Sentiment

    an = Analysis(ItemKind.REVIEW, Sentiment.NEGATIVE, problem=True, aspects=[])
    for i in range(4):
        text = shop.draft(Item(f"net-{i}", text="Нет", rating=1, product="Умная колонка"), an,
                          memory=ReplyMemory()).text or ""
        assert "расскажите" in text.lower() or "что пошло не так" in text, text
        assert "разберёмся в ситуации и предложим решение" not in text, text
