"""The web inbox in a real browser: log in, fix and approve, log out; Playwright drives Debian's chromium.

Skipped only where chromium or playwright is not installed; CI installs both and sets
OTKLIK_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from otklik.profile import BusinessProfile
from otklik.web import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ROWS = (
    '{"id": "b1", "text": "Рубашка отличная, ткань плотная, сидит идеально", "rating": 5, "author": "Анна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
    '{"id": "b2", "text": "Пришла с дыркой на рукаве, очень расстроена", "rating": 1, "author": "Ольга", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
)


def _browser_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists()


if not _browser_available():
    if os.environ.get("OTKLIK_REQUIRE_BROWSER"):
        raise RuntimeError("OTKLIK_REQUIRE_BROWSER is set but playwright or chromium is missing")
    pytest.skip("playwright or Debian's chromium is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_url: str, seed_store: Callable[[str], BusinessProfile]) -> Iterator[str]:
    import uvicorn

    profile = seed_store(ROWS)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(database_url=db_url, profile=profile), host="127.0.0.1",
                                        port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started, "server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_a_person_logs_in_fixes_and_approves_in_the_browser(server: str, tmp_path: Path,
                                                            web_users: dict[str, tuple[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        try:
            page = browser.new_page()
            page.goto(server + "/")
            # Not logged in: the login form, then back to the inbox.
            assert "/login?next=" in page.url
            page.locator("input[name=login]").fill("responder")
            page.locator("input[name=password]").fill("не тот пароль")
            page.locator("button", has_text="Войти").click()
            page.wait_for_load_state()
            assert "Неверный логин или пароль" in page.locator(".error").inner_text()
            page.locator("input[name=login]").fill("responder")
            page.locator("input[name=password]").fill(web_users["responder"][1])
            page.locator("button", has_text="Войти").click()
            page.wait_for_load_state()
            assert page.url == server + "/"
            assert page.context.cookies()[0]["httpOnly"] is True
            items = page.locator(".item")
            assert items.count() == 2
            assert items.nth(0).get_attribute("id") == "item-b2", "the complaint is on top"
            assert "Ольга" in page.locator("#item-b2 textarea").input_value()

            # A rule-breaking edit is refused with the rule named.
            page.locator("#item-b2 textarea").fill("Вы сами виноваты, удалите отзыв!!!")
            page.locator("#item-b2 button", has_text="Одобрить").click()
            page.wait_for_load_state()
            assert "R-NO-ATTACK" in page.locator(".msg").inner_text()
            assert page.locator("#item-b2").count() == 1, "the item's card, with the refusal"
            assert page.locator("textarea").input_value() == "Вы сами виноваты, удалите отзыв!!!", "the edit is kept"
            page.locator("a", has_text="К отзывам").click()
            page.wait_for_load_state()

            # The drafted reply is approved as it is, and leaves the queue.
            page.locator("#item-b1 button", has_text="Одобрить").click()
            page.wait_for_load_state()
            assert "одобрено" in page.locator(".msg").inner_text()
            assert page.locator("#item-b1").count() == 0
            shot = tmp_path / "inbox.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000

            page.locator("button", has_text="Выйти").click()
            page.wait_for_load_state()
            assert page.url == server + "/login"
            page.goto(server + "/")
            assert "/login?next=" in page.url
        finally:
            browser.close()
