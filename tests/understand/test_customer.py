"""Customer name and gender: every real first name, in the customer's own spelling; never a nickname."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from otklik.domain import Item

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

# (author field, name the reply may use, gender, what the row covers)
AUTHORS: list[tuple[str | None, str | None, str | None, str]] = [
    # plain Cyrillic names, any capitals, with initials
    ("Анна К.", "Анна", "f", "initial"),
    ("анна", "Анна", "f", "case"),
    ("АННА", "Анна", "f", "case"),
    ("Сергей", "Сергей", "m", "plain"),
    ("Дмитрий Н.", "Дмитрий", "m", "initial"),
    ("екатерина с.", "Екатерина", "f", "initial"),
    ("Рустам к.", "Рустам", "m", "initial"),
    ("Александр M", "Александр", "m", "initial"),
    ("Анна-Мария", "Анна-Мария", "f", "plain"),
    ("🌸Ольга🌸", "Ольга", "f", "plain"),
    # ё kept as the customer wrote it (and its absence too)
    ("Артём", "Артём", "m", "yo"),
    ("Алёна", "Алёна", "f", "yo"),
    ("СЕМЁН", "Семён", "m", "yo"),
    ("Артем Т.", "Артем", "m", "yo"),
    ("Алена", "Алена", "f", "yo"),
    # common-gender names: no gender guessed
    ("Саша", "Саша", None, "gender"),
    ("Женя", "Женя", None, "gender"),
    ("Валя", "Валя", None, "gender"),
    # names pymorphy3 lacks or misreads (natasha's list has them; it gives no gender)
    ("Амина", "Амина", None, "non-russian"),
    ("Гульназ", "Гульназ", None, "non-russian"),
    ("Лейсян", "Лейсян", None, "non-russian"),
    ("Нуне", "Нуне", None, "non-russian"),
    ("Амиршо", "Амиршо", "m", "non-russian"),
    ("Айгуль", "Айгуль", "f", "non-russian"),
    ("Зарина", "Зарина", "f", "non-russian"),
    ("Тимур", "Тимур", "m", "non-russian"),
    ("Ринат", "Ринат", "m", "non-russian"),
    ("Алсу Ш.", "Алсу", "f", "non-russian"),
    ("София", "София", "f", "non-russian"),
    # names that are also ordinary words are fine in the author field
    ("Роза", "Роза", "f", "common-word"),
    ("Вера Б.", "Вера", "f", "common-word"),
    ("Надежда", "Надежда", "f", "common-word"),
    ("Любовь Ивановна", "Любовь", "f", "common-word"),
    ("Лев", "Лев", "m", "common-word"),
    # surname first (GUIDE.md: a surname-first form gives no name), surname alone, with an initial
    ("Иванова Мария", None, None, "surname"),
    ("ИВАНОВА МАРИЯ", None, None, "surname"),
    ("Бабанова Татьяна", None, None, "surname"),
    ("Корнеева Алла", None, None, "surname"),
    ("Мария Иванова", "Мария", "f", "surname"),
    ("Иванов Иван Иванович", None, None, "surname"),
    ("Ким Анна", None, None, "surname"),
    # two first names in one username: a shared account, nobody to address
    ("Olga+Sergey", None, None, "username"),
    ("Pavel&Irina", None, None, "username"),
    ("ivanova_maria", None, None, "username"),
    ("Рыбников Р.", None, None, "surname"),
    ("Петрова Р.", None, None, "surname"),
    ("Никитина", None, None, "surname"),
    ("Ким", None, None, "surname"),
    ("Р.", None, None, "initial"),
    ("А. Б.", None, None, "initial"),
    # placeholders and hidden authors
    ("Покупатель", None, None, "hidden"),
    ("Пользователь предпочёл скрыть свои данные", None, None, "hidden"),
    ("Пользователь OZON", None, None, "hidden"),
    ("Гость", None, None, "hidden"),
    ("Аноним", None, None, "hidden"),
    ("ПД УДАЛЕНЫ", None, None, "hidden"),
    ("", None, None, "hidden"),
    (None, None, None, "hidden"),
    # usernames with a name inside
    ("Irina78", "Ирина", "f", "username"),
    ("Кристина 333666", "Кристина", "f", "username"),
    ("Alex P.", "Алекс", "m", "username"),
    ("anna_k", "Анна", "f", "username"),
    ("olga.petrova", "Ольга", "f", "username"),
    ("IrinaPetrova", "Ирина", "f", "username"),
    ("Artem_88", "Артём", "m", "username"),
    ("Anna-Maria", "Анна-Мария", "f", "username"),
    # Latin spellings and their common variants → the Russian spelling
    ("Anna T.", "Анна", "f", "latin"),
    ("OLGA", "Ольга", "f", "latin"),
    ("Yulia", "Юлия", "f", "latin"),
    ("Julia", "Юлия", "f", "latin"),
    ("Iuliia", "Юлия", "f", "latin"),
    ("Natalia", "Наталья", "f", "latin"),
    ("Natalya", "Наталья", "f", "latin"),
    ("Aleksandr", "Александр", "m", "latin"),
    ("Alexander", "Александр", "m", "latin"),
    ("Evgeniy", "Евгений", "m", "latin"),
    ("Yevgeny", "Евгений", "m", "latin"),
    ("Ksenia", "Ксения", "f", "latin"),
    ("Kseniya", "Ксения", "f", "latin"),
    ("Dmitry", "Дмитрий", "m", "latin"),
    ("Dmitriy", "Дмитрий", "m", "latin"),
    ("Sergey", "Сергей", "m", "latin"),
    ("Sergei", "Сергей", "m", "latin"),
    ("Tatiana", "Татьяна", "f", "latin"),
    ("Tatyana", "Татьяна", "f", "latin"),
    ("Maria", "Мария", "f", "latin"),
    ("Mariya", "Мария", "f", "latin"),
    ("Ekaterina", "Екатерина", "f", "latin"),
    ("Yekaterina", "Екатерина", "f", "latin"),
    ("Valeriy T.", "Валерий", "m", "latin"),
    ("Aleksey L.", "Алексей", "m", "latin"),
    ("Igor", "Игорь", "m", "latin"),
    ("Elvira", "Эльвира", "f", "latin"),
    ("Alyona", "Алёна", "f", "latin"),
    ("Nigora J.", "Нигора", "f", "latin"),
    # nicknames, characters, ordinary words, oblique forms: no name
    ("котик", None, None, "nickname"),
    ("Зайка", None, None, "nickname"),
    ("Солнышко", None, None, "nickname"),
    ("Звёздный лорд", None, None, "nickname"),
    ("Лунтик", None, None, "nickname"),
    ("Барсик", None, None, "nickname"),
    ("Ангел", None, None, "nickname"),
    ("Пахан Б.", None, None, "nickname"),
    ("Стол", None, None, "nickname"),
    ("Андрея", None, None, "nickname"),
    ("nick_777", None, None, "nickname"),
    ("Nikolas-gyrme", None, None, "nickname"),
    ("Zorg-Zorg", None, None, "nickname"),
    ("xXx_killer", None, None, "nickname"),
    ("user12345", None, None, "nickname"),
    ("A shopaholic Ф.", None, None, "nickname"),
    ("Paranoia", None, None, "nickname"),
    ("angel_1990", None, None, "nickname"),
    ("12345", None, None, "nickname"),
]


@pytest.mark.parametrize(("author", "name", "gender", "case"), AUTHORS, ids=[f"{c}:{a}" for a, _, _, c in AUTHORS])
def test_name_from_author(one, author, name, gender, case):
    an = one("Хорошая рубашка", rating=5, author=author)
    assert (an.customer_name, an.customer_gender) == (name, gender)


def test_the_table_covers_every_kind_of_author_field():
    kinds = {case for *_, case in AUTHORS}
    assert len(AUTHORS) >= 60
    assert {"hidden", "latin", "username", "surname", "yo", "non-russian", "nickname", "initial"} <= kinds


def test_no_nickname_or_placeholder_gets_a_name(clothing):
    """All of them in one batch: a reply never greets «Котик» or «Zorg»."""
    rows = [a for a, _, _, case in AUTHORS if case in ("nickname", "hidden")]
    items = [Item(f"n{i}", text="Хорошая рубашка", rating=5, author=a) for i, a in enumerate(rows)]
    named = {a: an.customer_name for a, an in zip(rows, clothing.analyze(items, now=NOW), strict=True)
             if an.customer_name}
    assert named == {}


@pytest.mark.parametrize(
    ("text", "name", "gender"),
    [
        ("Пришла быстро, всё хорошо. Спасибо! Ольга", "Ольга", "f"),
        ("Села отлично.\n\nС уважением, Анна К.", "Анна", "f"),
        ("Всё подошло, спасибо!\nГульназ", "Гульназ", None),
        ("Спасибо! Ольга Петрова", "Ольга", "f"),
        ("Спасибо! Артём", "Артём", "m"),
        # a name that is also a word counts only alone at the very end
        ("Спасибо за быструю доставку. Роза", "Роза", "f"),
        ("Всё как на фото. Надежда", "Надежда", "f"),
        ("Рубашка отличная. С уважением, Вера", "Вера", "f"),
        ("Спасибо. Любовь.", "Любовь", "f"),
        ("Это любовь!", None, None),
        ("Любовь", None, None),
        ("Это моя любовь. Любовь!", None, None),
        ("Осталась только надежда", None, None),
        ("Осталась только Надежда", None, None),
        ("Очень довольна, Вера", None, None),
        # not a signature at all
        ("Пришла быстро, всё хорошо. Спасибо! Рекомендую", None, None),
        ("Спасибо продавцу Ивану", None, None),
        ("Всё ок. Ольга довольна", None, None),
    ],
)
def test_name_from_a_signature(one, text, name, gender):
    an = one(text, rating=5, author="Покупатель")
    assert (an.customer_name, an.customer_gender) == (name, gender)


def test_author_field_wins_over_a_word_at_the_end(one):
    an = one("Спасибо, Марина", rating=5, author="Игорь")
    assert (an.customer_name, an.customer_gender) == ("Игорь", "m")


def test_a_nickname_author_does_not_hide_a_real_signature(one):
    an = one("Пришла быстро. Спасибо! Ольга", rating=5, author="xXx_killer")
    assert an.customer_name == "Ольга"


def test_ordinary_last_word_is_not_a_signature(one):
    an = one("Пришла быстро, всё хорошо. Спасибо! Рекомендую", rating=5, author="nick_777")
    assert an.customer_name is None


@pytest.mark.parametrize("author", ["Васька 1987", "Svetulka", "катюшенька", "Анька", "Танюшка"])
def test_a_familiar_diminutive_is_never_used_as_a_name(author: str) -> None:
    from otklik.domain import Item
    from otklik.understand import Analyzer

    assert Analyzer(None).analyze([Item("x", text="ок", author=author)])[0].customer_name is None


@pytest.mark.parametrize("author", ["Лёлик", "Стеллочка", "edik077", "Visca", "nata07", "Natalia-Dima", "Nik_Lan"])
def test_unsure_names_give_no_name_at_all(one, author: str) -> None:
    # a pet form, a guessed Latin reading or two people: a wrong name is worse than none (GUIDE.md)
    assert one("Спасибо, всё понравилось", rating=5, author=author).customer_name is None


@pytest.mark.parametrize(("author", "name"), [("RitaSea", "Рита"), ("Artur Korol", "Артур"), ("Эрик", "Эрик")])
def test_a_name_followed_by_a_surname_like_tail_is_used(one, author: str, name: str) -> None:
    assert one("Спасибо, всё понравилось", rating=5, author=author).customer_name == name
