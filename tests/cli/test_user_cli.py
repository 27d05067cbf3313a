"""`otklik user …` and `otklik token …` as an administrator runs them, checked against the web app."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.profile import load_profile
from otklik.store.db import open_store_engine
from otklik.web import create_app

runner = CliRunner()


def _cli(db_url: str, *args: str, input: str | None = None):  # noqa: ANN202 - click Result
    return runner.invoke(app, [*args, "--db", db_url], input=input)


def _api(db_url: str, path: str, token: str) -> httpx.Response:
    web = create_app(database_url=db_url, profile=load_profile(None))

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://otklik.test") as c:
            return await c.get(path, headers={"authorization": f"Bearer {token}"})

    return asyncio.run(go())


def test_users_are_added_listed_and_removed(db_url: str) -> None:
    res = _cli(db_url, "user", "add", "Marina", "--role", "owner", "--password-stdin", input="длинный-пароль\n")
    assert res.exit_code == 0, res.output
    assert "длинный-пароль" not in res.output
    # the hidden prompt asks twice and echoes nothing
    res = _cli(db_url, "user", "add", "oleg", "--role", "responder", input="пароль-олега\nпароль-олега\n")
    assert res.exit_code == 0, res.output
    assert "пароль-олега" not in res.output
    listed = _cli(db_url, "user", "list")
    assert listed.stdout.splitlines() == ["marina\towner", "oleg\tresponder"]

    for args, message in (
        (["user", "add", "oleg", "--role", "viewer"], "already exists"),
        (["user", "add", "ivan", "--role", "admin"], "role must be one of owner, responder, viewer"),
        (["user", "add", "ivan", "--role", "viewer"], "at least 8 characters"),
        (["user", "remove", "marina"], "only owner"),
        (["user", "remove", "nobody"], "no user"),
    ):
        res = _cli(db_url, *args, "--password-stdin", input="short\n") if args[1] == "add" else _cli(db_url, *args)
        assert res.exit_code == 2 and message in res.output, res.output

    assert _cli(db_url, "user", "remove", "oleg").exit_code == 0
    assert _cli(db_url, "user", "list").stdout.splitlines() == ["marina\towner"]


def test_a_token_is_printed_once_works_and_stops_working_when_revoked(db_url: str) -> None:
    _cli(db_url, "user", "add", "bot", "--role", "viewer", "--password-stdin", input="пароль-робота\n")
    res = _cli(db_url, "token", "create", "bot", "--name", "nightly export")
    assert res.exit_code == 0, res.output
    token = res.stdout.strip()
    assert re.fullmatch(r"otk_[\w-]{40,}", token)
    listed = _cli(db_url, "token", "list")
    assert "nightly export" in listed.output and "active" in listed.output and token not in listed.output
    engine = open_store_engine(db_url)
    with Session(engine) as s:
        dump = str(s.execute(text("SELECT * FROM api_tokens")).all())
    engine.dispose()
    assert token not in dump and token.removeprefix("otk_") not in dump

    assert _api(db_url, "/api/me", token).json() == {"login": "bot", "role": "viewer"}
    assert _cli(db_url, "token", "revoke", "1").exit_code == 0
    r = _api(db_url, "/api/me", token)
    assert r.status_code == 401
    assert "revoked" in _cli(db_url, "token", "list").output
    assert _cli(db_url, "token", "revoke", "99").exit_code == 2


def test_serve_refuses_to_start_without_users(db_url: str) -> None:
    res = _cli(db_url, "serve")
    assert res.exit_code == 2 and "otklik user add LOGIN --role owner" in res.output


def test_demo_prints_a_login_that_opens_its_inbox(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    res = runner.invoke(app, ["demo", "--db-file", str(db), "--out", str(tmp_path / "r.jsonl"), "--no-serve"])
    assert res.exit_code == 0, res.output
    found = re.search(r"login: (\S+), password: (\S+)", res.output)
    assert found, res.output
    web = create_app(database_url=f"sqlite:///{db}", profile=load_profile(None))

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=web), base_url="http://otklik.test") as c:
            await c.post("/login", data={"login": found.group(1), "password": found.group(2)})
            return await c.get("/users")

    page = asyncio.run(go())
    assert page.status_code == 200 and "владелец" in page.text
