"""The web inbox in-process, logged in: items by priority, escaped review text, approve and reject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from otklik.profile import BusinessProfile
from otklik.web import create_app

ROWS = (
    '{"id": "w1", "text": "Рубашка отличная, ткань плотная! <script>alert(1)</script>", "rating": 5, '
    '"author": "Анна", "product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
    '{"id": "w2", "text": "Пришла с дыркой на рукаве, очень расстроена", "rating": 1, "author": "Ольга", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
)


@pytest.fixture
def client(db_url: str, seed_store: Callable[[str], BusinessProfile], new_client: Callable[..., Any]) -> Any:
    """A responder logged in through the login form."""
    c = new_client(create_app(database_url=db_url, profile=seed_store(ROWS)))
    assert c.login("responder").status_code == 303
    return c


def test_inbox_lists_complaint_first_and_escapes_text(client: Any) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert html.index("item-w2") < html.index("item-w1"), "the complaint comes first"
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "responder (отвечает на отзывы)" in html and "Выйти" in html
    items = client.get("/api/items").json()
    assert items["total"] == 2 and [i["item_id"] for i in items["items"]] == ["w2", "w1"]
    assert all(i["reply"] for i in items["items"])


def test_approve_reject_and_refuse_rule_breaking_text(client: Any) -> None:
    csrf = {"x-csrf-token": client.csrf()}
    bad = client.post("/api/items/w2/approve", json={"text": "Удалите отзыв, вы сами виноваты!!!"}, headers=csrf)
    assert bad.status_code == 409 and "R-NO-ATTACK" in bad.json()["error"]
    ok = client.post("/api/items/w1/approve", json={}, headers=csrf)
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    assert [i["item_id"] for i in client.get("/api/items").json()["items"]] == ["w2"]
    assert client.post("/api/items/w2/reject", json={"note": "перепишу сам"}, headers=csrf).json() == {"status": "rejected"}
    form = client.post("/items/w2/reject", data={"csrf_token": csrf["x-csrf-token"]})
    assert form.status_code == 303 and "w2" in form.headers["location"]
    done = client.get("/api/items?include_done=true").json()["items"]
    assert {e["item_id"]: e["status"] for e in done}["w1"] == "approved"


def test_insights_page_renders(client: Any) -> None:
    page = client.get("/insights")
    assert page.status_code == 200 and "Чему научиться" in page.text


def test_a_foreign_page_cannot_approve_and_nothing_changes(client: Any) -> None:
    csrf = client.csrf()
    evil = {"text": "Пишите нам в telegram @cheap", "force": "true", "csrf_token": csrf}
    r = client.post("/items/w2/approve", data=evil, headers={"origin": "https://evil.example"})
    assert r.status_code == 403 and "чужого сайта" in r.json()["error"]
    r = client.post("/items/w2/reject", data={"csrf_token": csrf}, headers={"referer": "https://evil.example/page"})
    assert r.status_code == 403
    r = client.post("/api/items/w2/approve", json={"text": "x", "force": True},
                    headers={"origin": "null", "x-csrf-token": csrf})
    assert r.status_code == 403
    entry = next(e for e in client.get("/api/items").json()["items"] if e["item_id"] == "w2")
    assert entry["status"] == "draft" and "telegram" not in (entry["reply"] or "")
    # The inbox's own page may still write.
    ok = client.post("/items/w2/reject", data={"csrf_token": csrf}, headers={"origin": "http://otklik.test"})
    assert ok.status_code == 303


def test_pages_carry_security_headers_and_show_only_signed_notices(client: Any) -> None:
    page = client.get("/?msg=Позвоните+по+номеру+8-800")
    assert "8-800" not in page.text, "a notice put in a link is not shown"
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    r = client.post("/items/w2/reject", data={"csrf_token": client.csrf()}, headers={"origin": "http://otklik.test"})
    back = client.get(r.headers["location"])
    assert "w2: отклонено" in back.text, "the app's own notice is shown"
