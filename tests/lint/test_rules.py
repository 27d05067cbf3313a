"""The linter on real-looking bad replies (one or more per rule) and on good ones (no false alarms)."""

from __future__ import annotations

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.domain import Analysis, AspectMention, FakeSignal, Item, ItemKind, Sentiment
from otklik.lint import lint_reply
from otklik.profile import BusinessProfile

POS, NEG, MIX = Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.MIXED

SIZE_ITEM = Item("s1", text="Брюки классные, но маломерят, пришлось менять", rating=2, author="Анна",
                 product="Брюки палаццо из льна")
SIZE = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("size_fit", NEG, "маломерят")],
                customer_name="Анна", customer_gender="f")
PRAISE_ITEM = Item("p1", text="Рубашка отличная, села идеально", rating=5, author="Анна", product="Рубашка оверсайз из льна")
PRAISE = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("size_fit", POS, "села идеально")], customer_name="Анна",
                  customer_gender="f")

GOOD_COMPLAINT_REPLY = (
    "Анна, здравствуйте! Спасибо, что рассказали о проблеме с брюками палаццо. Простите, что брюки оказались "
    "маломерными. Причина в том, что размерная сетка была указана по старым лекалам, — это нас не оправдывает. "
    "Бесплатно обменяем на другой размер через пункт выдачи: напишите нам в чат с продавцом в личном кабинете "
    "площадки.\nКоманда «Лён и Хлопок»"
)
GOOD_PRAISE_REPLY = (
    "Анна, здравствуйте! Спасибо за тёплый отзыв о рубашке оверсайз. Очень рады, что она села идеально. "
    "Будем рады видеть Вас снова!\nКоманда «Лён и Хлопок»"
)


def rules_of(text: str, profile: BusinessProfile, item: Item = SIZE_ITEM, analysis: Analysis = SIZE,
             platform: str | None = "ozon", memory: ReplyMemory | None = None) -> set[str]:
    return {f.rule for f in lint_reply(text, item=item, analysis=analysis, profile=profile, platform=platform,
                                       memory=memory) if f.severity == "error"}


def test_good_replies_pass_cleanly(clothing: BusinessProfile) -> None:
    assert lint_reply(GOOD_COMPLAINT_REPLY, item=SIZE_ITEM, analysis=SIZE, profile=clothing, platform="ozon") == []
    assert lint_reply(GOOD_PRAISE_REPLY, item=PRAISE_ITEM, analysis=PRAISE, profile=clothing, platform="ozon") == []


@pytest.mark.parametrize(
    ("rule", "reply"),
    [
        ("R-NO-ATTACK", "Анна, здравствуйте! Спасибо за отзыв о брюках. Простите, но вы сами виноваты: надо было "
                        "смотреть размерную сетку. Обменяем на другой размер."),
        ("R-NO-ATTACK", "Анна, спасибо за отзыв о брюках. Извините, но вы невнимательно читали описание — там всё "
                        "написано. Можем обменять размер."),
        ("R-NO-DELETE-DEMAND", "Анна, здравствуйте! Спасибо за отзыв о брюках, простите за размер. Обменяем на другой "
                               "размер, только удалите, пожалуйста, отзыв."),
        ("R-NO-DELETE-DEMAND", "Анна, спасибо за отзыв о брюках и простите нас. Обменяем размер. Просим изменить "
                               "оценку, иначе будем вынуждены обратиться в суд."),
        ("R-PLATFORM", "Анна, спасибо за отзыв о брюках, простите за размер. Обменяем: звоните +7 (912) 345-67-89."),
        ("R-PLATFORM", "Анна, спасибо за отзыв о брюках, простите за размер. Обменяем: пишите на shop@lenhlopok.ru"),
        ("R-PLATFORM", "Анна, спасибо за отзыв о брюках, простите за размер. Таблица размеров: https://lenhlopok.ru/size"),
        ("N-APOLOGY", "Анна, здравствуйте! Спасибо за отзыв о брюках. Бесплатно обменяем на другой размер через "
                      "пункт выдачи, напишите нам в чат."),
        ("N-REMEDY", "Анна, здравствуйте! Спасибо за отзыв о брюках палаццо. Простите, что размер не подошёл."),
        ("N-THANK", "Анна, здравствуйте. Простите, что брюки не подошли по размеру. Бесплатно обменяем на другой "
                    "размер через пункт выдачи."),
        ("R-NO-BARE", "Спасибо!"),
        ("R-NO-BARE", "🙏🙏🙏"),
        ("R-PERSONAL", "Здравствуйте! Спасибо за отзыв о брюках, простите за размер. Обменяем на другой размер."),
        ("R-PERSONAL", "Ольга, здравствуйте! Спасибо за отзыв о брюках, простите за размер. Обменяем на другой размер."),
        ("R-PERSONAL", "Уважаемый Анна! Спасибо за отзыв о брюках, простите за размер. Обменяем на другой размер."),
        ("R-PERSONAL", "Пользователь OZON, здравствуйте! Спасибо за отзыв о брюках, простите. Обменяем размер."),
        ("R-PERSONAL", "{name}, здравствуйте! Спасибо за отзыв о брюках, простите. Обменяем на другой размер."),
        ("R-HONEST", "Анна, спасибо за отзыв о брюках, простите за размер. Вернём 100% и дадим скидку 50% на всё."),
        ("R-HONEST", "Анна, спасибо за отзыв о брюках, простите за размер. В качестве компенсации отправим подарок."),
        ("R-TONE", "Анна, СПАСИБО за отзыв о брюках!!! Простите за размер, обменяем на другой размер."),
        ("R-SPECIFIC", "Анна, здравствуйте! Спасибо за отзыв. Простите за неудобства. Разберёмся в ситуации и "
                       "предложим решение."),
        ("F-REPORT", "Анна, спасибо за отзыв о брюках. Простите, но это заказной отзыв конкурентов, обменивать "
                     "ничего не будем."),
    ],
)
def test_bad_replies_are_caught_by_their_rule(clothing: BusinessProfile, rule: str, reply: str) -> None:
    assert rule in rules_of(reply, clothing)


def test_positive_review_without_thanks_is_flagged(clothing: BusinessProfile) -> None:
    reply = "Анна, здравствуйте! Очень рады, что рубашка оверсайз села идеально.\nКоманда «Лён и Хлопок»"
    assert "P-THANK" in rules_of(reply, clothing, PRAISE_ITEM, PRAISE)


def test_a_clone_of_an_earlier_reply_is_flagged(clothing: BusinessProfile) -> None:
    memory = ReplyMemory([GOOD_COMPLAINT_REPLY.replace("Анна", "Ольга")])
    assert "R-UNIQUE" in rules_of(GOOD_COMPLAINT_REPLY, clothing, memory=memory)
    assert "R-UNIQUE" not in rules_of(GOOD_PRAISE_REPLY, clothing, PRAISE_ITEM, PRAISE, memory=memory)


def test_over_length_is_flagged_for_the_platform(clothing: BusinessProfile) -> None:
    long_reply = GOOD_COMPLAINT_REPLY + " Мы очень ценим Ваше мнение." * 120
    assert "R-PLATFORM" in rules_of(long_reply, clothing, platform="ozon")


def test_contacts_are_fine_where_the_platform_allows_them(restaurant: BusinessProfile) -> None:
    item = Item("r1", text="Долго ждали горячее", rating=2, author="Сергей")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("wait_time", NEG, "долго ждали")],
                  customer_name="Сергей", customer_gender="m")
    reply = ("Сергей, здравствуйте! Спасибо, что рассказали, как долго пришлось ждать. Простите нас. "
             "Подарим скидку 20% на следующий визит — позвоните администратору: +7 (495) 123-45-67.")
    assert "R-PLATFORM" not in rules_of(reply, restaurant, item, an, platform=None)
    assert "R-PLATFORM" in rules_of(reply, restaurant, item, an, platform="yandex_market")
    assert "R-HONEST" not in rules_of(reply, restaurant, item, an), "20% is configured for waiting"


def test_unanswered_question_with_a_known_answer_is_flagged(restaurant: BusinessProfile) -> None:
    item = Item("q1", kind=ItemKind.QUESTION, text="Есть ли у вас парковка?")
    an = Analysis(ItemKind.QUESTION, Sentiment.NEUTRAL, is_question=True, questions=[item.text])
    bad = "Здравствуйте! Спасибо за вопрос. Будем рады видеть Вас в нашем ресторане."
    good = "Здравствуйте! Спасибо за вопрос. Да, у ресторана есть собственная бесплатная парковка для гостей."
    assert "Q-EXACT" in rules_of(bad, restaurant, item, an)
    assert "Q-EXACT" not in rules_of(good, restaurant, item, an)


def test_surprise_on_a_recurring_problem_is_a_warning(clothing: BusinessProfile) -> None:
    reply = GOOD_COMPLAINT_REPLY.replace("Простите,", "Для нас это редкость. Простите,")
    findings = lint_reply(reply, item=SIZE_ITEM, analysis=SIZE, profile=clothing, platform="ozon")
    assert [(f.rule, f.severity) for f in findings] == [("N-SURPRISE", "warning")]


def test_calm_reply_to_a_proven_fake_passes(restaurant: BusinessProfile) -> None:
    item = Item("f1", text="Грязно на втором этаже", rating=1)
    an = Analysis(ItemKind.REVIEW, NEG, problem=True,
                  fake_signals=[FakeSignal("fact_contradiction", "второго этажа нет", proves_false=True)])
    calm = ("Здравствуйте! Спасибо, что нашли время написать. Уточним для всех читателей: у ресторана один этаж. "
            "Если мы ошибаемся, напишите нам в личные сообщения — обязательно разберёмся.")
    assert rules_of(calm, restaurant, item, an) == set()
    assert "F-REPORT" in rules_of(calm + " Похоже, это фейк от конкурентов.", restaurant, item, an)


def test_word_forms_are_matched_by_lemma(clothing: BusinessProfile) -> None:
    for demand in ["удалите отзыв", "удалить Ваш отзыв", "удалила бы отзыв", "уберите, пожалуйста, отзыв"]:
        reply = f"Анна, спасибо за отзыв о брюках, простите. Обменяем на другой размер, но {demand}."
        assert "R-NO-DELETE-DEMAND" in rules_of(reply, clothing), demand


def test_no_false_positives_on_the_composers_own_drafts(clothing: BusinessProfile, restaurant: BusinessProfile) -> None:
    cases = [
        (clothing, SIZE_ITEM, SIZE),
        (clothing, PRAISE_ITEM, PRAISE),
        (restaurant, Item("r9", text="Вкусно, но долго ждали и было шумно", rating=3, author="Павел"),
         Analysis(ItemKind.REVIEW, MIX, problem=True,
                  aspects=[AspectMention("food", POS, "вкусно"), AspectMention("wait_time", NEG, "долго ждали"),
                           AspectMention("music", NEG, "шумно")], customer_name="Павел", customer_gender="m")),
    ]
    for profile, item, an in cases:
        composer = Composer(profile, seed=11)
        memory = ReplyMemory()
        for i in range(12):
            it = Item(f"{item.external_id}-{i}", text=item.text, rating=item.rating, author=item.author,
                      product=item.product)
            draft = composer.draft(it, an, memory=memory, platform="ozon" if profile is clothing else None)
            # the only reason to hold: a profile cause that does not fit the review (a person gives it)
            assert draft.text and all(r.startswith("Причина жалобы") for r in draft.reasons), draft.reasons
            findings = lint_reply(draft.text, item=it, analysis=an, profile=profile, memory=memory,
                                  linter=composer.linter)
            assert [f for f in findings if f.severity == "error"] == [], (draft.text, findings)
            memory.add(draft.text)
