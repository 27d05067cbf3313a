"""Customer name and gender: real first names only, never nicknames or placeholders."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("author", "name", "gender"),
    [
        ("Анна К.", "Анна", "f"),
        ("анна", "Анна", "f"),
        ("Сергей", "Сергей", "m"),
        ("Дмитрий Н.", "Дмитрий", "m"),
        ("Саша", "Саша", None),
        ("Женя", "Женя", None),
        ("Пользователь OZON", None, None),
        ("Покупатель", None, None),
        ("Пользователь предпочёл скрыть свои данные", None, None),
        ("nick_777", None, None),
        ("Nikolas-gyrme", None, None),
        ("Стол", None, None),
        (None, None, None),
    ],
)
def test_name_from_author(one, author, name, gender):
    an = one("Хорошая рубашка", rating=5, author=author)
    assert an.customer_name == name
    assert an.customer_gender == gender


def test_signature_at_the_end_of_the_text(one):
    an = one("Пришла быстро, всё хорошо. Спасибо! Ольга", rating=5, author="Покупатель")
    assert (an.customer_name, an.customer_gender) == ("Ольга", "f")


def test_author_field_wins_over_a_word_at_the_end(one):
    an = one("Спасибо, Марина", rating=5, author="Игорь")
    assert (an.customer_name, an.customer_gender) == ("Игорь", "m")


def test_ordinary_last_word_is_not_a_signature(one):
    an = one("Пришла быстро, всё хорошо. Спасибо! Рекомендую", rating=5, author="nick_777")
    assert an.customer_name is None
