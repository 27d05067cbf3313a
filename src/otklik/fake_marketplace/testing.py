"""Helpers for tests, demos and benchmarks: connectors pointed at a running fake marketplace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from otklik.fake_marketplace.server import FakeMarketplace
from otklik.sources.base import Connector, ConnectorConfig
from otklik.sources.ratelimit import Limit
from otklik.sources.registry import build_connector
from otklik.store.secrets import Secret

UNLIMITED = Limit.per_second(100_000, burst=100_000)


def fake_configs(fake: FakeMarketplace, *, fast: bool = False, **overrides: Any) -> list[ConnectorConfig]:
    """One account per marketplace on ``fake``; ``fast`` lifts client rate limits (pair with enforce_limits=False)."""
    c = fake.state.creds
    configs = [
        ConnectorConfig(name="wildberries", platform="wildberries", base_url=fake.url, api_key=Secret(c.wb_token)),
        ConnectorConfig(name="ozon", platform="ozon", base_url=fake.url, api_key=Secret(c.ozon_api_key), account_id=c.ozon_client_id),
        ConnectorConfig(name="yandex_market", platform="yandex_market", base_url=fake.url, api_key=Secret(c.ym_api_key),
                        account_id=c.ym_business_id, options={"rate_limit_wait": 0.2}),
    ]
    for cfg in configs:
        for key, value in overrides.items():
            setattr(cfg, key, value)
        if fast:
            cfg.limits = {"default": UNLIMITED, "feedbacks_questions": UNLIMITED,
                          **{k: UNLIMITED for k in ("goods-feedback", "goods-feedback/comments", "goods-feedback/comments/update",
                                                    "goods-questions", "goods-questions/answers", "goods-questions/update",
                                                    "offer-mappings")}}
    return configs


def fake_connectors(fake: FakeMarketplace, *, fast: bool = False, **overrides: Any) -> list[Connector]:
    return [build_connector(cfg) for cfg in fake_configs(fake, fast=fast, **overrides)]


class FakeClock:
    """Time that moves only when the code under test sleeps: connector retries tested without waiting."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds

    def recording(self, into: list[float]) -> Callable[[float], None]:
        """A sleep that also records each wait, to assert on back-off and retry-after."""

        def sleep(seconds: float) -> None:
            into.append(seconds)
            self.sleep(seconds)

        return sleep
