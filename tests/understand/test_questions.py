"""Questions on the Q&A channel and inside reviews, with what is asked about."""

from __future__ import annotations

from otklik.domain import ItemKind


def test_question_inside_a_review_is_found_with_its_topic(one):
    an = one("Рубашка отличная, села хорошо. Подскажите, а когда будет 44 размер?", rating=5)
    assert an.kind == ItemKind.REVIEW
    assert an.is_question
    assert an.questions == ["Подскажите, а когда будет 44 размер?"]
    assert "size_availability" in an.question_topics


def test_question_on_the_qa_channel(one):
    an = one("Какой состав ткани и можно ли стирать в машинке?", kind=ItemKind.QUESTION)
    assert an.kind == ItemKind.QUESTION
    assert an.is_question
    assert {"material", "washing"} <= set(an.question_topics)


def test_qa_item_without_question_mark_is_still_a_question(one):
    an = one("Подскажите размер на рост 170", kind=ItemKind.QUESTION)
    assert an.is_question
    assert an.questions == ["Подскажите размер на рост 170"]
    assert "size_choice" in an.question_topics


def test_rhetorical_complaint_is_not_a_question(one):
    an = one("Сколько можно присылать брак?", rating=1)
    assert not an.questions
    assert not an.is_question


def test_plain_review_has_no_questions(one):
    an = one("Хорошая рубашка, всё понравилось", rating=5)
    assert not an.is_question
    assert an.questions == [] and an.question_topics == []


def test_rhetorical_question_inside_a_complaint_is_not_a_question(one):
    an = one("Вопрос к упаковке: неужели так сложно обмотать плёнкой? Коробка пришла мятая", rating=3)
    assert not an.questions
    assert "packaging" in {a.id for a in an.complaints}


def test_rhetorical_and_retold_questions_inside_reviews_are_not_questions(one):
    for text in ("Понравилось ли мне? Очень!", "Обновили приложение под новый стиль. Зачем?",
                 "Друзья смотрят и говорят \"Как ты на ней ездишь?\"", "Знакомые подсказали нам этот магазин."):
        assert not one(text, rating=5).is_question, text


def test_a_question_put_to_the_seller_inside_a_review_is_a_question(one):
    a = one("Рубашка отличная. Подскажите, будет ли 52 размер?", rating=5)
    assert a.is_question
    assert one("Хорошая, но маломерит. Есть ли у вас размер побольше?", rating=4).is_question
