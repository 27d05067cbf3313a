"""Screenshots of the web inbox for the README: `python docs/screenshots.py` (one command).

Builds the demo store (bundled sample reviews, drafted replies) in a temporary folder, serves the
inbox on a free port of 127.0.0.1, and lets Playwright drive Debian's chromium (/usr/bin/chromium,
no browser download) through the login form, the inbox, an item card with live lint, the bulk
approval page and the phone layout (375 px). PNGs go to docs/screenshots/.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from sqlalchemy.orm import Session

from otklik.profile import bundled_profile_path, load_profile
from otklik.store import accounts
from otklik.store.db import open_store_engine
from otklik.web import create_app
from otklik.workflow.demo import run_demo

OUT = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--font-render-hinting=none"]
LOGIN, PASSWORD = "anna", "скриншоты-демо-1"  # a throwaway store, made and deleted here
COMPLAINT = "demo-005"  # a complaint with photos of a hole, a return gone wrong: a card worth showing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(url: str) -> tuple[object, threading.Thread, str]:
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(database_url=url, profile=load_profile(bundled_profile_path("clothing"))),
                                           host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise SystemExit("the inbox did not start")
    return server, thread, f"http://127.0.0.1:{port}"


def shoot(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        run_demo(db_file=db, out=Path(tmp) / "replies.jsonl", show=0, console=Console(quiet=True))
        url = f"sqlite:///{db}"
        engine = open_store_engine(url)
        with Session(engine) as s, s.begin():
            accounts.add_user(s, LOGIN, PASSWORD, accounts.Role.responder)
        engine.dispose()
        server, thread, base = _serve(url)
        saved: list[Path] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                desk = browser.new_context(viewport={"width": 1100, "height": 820}, locale="ru-RU")
                page = desk.new_page()

                def save(name: str, p: object = page, full: bool = False) -> None:
                    path = out / f"{name}.png"
                    p.screenshot(path=str(path), full_page=full)  # type: ignore[attr-defined]
                    saved.append(path)

                page.goto(base + "/login")
                page.locator("input[name=login]").fill(LOGIN)
                save("login")
                page.locator("input[name=password]").fill(PASSWORD)
                page.locator("button", has_text="Войти").click()
                page.wait_for_load_state()
                save("inbox")

                page.goto(f"{base}/items/{COMPLAINT}")
                box = page.locator("textarea")
                box.press("End")
                box.press_sequentially(" Удалите отзыв!", delay=10)
                page.locator("#lint-findings code", has_text="R-NO-DELETE-DEMAND").wait_for(timeout=10_000)
                save("item-card", full=True)

                page.goto(base + "/approve-safe")
                save("approve-safe")

                phone = browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=1,
                                            is_mobile=True, has_touch=True, locale="ru-RU")
                phone.add_cookies(desk.cookies())
                mobile = phone.new_page()
                mobile.goto(base + "/")
                save("phone-inbox", mobile)
                mobile.goto(f"{base}/items/{COMPLAINT}")
                save("phone-item-card", mobile)
                browser.close()
        finally:
            server.should_exit = True  # type: ignore[attr-defined]
            thread.join(timeout=10)
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default: docs/screenshots)")
    for path in shoot(parser.parse_args().out):
        print(f"{path}  {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
