"""Yandex Market connector against recorded responses: pageToken paging, 420, reply moderation state."""

from __future__ import annotations

import json
from typing import Any

import httpx

from otklik.domain.models import Item, ItemKind
from otklik.fake_marketplace.testing import FakeClock
from otklik.sources.base import ConnectorConfig
from otklik.sources.yandex_market import YandexMarketConnector
from otklik.store.secrets import Secret

KEY = "ym-secret-key-QWERTY"


def fb(fid: int, created: str) -> dict[str, Any]:
    return {"feedbackId": fid, "createdAt": created, "needReaction": True,
            "identifiers": {"orderId": 51234567890, "offerId": "TS-101-WHT-M"}, "author": "Игорь П.",
            "description": {"advantages": "Сидит хорошо", "disadvantages": "Нет", "comment": "Заказываю второй раз."},
            "media": {"photos": ["https://avatars.mds.yandex.net/x/orig"], "videos": None},
            "statistics": {"rating": 5, "commentsCount": 0, "recommended": True, "paidAmount": 0}}


def make(handler: Any) -> YandexMarketConnector:
    cfg = ConnectorConfig(name="ym", platform="yandex_market", base_url="https://api.partner.test", api_key=Secret(KEY),
                          account_id="1234567", options={"rate_limit_wait": 0.0})
    clock = FakeClock()
    return YandexMarketConnector(cfg, transport=httpx.MockTransport(handler), sleep=clock.sleep, clock=clock.now)


def test_feedback_pages_by_token_and_moves_the_cursor_only_after_the_last_page() -> None:
    pages_out = [
        {"status": "OK", "result": {"feedbacks": [fb(880012345, "2026-03-11T15:20:00+03:00")], "paging": {"nextPageToken": "eyJuIjoxfQ"}}},
        {"status": "OK", "result": {"feedbacks": [fb(880012346, "2026-03-11T16:00:00+03:00")], "paging": {}}},
    ]
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages_out.pop(0))

    old = {"since": "2026-03-01T00:00:00Z"}
    pages = list(make(handler).list_new("feedbacks", old))
    assert pages[0].cursor == old  # mid-window: a crash here must re-read the window
    assert pages[1].cursor == {"since": "2026-03-11T12:59:59Z"}  # newest minus 1 s (the bound is exclusive)
    first = pages[0].items[0]
    assert (first.external_id, first.text, first.pros, first.cons, first.rating, first.author, first.product_id) == (
        "880012345", "Заказываю второй раз.", "Сидит хорошо", "Нет", 5, "Игорь П.", "TS-101-WHT-M")
    assert seen[0].url.path == "/v2/businesses/1234567/goods-feedback"
    assert json.loads(seen[0].content) == {"dateTimeFrom": "2026-03-01T00:00:00Z"}
    assert seen[1].url.params["page_token"] == "eyJuIjoxfQ"
    assert all(r.headers["Api-Key"] == KEY for r in seen)


def test_420_is_a_rate_limit_and_is_retried() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(420, json={"status": "ERROR", "errors": [{"code": "LIMIT_EXCEEDED"}]})
        return httpx.Response(200, json={"status": "OK", "result": {"questions": [], "paging": {}}})

    conn = make(handler)
    assert [p.items for p in conn.list_new("questions", {})] == [[]]
    assert len(calls) == 2 and conn.stats["rate_limited"] == 1


def test_feedback_reply_returns_comment_id_and_unmoderated_state() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"status": "OK", "result": {"id": 77001, "feedbackId": 880012345, "text": "Спасибо!",
                                                                     "status": "UNMODERATED", "canModify": True,
                                                                     "author": {"type": "BUSINESS", "name": "Пример"}}})

    item = Item(external_id="880012345", source="ym", kind=ItemKind.REVIEW)
    posted = make(handler).post_reply(item, "Спасибо!")
    assert (posted.external_id, posted.moderation_state) == ("77001", "UNMODERATED")
    assert json.loads(seen[0].content) == {"feedbackId": 880012345, "comment": {"text": "Спасибо!"}}
    assert seen[0].url.path.endswith("/goods-feedback/comments/update")


def test_questions_after_a_long_pause_catch_up_one_month_at_a_time() -> None:
    bodies: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(200, json={"status": "OK", "result": {"questions": [], "paging": {}, "totalCount": 0}})

    conn = make(handler)
    (page,) = conn.list_new("questions", {"since": "2025-01-01T10:00:00Z"})
    assert bodies[0]["dateFrom"] == "2025-01-01" and bodies[0]["dateTo"] == "2025-01-31"  # the API allows one month
    assert page.cursor == {"since": "2025-01-30T23:59:59Z"}  # the next run starts at the window's end
    (page2,) = conn.list_new("questions", page.cursor)
    assert bodies[1]["dateFrom"] == "2025-01-30"
