"""`otklik source add/list`, `sync` and `publish` from the command line, against the fake marketplace."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from otklik.cli.sync_cmd import app
from otklik.fake_marketplace import FakeMarketplace
from otklik.store.db import open_store_engine
from otklik.store.tables import ItemRow


def test_source_add_stores_the_key_encrypted_and_sync_uses_it(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OTKLIK_SECRET_KEY", Fernet.generate_key().decode())
    runner = CliRunner()
    with FakeMarketplace(seed=1, per_kind=2) as fake:
        token = fake.state.creds.wb_token
        monkeypatch.setenv("WB_TOKEN", token)
        added = runner.invoke(app, ["source", "add", "wildberries", "--platform", "wildberries", "--api-key-env", "WB_TOKEN",
                                    "--base-url", fake.url, "--db", db_url])
        assert added.exit_code == 0, added.output
        listed = runner.invoke(app, ["source", "list", "--db", db_url])
        assert "wildberries" in listed.output and token not in listed.output and token not in added.output
        synced = runner.invoke(app, ["sync", "wildberries", "--no-draft", "--db", db_url])
        assert synced.exit_code == 0, synced.output
    engine = open_store_engine(db_url)
    with engine.connect() as conn:
        assert token not in conn.execute(text("SELECT api_key_encrypted FROM source_credentials")).scalar_one()
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(ItemRow)) == 4


def test_missing_secret_key_is_a_clear_error(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("K", "abc")
    result = CliRunner().invoke(app, ["source", "add", "ozon", "--platform", "ozon", "--client-id", "1", "--api-key-env", "K", "--db", db_url])
    assert result.exit_code == 2 and "OTKLIK_SECRET_KEY" in result.output
