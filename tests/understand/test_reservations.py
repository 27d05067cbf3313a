"""A satisfied customer's one reservation is still a complaint: the review is mixed, never positive.

Made-up reviews of the shapes a seller meets: «единственное…», «было бы хорошо, если бы…», «жаль…
нет», «сделайте возможность… А так всё хорошо», «думала, что…, но…», «хотя некоторые… не…», a
complaint conceded by praise («не всегда…, но в этот раз…»). Praise that only sounds like one
(«жаль, что раньше не купила», «единственное — минусов нет») stays positive."""

from __future__ import annotations

import pytest

from otklik.domain import Item, Sentiment
from otklik.understand import Analyzer


@pytest.fixture(scope="module")
def neutral() -> Analyzer:
    return Analyzer(None)


def _one(an: Analyzer, text: str, rating: int | None = None):
    return an.analyze([Item("r", text=text, rating=rating)])[0]


@pytest.mark.parametrize(("text", "rating"), [
    ("Чайник красивый, греет быстро. Единственное, было бы хорошо, если бы крышка открывалась шире", 5),
    ("Плед мягкий, цвет приятный, жаль чехла для хранения нет", 5),
    ("Сделайте возможность оплаты частями. А так всё отлично", None),
    ("Рассчитывала, что налезет на зимнюю куртку, но сидит впритык", 5),
    ("Суп вкусный, хотя некоторые закуски подали не тёплыми", 4),
    ("Не всегда кладут приборы, но в этот раз всё идеально", 5),
    ("Фен мощный и лёгкий. Из минусов шнур короткий", 5),
    ("Хорошая лампа, свет мягкий. Сборка заняла больше, чем хотелось бы", 5),
])
def test_a_reservation_beside_praise_is_a_complaint_and_never_positive(neutral, text, rating):
    a = _one(neutral, text, rating)
    assert a.problem
    assert a.sentiment in (Sentiment.MIXED, Sentiment.NEGATIVE)


@pytest.mark.parametrize("text", [
    "Отличный блендер, жаль, что раньше не купила",
    "Кофемашина супер. Единственное — минусов пока не нашла",
    "Думала, что будет маловата, но села идеально",
    "Очень жалеем, что продали эту машину, хотим такую же",
])
def test_praise_that_only_sounds_like_a_reservation_stays_positive(neutral, text):
    a = _one(neutral, text, 5)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE


def test_a_wished_improvement_names_its_aspect_as_a_complaint_not_praise(neutral):
    a = _one(neutral, "Всё пришло целым, звук отличный. Единственное, было бы хорошо, если бы упаковывали понадёжнее", 5)
    assert "packaging" in {m.id for m in a.complaints}
    assert "packaging" not in {m.id for m in a.praises if m.sentiment == Sentiment.POSITIVE}


@pytest.mark.parametrize("text", [
    "Подушка мягкая, иногда даже слишком.",
    "Придётся перейти в другой банк, здесь каждый перевод — квест.",
    "Персонал вежливый, но работают явно не на клиента.",
    "Оформление карты — настоящий квест.",
])
def test_a_shortcoming_said_in_passing_is_a_complaint(neutral, text):
    a = _one(neutral, text)
    assert a.problem
    assert a.sentiment != Sentiment.POSITIVE


@pytest.mark.parametrize("text", [
    "Менеджер помог не только с документами, но и с переводом денег",
    "Отличный чайник, работает тихо, но…",
    "Брюки хорошие, но если брать на размер меньше, будут коротки",
    "Пальто шикарное, но куртка 🔥👌",
    "Кофемолка мощная, мелет ровно. Работает без нареканий уже месяц",
])
def test_praise_with_a_harmless_but_stays_positive(neutral, text):
    a = _one(neutral, text, 5)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE


def test_praise_inside_a_complaint_clause_still_counts_under_five_stars(neutral):
    a = _one(neutral, "Шикарная куртка, очень жаль , что мне оказалась мала", 5)
    assert a.problem
    assert a.sentiment == Sentiment.MIXED


def test_an_impossible_action_is_a_complaint(neutral):
    a = _one(neutral, "Третий день не возможно оплатить покупку через приложение")
    assert a.problem
    assert a.sentiment == Sentiment.NEGATIVE


def test_hesitating_before_buying_is_not_an_expectation_let_down(neutral):
    a = _one(neutral, "Чайник отличный! Долго думала и копила, а тут распродажа, и купила за полцены", 5)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE


@pytest.mark.parametrize("text", [
    "Это единственное место в городе, где варят такой кофе. Всё отлично",
    "Официанты молодцы, к сожалению, не знаю всех имён. Спасибо!",
    "Отличная машина, жаль, что я её продал",
])
def test_words_of_a_reservation_used_otherwise_are_no_complaint(neutral, text):
    a = _one(neutral, text, 5)
    assert not a.problem
