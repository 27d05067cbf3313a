"""`otklik alerts check` as a person runs it."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.profile import bundled_profile_path

from .conftest import BOT_TOKEN, add_item

runner = CliRunner()


def _profile_file(tmp_path: Path, channels: list[dict]) -> Path:
    data = yaml.safe_load(bundled_profile_path("clothing").read_text(encoding="utf-8"))
    data["alerts"] = {"channels": channels}
    p = tmp_path / "shop.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_dry_run_shows_a_table_then_check_sends_once(engine, db_url, telegram, webhook, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", BOT_TOKEN)
    add_item(engine, "wb-771", age=30)
    prof = _profile_file(tmp_path, [{"type": "telegram", "chat_id": "-1001", "base_url": telegram.url},
                                    {"type": "webhook", "url": webhook.url}])
    args = ["alerts", "check", "--db", db_url, "--profile", str(prof)]
    dry = runner.invoke(app, [*args, "--dry-run"], env={"COLUMNS": "200"})
    assert dry.exit_code == 0, dry.output
    assert "dry run" in dry.output and "wildberries/wb-771 (no reply)" in dry.output
    assert "telegram: would send, webhook: would send" in dry.output
    assert telegram.requests == [] and webhook.requests == []
    sent = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert sent.exit_code == 0, sent.output
    assert "telegram (telegram): sent 1" in sent.output and "webhook (webhook): sent 1" in sent.output
    again = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert "telegram (telegram): nothing new · 1 already sent" in again.output
    assert len(telegram.messages()) == 1 and len(webhook.requests) == 1


def test_a_failed_channel_is_named_exits_1_and_shows_no_token(engine, db_url, telegram, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", "42:NOT-the-right-TOKEN")
    add_item(engine, "wb-771", age=30)
    prof = _profile_file(tmp_path, [{"type": "telegram", "chat_id": "-1001", "base_url": telegram.url}])
    res = runner.invoke(app, ["alerts", "check", "--db", db_url, "--profile", str(prof)], env={"COLUMNS": "200"})
    assert res.exit_code == 1
    assert "telegram (telegram): FAILED: Telegram rejected the bot token (401 Unauthorized): check OTKLIK_TELEGRAM_TOKEN" in res.output
    assert "NOT-the-right-TOKEN" not in res.output


def test_without_channels_it_says_how_to_add_them(engine, db_url) -> None:  # noqa: ANN001
    add_item(engine, "wb-771", age=30)
    res = runner.invoke(app, ["alerts", "check", "--db", db_url], env={"COLUMNS": "200"})
    assert res.exit_code == 0
    assert "no alert channels configured" in res.output and "1 past the 24 h target, 0 close to it" in res.output


def test_watch_cycle_sends_alerts_and_only_says_what_happened(engine, telegram, monkeypatch) -> None:  # noqa: ANN001
    """`otklik watch` calls this after every polling cycle."""
    from io import StringIO

    from rich.console import Console

    from otklik.cli.alerts_cmd import run_quietly

    from .conftest import profile_with

    monkeypatch.setenv("OTKLIK_TELEGRAM_TOKEN", BOT_TOKEN)
    add_item(engine, "wb-771", age=30)
    prof = profile_with([{"type": "telegram", "chat_id": "-1001", "base_url": telegram.url}])
    buf = StringIO()
    console = Console(file=buf, width=200)
    run_quietly(engine, prof, console)
    run_quietly(engine, prof, console)  # the next cycle: nothing new, nothing printed
    assert buf.getvalue() == "alerts: 1 sent to telegram\n" and len(telegram.messages()) == 1
