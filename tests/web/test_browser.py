"""The web inbox in a real browser: log in, fix and approve, log out; Playwright drives Debian's chromium.

Skipped only where chromium or playwright is not installed; CI installs both and sets
OTKLIK_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from otklik.profile import BusinessProfile

ROWS = (
    '{"id": "b1", "text": "Рубашка отличная, ткань плотная, сидит идеально", "rating": 5, "author": "Анна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
    '{"id": "b2", "text": "Пришла с дыркой на рукаве, очень расстроена", "rating": 1, "author": "Ольга", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
)


@pytest.fixture
def server(db_url: str, seed_store: Callable[[str], BusinessProfile], serve: Callable[..., Any]) -> Iterator[str]:
    with serve(db_url, seed_store(ROWS)) as url:
        yield url


def test_a_person_logs_in_fixes_and_approves_in_the_browser(server: str, tmp_path: Path, chromium: str,
                                                            web_users: dict[str, tuple[str, str]]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium,
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
