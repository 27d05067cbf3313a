"""Seller accounts: store them (key encrypted), load them back and build their connectors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.errors import ConfigError
from otklik.sources.base import PLATFORMS, Connector, ConnectorConfig
from otklik.sources.ozon import OzonConnector
from otklik.sources.ratelimit import Limit
from otklik.sources.wildberries import WildberriesConnector
from otklik.sources.yandex_market import YandexMarketConnector
from otklik.store.secrets import Secret, SecretBox
from otklik.store.sync_tables import SourceCredentialRow
from otklik.store.tables import SourceRow

DEFAULT_BASE_URLS = {
    "ozon": "https://api-seller.ozon.ru",
    "wildberries": "https://feedbacks-api.wildberries.ru",
    "yandex_market": "https://api.partner.market.yandex.ru",
}
DEFAULT_POLL_SECONDS = {"ozon": 30.0, "wildberries": 30.0, "yandex_market": 30.0}  # 2 list calls per stream-poll: far inside every limit
CONNECTORS: dict[str, type[Connector]] = {
    "ozon": OzonConnector,
    "wildberries": WildberriesConnector,
    "yandex_market": YandexMarketConnector,
}
TITLES = {"ozon": "Ozon", "wildberries": "Wildberries", "yandex_market": "Яндекс Маркет"}


def add_source(
    engine: Engine,
    box: SecretBox,
    *,
    name: str,
    platform: str,
    api_key: Secret,
    base_url: str | None = None,
    account_id: str = "",
    poll_interval: float | None = None,
    options: dict[str, Any] | None = None,
    business_id: int | None = None,
) -> None:
    """Create or replace a seller account. The key is encrypted before it reaches the session.
    It belongs to ``business_id`` (None: a new account goes to the default business, an existing
    one keeps its own)."""
    if platform not in PLATFORMS:
        raise ConfigError(f"unknown platform '{platform}'; use one of: {', '.join(PLATFORMS)}")
    if platform in ("ozon", "yandex_market") and not account_id:
        what = "--client-id (Ozon Client-Id)" if platform == "ozon" else "--business-id (Yandex Market businessId)"
        raise ConfigError(f"{platform} needs {what}")
    now = datetime.now(UTC)
    with Session(engine) as s, s.begin():
        row = s.scalar(select(SourceCredentialRow).where(SourceCredentialRow.name == name))
        if row is None:
            row = SourceCredentialRow(name=name, created_at=now)
            s.add(row)
        row.platform = platform
        row.base_url = (base_url or DEFAULT_BASE_URLS[platform]).rstrip("/")
        row.account_id = str(account_id)
        row.api_key_encrypted = box.encrypt(api_key)
        row.poll_interval = float(poll_interval or DEFAULT_POLL_SECONDS[platform])
        row.options = dict(options or {})
        row.updated_at = now
        src = s.scalar(select(SourceRow).where(SourceRow.name == name))
        if src is None:
            src = SourceRow(name=name, platform=platform, title=TITLES[platform])
            s.add(src)
        else:
            src.platform = platform
        if business_id is not None:
            row.business_id = src.business_id = business_id


def list_sources(engine: Engine) -> list[dict[str, Any]]:
    """Accounts without their keys (safe to print)."""
    with Session(engine) as s:
        return [
            {"name": r.name, "platform": r.platform, "base_url": r.base_url, "account_id": r.account_id,
             "poll_interval": r.poll_interval, "business_id": r.business_id}
            for r in s.scalars(select(SourceCredentialRow).order_by(SourceCredentialRow.name))
        ]


def load_configs(engine: Engine, box: SecretBox, names: list[str] | None = None, *,
                 business_id: int | None = None) -> list[ConnectorConfig]:
    """The seller accounts named (all without names), of one business when ``business_id`` is given."""
    with Session(engine) as s:
        q = select(SourceCredentialRow).order_by(SourceCredentialRow.name)
        if business_id is not None:
            q = q.where(SourceCredentialRow.business_id == business_id)
        if names:
            q = q.where(SourceCredentialRow.name.in_(names))
        rows = list(s.scalars(q))
    if names:
        missing = sorted(set(names) - {r.name for r in rows})
        if missing:
            raise ConfigError(f"no source named {', '.join(missing)}; add it with `otklik source add`")
    return [config_from_row(r, box) for r in rows]


def config_from_row(row: SourceCredentialRow, box: SecretBox) -> ConnectorConfig:
    opts = dict(row.options or {})
    limits = {k: Limit(rate=float(v[0]), burst=float(v[1])) for k, v in (opts.pop("limits", None) or {}).items()}
    cfg = ConnectorConfig(
        name=row.name, platform=row.platform, base_url=row.base_url, api_key=box.decrypt(row.api_key_encrypted),
        account_id=row.account_id, limits=limits, options=opts,
    )
    cfg.options["poll_interval"] = row.poll_interval
    if "page_size" in opts:
        cfg.page_size = int(opts["page_size"])
    if "timeout" in opts:
        cfg.timeout = float(opts["timeout"])
    return cfg


def build_connector(config: ConnectorConfig, **kwargs: Any) -> Connector:
    try:
        cls = CONNECTORS[config.platform]
    except KeyError:
        raise ConfigError(f"unknown platform '{config.platform}'") from None
    return cls(config, **kwargs)
