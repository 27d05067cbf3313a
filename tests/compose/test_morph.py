"""Grammar by morphology: product names and aspect nouns are inflected, words agree with them."""

from __future__ import annotations

import pytest

from otklik.compose.morph import Morph


@pytest.fixture(scope="module")
def morph() -> Morph:
    return Morph()


@pytest.mark.parametrize(
    ("phrase", "case", "expected"),
    [
        ("рубашка оверсайз из льна", "loct", "рубашке оверсайз из льна"),
        ("брюки палаццо из льна", "loct", "брюках палаццо из льна"),
        ("брюки палаццо из льна", "datv", "брюкам палаццо из льна"),
        ("юбка миди из хлопка", "accs", "юбку миди из хлопка"),
        ("домашний хлеб из печи", "accs", "домашний хлеб из печи"),
        ("домашний хлеб из печи", "ablt", "домашним хлебом из печи"),
        ("пицца «Маргарита» из дровяной печи", "accs", "пиццу «Маргарита» из дровяной печи"),
        ("блузка женская белая", "loct", "блузке женской белой"),
        ("бизнес-ланч", "accs", "бизнес-ланч"),
        ("наш ресторан", "loct", "нашем ресторане"),
    ],
)
def test_noun_phrases_are_inflected_into_the_case_a_phrase_needs(morph: Morph, phrase: str, case: str, expected: str) -> None:
    assert morph.inflect_phrase(phrase, case) == expected


@pytest.mark.parametrize(
    ("noun", "verb", "adjective"),
    [
        ("рубашка", "подошла", "удобная"),
        ("брюки", "подошли", "удобные"),
        ("платье", "подошло", "удобное"),
        ("хлеб", "подошёл", "удобный"),
    ],
)
def test_verbs_and_adjectives_agree_with_the_product(morph: Morph, noun: str, verb: str, adjective: str) -> None:
    agreement = morph.agreement(noun)
    assert morph.agree("подошёл", agreement) == verb
    assert morph.agree("удобный", agreement) == adjective


def test_head_noun_keeps_adjectives_and_drops_the_tail(morph: Morph) -> None:
    assert morph.head_noun("Брюки палаццо из льна") == "Брюки"
    assert morph.head_noun("домашний хлеб из печи") == "домашний хлеб"


def test_a_plural_category_names_one_thing_but_pairs_stay_plural() -> None:
    from otklik.compose.morph import Morph

    m = Morph()
    assert m.singular("Рубашки") == "рубашка" and m.singular("блузки") == "блузка"
    assert m.singular("брюки") == "брюки", "no singular exists"
    assert m.singular("кроссовки") == "кроссовки", "worn in pairs"
