"""ReplyMemory finds exact and near-duplicate replies (R-UNIQUE), also among many stored ones."""

from __future__ import annotations

import random

from otklik.compose import ReplyMemory
from otklik.compose.uniqueness import NEAR_DUPLICATE

EARLIER = (
    "Анна, здравствуйте! Спасибо за отзыв о рубашке оверсайз из льна. Очень рады, что рубашка подошла "
    "по размеру и Вам понравилась ткань. Будем рады видеть Вас снова! Команда «Лён и Хлопок»"
)


def test_exact_repeat_scores_one_even_with_other_punctuation_and_case() -> None:
    memory = ReplyMemory([EARLIER])
    score, twin = memory.nearest(EARLIER.upper().replace("!", "."))
    assert score == 1.0 and twin == EARLIER


def test_same_sentences_with_the_name_swapped_is_a_near_duplicate() -> None:
    memory = ReplyMemory([EARLIER])
    score, _ = memory.nearest(EARLIER.replace("Анна", "Ольга"))
    assert score >= NEAR_DUPLICATE


def test_a_really_different_reply_is_not_a_duplicate() -> None:
    memory = ReplyMemory([EARLIER])
    other = ("Игорь, добрый день! Нам жаль, что брюки пришли с дефектом. Заменим изделие на новое за наш счёт — "
             "напишите нам в чат с продавцом.")
    assert memory.nearest(other)[0] < 0.2


def test_near_duplicate_is_found_among_thousands_sharing_boilerplate() -> None:
    rng = random.Random(3)
    words = ["качество", "размер", "ткань", "цвет", "доставка", "упаковка", "фасон", "посадка", "рукав", "воротник", "пуговицы", "шов"]
    filler = [
        "Здравствуйте! Спасибо за отзыв. " + " ".join(rng.choice(words) for _ in range(25)) + ". Команда магазина"
        for _ in range(6000)
    ]
    memory = ReplyMemory([*filler, EARLIER])
    score, twin = memory.nearest(EARLIER.replace("Анна", "Мария"))
    assert twin == EARLIER and score >= NEAR_DUPLICATE


def test_empty_memory_has_nothing_near() -> None:
    assert ReplyMemory().nearest("Спасибо за отзыв") == (0.0, None)


def test_no_draft_ever_repeats_an_earlier_reply_word_for_word(shop) -> None:  # noqa: ANN001
    """Many bare «👍» reviews of one product exhaust the short positive phrasing: never a clone."""
    from otklik.domain import Analysis, Item, ItemKind, Sentiment

    memory = ReplyMemory()
    texts = []
    for i in range(400):
        item = Item(f"g{i}", text="👍👍👍", rating=5, product="Рубашка оверсайз из льна")
        d = shop.draft(item, Analysis(ItemKind.REVIEW, Sentiment.POSITIVE), memory=memory)
        if d.text:
            assert not memory.contains(d.text)
            memory.add(d.text)
            texts.append(d.text)
        else:
            assert d.needs_human and d.reply_type == "handoff" and "R-UNIQUE" in d.reasons[0]
    assert len(texts) == len(set(texts)) and len(texts) > 300
