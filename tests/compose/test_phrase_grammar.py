"""Every phrase-bank sentence rendered with every kind of slot filler: grammar basics hold."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from typing import Any

import pytest

from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank, Renderer

# product names of each gender and number, with and without adjectives and tails
PRODUCTS = {
    "femn": ["рубашка оверсайз из льна", "умная колонка", "юбка"],
    "masc": ["свитер", "налобный фонарь", "домашний хлеб из печи"],
    "neut": ["платье-рубашка из хлопка", "пальто", "одеяло"],
    "plur": ["брюки палаццо из льна", "джинсы", "носки"],
}
NAMES = ["Анна", "Игорь", "Саша"]
CONTEXT: dict[str, str] = {
    "related": "юбка миди из хлопка", "venue": "наш ресторан", "business": "Лён и Хлопок",
    "signature": "Команда «Лён и Хлопок»", "signature_lc": "команда «Лён и Хлопок»", "customers": "покупатели",
    "elsewhere": "другом магазине", "elsewhere_to": "другой магазин", "contact": "напишите нам в чат",
    "remedy": "заменим изделие на новое", "a": "заменим изделие", "b": "вернём деньги", "cause": "склад перегружен",
    "fix": "мы сменили склад", "clause": "размер подошёл", "answer": "Да, есть.", "answer_lc": "да, есть.",
    "resolution": "заменили рубашку", "prevention": "добавили проверку", "evidence": "ткань мягкая",
    "aspect": "упаковка", "aspect_name": "упаковка", "who_datv": "маме",
    "noted": "звук и подсветку", "inf": "настроить", "how": "легко и быстро", "occasion": "день рождения",
    "staff_datv": "Антону", "dishes": "хачапури и сациви",
}


def templates(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        if "{" in node or path.split(".")[-1] not in ("name", "lemmas", "detail", "remedies", "applies"):
            yield path, node
    elif isinstance(node, list):
        for i, x in enumerate(node):
            if isinstance(x, str) and not re.fullmatch(r"[a-z_]+", x):
                yield f"{path}[{i}]", x
            elif isinstance(x, dict):  # an aspect's ``when`` cases: phrases for evidence of one kind
                yield from templates(x, f"{path}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            if k in ("lemmas", "detail", "remedies", "name", "complaint_order", "applies", "hold", "evidence", "scope",
                     "except_beside"):
                continue
            yield from templates(v, f"{path}.{k}" if path else str(k))


BANK = PhraseBank()
ALL = [*templates(BANK.common, "common"), *templates(BANK.aspects, "aspects"), *templates(BANK.fake, "fake"),
       *templates({k: BANK.details[k] for k in BANK.details if k.endswith(("_positive", "_negative", "_thanks", "_praise"))
                   and k != "dish_praise"}, "details"),
       *templates({k: BANK.noted[k] for k in ("noted", "setup")}, "noted")]
_O_VOWEL = re.compile(r"(?<![А-Яа-яЁё])[Оо] (?=[аэиоуыАЭИОУЫ])")


def renderings(morph: Morph, template: str) -> Iterator[tuple[str, str]]:
    for kind, products in PRODUCTS.items():
        for product in products:
            for name in NAMES:
                thing = morph.head_noun(product)
                ctx: dict[str, str | None] = {**CONTEXT, "product": product, "thing": thing, "name": name}
                r = Renderer(morph=morph, rng=random.Random(0), context=ctx)
                if r.available(template):
                    yield kind, r.render(template)


@pytest.fixture(scope="module")
def morph() -> Morph:
    return Morph()


def test_the_banks_have_many_templates() -> None:
    assert len(ALL) > 500


@pytest.mark.parametrize(("where", "template"), ALL, ids=[w for w, _ in ALL])
def test_a_template_renders_cleanly_for_every_filler(morph: Morph, where: str, template: str) -> None:
    for kind, text in renderings(morph, template):
        assert "{" not in text and "}" not in text, (kind, text)
        assert not _O_VOWEL.search(text), f"«о» before a vowel: {text}"
        assert "  " not in text and " ," not in text and " ." not in text, text
        assert not re.search(r"[А-Яа-яЁё]\.[А-Яа-яЁё]", text), text


AGREE = sorted({w for _, t in ALL for w in re.findall(r"\{agree:([^{}]+)\}", t)})


@pytest.mark.parametrize("word", AGREE)
def test_agree_matches_the_products_gender_and_number(morph: Morph, word: str) -> None:
    for kind, products in PRODUCTS.items():
        for product in products:
            out = morph.agree(word, morph.agreement(product))
            parses = [p for p in morph.parse(out.lower()) if p.tag.POS in ("VERB", "ADJF", "ADJS", "PRTF", "PRTS")]
            assert parses, (word, product, out)
            if kind == "plur":
                ok = any(p.tag.number == "plur" for p in parses)
            else:
                ok = any(p.tag.number == "sing" and (p.tag.gender in (None, kind) or
                                                     (p.tag.POS == "VERB" and p.tag.tense != "past")) for p in parses)
            assert ok, f"{word} → {out} does not agree with «{product}» ({kind})"
