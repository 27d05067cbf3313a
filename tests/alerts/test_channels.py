"""Every channel end to end against its local fake: what arrives, once, and what a failure looks like."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from otklik.alerts import check_alerts
from otklik.alerts.telegram import TelegramSender
from otklik.store.alert_tables import AlertDeliveryRow

from .conftest import BOT_TOKEN, NOW, add_item, profile_with, start_smtp

SECRET = "whsec-shared-Secret-42"


def _tg(telegram, **kw) -> dict:  # noqa: ANN001
    return {"type": "telegram", "chat_id": "-100777", "base_url": telegram.url, **kw}


def test_webhook_gets_signed_json_naming_each_late_item(engine, webhook, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_ALERT_WEBHOOK_SECRET", SECRET)
    add_item(engine, "wb-1", age=30)
    add_item(engine, "wb-2", age=20)
    report = check_alerts(engine, profile_with([{"type": "webhook", "url": webhook.url}]), now=NOW)
    assert report.errors == {}
    [req] = webhook.requests
    body = req["json"]
    assert {(a["item_id"], a["level"]) for a in body["alerts"]} == {("wb-1", "breach"), ("wb-2", "warning")}
    assert body["alerts"][0]["product"] == "Платье-рубашка из льна" and body["alerts"][0]["late_hours"] == 6.0
    assert "Отзыв wb-1" in body["text"] and body["business"] == "Лён и Хлопок"
    expected = "sha256=" + hmac.new(SECRET.encode(), req["raw"], hashlib.sha256).hexdigest()
    assert req["headers"]["X-Otklik-Signature"] == expected


def test_webhook_without_a_secret_is_sent_unsigned(engine, webhook) -> None:  # noqa: ANN001
    add_item(engine, "wb-1", age=30)
    check_alerts(engine, profile_with([{"type": "webhook", "url": webhook.url}]), now=NOW)
    assert "X-Otklik-Signature" not in webhook.requests[0]["headers"]


def test_telegram_message_and_no_second_send_on_rerun(engine, telegram, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", BOT_TOKEN)
    add_item(engine, "wb-9", age=21)
    prof = profile_with([_tg(telegram)])
    first = check_alerts(engine, prof, now=NOW)
    second = check_alerts(engine, prof, now=NOW + dt.timedelta(minutes=5))
    assert [o.status for o in first.outcomes] == ["sent"]
    assert second.outcomes[0].status == "nothing" and second.outcomes[0].already_sent == 1
    [text] = telegram.messages()
    assert "🟡 Отзыв wb-9 (wildberries) о товаре «Платье-рубашка из льна» ждёт ответа 21 час" in text
    assert telegram.requests[0]["json"]["chat_id"] == "-100777"
    # four hours later the same review is past the target: one breach, once
    check_alerts(engine, prof, now=NOW + dt.timedelta(hours=4))
    check_alerts(engine, prof, now=NOW + dt.timedelta(hours=4, minutes=1))
    assert len(telegram.messages()) == 2 and "опоздание 1 час" in telegram.messages()[1]


def test_telegram_429_is_waited_out_as_told(engine, telegram, monkeypatch) -> None:  # noqa: ANN001
    add_item(engine, "wb-9", age=30)
    prof = profile_with([_tg(telegram)])
    telegram.rate_limit = [3]
    waits: list[float] = []
    sender = TelegramSender(prof.alerts.channels[0], token=BOT_TOKEN, sleep=waits.append)
    report = check_alerts(engine, prof, now=NOW, senders={"telegram": sender})
    assert report.errors == {} and waits == [3.0] and len(telegram.messages()) == 1


def test_telegram_429_too_long_fails_now_and_retries_next_run(engine, telegram, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", BOT_TOKEN)
    add_item(engine, "wb-9", age=30)
    prof = profile_with([_tg(telegram, max_retry_wait=5)])
    telegram.rate_limit = [600]
    failed = check_alerts(engine, prof, now=NOW)
    assert failed.errors == {"telegram": "telegram: Telegram asks to wait 600 s (429 Too Many Requests); will retry next run"}
    retried = check_alerts(engine, prof, now=NOW + dt.timedelta(minutes=1))
    assert retried.outcomes[0].status == "sent" and len(telegram.messages()) == 1


def test_bad_token_is_reported_by_name_and_never_shown(engine, telegram, monkeypatch, caplog, db_url) -> None:  # noqa: ANN001
    wrong = "999999:WRONG-secret-token"
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", wrong)
    caplog.set_level(logging.DEBUG)
    add_item(engine, "wb-9", age=30)
    report = check_alerts(engine, profile_with([_tg(telegram)]), now=NOW)
    assert report.errors == {"telegram": "telegram: Telegram rejected the bot token (401 Unauthorized): check OTKLIK_TELEGRAM_TOKEN"}
    assert telegram.requests[0]["path"] == f"/bot{wrong}/sendMessage"  # it did go out, to the fake
    assert wrong not in caplog.text and "/bot***/sendMessage" in caplog.text  # httpx's request log, redacted
    with Session(engine) as s:
        stored = " ".join(f"{r.key} {r.error}" for r in s.scalars(select(AlertDeliveryRow)))
    assert "401" in stored and wrong not in stored


def test_unreachable_bot_api_error_hides_the_token(engine, monkeypatch, caplog) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", BOT_TOKEN)
    caplog.set_level(logging.DEBUG)
    add_item(engine, "wb-9", age=30)
    report = check_alerts(engine, profile_with([{"type": "telegram", "chat_id": "1", "base_url": "http://127.0.0.1:9"}]), now=NOW)
    assert report.errors["telegram"].startswith("telegram: Telegram Bot API unreachable (ConnectError")
    assert BOT_TOKEN not in report.errors["telegram"] and BOT_TOKEN not in caplog.text


def test_email_arrives_in_russian_with_the_items(engine, smtp_server) -> None:  # noqa: ANN001
    add_item(engine, "wb-3", age=48)
    prof = profile_with([{"type": "email", "host": smtp_server.host, "port": smtp_server.port, "starttls": False,
                          "sender": "otklik@len-hlopok.ru", "to": ["owner@len-hlopok.ru"]}])
    assert check_alerts(engine, prof, now=NOW).errors == {}
    [letter] = smtp_server.letters
    assert letter["Subject"] == "Otklik, Лён и Хлопок: просрочено — 1"
    assert letter["To"] == "owner@len-hlopok.ru"
    assert "Отзыв wb-3 (wildberries) о товаре «Платье-рубашка из льна» ждёт ответа 2 дня, срок — 24 часа, опоздание 24 часа." in letter.get_content()


def test_email_with_starttls_and_login(engine, tmp_path, monkeypatch, caplog) -> None:  # noqa: ANN001
    password = "smtp-Pa55-secret"
    monkeypatch.setenv("OTKLIK_SMTP_PASSWORD", password)
    caplog.set_level(logging.DEBUG)
    controller, server = start_smtp(tmp_path, tls=True, password=password)
    try:
        add_item(engine, "wb-3", age=30)
        channel = {"type": "email", "host": server.host, "port": server.port, "starttls": True, "ca_file": str(server.ca_file),
                   "username": "alerts@len-hlopok.ru", "sender": "alerts@len-hlopok.ru", "to": ["owner@len-hlopok.ru"]}
        assert check_alerts(engine, profile_with([channel]), now=NOW).errors == {}
        assert server.logins == [("alerts@len-hlopok.ru", password)] and len(server.letters) == 1
        # a wrong password: refused by the server, reported without the password
        monkeypatch.setenv("OTKLIK_SMTP_PASSWORD", "wrong-Pa55")
        add_item(engine, "wb-4", age=30)
        report = check_alerts(engine, profile_with([channel]), now=NOW)
        assert report.errors["email"] == "email: the SMTP server refused the login of alerts@len-hlopok.ru (code 535)"
        assert password not in caplog.text and "wrong-Pa55" not in caplog.text
    finally:
        controller.stop()


def test_starttls_required_by_config_but_not_offered_is_named(engine, smtp_server) -> None:  # noqa: ANN001
    add_item(engine, "wb-3", age=30)
    prof = profile_with([{"type": "email", "host": smtp_server.host, "port": smtp_server.port,
                          "sender": "a@b.ru", "to": ["c@d.ru"]}])  # starttls defaults to on
    assert "does not offer STARTTLS" in check_alerts(engine, prof, now=NOW).errors["email"]
    assert smtp_server.letters == []


def test_a_failing_channel_does_not_block_the_others_and_is_retried(engine, webhook, telegram, smtp_server, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", BOT_TOKEN)
    add_item(engine, "wb-1", age=30)
    prof = profile_with([
        {"type": "webhook", "name": "ops", "url": webhook.url},
        _tg(telegram),
        {"type": "email", "host": smtp_server.host, "port": smtp_server.port, "starttls": False, "sender": "a@b.ru", "to": ["c@d.ru"]},
    ])
    webhook.fail_with = 503
    first = check_alerts(engine, prof, now=NOW)
    assert {o.channel: o.status for o in first.outcomes} == {"ops": "failed", "telegram": "sent", "email": "sent"}
    assert first.errors == {"ops": "ops: webhook answered HTTP 503"}
    webhook.fail_with = None
    second = check_alerts(engine, prof, now=NOW + dt.timedelta(minutes=10))
    assert {o.channel: o.status for o in second.outcomes} == {"ops": "sent", "telegram": "nothing", "email": "nothing"}
    assert [r["ok"] for r in webhook.requests] == [False, True]
    assert len(telegram.messages()) == 1 and len(smtp_server.letters) == 1


def test_dry_run_sends_and_records_nothing(engine, webhook) -> None:  # noqa: ANN001
    add_item(engine, "wb-1", age=30)
    prof = profile_with([{"type": "webhook", "url": webhook.url}])
    dry = check_alerts(engine, prof, now=NOW, dry_run=True)
    assert dry.outcomes[0].status == "would_send" and [a.item_id for a in dry.outcomes[0].alerts] == ["wb-1"]
    assert webhook.requests == []
    assert check_alerts(engine, prof, now=NOW).outcomes[0].status == "sent" and len(webhook.requests) == 1


def test_missing_secret_fails_that_channel_only(engine, webhook, telegram) -> None:  # noqa: ANN001
    add_item(engine, "wb-1", age=30)
    report = check_alerts(engine, profile_with([_tg(telegram), {"type": "webhook", "url": webhook.url}]), now=NOW)
    assert report.errors == {"telegram": "telegram: no bot token: set OTKLIK_TELEGRAM_TOKEN"}
    assert telegram.requests == [] and len(webhook.requests) == 1


@pytest.mark.parametrize("bad", ["token", "password", "secret"])
def test_no_secret_field_is_accepted_in_the_profile(bad: str) -> None:
    from otklik.errors import ProfileError

    with pytest.raises(ProfileError, match=bad):
        profile_with([{"type": "webhook", "url": "http://x/", bad: "s3cr3t"}])
