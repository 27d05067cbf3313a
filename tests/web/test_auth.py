"""Who may do what in the web inbox: every endpoint refuses the wrong caller and serves the right one.

For each page and API route: anonymous, a role too low, a cookie write without (or with a wrong)
CSRF token, an unknown or revoked API token are all refused and change nothing; then the right
caller gets through. Login: wrong passwords, the rate limit, cookies, `next`, nothing secret kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from otklik.profile import BusinessProfile
from otklik.store import accounts
from otklik.store.accounts import Role
from otklik.store.tables import ApiTokenRow, ReplyEventRow, UserRow, WebSessionRow
from otklik.web import create_app
from otklik.workflow import review

ROWS = (
    '{"id": "a1", "text": "Рубашка отличная, ткань плотная, сидит идеально", "rating": 5, "author": "Анна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
)
BELOW = {Role.responder: "viewer", Role.owner: "responder"}  # a login whose role is just too low
ROLE_LOGIN = {Role.viewer: "viewer", Role.responder: "responder", Role.owner: "owner"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    role: Role
    ok: int  # the status the right caller gets

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def writes(self) -> bool:
        return self.method == "POST"

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ENDPOINTS = [
    Endpoint("GET", "/", Role.viewer, 200),
    Endpoint("GET", "/insights", Role.viewer, 200),
    Endpoint("GET", "/users", Role.owner, 200),
    Endpoint("POST", "/items/a1/approve", Role.responder, 303),
    Endpoint("POST", "/items/a1/reject", Role.responder, 303),
    Endpoint("POST", "/logout", Role.viewer, 303),
    Endpoint("GET", "/api/me", Role.viewer, 200),
    Endpoint("GET", "/api/items", Role.viewer, 200),
    Endpoint("GET", "/api/users", Role.owner, 200),
    Endpoint("POST", "/api/items/a1/approve", Role.responder, 200),
    Endpoint("POST", "/api/items/a1/reject", Role.responder, 200),
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
        return client.post(ep.path, json={}, headers=headers)
    return client.post(ep.path, data={} if csrf is None else {"csrf_token": csrf}, headers=headers)


def _state(app: Any, right: Any) -> tuple[str, int]:
    """What a refused write must not change: a1's reply status, and that `right` is still logged in."""
    status = next(e.status for e in review.inbox(app.state.engine, include_done=True) if e.item_id == "a1")
    return status, right.get("/api/me").status_code


def _logged_in(new_client: Callable[..., Any], app: Any, login: str) -> Any:
    c = new_client(app)
    assert c.login(login).status_code == 303
    return c


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_every_endpoint_refuses_the_wrong_caller_then_serves_the_right_one(
    app: Any, ep: Endpoint, new_client: Callable[..., Any], make_token: Callable[[str], str], db_url: str
) -> None:
    right = _logged_in(new_client, app, ROLE_LOGIN[ep.role])
    before = _state(app, right)

    # Anonymous: pages send to the login form (back here after it, for a GET), the API answers 401.
    r = _call(new_client(app), ep)
    if ep.api:
        assert r.status_code == 401 and "Нужно войти" in r.json()["error"]
        assert r.headers["www-authenticate"].startswith("Bearer")
    else:
        assert r.status_code == 303
        assert r.headers["location"] == f"/login?next={'/' if ep.writes else ep.path}"
    assert _state(app, right) == before

    # A role too low: 403 in Russian, by session and by API token.
    if ep.role in BELOW:
        low = _logged_in(new_client, app, BELOW[ep.role])
        r = _call(low, ep, csrf=low.csrf())
        assert r.status_code == 403
        assert "Недостаточно прав" in (r.json()["error"] if ep.api else r.text)
        if ep.api:
            r = _call(new_client(app), ep, token=make_token(BELOW[ep.role]))
            assert r.status_code == 403 and "Недостаточно прав" in r.json()["error"]
        assert _state(app, right) == before

    # A cookie write without the session's CSRF token, with a wrong one, with another session's.
    if ep.writes:
        other = _logged_in(new_client, app, ROLE_LOGIN[ep.role]).csrf()
        for csrf in (None, "", "0" * 43, other):
            r = _call(right, ep, csrf=csrf)
            assert r.status_code == 403, csrf
            assert "Форма устарела" in (r.json()["error"] if ep.api else r.text)
        assert _state(app, right) == before

    # API tokens: a made-up one and a revoked one are refused; on pages a token is not a login.
    token = make_token(ROLE_LOGIN[ep.role])
    if ep.api:
        assert _call(new_client(app), ep, token="otk_made-up").status_code == 401
        engine = app.state.engine
        with Session(engine) as s, s.begin():
            accounts.revoke_token(s, s.scalars(select(ApiTokenRow.id).order_by(ApiTokenRow.id.desc())).first())
        r = _call(new_client(app), ep, token=token)
        assert r.status_code == 401 and "отозван" in r.json()["error"]
    else:
        assert _call(new_client(app), ep, token=token).status_code == 303, "a bearer token does not open pages"
    assert _state(app, right) == before

    # The right caller: by session with the CSRF token, and (API) by a live token without one.
    r = _call(right, ep, csrf=right.csrf() if ep.writes else None)
    assert r.status_code == ep.ok, r.text
    if ep.api:
        fresh = create_app(database_url=db_url, profile=app.state.profile)  # another machine, same store
        r = _call(new_client(fresh), ep, token=make_token(ROLE_LOGIN[ep.role]))
        assert r.status_code in (200, 409), r.text  # 409: a1 was already approved/rejected just above


def test_the_history_names_who_approved(app: Any, new_client: Callable[..., Any],
                                        make_token: Callable[[str], str]) -> None:
    token = make_token("owner")
    r = new_client(app).post("/api/items/a1/approve", json={"by": "someone-else"},
                             headers={"authorization": f"Bearer {token}"})
    assert r.status_code == 200
    with Session(app.state.engine) as s:
        actors = s.scalars(select(ReplyEventRow.actor)).all()
    assert "human:owner" in actors and not any("someone-else" in a for a in actors)


def test_wrong_password_and_unknown_login_get_the_same_refusal(app: Any, new_client: Callable[..., Any]) -> None:
    c = new_client(app)
    for login, password in (("responder", "не-тот-пароль"), ("nobody", "отвечаю-на-отзывы")):
        r = c.login(login, password)
        assert r.status_code == 401 and "Неверный логин или пароль" in r.text
        assert "set-cookie" not in r.headers
    assert c.get("/").status_code == 303, "still not logged in"
    assert c.login("Responder", "отвечаю-на-отзывы").status_code == 303, "logins ignore case"


def test_the_sixth_try_on_a_login_waits_even_with_the_right_password(app: Any, new_client: Callable[..., Any],
                                                                    db_url: str) -> None:
    c = new_client(app)
    for _ in range(accounts.MAX_FAILURES_PER_LOGIN):
        assert c.login("responder", "подбираю-пароль").status_code == 401
    r = c.login("responder")
    assert r.status_code == 429 and "Слишком много неудачных попыток" in r.text
    assert 0 < int(r.headers["retry-after"]) <= 15 * 60
    assert "set-cookie" not in r.headers
    # The limit is in the store: another app on the same store refuses too.
    again = new_client(create_app(database_url=db_url, profile=app.state.profile))
    assert again.login("responder").status_code == 429
    assert c.login("viewer").status_code == 303, "other logins from this address still may"


def test_one_address_trying_many_logins_is_stopped(app: Any, new_client: Callable[..., Any]) -> None:
    c = new_client(app, client_ip="203.0.113.7")
    for i in range(accounts.MAX_FAILURES_PER_IP):
        assert c.login(f"guess{i}", "пароль-наугад").status_code == 401
    assert c.login("viewer").status_code == 429
    assert new_client(app, client_ip="198.51.100.2").login("viewer").status_code == 303


def test_an_expired_session_is_refused(app: Any, new_client: Callable[..., Any]) -> None:
    """A session past its lifetime is refused even though its cookie is still sent."""
    c = _logged_in(new_client, app, "viewer")
    with Session(app.state.engine) as s, s.begin():
        s.execute(update(WebSessionRow).values(expires_at=accounts.now_utc() - accounts.SESSION_LIFETIME))
    assert c.get("/").status_code == 303
    assert c.get("/api/items").status_code == 401


def test_session_cookie_flags_and_logout_ends_the_session(app: Any, new_client: Callable[..., Any]) -> None:
    c = new_client(app)
    r = c.login("viewer")
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    value = c.cookies["otklik_session"]
    csrf = c.csrf()
    assert c.post("/logout", data={"csrf_token": csrf}).headers["location"] == "/login"
    replay = new_client(app)
    replay.cookies.set("otklik_session", value, domain="otklik.test")
    assert replay.get("/").status_code == 303, "a logged-out session cannot be replayed"

    secure = new_client(app, base_url="https://otklik.test")
    assert "secure" in secure.login("viewer").headers["set-cookie"].lower()
    assert secure.get("/").status_code == 200


def test_a_new_login_gets_a_new_session(app: Any, new_client: Callable[..., Any]) -> None:
    c = new_client(app)
    c.cookies.set("otklik_session", "planted-by-someone", domain="otklik.test")
    c.login("viewer")
    assert c.cookies["otklik_session"] != "planted-by-someone"


@pytest.mark.parametrize(("asked", "lands"), [
    ("/insights", "/insights"),
    ("/?done=true", "/?done=true"),
    ("https://evil.example/", "/"),
    ("//evil.example/x", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_after_login_only_local_paths(app: Any, new_client: Callable[..., Any], asked: str, lands: str) -> None:
    r = new_client(app).login("viewer", next=asked)
    assert r.status_code == 303 and r.headers["location"] == lands


def test_an_anonymous_page_remembers_where_it_was_going(app: Any, new_client: Callable[..., Any]) -> None:
    c = new_client(app)
    r = c.get("/?done=true")
    assert r.headers["location"] == "/login?next=/%3Fdone%3Dtrue"
    form = c.get(r.headers["location"])
    assert form.status_code == 200 and 'value="/?done=true"' in form.text and "Вход в Otklik" in form.text


def test_a_viewer_sees_replies_but_no_buttons(app: Any, new_client: Callable[..., Any]) -> None:
    page = _logged_in(new_client, app, "viewer").get("/")
    assert "item-a1" in page.text and "Одобрить" not in page.text


def test_removing_a_user_ends_their_sessions_and_tokens(app: Any, new_client: Callable[..., Any],
                                                        make_token: Callable[[str], str]) -> None:
    c = _logged_in(new_client, app, "viewer")
    token = make_token("viewer")
    with Session(app.state.engine) as s, s.begin():
        accounts.remove_user(s, "viewer")
    assert c.get("/").status_code == 303
    assert new_client(app).get("/api/items", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_nothing_secret_is_stored_or_logged_in_clear(app: Any, new_client: Callable[..., Any],
                                                     make_token: Callable[[str], str],
                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    c = new_client(app)
    c.login("responder", "неверный-пароль-123")
    c.login("responder")
    token = make_token("responder")
    assert new_client(app).get("/api/me", headers={"authorization": f"Bearer {token}"}).json() == {
        "login": "responder", "role": "responder"}
    secrets = [token, c.cookies["otklik_session"], "отвечаю-на-отзывы", "неверный-пароль-123"]
    with Session(app.state.engine) as s:
        dump = " ".join(str(row) for table in ("users", "api_tokens", "web_sessions", "login_failures")
                        for row in s.execute(text(f"SELECT * FROM {table}")))  # noqa: S608 - fixed names
        assert all(h.startswith("$argon2id$") for h in s.scalars(select(UserRow.password_hash)))
    for secret in secrets:
        assert secret not in dump and secret not in caplog.text


def test_without_users_the_login_page_says_how_to_add_one(db_url: str, new_client: Callable[..., Any]) -> None:
    from otklik.profile import load_profile

    page = new_client(create_app(database_url=db_url, profile=load_profile(None))).get("/login")
    assert page.status_code == 200 and "otklik user add" in page.text


def test_api_docs_stay_readable_without_login(app: Any, new_client: Callable[..., Any]) -> None:
    spec = new_client(app).get("/api/openapi.json").json()
    assert "HTTPBearer" in spec["components"]["securitySchemes"]
