"""The fake marketplace speaks the documented contract: auth, limits, validation, envelopes, admin API."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from otklik.fake_marketplace import FakeMarketplace, Faults


@pytest.fixture
def fake() -> Iterator[FakeMarketplace]:
    with FakeMarketplace(seed=2, per_kind=4) as server:
        yield server


def test_wrong_credentials_are_refused_on_every_marketplace(fake: FakeMarketplace) -> None:
    assert httpx.get(f"{fake.url}/api/v1/feedbacks", params={"isAnswered": "false", "take": 1, "skip": 0},
                     headers={"Authorization": "nope"}).status_code == 401
    assert httpx.post(f"{fake.url}/v2/review/list", json={"limit": 20}, headers={"Client-Id": "1", "Api-Key": "x"}).status_code == 401
    assert httpx.post(f"{fake.url}/v2/businesses/1234567/goods-feedback", json={}, headers={"Api-Key": "x"}).status_code == 401


def test_wildberries_burst_over_6_gets_429_with_retry_headers(fake: FakeMarketplace) -> None:
    headers = {"Authorization": fake.state.creds.wb_token}
    with httpx.Client(base_url=fake.url, headers=headers) as client:
        codes = [client.get("/api/v1/new-feedbacks-questions") for _ in range(12)]
    limited = [r for r in codes if r.status_code == 429]
    assert limited, "a burst of 12 must exceed 3 rps / burst 6"
    assert {"x-ratelimit-retry", "x-ratelimit-limit", "x-ratelimit-reset"} <= set(limited[0].headers)


def test_yandex_market_rejects_contacts_and_outside_links_in_replies(fake: FakeMarketplace) -> None:
    c = fake.state.creds
    fid = int(fake.add_items("yandex_market", "review")[0])
    url = f"{fake.url}/v2/businesses/{c.ym_business_id}/goods-feedback/comments/update"
    bad = httpx.post(url, headers={"Api-Key": c.ym_api_key}, json={"feedbackId": fid, "comment": {"text": "Пишите: https://shop.example"}})
    assert bad.status_code == 400 and bad.json()["status"] == "ERROR"
    ok = httpx.post(url, headers={"Api-Key": c.ym_api_key}, json={"feedbackId": fid, "comment": {"text": "Спасибо за отзыв!"}})
    assert ok.json()["result"]["status"] == "UNMODERATED"
    assert [p["text"] for p in fake.admin("GET", "/admin/posted")["posted"]] == ["Спасибо за отзыв!"]


def test_admin_adds_items_at_run_time_and_sets_faults(fake: FakeMarketplace) -> None:
    added = fake.admin("POST", "/admin/items", json={"platform": "ozon", "kind": "question", "count": 2})
    assert len(added["ids"]) == 2
    assert fake.admin("GET", "/admin/state")["items"]["ozon/question"] == 6
    faults = fake.admin("POST", "/admin/faults", json={"error_5xx": 1.0})
    assert faults["error_5xx"] == 1.0
    c = fake.state.creds
    r = httpx.post(f"{fake.url}/v1/question/list", json={}, headers={"Client-Id": c.ozon_client_id, "Api-Key": c.ozon_api_key})
    assert r.status_code == 500


def test_seed_data_is_deterministic_and_russian() -> None:
    from otklik.fake_marketplace import FakeState

    a, b = FakeState(seed=9, per_kind=5), FakeState(seed=9, per_kind=5)
    texts_a = [i.text for i in a.listing("wildberries", "review")]
    assert texts_a == [i.text for i in b.listing("wildberries", "review")]
    assert all(any("а" <= ch <= "я" for ch in t.lower()) for t in texts_a)
    assert Faults.parse("rate_limit=0.5,enforce_limits=false") == Faults(rate_limit=0.5, enforce_limits=False)
