"""Aspects from the documented taxonomy and from the business's own profile."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import yaml

from otklik.domain import Item, Sentiment

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)

REQUIRED = {"quality", "size_fit", "defect", "delivery", "packaging", "completeness", "description_mismatch", "price",
            "staff_service", "food", "ambience", "cleanliness", "wait_time", "refund_return", "app_website", "smell"}
HERE = Path(__file__).resolve().parents[2] / "src" / "otklik" / "understand"


def test_taxonomy_has_the_required_ids_and_is_documented():
    data = yaml.safe_load((HERE / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    ids = [a["id"] for a in data["aspects"]]
    assert set(ids) >= REQUIRED
    assert len(ids) == len(set(ids))
    doc = (HERE / "TAXONOMY.md").read_text(encoding="utf-8")
    assert all(f"`{i}`" in doc for i in ids)


def test_word_forms_match_through_lemmas(one):
    an = one("Рубашки маломерят, заказывайте на размер больше")
    assert "size_fit" in {a.id for a in an.complaints}


def test_wrong_item_is_completeness(one):
    an = one("Пришел не тот цвет, заказывала белую, а прислали голубую", rating=2)
    assert "completeness" in {a.id for a in an.complaints}
    assert an.problem


def test_goods_and_services_aspects_in_a_restaurant(restaurant):
    text = "Еда очень вкусная, но официант нахамил, а горячее ждали больше часа."
    an = restaurant.analyze([Item("r", text=text, rating=3)], now=NOW)[0]
    by = {a.id: a for a in an.aspects}
    assert by["food"].sentiment == Sentiment.POSITIVE
    assert by["staff_service"].sentiment == Sentiment.NEGATIVE
    assert by["wait_time"].sentiment == Sentiment.NEGATIVE
    assert an.sentiment == Sentiment.MIXED
    assert all(a.evidence for a in an.aspects)


def test_profile_aspect_with_its_own_keywords(restaurant):
    an = restaurant.analyze([Item("r", text="Музыка играла слишком громко, ужасно", rating=2)], now=NOW)[0]
    music = [a for a in an.aspects if a.id == "music"]
    assert music and music[0].sentiment == Sentiment.NEGATIVE
    assert "музыка" in music[0].evidence.lower()


def test_negated_praise_is_a_complaint(one):
    an = one("Качество не очень хорошее, ткань не приятная")
    assert an.sentiment == Sentiment.NEGATIVE


def test_a_hole_on_the_sleeve_is_a_defect_not_a_size_complaint(clothing) -> None:  # noqa: ANN001
    [a] = clothing.analyze([Item(external_id="s1", text="Пришла рубашка с дыркой на рукаве!! Позор.", rating=1)])
    ids = {m.id for m in a.aspects}
    assert "defect" in ids and "size_fit" not in ids
    [b] = clothing.analyze([Item(external_id="s2", text="Рукава очень длинные, приходится закатывать", rating=3)])
    assert ("size_fit", "negative") in {(m.id, str(m.sentiment)) for m in b.aspects}


def _ids(text: str, rating: int | None = 5) -> dict[str, Sentiment]:
    from otklik.understand import Analyzer

    an = Analyzer(None).analyze([Item("a", text=text, rating=rating)])[0]
    return {a.id: a.sentiment for a in an.aspects}


def test_everyday_words_name_no_aspect_nobody_evaluated():
    # «удобно» is not the app, «сделали» not build quality, «вид» not a venue's interior,
    # «за счёт» not a price, a missing bass not a missing part of the order
    assert "app_website" not in _ids("Телефон лежит в кармане, носить удобно, пальто тёплое")
    assert "quality" not in _ids("Сделали всё за один вечер, машина отличная")
    assert "ambience" not in _ids("Машина на вид скромная, но едет отлично")
    assert "price" not in _ids("За счёт мощного мотора разгоняется бодро, автомобиль отличный")
    assert "completeness" not in _ids("Колонка хорошая, но низких частот немного не хватает")


def test_a_wished_improvement_is_a_complaint_about_the_aspect_not_praise():
    assert _ids("Всё отлично, было бы хорошо, если бы упаковали понадёжнее").get("packaging") == Sentiment.NEGATIVE


def test_a_car_and_a_speaker_are_judged_by_how_they_work():
    assert _ids("Салон у машины очень просторный, на трассе ведёт себя устойчиво", None).get("functionality") \
        == Sentiment.POSITIVE
    assert _ids("Нет шумоизоляции, на скорости слышно двигатель", None).get("functionality") == Sentiment.NEGATIVE
    assert _ids("Колонка слышит даже очень тихие команды, звук приятный").get("functionality") == Sentiment.POSITIVE


def test_a_bank_that_does_not_answer_is_a_staff_and_a_waiting_complaint():
    got = _ids("Долгое оформление. Заявку подала месяц назад, никто не выходит на связь", 1)
    assert got.get("staff_service") == Sentiment.NEGATIVE
    assert got.get("wait_time") == Sentiment.NEGATIVE


def test_breakdowns_wear_and_prices_are_named():
    assert _ids("Был случай: едем на дачу, а машина заглохла посреди дороги", None).get("defect") == Sentiment.NEGATIVE
    assert _ids("На воротнике ткань уже потёрта, швы кривые", 3).get("quality") == Sentiment.NEGATIVE
    assert _ids("Цена самая низкая, что я нашла, платье отличное").get("price") == Sentiment.POSITIVE
    assert "price" not in _ids("Здравствуйте, дорогие читатели! Машина отличная", None)
    assert "app_website" in _ids("Прога постоянно выдаёт глюк при входе", 1)


def test_in_case_is_hypothetical_but_there_was_a_case_is_not():
    assert "defect" not in _ids("Взяла запасную на случай, если сломается, пока всё отлично")


def test_plain_reports_of_a_good_fit_colour_and_box_are_praise():
    got = _ids("Размер подошёл. Цвет как на картинке. Коробка пришла целая")
    assert got.get("size_fit") == Sentiment.POSITIVE
    assert got.get("color") == Sentiment.POSITIVE
    assert got.get("packaging") == Sentiment.POSITIVE
    assert _ids("Кофта линяет: после стирки рукава красятся", 2).get("color") == Sentiment.NEGATIVE


def test_a_service_that_keeps_you_waiting_is_a_waiting_complaint():
    assert _ids("Деньги зачисляют с задержкой, на письма отвечают раз в три дня", 1).get("wait_time") \
        == Sentiment.NEGATIVE


def test_idioms_that_only_look_like_an_aspect_name_none():
    assert "wait_time" not in _ids("Кухня и обслуживание превзошли наши ожидания, спасибо", 5)
    assert "app_website" not in _ids("Взяли ипотеку по семейной программе, менеджер всё объяснил", 5)
    assert "completeness" not in _ids("Вложил в машину много денег, но она того стоит, машина отличная", None)


def test_an_aspect_praised_in_one_sentence_and_criticised_in_another_is_mixed():
    got = _ids("Разгон слабый, на трассе тяжело обгонять. Зато подвеска у неё просто супер", 4)
    assert got.get("functionality") == Sentiment.MIXED
