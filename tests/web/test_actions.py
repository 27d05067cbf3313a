"""The item card and the actions beside approve/reject, in-process, as a logged-in person uses them:
the card in Russian, live lint, a refused approval that keeps the text, regenerate, bulk approval of
safe positives (web, API and CLI), and the API docs served without a CDN."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from otklik.cli.main import app as cli
from otklik.profile import BusinessProfile
from otklik.store.tables import ItemRow, ReplyEventRow, ReplyRow
from otklik.web import create_app
from otklik.workflow import review

ROWS = (
    '{"id": "p1", "text": "Рубашка отличная, ткань плотная, сидит идеально", "rating": 5, "author": "Анна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries", "created_at": "2026-11-20T10:15:00+00:00"}\n'
    '{"id": "p2", "text": "Платье красивое, цвет как на фото, размер подошёл, спасибо", "rating": 5, '
    '"author": "Мария", "product": "Платье-рубашка из хлопка", "source": "ozon"}\n'
    '{"id": "n1", "text": "Пришла с дыркой на рукаве, очень расстроена", "rating": 1, "author": "Ольга", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
    '{"id": "q1", "kind": "question", "text": "Можно сдать в пвз?", "author": "Инна", '
    '"product": "Рубашка оверсайз из льна", "source": "wildberries"}\n'
    '{"id": "x1", "text": "Отличная рубашка <script>alert(1)</script>", "rating": 5, '
    '"author": "<b>Хакер</b>", "product": "Рубашка <img src=x onerror=alert(2)>", "source": "wildberries"}\n'
)
ATTACK = "Вы сами виноваты, удалите отзыв!!! <script>alert(3)</script>"


@pytest.fixture
def app(db_url: str, seed_store: Callable[[str], BusinessProfile]) -> Any:
    return create_app(database_url=db_url, profile=seed_store(ROWS))


@pytest.fixture
def client(app: Any, new_client: Callable[..., Any]) -> Any:
    """A responder logged in through the login form."""
    c = new_client(app)
    assert c.login("responder").status_code == 303
    return c


def _replies(app: Any, item_id: str) -> list[ReplyRow]:
    with Session(app.state.engine) as s:
        item = s.scalars(select(ItemRow).where(ItemRow.external_id == item_id)).one()
        return list(s.scalars(select(ReplyRow).where(ReplyRow.item_id == item.id).order_by(ReplyRow.id)))


def _draft(app: Any, item_id: str) -> str:
    [draft] = [r for r in _replies(app, item_id) if r.status == "draft"]
    return draft.text or ""


def _status(app: Any, item_id: str) -> str:
    return next(e.status for e in review.inbox(app.state.engine, include_done=True) if e.item_id == item_id)


# -- the card ---------------------------------------------------------------------------------
def test_the_card_says_who_what_when_and_why_in_russian(app: Any, client: Any) -> None:
    with Session(app.state.engine) as s, s.begin():  # as the Ozon connector keeps them
        s.execute(update(ItemRow).where(ItemRow.external_id == "n1").values(
            photos=3, extra={"photo_urls": ["https://ir.ozone.ru/s3/rp-photo-0/n1.jpeg", "javascript:alert(4)",
                                            "https://ir.ozone.ru/s3/rp-photo-1/n1.jpeg?a=1&b=2"]}))
    page = client.get("/items/n1?source=wildberries")
    assert page.status_code == 200
    html = page.text
    for shown in ("Автор", "Ольга", "Товар", "Рубашка оверсайз из льна", "1 из 5", "Источник", "wildberries",
                  "Пришла с дыркой на рукаве", "отрицательный", "История", "получен Otklik", "черновик составлен"):
        assert shown in html, shown
    assert 'href="https://ir.ozone.ru/s3/rp-photo-0/n1.jpeg"' in html
    assert 'href="https://ir.ozone.ru/s3/rp-photo-1/n1.jpeg?a=1&amp;b=2"' in html
    assert "javascript:alert" not in html, "only http(s) links become links"
    assert 'rel="noopener noreferrer nofollow"' in html
    assert _draft(app, "n1") in html.replace("&#34;", '"').replace("&#39;", "'")

    p1 = client.get("/items/p1").text
    assert "20.11.2026 10:15 UTC" in p1 and "отзыв написан" in p1 and "5 из 5" in p1


def test_the_card_shows_why_a_person_is_needed_and_the_lint_findings(app: Any, client: Any) -> None:
    with Session(app.state.engine) as s:
        reply = s.scalars(select(ReplyRow).join(ItemRow).where(ItemRow.external_id == "q1")).one()
        reasons = list(reply.reasons)
    assert reasons, "the question the FAQ cannot answer is held for a person"
    html = client.get("/items/q1").text
    assert "Почему нужен человек" in html and "Нет ответа в FAQ" in html and "Можно сдать в пвз?" in html

    csrf = client.csrf()  # a person's text with a slip: the refused card lists the findings by rule id
    html = client.post("/items/n1/approve", data={"csrf_token": csrf, "text": "Спасибо за отзыв!"}).text
    assert re.search(r'<li class="lint error"><code>[A-Z]-[A-Z]+</code> .+</li>', html), "the findings, by rule id"
    with Session(app.state.engine) as s, s.begin():
        s.execute(update(ReplyRow).where(ReplyRow.status == "draft").values(
            lint=[{"rule": "R-HONEST", "message": "Обещание, которого нет в профиле бизнеса: «подарок».",
                   "severity": "error"}]))
    html = client.get("/items/p1").text
    assert '<li class="lint error"><code>R-HONEST</code> Обещание, которого нет в профиле бизнеса: «подарок».</li>' in html


def test_the_card_escapes_what_the_customer_wrote(client: Any) -> None:
    html = client.get("/items/x1").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>Хакер</b>" not in html and "&lt;b&gt;Хакер&lt;/b&gt;" in html
    assert "<img src=x" not in html
    assert "<script>" not in html.replace('<script src="/static/card.js" defer></script>', "")


def test_an_unknown_item_is_a_russian_404(client: Any) -> None:
    page = client.get("/items/nope")
    assert page.status_code == 404 and "«nope» нет" in page.text


def test_a_viewer_sees_the_card_without_the_forms(app: Any, new_client: Callable[..., Any]) -> None:
    viewer = new_client(app)
    viewer.login("viewer")
    html = viewer.get("/items/n1").text
    assert "Ольга" in html and "Одобрить" not in html and "Написать заново" not in html


def test_the_inbox_links_to_each_card(client: Any) -> None:
    assert 'href="/items/n1?source=wildberries"' in client.get("/").text


# -- approve from the card, live lint ---------------------------------------------------------
def test_a_refused_approval_keeps_the_edit_and_says_every_rule_in_russian(app: Any, client: Any) -> None:
    csrf = client.csrf()
    expected = client.post("/api/lint", json={"item_id": "n1", "text": ATTACK}, headers={"x-csrf-token": csrf}).json()
    errors = [f for f in expected["findings"] if f["severity"] == "error"]
    assert len(errors) >= 2
    page = client.post("/items/n1/approve", data={"csrf_token": csrf, "text": ATTACK, "source": "wildberries"})
    assert page.status_code == 409
    html = page.text
    textarea = re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    assert textarea and textarea.group(1) == escape(ATTACK), "the edit is kept, escaped"
    refusal = re.search(r'id="approve-error">(.*?)</p>', html, re.S)
    assert refusal
    said = unescape(refusal.group(1))
    assert said.startswith("Ответ не одобрен, он нарушает правила")
    for f in errors:  # in full: every rule and its whole message, nothing cut
        assert f"{f['rule']}: {f['message']}" in said
    assert said.endswith("Исправьте текст или отметьте «несмотря на замечания».")
    assert _status(app, "n1") == "draft" and ATTACK not in {r.text for r in _replies(app, "n1")}


def test_live_lint_finds_what_approval_finds(app: Any, client: Any, make_token: Callable[[str], str]) -> None:
    csrf = {"x-csrf-token": client.csrf()}
    bad = client.post("/api/lint", json={"item_id": "n1", "text": ATTACK}, headers=csrf)
    assert bad.status_code == 200
    body = bad.json()
    assert "R-NO-ATTACK" in {f["rule"] for f in body["findings"]} and body["errors"] >= 1
    assert all(re.fullmatch(r"[A-Z]-[A-Z-]+", f["rule"]) and f["message"] for f in body["findings"])

    text = _draft(app, "p1")
    live = client.post("/api/lint", json={"item_id": "p1", "text": text}, headers=csrf).json()
    approved = client.post("/api/items/p1/approve", json={"text": text}, headers=csrf)
    assert approved.status_code == 200
    assert live["findings"] == approved.json()["lint"], "the live check is the check approval makes"

    token = make_token("viewer")  # a script with a token needs no CSRF token
    by_token = client.__class__(app).post("/api/lint", json={"item_id": "n1", "text": "Спасибо"},
                                          headers={"authorization": f"Bearer {token}"})
    assert by_token.status_code == 200 and by_token.json()["findings"]
    missing = client.post("/api/lint", json={"item_id": "nope", "text": "x"}, headers=csrf)
    assert missing.status_code == 404 and "нет" in missing.json()["error"]


def test_live_lint_knows_a_clone_from_the_items_own_draft(app: Any, client: Any) -> None:
    csrf = {"x-csrf-token": client.csrf()}

    def rules(item_id: str, text: str) -> set[str]:
        return {f["rule"] for f in client.post("/api/lint", json={"item_id": item_id, "text": text},
                                               headers=csrf).json()["findings"]}

    assert "R-UNIQUE" not in rules("p1", _draft(app, "p1")), "one's own draft is no clone"
    assert "R-UNIQUE" in rules("p1", _draft(app, "p2")), "another item's reply is"
    mine = "Анна, спасибо! Рубашка из льна и правда плотная, рады, что села идеально. Ждём Вас снова!"
    assert "R-UNIQUE" not in rules("x1", mine)
    assert client.post("/api/items/p1/approve", json={"text": mine}, headers=csrf).status_code == 200
    assert "R-UNIQUE" in rules("x1", mine), "a reply stored after the last keystroke counts at the next"


# -- regenerate -------------------------------------------------------------------------------
def test_regenerate_writes_a_different_draft_and_keeps_the_history(app: Any, client: Any) -> None:
    before = _draft(app, "n1")
    r = client.post("/items/n1/regenerate", data={"csrf_token": client.csrf(), "source": "wildberries"})
    assert r.status_code == 303 and r.headers["location"].startswith("/items/n1?source=wildberries&msg=")
    after = _draft(app, "n1")
    assert after and after != before
    card = client.get(r.headers["location"]).text
    assert "Черновик написан заново" in card and "по просьбе responder" in card
    assert "заменён новым черновиком" in card, "the old draft's end is in the history"
    statuses = [x.status for x in _replies(app, "n1")]
    assert statuses == ["rejected", "draft"]

    again = client.post("/api/items/n1/regenerate", json={}, headers={"x-csrf-token": client.csrf()})
    assert again.status_code == 200 and again.json()["text"] not in (before, after)
    assert again.json()["needs_human"] is True, "a regenerated draft waits for the person who asked"


def test_an_approved_reply_is_not_regenerated(app: Any, client: Any) -> None:
    csrf = client.csrf()
    assert client.post("/api/items/p1/approve", json={}, headers={"x-csrf-token": csrf}).status_code == 200
    r = client.post("/api/items/p1/regenerate", json={}, headers={"x-csrf-token": csrf})
    assert r.status_code == 409 and "уже одобрен" in r.json()["error"]
    page = client.post("/items/p1/regenerate", data={"csrf_token": csrf})
    assert "уже одобрен" in client.get(page.headers["location"]).text
    assert _status(app, "p1") == "approved"


# -- bulk approval of safe positives ----------------------------------------------------------
def test_bulk_approval_shows_the_count_then_approves_only_safe_positives(app: Any, client: Any) -> None:
    page = client.get("/approve-safe")
    assert page.status_code == 200
    listed = re.findall(r'name="reply" value="(\d+)"', page.text)
    assert "Будет одобрено ответов: <b>3</b>" in page.text and len(listed) == 3
    assert 'id="safe-' in page.text and "Ольга" not in page.text, "the complaint is not offered"
    before = {i: _status(app, i) for i in ("n1", "q1")}

    r = client.post("/approve-safe", data={"csrf_token": client.csrf(), "reply": listed})
    assert r.status_code == 303
    inbox = client.get(r.headers["location"]).text
    assert "Одобрено ответов на положительные отзывы: 3." in inbox
    assert _status(app, "p1") == _status(app, "p2") == _status(app, "x1") == "approved"
    assert {i: _status(app, i) for i in ("n1", "q1")} == before
    with Session(app.state.engine) as s:
        notes = {(e.actor, e.note) for e in s.scalars(select(ReplyEventRow).where(ReplyEventRow.status == "approved"))}
    assert notes == {("human:responder", "approved in bulk: safe positive (no lint finding)")}
    assert "Сейчас нечего одобрять" in client.get("/approve-safe").text


def test_bulk_approval_skips_what_changed_after_the_confirmation_page(app: Any, client: Any) -> None:
    listed = re.findall(r'name="reply" value="(\d+)"', client.get("/approve-safe").text)
    csrf = client.csrf()
    assert client.post("/api/items/p2/regenerate", json={}, headers={"x-csrf-token": csrf}).status_code == 200
    r = client.post("/approve-safe", data={"csrf_token": csrf, "reply": listed})
    inbox = client.get(r.headers["location"]).text
    assert "Одобрено ответов на положительные отзывы: 2." in inbox and "Оставлено для проверки человеком (изменились или линтер нашёл замечание): 1" in inbox
    assert _status(app, "p1") == "approved" and _status(app, "p2") == "draft"


def test_two_identical_drafts_are_never_both_approved_in_bulk(app: Any, client: Any) -> None:
    with Session(app.state.engine) as s, s.begin():
        p1 = s.scalars(select(ReplyRow).join(ItemRow).where(ItemRow.external_id == "p1")).one()
        p2 = s.scalars(select(ReplyRow).join(ItemRow).where(ItemRow.external_id == "p2")).one()
        p2.text = p1.text
    listed = client.get("/api/approve-safe").json()
    done = client.post("/api/approve-safe", json={"reply_ids": [i["reply_id"] for i in listed["items"]]},
                       headers={"x-csrf-token": client.csrf()}).json()
    assert "x1" in {i["item_id"] for i in done["items"]}
    assert [_status(app, "p1"), _status(app, "p2")].count("approved") <= 1, "linted again, against each other"
    assert done["skipped"] >= 1


def test_bulk_approval_by_api_and_cli(app: Any, client: Any, db_url: str) -> None:
    listed = client.get("/api/approve-safe").json()
    assert listed["count"] == 3 and {i["item_id"] for i in listed["items"]} == {"p1", "p2", "x1"}

    runner = CliRunner()
    dry = runner.invoke(cli, ["approve", "--safe", "--dry-run", "--db", db_url])
    assert dry.exit_code == 0 and "3 safe positive drafts" in dry.output
    no = runner.invoke(cli, ["approve", "--safe", "--db", db_url], input="n\n")
    assert no.exit_code == 1 and "nothing approved" in no.output
    assert _status(app, "p1") == "draft"
    yes = runner.invoke(cli, ["approve", "--safe", "--db", db_url, "--by", "anna"], input="y\n")
    assert yes.exit_code == 0 and "approved 3 replies" in yes.output
    assert _status(app, "p1") == _status(app, "p2") == "approved"
    assert client.get("/api/approve-safe").json() == {"count": 0, "total": 0, "items": []}
    nothing = runner.invoke(cli, ["approve", "--db", db_url])
    assert nothing.exit_code == 2 and "--safe" in nothing.output


# -- API docs without a CDN -------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_api_docs_load_only_from_this_site(app: Any, new_client: Callable[..., Any], path: str) -> None:
    c = new_client(app)
    page = c.get(path)
    assert page.status_code == 200
    refs = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert refs and all(r.startswith("/") and not r.startswith("//") for r in refs), refs
    assert "http://" not in page.text and "https://" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for ref in refs:
        asset = c.get(ref)
        assert asset.status_code == 200 and len(asset.content) > 100, ref
    assert c.get("/docs").headers["location"] == "/api/docs"
    assert c.get("/api/docs/assets/swagger-ui-bundle.js").text.count("SwaggerUIBundle") > 0


def test_one_bulk_action_approves_at_most_its_limit(app: Any, client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from otklik.workflow import bulk

    monkeypatch.setattr(bulk, "BULK_LIMIT", 2)  # 500 in use; 3 safe drafts here
    page = client.get("/approve-safe").text
    assert "Будет одобрено ответов: <b>2</b>" in page and "Всего таких сейчас 3" in page
    listed = re.findall(r'name="reply" value="(\d+)"', page)
    r = client.post("/approve-safe", data={"csrf_token": client.csrf(), "reply": listed})
    assert "Одобрено ответов на положительные отзывы: 2." in client.get(r.headers["location"]).text
    assert client.get("/api/approve-safe").json()["total"] == 1, "the rest wait for the next click"
