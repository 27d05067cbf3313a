"""The item card in a real browser (Playwright drives Debian's chromium): live lint as one types,
a refused approval that keeps the text, bulk approval after its confirmation page, the API docs
with no request leaving this machine, and every page at phone width (375 px) without sideways scroll.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from otklik.profile import BusinessProfile

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
ROWS = (
    '{"id": "c1", "text": "Рубашка отличная, ткань плотная, сидит идеально", "rating": 5, "author": "Анна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
    '{"id": "c2", "text": "Пришла с дыркой на рукаве, очень расстроена. Оооооооооооооооооооооооооооооооооооочень!", '
    '"rating": 1, "author": "Ольга", "product": "Рубашка оверсайз из льна с длинным-предлинным названием", '
    '"source": "wildberries"}\n'
    '{"id": "c3", "text": "Платье красивое, цвет как на фото, размер подошёл, спасибо", "rating": 5, '
    '"author": "Мария", "product": "Платье-рубашка из хлопка", "source": "ozon"}\n'
)


@pytest.fixture
def server(db_url: str, seed_store: Callable[[str], BusinessProfile], serve: Callable[..., Any]) -> Iterator[str]:
    with serve(db_url, seed_store(ROWS)) as url:
        yield url


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _login(page: Any, server: str, login: str, password: str) -> None:
    page.goto(server + "/login")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("button", has_text="Войти").click()
    page.wait_for_load_state()
    assert page.url == server + "/"


def test_live_lint_on_the_card_then_a_refused_approval_keeps_the_text(
        server: str, browser: Any, web_users: dict[str, tuple[str, str]]) -> None:
    page = browser.new_page()
    _login(page, server, "responder", web_users["responder"][1])
    page.locator("#item-c2 .meta a", has_text="c2").click()
    page.wait_for_load_state()
    assert page.url.startswith(server + "/items/c2")
    assert "Ольга" in page.locator("dl.facts").inner_text()

    box = page.locator("textarea")
    box.fill("")
    box.press_sequentially("Вы сами виноваты, удалите отзыв!!!", delay=5)
    page.locator("#lint-findings code", has_text="R-NO-ATTACK").wait_for(timeout=10_000)
    assert "Замечаний:" in page.locator("#lint-state").inner_text()

    page.locator("button", has_text="Одобрить").click()
    page.wait_for_load_state()
    assert "Ответ не одобрен" in page.locator("#approve-error").inner_text()
    assert "R-NO-ATTACK" in page.locator("#approve-error").inner_text()
    assert box.input_value() == "Вы сами виноваты, удалите отзыв!!!"
    assert page.locator("#lint-findings code", has_text="R-NO-ATTACK").count() == 1

    old = box.input_value()
    page.locator("button", has_text="Написать заново").click()
    page.wait_for_load_state()
    assert "Черновик написан заново" in page.locator(".msg").inner_text()
    assert box.input_value() not in ("", old)


def test_bulk_approval_asks_first_and_says_how_many(server: str, browser: Any,
                                                     web_users: dict[str, tuple[str, str]]) -> None:
    page = browser.new_page()
    _login(page, server, "responder", web_users["responder"][1])
    page.locator("a", has_text="Одобрить безопасные").click()
    page.wait_for_load_state()
    count = page.locator("#safe-count b").inner_text()
    assert int(count) >= 1 and page.locator(".item").count() == int(count)
    assert page.locator("#safe-c2").count() == 0
    page.locator("button", has_text=f"Да, одобрить все {count}").click()
    page.wait_for_load_state()
    assert page.url.startswith(server + "/?msg=")
    assert f"Одобрено ответов на положительные отзывы: {count}." in page.locator(".msg").inner_text()


def test_api_docs_render_with_no_request_leaving_this_machine(server: str, browser: Any) -> None:
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url))
    page.goto(server + "/docs")
    page.locator(".opblock").first.wait_for(timeout=15_000)
    assert page.locator(".opblock").count() >= 5, "Swagger UI lists the API's operations"
    assert page.url == server + "/api/docs"
    hosts = {urlsplit(u).netloc for u in asked if not u.startswith("data:")}
    assert hosts == {urlsplit(server).netloc}, hosts


@pytest.mark.parametrize("login", ["responder", "viewer"])
def test_pages_fit_a_phone_without_sideways_scroll(server: str, browser: Any, login: str,
                                                   web_users: dict[str, tuple[str, str]]) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()

    def fits(where: str) -> None:
        wide = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert wide[0] <= wide[1] <= 375, f"{where}: {wide[0]} px wide in a {wide[1]} px screen"

    page.goto(server + "/login")
    fits("login")
    _login(page, server, login, web_users[login][1])
    fits("inbox")
    for path in ("/items/c2", "/items/c1", "/approve-safe", "/api/docs"):
        page.goto(server + path)
        page.wait_for_load_state()
        fits(path)
    if login == "responder":
        page.goto(server + "/items/c2")
        page.locator("textarea").fill("Вы сами виноваты, удалите отзыв!!! " + "оченьдлинноеслово" * 8)
        page.locator("button", has_text="Одобрить").click()
        page.wait_for_load_state()
        fits("a refused approval")
        button = page.locator("button", has_text="Одобрить").bounding_box()
        assert button and button["x"] + button["width"] <= 375 and button["height"] >= 30, "a button a thumb can hit"
    context.close()
