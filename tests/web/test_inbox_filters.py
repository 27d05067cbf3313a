"""The inbox page and /api/items with filters, counters and pages; bad parameters are refused with
422 naming the parameter; every value a person typed comes back escaped; login is still required."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from otklik.domain import Item
from otklik.profile import BusinessProfile
from otklik.store import repository as repo
from otklik.web import create_app
from otklik.workflow import review
from otklik.workflow.cases import resolve_case
from otklik.workflow.drafting import draft_pending

ROWS = [
    {"id": "f1", "text": "Пришла с дыркой на рукаве, брак", "rating": 1, "author": "Ольга", "source": "wildberries"},
    {"id": "f2", "text": "Маломерит, ткань тонкая, верните деньги", "rating": 2, "author": "Ирина", "source": "ozon"},
    {"id": "f3", "text": "Скидка 50% порадовала, отличная рубашка", "rating": 5, "author": "Анна", "source": "ozon"},
    {"id": "f4", "text": "Скидка 50 рублей, рубашка отличная", "rating": 5, "author": "Мария", "source": "ozon"},
    {"id": "f5", "text": "Всё хорошо, сидит отлично", "rating": 5, "author": "Елена", "source": "wildberries"},
]


@pytest.fixture
def app(seed_store: Callable[[str], BusinessProfile], db_url: str) -> Any:
    profile = seed_store("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS))
    return create_app(database_url=db_url, profile=profile)


@pytest.fixture
def client(app: Any, new_client: Callable[..., Any]) -> Any:
    c = new_client(app)
    assert c.login("responder").status_code == 303
    return c


def test_api_pages_filters_and_counts(client: Any) -> None:
    first = client.get("/api/items?per_page=2").json()
    assert (first["total"], first["page"], first["per_page"], first["pages"]) == (5, 1, 2, 3)
    seen = [i["item_id"] for p in (1, 2, 3) for i in client.get(f"/api/items?per_page=2&page={p}").json()["items"]]
    assert sorted(seen) == sorted(r["id"] for r in ROWS), "every item exactly once"
    bad = client.get("/api/items?rating=<=2&sentiment=negative").json()
    assert {i["item_id"] for i in bad["items"]} == {"f1", "f2"} and bad["total"] == 2
    assert [i["item_id"] for i in client.get("/api/items?search=50%25").json()["items"]] == ["f3"]
    assert client.get("/api/items?source=ozon&rating=5").json()["total"] == 2
    assert client.get("/api/items?limit=500").json()["per_page"] == 200, "older clients' limit still works"
    counts = client.get("/api/items?counts=true").json()["counts"]
    assert counts["open"] == 5 and counts["draft"] + counts["none"] == 5 and counts["published"] == 0


@pytest.mark.parametrize("query, named", [
    ("rating=7", "rating"), ("sentiment=angry", "sentiment"), ("status=deleted", "status"), ("page=0", "page"),
    ("per_page=5000", "per_page"), ("date_from=вчера", "date_from"), ("overdue=maybe", "overdue"),
    ("search=" + "a" * 300, "search"),
])
def test_bad_parameters_are_refused_by_name(client: Any, query: str, named: str) -> None:
    api = client.get(f"/api/items?{query}")
    assert api.status_code == 422 and named in api.json()["error"]
    page = client.get(f"/?{query}")
    assert page.status_code == 422 and "Неверный запрос" in page.text and named in page.text


def test_the_page_has_a_filter_form_counters_and_paging(client: Any) -> None:
    page = client.get("/?per_page=2")
    html = page.text
    assert page.status_code == 200
    for label in ("Поиск", "Статус", "Источник", "Товар", "Оценка", "Тональность", "Аспект", "только просроченные"):
        assert label in html, label
    assert "ждут решения: 5" in html and "опубликованы: 0" in html and "просрочены:" in html
    assert "Показано 2 из 5" in html and "страница 1 из 3" in html
    assert 'href="/?per_page=2&amp;page=2"' in html
    last = client.get("/?per_page=2&page=3").text
    assert "Показано 1 из 5" in last and 'rel="next"' not in last and 'rel="prev"' in last
    found = client.get("/?search=50%25&status=open").text
    assert "item-f3" in found and "item-f4" not in found and "Показано 1 из 1" in found


def test_typed_values_come_back_escaped(client: Any) -> None:
    evil = '"><script>alert(1)</script>'
    html = client.get("/", params={"search": evil, "source": evil}).text
    assert "<script>alert(1)</script>" not in html and "&#34;&gt;&lt;script&gt;" in html
    link = client.get("/", params={"search": evil, "per_page": "1", "status": "all"}).text
    assert "<script>" not in link


def test_login_is_still_required(app: Any, new_client: Callable[..., Any]) -> None:
    anon = new_client(app)
    assert anon.get("/api/items?rating=1").status_code == 401
    assert anon.get("/api/items?rating=999").status_code == 401, "no hint about parameters before login"
    r = anon.get("/?status=all&search=брак")
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")


def test_a_rewritten_review_and_a_follow_up_show_on_one_page_with_distinct_ids(
        app: Any, client: Any) -> None:
    engine, profile = app.state.engine, app.state.profile
    review.approve(engine, profile, "f2", actor="marina", force=True)
    with Session(engine) as s, s.begin():
        repo.upsert_items(s, [Item(external_id="f2", source="ozon", text="Маломерит, ещё и шов разошёлся после стирки",
                                   rating=1, author="Ирина")])
    draft_pending(engine, profile)
    resolve_case(engine, profile, "f1", resolution="Вернули деньги и отправили новую рубашку", source="wildberries")
    html = client.get("/").text
    assert "отзыв изменён после ответа" in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert [i for i, n in Counter(ids).items() if n > 1] == [], "no HTML id twice"
    assert "item-f1" in ids and "item-f1-follow-up" in ids
    entries = client.get("/api/items").json()["items"]
    flagged = next(e for e in entries if e["item_id"] == "f2")
    assert flagged["attention"] and flagged["reasons"]
    assert [e["follow_up"] for e in entries if e["item_id"] == "f1"] == [False, True]
