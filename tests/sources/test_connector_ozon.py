"""Ozon connector against recorded responses: last_id paging, auth headers, answers and their moderation."""

from __future__ import annotations

import json
from typing import Any

import httpx

from otklik.domain.models import Item, ItemKind
from otklik.fake_marketplace.testing import FakeClock
from otklik.sources.base import ConnectorConfig
from otklik.sources.ozon import OzonConnector
from otklik.store.secrets import Secret

KEY = "ozon-secret-key-XYZ"


def review(rid: str, sku: Any = 1234567890) -> dict[str, Any]:
    return {"id": rid, "sku": sku, "text": "Пришло быстро, размер совпал, ткань плотная.", "rating": 5,
            "published_at": "2026-03-14T09:12:45.120Z", "status": "NEW", "order_status": "DELIVERED",
            "is_rating_participant": True, "comments_amount": 0, "photos_amount": 2, "videos_amount": 0}


def routed(routes: dict[str, list[dict[str, Any]]], seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=routes[request.url.path].pop(0))

    return httpx.MockTransport(handler)


def make(transport: httpx.MockTransport) -> OzonConnector:
    cfg = ConnectorConfig(name="ozon", platform="ozon", base_url="https://api-seller.test", api_key=Secret(KEY), account_id="777")
    clock = FakeClock()
    return OzonConnector(cfg, transport=transport, sleep=clock.sleep, clock=clock.now)


def test_reviews_follow_last_id_until_has_next_is_false_and_get_product_names() -> None:
    seen: list[httpx.Request] = []
    routes = {
        "/v2/review/list": [
            {"has_next": True, "last_id": "r2", "reviews": [review("r1"), review("r2", "1234567891")]},
            {"has_next": False, "last_id": "r3", "reviews": [review("r3")]},
        ],
        "/v3/product/info/list": [{"items": [{"sku": 1234567890, "name": "Рубашка оверсайз из льна"}]}],
    }
    conn = make(routed(routes, seen))
    pages = list(conn.list_new("reviews", {"last_id": "r0"}))
    assert [p.cursor for p in pages] == [{"last_id": "r2"}, {"last_id": "r3"}]
    items = [i for p in pages for i in p.items]
    assert [i.product_id for i in items] == ["1234567890", "1234567891", "1234567890"]  # sku as number or string
    assert items[0].rating == 5 and items[0].photos == 2 and items[0].order_status == "DELIVERED" and items[0].author is None
    bodies = [json.loads(r.content) for r in seen]
    assert bodies[0]["last_id"] == "r0" and bodies[1]["last_id"] == "r2" and bodies[0]["sort_dir"] == "ASC"
    assert all(r.headers["Client-Id"] == "777" and r.headers["Api-Key"] == KEY for r in seen)
    assert conn.product_names(["1234567890"]) == {"1234567890": "Рубашка оверсайз из льна"}


def test_question_answer_records_the_answer_id_and_moderation_state() -> None:
    seen: list[httpx.Request] = []
    routes = {
        "/v1/question/answer/create": [{"answer_id": "a-1"}],
        "/v1/question/answer/list": [
            {"answers": [{"id": "a-1", "question_id": "q-1", "sku": 987654321, "text": "Да, подойдёт.",
                          "author_name": "Магазин", "published_at": "2026-03-10T10:05:00Z", "status_publication": "AWAITING_MODERATION"}],
             "last_id": "a-1"},
            {"answers": [], "last_id": ""},
        ],
    }
    item = Item(external_id="q-1", source="ozon", kind=ItemKind.QUESTION, product_id="987654321")
    posted = make(routed(routes, seen)).post_reply(item, "Да, подойдёт.")
    assert (posted.external_id, posted.moderation_state) == ("a-1", "AWAITING_MODERATION")
    assert json.loads(seen[0].content) == {"question_id": "q-1", "sku": 987654321, "text": "Да, подойдёт."}


def test_rate_limit_429_is_waited_out() -> None:
    calls: list[int] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            return httpx.Response(429, json={"code": 8, "message": "You have reached request rate limit per second"})
        return httpx.Response(200, json={"has_next": False, "last_id": "", "questions": []})

    conn = make(httpx.MockTransport(handler))
    assert [p.items for p in conn.list_new("questions", {})] == [[]]
    assert len(calls) == 2 and conn.stats["rate_limited"] == 1
