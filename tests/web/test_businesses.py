"""Several businesses in one web inbox: the switcher, every list filtered to the current business,
another business's item not found, users limited to some businesses, and the owner's profile editor."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from otklik.store import accounts, businesses
from otklik.store.db import open_store_engine
from otklik.web import create_app

PASSWORDS = {"owner": "хозяин-пароль-1", "responder": "отвечаю-на-отзывы", "viewer": "только-смотрю-1",
             "chef": "повар-пароль-12"}


@pytest.fixture
def app(db_url: str, two_businesses: dict) -> Any:
    engine = open_store_engine(db_url)
    with Session(engine) as s, s.begin():
        for login, role in (("owner", accounts.Role.owner), ("responder", accounts.Role.responder),
                            ("viewer", accounts.Role.viewer), ("chef", accounts.Role.responder)):
            accounts.add_user(s, login, PASSWORDS[login], role)
        businesses.set_members(s, "chef", ["cafe"])  # the restaurant's staff sees the restaurant only
    engine.dispose()
    return create_app(database_url=db_url, profile=two_businesses["profile"])


@pytest.fixture
def client(app: Any, new_client: Callable[..., Any]) -> Callable[[str], Any]:
    def make(login: str) -> Any:
        c = new_client(app)
        assert c.post("/login", data={"login": login, "password": PASSWORDS[login], "next": "/"}).status_code == 303
        return c
    return make


def _ids(response: Any) -> list[str]:
    return sorted(e["item_id"] for e in response.json()["items"])


def test_lists_show_the_current_business_and_the_switcher_changes_it(client: Callable[[str], Any]) -> None:
    owner = client("owner")
    page = owner.get("/")
    assert page.status_code == 200 and 'id="business-switcher"' in page.text
    assert "shop-1" in page.text and "cafe-1" not in page.text
    assert _ids(owner.get("/api/items?status=all")) == ["shop-1", "shop-2"]
    assert _ids(owner.get("/api/items?status=all&business=cafe")) == ["cafe-1", "cafe-2"]
    counts = owner.get("/api/items?status=all&business=cafe&counts=true").json()["counts"]
    assert counts["all"] == 2
    moved = owner.post("/business/switch", data={"slug": "cafe", "csrf_token": owner.csrf()})
    assert moved.status_code == 303
    page = owner.get("/")
    assert "cafe-1" in page.text and "shop-1" not in page.text and "Печь и Сад" in page.text
    assert _ids(owner.get("/api/items?status=all")) == ["cafe-1", "cafe-2"]
    assert owner.get("/api/items?business=bar").status_code == 404


def test_a_user_limited_to_one_business_never_sees_another(client: Callable[[str], Any]) -> None:
    chef = client("chef")
    assert _ids(chef.get("/api/items?status=all")) == ["cafe-1", "cafe-2"]  # the only business they may see
    assert "shop-1" not in chef.get("/").text and 'id="business-switcher"' not in chef.get("/").text
    refused = chef.get("/api/items?business=default")
    assert refused.status_code == 403 and "Нет доступа" in refused.json()["error"]
    assert chef.post("/business/switch", data={"slug": "default", "csrf_token": chef.csrf()}).status_code == 403
    assert chef.get("/items/shop-1?business=default").status_code == 403


@pytest.mark.parametrize("call", [
    ("GET", "/items/shop-1", None),
    ("POST", "/api/items/shop-1/approve", {"text": None}),
    ("POST", "/api/items/shop-1/reject", {}),
    ("POST", "/api/items/shop-1/regenerate", {}),
    ("POST", "/api/lint", {"item_id": "shop-1", "text": "Спасибо за отзыв!"}),
])
def test_an_item_of_another_business_is_not_found(client: Callable[[str], Any], call: tuple) -> None:
    chef = client("chef")
    method, path, body = call
    headers = {"X-CSRF-Token": chef.csrf()}
    r = chef.request(method, path, headers=headers, **({"json": body} if body is not None else {}))
    assert r.status_code == 404, r.text
    same = chef.request(method, path.replace("shop-1", "cafe-1"), headers=headers,
                        **({"json": {**body, "item_id": "cafe-1"} if "item_id" in (body or {}) else body}
                           if body is not None else {}))
    assert same.status_code in (200, 409), same.text  # 409: a rule refused that approval, not a missing item


def test_forms_of_another_business_do_nothing(client: Callable[[str], Any], db_url: str) -> None:
    chef = client("chef")
    csrf = chef.csrf()
    chef.post("/items/shop-1/approve", data={"csrf_token": csrf, "force": "true"})
    chef.post("/items/shop-1/reject", data={"csrf_token": csrf})
    owner = client("owner")
    shop = owner.get("/api/items?status=all&business=default").json()["items"]
    assert {e["status"] for e in shop} == {"draft"}


def test_the_owner_edits_the_profile_and_drafts_follow_it(client: Callable[[str], Any], db_url: str) -> None:
    owner = client("owner")
    form = owner.get("/business/profile?business=cafe")
    assert form.status_code == 200 and "<textarea" in form.text and "Печь и Сад" in form.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    version = re.search(r'name="version" value="(\d+)"', form.text).group(1)
    with Session(open_store_engine(db_url)) as s:
        text = businesses.profile_text(s, 2) or ""
    changed = text.replace("Управляющая ресторана «Печь и Сад», Марина", "Шеф-повар «Печи и Сада», Ольга")
    saved = owner.post("/business/profile?business=cafe", data={"csrf_token": csrf, "version": version, "text": changed})
    assert saved.status_code == 303
    shown = owner.get(saved.headers["location"])
    assert "Профиль сохранён (версия 2)" in shown.text and "сохранил owner" in shown.text
    owner.post("/api/items/cafe-2/reject?business=cafe", json={}, headers={"X-CSRF-Token": csrf})
    again = owner.post("/api/items/cafe-2/regenerate?business=cafe", json={}, headers={"X-CSRF-Token": csrf})
    assert again.status_code == 200 and "Ольга" in again.json()["text"]


def test_a_bad_profile_is_refused_with_the_field_and_the_text_kept(client: Callable[[str], Any], db_url: str) -> None:
    owner = client("owner")
    form = owner.get("/business/profile?business=cafe")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    bad = "business:\n  name: Кафе <b>\nplatforms:\n  ozon:\n    max_length: много\n"
    r = owner.post("/business/profile?business=cafe", data={"csrf_token": csrf, "version": "1", "text": bad})
    assert r.status_code == 422
    assert "Профиль не сохранён" in r.text and "поле «platforms.ozon.max_length»" in r.text
    assert "max_length: много" in r.text and "Кафе &lt;b&gt;" in r.text  # the text kept, escaped
    no_csrf = owner.post("/business/profile?business=cafe", data={"version": "1", "text": "business: {name: X}"})
    assert no_csrf.status_code == 403
    with Session(open_store_engine(db_url)) as s:
        b = businesses.get_business(s, "cafe")
        assert b.version == 1 and "Печь и Сад" in (businesses.profile_text(s, b.id) or "")


@pytest.mark.parametrize("login", ["responder", "viewer", "chef"])
def test_only_an_owner_sees_or_saves_the_profile(client: Callable[[str], Any], login: str) -> None:
    c = client(login)
    csrf = c.csrf()
    assert c.get("/business/profile").status_code == 403
    r = c.post("/business/profile", data={"csrf_token": csrf, "version": "0", "text": "business: {name: X}"})
    assert r.status_code == 403
