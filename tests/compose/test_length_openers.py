"""Length in proportion to the review; no stock opener in more than 5 % of replies."""

from __future__ import annotations

import collections
import csv
import random
import re
from pathlib import Path

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.compose.morph import Morph
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.profile import bundled_profile_path, load_profile
from otklik.sources.files import read_items
from otklik.understand import Analyzer

POS = Sentiment.POSITIVE
ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
GREETING = re.compile(r"^(?:[А-ЯЁ][а-яё]+, )?(здравствуйте|добрый день|доброго дня|приветствуем вас)(?:, [А-ЯЁ][а-яё]+)?[!.]$",
                      re.I)


def body_sentences(text: str | None) -> list[str]:
    """Sentences of the reply without the greeting and the signature line."""
    body = (text or "").rsplit("\n", 1)[0]
    return [s for s in re.split(r"(?<=[.!?])\s+", body) if s and not GREETING.match(s)]


@pytest.mark.parametrize("i", range(10))
def test_a_one_word_review_gets_one_or_two_sentences(shop: Composer, i: int) -> None:
    item = Item(f"w{i}", text="Супер!", rating=5, author="Анна", product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, POS, customer_name="Анна", customer_gender="f")
    assert 1 <= len(body_sentences(shop.draft(item, an, memory=ReplyMemory()).text)) <= 2


def test_a_long_review_may_get_a_longer_reply(shop: Composer) -> None:
    text = ("Рубашка села идеально, ткань приятная и плотная, швы ровные, цвет как на фото. " * 12).strip()
    item = Item("long", text=text, rating=5, author="Анна", product="Рубашка оверсайз из льна")
    an = Analysis(ItemKind.REVIEW, POS, customer_name="Анна", customer_gender="f", aspects=[
        AspectMention("size_fit", POS, "села идеально"), AspectMention("material", POS, "ткань приятная"),
        AspectMention("quality", POS, "швы ровные"), AspectMention("color", POS, "цвет как на фото")])
    short = Item("short", text="Супер!", rating=5, author="Анна", product="Рубашка оверсайз из льна")
    long_n = len(body_sentences(shop.draft(item, an, memory=ReplyMemory()).text))
    short_n = len(body_sentences(shop.draft(short, Analysis(ItemKind.REVIEW, POS, customer_name="Анна"),
                                            memory=ReplyMemory()).text))
    assert long_n >= 4 > short_n


def _sample(n: int = 300) -> list[Item]:
    """A fixed sample of real Ozon and WB reviews (not in the repository: read from ../shared/data)."""
    rows: list[Item] = []
    with (SHARED / "ozon_station_reviews" / "ozon_station_reviews.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(Item("oz-" + r["review_id"], source="ozon", text=r["text"] or "", pros=r["pros"] or "",
                             cons=r["cons"] or "", rating=int(r["rating"]), author=r["author"], product="Умная колонка"))
    with (SHARED / "wb_shirt_reviews" / "wb_shirt_reviews.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows.append(Item("wb-" + r["Unnamed: 0"], source="wildberries", text=r["text"] or "",
                             rating=int(float(r["mark"])), author=r["reviewerName"], product=r["name"]))
    return random.Random(0).sample(rows, n)


def test_no_opener_in_more_than_five_percent_of_replies() -> None:
    demo = ROOT / "src" / "otklik" / "data" / "demo"
    clothing_items = read_items(demo / "items.jsonl")
    if (SHARED / "wb_shirt_reviews").exists() and (SHARED / "ozon_station_reviews").exists():
        clothing_items += _sample()
    runs = [("clothing", clothing_items), ("restaurant", read_items(demo / "restaurant.jsonl"))]
    morph = Morph()
    openers: collections.Counter[str] = collections.Counter()
    for name, items in runs:
        profile = load_profile(bundled_profile_path(name))
        composer, memory = Composer(profile, seed=1), ReplyMemory()
        product_words = {w for p in profile.products for n in [p.name, *p.aliases] for w in morph.lemmas(n)}
        for item, an in zip(items, Analyzer(profile).analyze(items), strict=True):
            draft = composer.draft(item, an, memory=memory, platform=item.source)
            if not draft.text:
                continue
            memory.add(draft.text)
            first = (body_sentences(draft.text) or [""])[0]
            masked = product_words | set(morph.lemmas(item.product or ""))
            key = " ".join("X" if morph.lemma(w) in masked or w == an.customer_name else w
                           for w in re.findall(r"[\w-]+", first))
            openers[key] += 1
    total = sum(openers.values())
    assert total > 60
    top, count = openers.most_common(1)[0]
    assert count / total <= 0.05, (top, count, total)



REFERS_BACK = re.compile(r"(Особенно|Отдельное|Отдельно|Также|Тоже|А ещё|Ещё|Приятно и то|Рады и тому)")


def test_a_reply_never_opens_with_a_sentence_that_refers_back(clothing) -> None:
    """«Особенно приятно, что…», «Отдельное спасибо…», «А ещё…» read wrong as the first thing said."""
    texts = ["Заказывал маме на день рождения, ей очень понравилось. Говорит, ткань натуральная, не колется, "
             "швы нигде не трут. Доставка 3 дня.",
             "Ношу уже две недели почти не снимая)) Стирала 3 раза на 30 градусах — не села, цвет не полинял.",
             "Качество отличное за свои деньги. Ткань плотная, белый цвет не просвечивает. Пояс в комплекте."]
    items = [Item(f"rel{i}", text=t, rating=5, author="Ольга", product="Брюки палаццо из льна")
             for i, t in enumerate(texts)]
    analyses = Analyzer(clothing).analyze(items)
    firsts = [body_sentences(Composer(clothing, seed=seed).draft(item, an, memory=ReplyMemory()).text)[0]
              for seed in range(10) for item, an in zip(items, analyses, strict=True)]
    assert not [f for f in firsts if REFERS_BACK.match(f)]
