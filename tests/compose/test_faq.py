"""Answers come from the profile's FAQ and facts; below the confidence threshold there is none."""

from __future__ import annotations

import pytest

from otklik.compose.faq import FaqIndex
from otklik.profile import BusinessProfile


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Садится ли рубашка после стирки?", "усадки нет"),
        ("Будет ли 44 размер?", "42–44"),
        ("Из чего сшита юбка?", "100% хлопка или льна"),
        ("Сколько идёт доставка в Казань?", "2–5 дней"),
        ("Можно вернуть, если не подойдёт?", "14 дней"),
    ],
)
def test_clothing_questions_find_their_answer(clothing: BusinessProfile, question: str, expected: str) -> None:
    answer = FaqIndex(clothing).answer(question)
    assert answer is not None and expected in answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Есть ли у вас парковка?", "парковка"),
        ("До скольки вы работаете?", "23:00"),
        ("Есть что-нибудь для вегетарианцев?", "вегетарианские"),
        ("Можно забронировать столик на пятницу?", "забронировать"),
    ],
)
def test_restaurant_questions_find_their_answer(restaurant: BusinessProfile, question: str, expected: str) -> None:
    answer = FaqIndex(restaurant).answer(question)
    assert answer is not None and expected in answer.text


@pytest.mark.parametrize("question", ["Можно ли прийти с собакой?", "Принимаете карты?", "Есть ли такая же в голубом цвете?"])
def test_unknown_questions_get_no_answer(clothing: BusinessProfile, restaurant: BusinessProfile, question: str) -> None:
    assert FaqIndex(clothing).answer(question) is None
    assert FaqIndex(restaurant).answer(question) is None
