"""Wildberries connector against recorded responses (httpx.MockTransport): mapping, paging, limits, retries."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from otklik.domain.models import Item, ItemKind
from otklik.errors import TransientError
from otklik.fake_marketplace.testing import FakeClock
from otklik.sources.base import AmbiguousPostError, ConnectorConfig
from otklik.sources.wildberries import WildberriesConnector
from otklik.store.secrets import Secret

TOKEN = "wb-secret-token-ABCDEF"


def feedback(n: int, created: str) -> dict[str, Any]:
    return {
        "id": f"Qm9ZtR2xVb7LpK1sNw{n:02d}", "text": "Носила неделю, швы не расходятся.", "pros": "Мягкая ткань",
        "cons": "Долгая доставка", "productValuation": 4, "createdDate": created, "userName": "Анна", "state": "none",
        "wasViewed": False, "matchingSize": "ok", "answer": None,
        "productDetails": {"nmId": 212345678, "imtId": 187654321, "productName": "Футболка хлопковая",
                           "supplierArticle": "TS-101/white", "supplierName": "ИП Пример", "brandName": "Пример", "size": "M"},
        "photoLinks": [{"fullSize": "https://feedback01.wbbasket.ru/fs.jpg", "miniSize": "https://feedback01.wbbasket.ru/ms.jpg"}],
        "video": None, "bables": ["качество"], "color": "белый",
    }


def envelope(data: Any) -> dict[str, Any]:
    return {"data": data, "error": False, "errorText": "", "additionalErrors": None}


class Recorder:
    def __init__(self, responses: list[httpx.Response]) -> None:
        self.responses = responses
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.pop(0)


def make(handler: Any, sleeps: list[float] | None = None, **cfg: Any) -> WildberriesConnector:
    config = ConnectorConfig(name="wb", platform="wildberries", base_url="https://feedbacks-api.test", api_key=Secret(TOKEN), **cfg)
    clock = FakeClock()
    sleep = clock.recording(sleeps) if sleeps is not None else clock.sleep
    return WildberriesConnector(config, transport=httpx.MockTransport(handler), sleep=sleep, clock=clock.now)


def test_pages_oldest_first_from_the_cursor_and_maps_fields() -> None:
    page1 = [feedback(1, "2026-03-12T18:40:11+03:00"), feedback(2, "2026-03-12T18:41:00+03:00")]
    page2 = [feedback(3, "2026-03-12T19:00:00+03:00")]
    rec = Recorder([httpx.Response(200, json=envelope({"countUnanswered": 3, "countArchive": 0, "feedbacks": page1})),
                    httpx.Response(200, json=envelope({"countUnanswered": 3, "countArchive": 0, "feedbacks": page2}))])
    conn = make(rec, page_size=2)
    pages = list(conn.list_new("feedbacks", {"date_from": 1773300000}))
    items = [i for p in pages for i in p.items]
    assert [i.external_id for i in items] == ["Qm9ZtR2xVb7LpK1sNw01", "Qm9ZtR2xVb7LpK1sNw02", "Qm9ZtR2xVb7LpK1sNw03"]
    first = items[0]
    assert (first.kind, first.rating, first.pros, first.cons, first.author) == (ItemKind.REVIEW, 4, "Мягкая ткань", "Долгая доставка", "Анна")
    assert (first.product, first.product_id, first.photos, first.source) == ("Футболка хлопковая", "212345678", 1, "wb")
    # every request is authorised, asks for unanswered items oldest first, from the stored cursor on
    assert all(r.headers["Authorization"] == TOKEN for r in rec.requests)
    q1, q2 = (dict(r.url.params) for r in rec.requests)
    assert q1["isAnswered"] == "false" and q1["order"] == "dateAsc" and q1["dateFrom"] == "1773300000"
    # the cursor moved to the newest item's second, and the next page starts there
    assert pages[0].cursor["date_from"] == int(items[1].created_at.timestamp())
    assert q2["dateFrom"] == str(pages[0].cursor["date_from"]) and q2["skip"] == "0"
    assert pages[-1].cursor["date_from"] == int(items[2].created_at.timestamp())


def test_waits_as_told_by_x_ratelimit_retry_then_succeeds() -> None:
    limited = httpx.Response(429, headers={"X-Ratelimit-Retry": "3", "X-Ratelimit-Limit": "6", "X-Ratelimit-Reset": "5"},
                             json={"title": "too many requests", "status": 429})
    ok = httpx.Response(200, json=envelope({"countUnanswered": 0, "countArchive": 0, "questions": []}))
    rec = Recorder([limited, ok])
    sleeps: list[float] = []
    conn = make(rec, sleeps)
    assert [p.items for p in conn.list_new("questions", {})] == [[]]
    assert len(rec.requests) == 2
    assert sum(sleeps) >= 3.0
    assert conn.stats["rate_limited"] == 1


def test_5xx_is_retried_with_backoff_and_gives_up_with_a_transient_error() -> None:
    rec = Recorder([httpx.Response(502), httpx.Response(200, json=envelope({"feedbacks": []}))])
    sleeps: list[float] = []
    assert [p.items for p in make(rec, sleeps).list_new("feedbacks", {})] == [[]]
    assert len(sleeps) == 1 and sleeps[0] > 0
    always = Recorder([httpx.Response(500) for _ in range(10)])
    with pytest.raises(TransientError):
        list(make(always, max_attempts=3).list_new("feedbacks", {}))
    assert len(always.requests) == 3


def test_reply_is_posted_once_and_read_back_with_its_moderation_state() -> None:
    answered = feedback(1, "2026-03-12T18:40:11+03:00")
    answered["answer"] = {"text": "Спасибо, Анна!", "state": "reviewRequired", "editable": True}
    rec = Recorder([httpx.Response(204), httpx.Response(200, json=envelope(answered))])
    item = Item(external_id="Qm9ZtR2xVb7LpK1sNw01", source="wb", kind=ItemKind.REVIEW)
    posted = make(rec).post_reply(item, "Спасибо, Анна!")
    assert (posted.text, posted.moderation_state) == ("Спасибо, Анна!", "reviewRequired")
    post = rec.requests[0]
    assert (post.method, post.url.path) == ("POST", "/api/v1/feedbacks/answer")
    assert json.loads(post.content) == {"id": "Qm9ZtR2xVb7LpK1sNw01", "text": "Спасибо, Анна!"}


def test_a_failed_reply_post_is_not_retried_blindly() -> None:
    rec = Recorder([httpx.Response(500), httpx.Response(204)])
    item = Item(external_id="q1", source="wb", kind=ItemKind.QUESTION)
    with pytest.raises(AmbiguousPostError):
        make(rec).post_reply(item, "Да, есть размер L.")
    assert len(rec.requests) == 1  # the publisher reads back before any second attempt
    assert rec.requests[0].method == "PATCH" and json.loads(rec.requests[0].content)["state"] == "wbRu"
