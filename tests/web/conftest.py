"""Web tests start from a store that already holds analysed items with drafted replies, and users.

`WebClient` drives the app in-process through httpx.ASGITransport and keeps its cookies between
requests, as a browser would.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session

from otklik.profile import BusinessProfile, load_profile
from otklik.store import accounts
from otklik.store.db import open_store_engine
from otklik.workflow.drafting import draft_pending
from otklik.workflow.importing import import_file

# login -> (role, password); the logins are the role names to keep tests readable.
USERS = {
    "owner": (accounts.Role.owner, "хозяин-пароль-1"),
    "responder": (accounts.Role.responder, "отвечаю-на-отзывы"),
    "viewer": (accounts.Role.viewer, "только-смотрю-1"),
}
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class WebClient:
    """A synchronous face over httpx.ASGITransport with a cookie jar; never follows redirects."""

    def __init__(self, app: Any, base_url: str = "http://otklik.test", client_ip: str = "127.0.0.1") -> None:
        self.app = app
        self.base_url = base_url
        self.client_ip = client_ip
        self.cookies = httpx.Cookies()

    def request(self, method: str, path: str, **kw: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, client=(self.client_ip, 50000))
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url, cookies=self.cookies) as c:
                response = await c.request(method, path, **kw)
                self.cookies = httpx.Cookies(c.cookies)
                return response

        return asyncio.run(go())

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.request("POST", path, **kw)

    def login(self, login: str, password: str | None = None, next: str = "/") -> httpx.Response:
        return self.post("/login", data={"login": login, "password": password or USERS[login][1], "next": next})

    def csrf(self) -> str:
        """The CSRF token the inbox page puts in its forms for this session."""
        found = CSRF_RE.search(self.get("/").text)
        assert found, "the page carries no CSRF token"
        return found.group(1)


@pytest.fixture
def seed_store(db_url: str, tmp_path: Path) -> Callable[[str], BusinessProfile]:
    """Import JSONL rows into the test database and draft them, add the USERS; returns the profile used."""

    def seed(rows: str) -> BusinessProfile:
        f = tmp_path / "seed.jsonl"
        f.write_text(rows, encoding="utf-8")
        engine = open_store_engine(db_url)
        profile = load_profile(None)
        import_file(engine, f)
        draft_pending(engine, profile)
        with Session(engine) as s, s.begin():
            for login, (role, password) in USERS.items():
                accounts.add_user(s, login, password, role)
        engine.dispose()
        return profile

    return seed


@pytest.fixture
def make_token(db_url: str) -> Callable[[str], str]:
    """An API token for a user, as `otklik token create` makes it."""

    def make(login: str) -> str:
        engine = open_store_engine(db_url)
        with Session(engine) as s, s.begin():
            _id, clear = accounts.create_token(s, login, "test")
        engine.dispose()
        return clear

    return make


@pytest.fixture
def new_client() -> Callable[..., WebClient]:
    """WebClient(app, base_url=...) for tests (conftest modules are not importable by name)."""
    return WebClient


@pytest.fixture
def web_users() -> dict[str, tuple[accounts.Role, str]]:
    """The seeded users: login -> (role, password)."""
    return USERS


# -- the browser tests (Playwright drives Debian's chromium) ---------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium for Playwright. Skips where playwright or chromium is missing — unless CI sets
    OTKLIK_REQUIRE_BROWSER, where a browser test that cannot run is a failure."""
    try:
        import playwright.sync_api  # noqa: F401
        found = Path(CHROMIUM).exists()
    except ImportError:
        found = False
    if not found:
        if os.environ.get("OTKLIK_REQUIRE_BROWSER"):
            raise RuntimeError("OTKLIK_REQUIRE_BROWSER is set but playwright or chromium is missing")
        pytest.skip("playwright or Debian's chromium is not installed")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _served(db_url: str, profile: BusinessProfile) -> Iterator[str]:
    import uvicorn

    from otklik.web import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(database_url=db_url, profile=profile), host="127.0.0.1",
                                        port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def serve(chromium: str) -> Callable[[str, BusinessProfile], AbstractContextManager[str]]:
    """The web app under uvicorn on a free port, for a browser: ``with serve(db_url, profile) as url``."""
    return _served
