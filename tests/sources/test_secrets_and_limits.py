"""Keys never leak (reprs, errors, logs, the database) and the token buckets never exceed a limit."""

from __future__ import annotations

import logging

import httpx
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from otklik.errors import AuthError, ConfigError
from otklik.sources.base import ConnectorConfig
from otklik.sources.ratelimit import Limit, RateLimiter
from otklik.sources.registry import add_source, build_connector, load_configs
from otklik.store.db import open_store_engine
from otklik.store.secrets import Secret, SecretBox

KEY = "sk-live-9f8e7d6c5b4a3210"


def test_keys_are_encrypted_at_rest_and_decrypt_with_the_right_key_only(db_url: str) -> None:
    engine = open_store_engine(db_url)
    box = SecretBox(Fernet.generate_key().decode())
    add_source(engine, box, name="ozon", platform="ozon", api_key=Secret(KEY), account_id="42", base_url="http://127.0.0.1:1")
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT api_key_encrypted FROM source_credentials")).scalar_one()
    assert KEY not in stored
    (cfg,) = load_configs(engine, box)
    assert cfg.api_key.reveal() == KEY and cfg.account_id == "42"
    with pytest.raises(ConfigError, match="cannot be decrypted"):
        load_configs(engine, SecretBox(Fernet.generate_key().decode()))
    with pytest.raises(ConfigError, match="OTKLIK_SECRET_KEY"):
        SecretBox(None)


def test_key_is_absent_from_reprs_errors_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/api/v1/feedbacks":
            return httpx.Response(503)
        return httpx.Response(401, json={"title": "unauthorized", "detail": f"token {KEY} is invalid"})

    cfg = ConnectorConfig(name="wb", platform="wildberries", base_url="https://wb.test", api_key=Secret(KEY), max_attempts=2)
    conn = build_connector(cfg, transport=httpx.MockTransport(handler), sleep=lambda s: None)
    caplog.set_level(logging.DEBUG)
    for obj in (cfg, cfg.api_key, conn):
        assert KEY not in repr(obj) and KEY not in str(obj) and KEY not in f"{obj}"
    with pytest.raises(Exception) as transient:
        list(conn.list_new("feedbacks", {}))
    with pytest.raises(AuthError) as auth:
        list(conn.list_new("questions", {}))
    for exc in (transient.value, auth.value):
        assert KEY not in str(exc) and KEY not in repr(exc)
    assert "feedbacks" in caplog.text  # the retry was logged...
    assert KEY not in caplog.text  # ...without the key


def test_bucket_keeps_wildberries_to_3_rps_with_burst_6() -> None:
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    stamps = []
    for _ in range(36):
        limiter.acquire("wb:feedbacks_questions", Limit.per_second(3, burst=6))
        stamps.append(clock[0])
    assert stamps[5] == 0.0  # the burst goes out at once
    assert stamps[-1] == pytest.approx((36 - 6) / 3, abs=0.01)
    for i, t in enumerate(stamps):  # in any 1-second window: at most burst + rate requests
        assert sum(1 for u in stamps[i:] if u < t + 1.0) <= 9


def test_hourly_bucket_never_exceeds_the_hourly_limit_in_any_window() -> None:
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    stamps = []
    for _ in range(300):
        limiter.acquire("ym:goods-questions/update", Limit.hourly(100))
        stamps.append(clock[0])
    for i, t in enumerate(stamps):
        assert sum(1 for u in stamps[i:] if u < t + 3600) <= 100


def test_a_429_blocks_the_bucket_for_the_announced_time() -> None:
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0], sleep=lambda s: clock.__setitem__(0, clock[0] + s))
    limit = Limit.per_second(50)
    limiter.acquire("ozon:default", limit)
    limiter.penalize("ozon:default", limit, 5.0)
    limiter.acquire("ozon:default", limit)
    assert clock[0] >= 5.0
