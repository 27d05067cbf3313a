"""Who may use the card's actions: every new endpoint refuses the wrong caller and changes nothing.

Anonymous callers, a role too low (a viewer cannot regenerate or approve in bulk), a cookie write
without the session's CSRF token or with a wrong one, an unknown API token: all refused, and the
store's replies and their history stay as they were. Then the right caller gets through.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from otklik.profile import BusinessProfile
from otklik.store.accounts import Role
from otklik.store.tables import ReplyEventRow, ReplyRow
from otklik.web import create_app

ROWS = (
    '{"id": "a1", "text": "Рубашка отличная, ткань плотная, сидит идеально", "rating": 5, "author": "Анна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
)
BELOW = {Role.responder: "viewer", Role.owner: "responder"}
ROLE_LOGIN = {Role.viewer: "viewer", Role.responder: "responder", Role.owner: "owner"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    role: Role
    ok: int
    body: dict[str, Any] = field(default_factory=dict)  # JSON for the API, form fields for pages

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def writes(self) -> bool:
        return self.method == "POST"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS = [
    Endpoint("GET", "/items/a1", Role.viewer, 200),
    Endpoint("POST", "/items/a1/regenerate", Role.responder, 303),
    Endpoint("GET", "/approve-safe", Role.responder, 200),
    Endpoint("POST", "/approve-safe", Role.responder, 303),
    Endpoint("POST", "/api/lint", Role.viewer, 200, {"item_id": "a1", "text": "Спасибо за отзыв о рубашке!"}),
    Endpoint("POST", "/api/items/a1/regenerate", Role.responder, 200),
    Endpoint("GET", "/api/approve-safe", Role.responder, 200),
    Endpoint("POST", "/api/approve-safe", Role.responder, 200),
]


@pytest.fixture
def app(db_url: str, seed_store: Callable[[str], BusinessProfile]) -> Any:
    return create_app(database_url=db_url, profile=seed_store(ROWS))


def _call(client: Any, ep: Endpoint, *, csrf: str | None = None, token: str | None = None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if not ep.writes:
        return client.get(ep.path, headers=headers)
    if ep.api:
        if csrf is not None:
            headers["x-csrf-token"] = csrf
        return client.post(ep.path, json=ep.body, headers=headers)
    data = dict(ep.body) | ({} if csrf is None else {"csrf_token": csrf})
    if ep.path == "/approve-safe":  # what the confirmation page lists: every safe draft
        with Session(client.app.state.engine) as s:
            data["reply"] = [str(i) for i in s.scalars(select(ReplyRow.id).where(ReplyRow.status == "draft"))]
    return client.post(ep.path, data=data, headers=headers)


def _state(app: Any) -> tuple[list[tuple[int, str, str | None]], int]:
    """Every reply (id, status, text) and how many history lines: a refused call changes none."""
    with Session(app.state.engine) as s:
        replies = [(r.id, r.status, r.text) for r in s.scalars(select(ReplyRow).order_by(ReplyRow.id))]
        return replies, int(s.scalar(select(func.count()).select_from(ReplyEventRow)) or 0)


def _logged_in(new_client: Callable[..., Any], app: Any, login: str) -> Any:
    c = new_client(app)
    assert c.login(login).status_code == 303
    return c


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_each_new_endpoint_refuses_the_wrong_caller_then_serves_the_right_one(
    app: Any, ep: Endpoint, new_client: Callable[..., Any], make_token: Callable[[str], str]
) -> None:
    right = _logged_in(new_client, app, ROLE_LOGIN[ep.role])
    before = _state(app)

    r = _call(new_client(app), ep)
    if ep.api:
        assert r.status_code == 401 and "Нужно войти" in r.json()["error"]
    else:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert _state(app) == before

    if ep.role in BELOW:
        low = _logged_in(new_client, app, BELOW[ep.role])
        r = _call(low, ep, csrf=low.csrf())
        assert r.status_code == 403 and "Недостаточно прав" in (r.json()["error"] if ep.api else r.text)
        if ep.api:
            r = _call(new_client(app), ep, token=make_token(BELOW[ep.role]))
            assert r.status_code == 403 and "Недостаточно прав" in r.json()["error"]
        assert _state(app) == before

    if ep.writes:
        other = _logged_in(new_client, app, ROLE_LOGIN[ep.role]).csrf()
        for csrf in (None, "", "0" * 43, other):
            r = _call(right, ep, csrf=csrf)
            assert r.status_code == 403, csrf
            assert "Форма устарела" in (r.json()["error"] if ep.api else r.text)
        evil = {"origin": "https://evil.example"}
        foreign = right.post(ep.path, json=ep.body, headers={"x-csrf-token": right.csrf(), **evil}) if ep.api \
            else right.post(ep.path, data={"csrf_token": right.csrf()}, headers=evil)
        assert foreign.status_code == 403 and "чужого сайта" in foreign.json()["error"]
        assert _state(app) == before

    if ep.api:
        assert _call(new_client(app), ep, token="otk_made-up").status_code == 401
    else:
        assert _call(new_client(app), ep, token=make_token(ROLE_LOGIN[ep.role])).status_code == 303
    assert _state(app) == before

    r = _call(right, ep, csrf=right.csrf() if ep.writes else None)
    assert r.status_code == ep.ok, r.text
    if ep.api and ep.role != Role.viewer:  # by token, no CSRF token needed; a viewer's token is refused above
        r = _call(new_client(app), ep, token=make_token(ROLE_LOGIN[ep.role]))
        assert r.status_code == ep.ok, r.text


def test_the_owner_may_do_what_a_responder_may(app: Any, new_client: Callable[..., Any]) -> None:
    owner = _logged_in(new_client, app, "owner")
    assert owner.get("/approve-safe").status_code == 200
    r = owner.post("/approve-safe", data={"csrf_token": owner.csrf(), "reply": ["1"]})
    assert r.status_code == 303
