"""What counts as late, and the Russian message a person reads."""

from __future__ import annotations

import pytest

from otklik.alerts import find_overdue, format_message
from otklik.alerts.message import duration
from otklik.errors import ProfileError

from .conftest import NOW, add_item, profile_with


def _levels(engine) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    return {a.item_id: (a.kind, a.level) for a in find_overdue(engine, target_hours=24, warn_at=0.8, now=NOW)}


def test_age_counts_from_the_review_date_and_only_items_waiting_for_a_person(engine) -> None:  # noqa: ANN001
    add_item(engine, "late", age=30)                       # written 30 h ago, imported just now
    add_item(engine, "held", age=26, reply="held")         # a draft held for a person
    add_item(engine, "draft", age=21, reply="draft")       # drafted, nobody approved it: 21 h of 24
    add_item(engine, "fresh", age=2)
    add_item(engine, "approved", age=50, reply="approved")
    add_item(engine, "published", age=50, reply="published")
    add_item(engine, "undated", age=None)                  # no date: counted from the import, i.e. now
    assert _levels(engine) == {"late": ("reply", "breach"), "held": ("reply", "breach"), "draft": ("reply", "warning")}


def test_open_case_past_the_target_is_late_even_with_the_reply_out(engine) -> None:  # noqa: ANN001
    add_item(engine, "open-case", age=40, reply="published", case="open")
    add_item(engine, "working", age=20, reply="published", case="in_progress")
    add_item(engine, "resolved", age=40, reply="published", case="resolved")
    add_item(engine, "unanswered", age=40, case="open")  # one line, as a late reply, not two
    assert _levels(engine) == {"open-case": ("case", "breach"), "working": ("case", "warning"),
                               "unanswered": ("reply", "breach")}
    assert "open-case" not in {a.item_id for a in find_overdue(engine, target_hours=24, include_cases=False, now=NOW)}


def test_message_names_the_item_the_product_and_how_late(engine) -> None:  # noqa: ANN001
    add_item(engine, "wb-771", age=30, product="Платье-рубашка из льна", text="Платье село плохо, швы кривые")
    add_item(engine, "q-5", age=21, kind="question", product=None, text="Будет ли 44 размер?", source="ozon")
    msg = format_message(find_overdue(engine, target_hours=24, now=NOW), business="Лён и Хлопок")
    lines = msg.text.splitlines()
    assert lines[0] == "⏰ Лён и Хлопок: просрочено — 1, скоро срок — 1 (срок ответа — 24 часа)"
    assert "🔴 Отзыв wb-771 (wildberries) о товаре «Платье-рубашка из льна» ждёт ответа 30 часов, срок — 24 часа, опоздание 6 часов." in lines
    assert "   «Платье село плохо, швы кривые»" in lines
    assert "🟡 Вопрос q-5 (ozon) ждёт ответа 21 час, срок — 24 часа: осталось 3 часа." in lines
    assert msg.subject == "Otklik, Лён и Хлопок: просрочено — 1, скоро срок — 1"


def test_a_long_list_names_the_first_and_counts_the_rest(engine) -> None:  # noqa: ANN001
    for i in range(30):
        add_item(engine, f"r{i:02}", age=25 + i)
    msg = format_message(find_overdue(engine, target_hours=24, now=NOW), business="Лён и Хлопок", max_listed=5,
                         inbox_url="https://otklik.example.ru/")
    assert "Отзыв r29" in msg.text and "r24" not in msg.text  # the longest waiting first
    assert "…и ещё 25, всего 30." in msg.text
    assert msg.text.endswith("Входящие: https://otklik.example.ru/")
    short = format_message(find_overdue(engine, target_hours=24, now=NOW), business="Лён и Хлопок", max_chars=600)
    assert len(short.text) <= 600 and "всего 30." in short.text


@pytest.mark.parametrize(("hours", "said"), [(0.5, "30 минут"), (1, "1 час"), (3, "3 часа"), (11, "11 часов"),
                                             (21, "21 час"), (50, "2 дня 2 часа"), (120, "5 дней")])
def test_durations_read_as_a_person_says_them(hours: float, said: str) -> None:
    assert duration(hours) == said


def test_profile_refuses_a_secret_in_the_yaml_and_names_the_field() -> None:
    with pytest.raises(ProfileError) as ei:
        profile_with([{"type": "telegram", "chat_id": "-1001", "token": "123:ABC"}])
    assert "alerts.channels.0.telegram.token" in str(ei.value)
    with pytest.raises(ProfileError, match="used twice"):
        profile_with([{"type": "webhook", "url": "http://a/"}, {"type": "webhook", "name": "webhook", "url": "http://b/"}])
    prof = profile_with([{"type": "webhook", "url": "http://a/"}, {"type": "webhook", "url": "http://b/"},
                         {"type": "telegram", "chat_id": -1001}])
    assert [c.name for c in prof.alerts.channels] == ["webhook", "webhook-2", "telegram"]
    assert prof.alerts.channels[2].chat_id == "-1001"
