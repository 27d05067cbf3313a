"""Complaints are found wherever they stand (cons field, after «но/только», under 5★, in two-word
reports), «нет недостатков» is not one, and a review with a complaint is never read as positive.
Every analysis carries a confidence with its reasons, and an unsure one is held for a person."""

from __future__ import annotations

import pytest

from otklik.domain import Item, Sentiment
from otklik.understand import Analyzer


@pytest.fixture(scope="module")
def neutral() -> Analyzer:
    return Analyzer(None)


def _one(an: Analyzer, text: str, rating: int | None = None, **kw: object):
    return an.analyze([Item("x", text=text, rating=rating, **kw)])[0]  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "rating", "aspect"), [
    ("Прислали 46 вместо 50, верну, но модель классная", 5, "completeness"),
    ("всё отлично, только курьер опоздал", 5, "delivery"),
    ("Пришла юбка вместо платья", 3, "completeness"),
    ("Пришла одна пара из двух", 2, "completeness"),
])
def test_a_complaint_under_any_stars_is_found_and_named(neutral, text, rating, aspect):
    a = _one(neutral, text, rating)
    assert a.problem
    assert a.sentiment in (Sentiment.MIXED, Sentiment.NEGATIVE)
    assert aspect in {m.id for m in a.complaints}


@pytest.mark.parametrize("text", [
    "Пришла мятая, порванная упаковка. В возврате отказали",
    "Заказывала платье, пришла юбка",
])
def test_short_reports_without_an_evaluative_word_under_low_stars_are_complaints(neutral, text):
    a = _one(neutral, text, 1)
    assert a.problem
    assert a.sentiment == Sentiment.NEGATIVE


@pytest.mark.parametrize("cons", ["нет", "Недостатков нет", "минусов пока не нашла", "без нареканий",
                                  "Не обнаружила", "Никаких"])
def test_an_empty_cons_field_is_not_a_complaint(neutral, cons):
    a = _one(neutral, "Отличная колонка, звук чистый", 5, cons=cons)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE


def test_a_filled_cons_field_is_a_complaint_even_under_five_stars(neutral):
    a = _one(neutral, "Отличная колонка", 5, pros="звук", cons="долго настраивать")
    assert a.problem
    assert a.sentiment == Sentiment.MIXED


def test_a_one_word_text_is_not_judged_by_the_model(neutral):
    a = _one(neutral, "Нет", 5)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE


def test_without_a_profile_every_aspect_applies(neutral):
    a = _one(neutral, "Официант нагрубил, суп принесли холодным, а в зале было грязно", 1)
    assert {"staff_service", "food", "cleanliness"} <= {m.id for m in a.complaints}


def test_a_sure_reading_has_full_confidence_and_no_doubts(neutral):
    a = _one(neutral, "Пришла рубашка с дыркой на спине, верните деньги", 1)
    assert a.confidence == 1.0
    assert a.doubts == []


def test_stars_against_the_text_lower_confidence_with_the_reason(neutral):
    a = _one(neutral, "Отличная рубашка, качество супер, сидит идеально, всем рекомендую!", 1)
    assert "stars_text_disagree" in a.doubts
    assert a.confidence < 0.6


def test_unknown_words_lower_confidence(neutral):
    a = _one(neutral, "Кароч тыща раз збс вощще имбовая штукенция нипадецки", 5)
    assert "unknown_words" in a.doubts
    assert a.confidence < 1.0


def test_other_peoples_habits_in_a_venue_review_are_not_the_writers_complaint(neutral):
    a = _one(neutral, "Отличное место. Для тех, кто ищет пыль на полках и грязные скатерти, здесь делать нечего", 5)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE


def test_if_honestly_is_an_idiom_not_a_hypothetical(neutral):
    a = _one(neutral, "Если честно, доставка ужасная", 2, source="ozon")
    assert a.problem
    assert ("delivery", Sentiment.NEGATIVE) in {(m.id, m.sentiment) for m in a.aspects}


def test_a_comma_without_a_space_still_opens_the_complaint_half(neutral):
    a = _one(neutral, "всё замечательно,но не могу подключить", 5, source="ozon")
    assert a.problem
    assert a.sentiment == Sentiment.MIXED


def test_a_return_in_passing_is_no_refund_complaint(neutral):
    a = _one(neutral, "Хорошая рубашка, но пришла с пятном. Поэтому возврат", 3, source="wildberries")
    assert "defect" in {m.id for m in a.complaints}
    assert "refund_return" not in {m.id for m in a.aspects}


def test_size_words_in_a_car_review_name_no_clothing_size(neutral):
    a = _one(neutral, "Машина отличная, мягкая подвеска, сел за руль и понял — сидит как влитая", None)
    assert "size_fit" not in {m.id for m in a.aspects}
    assert "material" not in {m.id for m in a.aspects}


@pytest.mark.parametrize("text", [
    "Цвет оливковый, очень благородный, на фото даже хуже смотрится, вживую лучше. Довольна!",
    "Вживую ещё красивее, фото не передаёт цвет",
    "Швы обработаны идеально, пуговицы пришиты крепко, ничего не болтается. Ткань дышит, в жару самое то.",
    "Записались онлайн, не пришлось ждать в общей очереди. Мастер внимательный, всё объяснил.",
    "Ездим третий год, ни разу не подвёл, нигде не застревал даже в снег.",
    "Телефон шустрый, не тормозит и не глючит, батареи хватает на день.",
])
def test_praise_that_compares_or_denies_a_fault_is_not_a_complaint(neutral, text):
    """«на фото хуже, вживую лучше», «ничего не болтается», «не пришлось ждать», «ни разу не подвёл»:
    the customer names a fault only to say it is not there; no apology is due."""
    a = _one(neutral, text, 5)
    assert not a.problem
    assert a.sentiment == Sentiment.POSITIVE
    assert not a.complaints


def test_waiting_for_a_refund_is_a_return_complaint_not_a_price_one(neutral):
    a = _one(neutral, "Отправила обратно. Жду возврат денег уже две недели.", 1)
    assert a.problem
    assert [m.id for m in a.complaints] == ["refund_return"]


def test_asking_for_a_refund_is_not_itself_a_complaint_about_the_return(neutral):
    """«Жду возврат денег» after a defect is the remedy asked for; only a wait that drags is a complaint."""
    a = _one(neutral, "Пришла рубашка с дыркой на спине. Жду возврат денег.", 1)
    assert "defect" in {m.id for m in a.complaints}
    assert "refund_return" not in {m.id for m in a.complaints}
    late = _one(neutral, "Возврат оформила, до сих пор жду деньги", 1)
    assert [m.id for m in late.complaints] == ["refund_return"]


def test_a_denied_liking_is_still_a_complaint(neutral):
    """«не пришлось по вкусу / по размеру» is the customer's own disappointment, not a denied trouble."""
    a = _one(neutral, "Платье не пришлось по размеру, в груди узко. Придётся вернуть.", 2)
    assert a.problem
    assert a.sentiment in (Sentiment.MIXED, Sentiment.NEGATIVE)


def test_missing_bass_is_a_sound_complaint_not_a_missing_part(neutral):
    a = _one(neutral, "Отсутствует бас.", 4)
    assert a.problem
    assert [m.id for m in a.complaints] == ["functionality"]


@pytest.mark.parametrize("text", [
    "работает. всем нравится. иногда подвисает, перегружается и работает дальше",
    "Колонка хорошая, но часто зависает и тупит, приходится перезагружать",
])
def test_a_device_that_hangs_is_a_functionality_complaint(neutral, text):
    a = _one(neutral, text, 4)
    assert "functionality" in {m.id for m in a.complaints}


@pytest.mark.parametrize(("text", "problem"), [
    ("Колонка классная, звук отличный, но иногда зависает и перезагружается", True),
    ("Всё нравится, только постоянно отключается от вай-фая", True),
    ("Ни разу не зависла, работает отлично", False),
    ("Пока всё отлично, а если вдруг будет зависать — напишу", False),
])
def test_a_device_failure_said_outright_is_a_complaint_under_five_stars(neutral, text, problem):
    a = _one(neutral, text, 5)
    assert a.problem is problem
    assert (a.sentiment != Sentiment.POSITIVE) is problem
