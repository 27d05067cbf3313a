"""The ``alerts:`` section of the business profile: which channels get SLA alerts, and how.

Only non-secret settings live here (the profile is a file people share and commit). Secrets come
from environment variables named by each channel (``secret_env``, ``password_env``, ``token_env``);
an unknown key such as ``token:`` is refused, so a secret cannot be put in the YAML by mistake.
This module imports nothing from Otklik, so the profile can embed it without an import cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_WEBHOOK_SECRET_ENV = "OTKLIK_ALERT_WEBHOOK_SECRET"
DEFAULT_SMTP_PASSWORD_ENV = "OTKLIK_SMTP_PASSWORD"
DEFAULT_TELEGRAM_TOKEN_ENV = "OTKLIK_TELEGRAM_TOKEN"
TELEGRAM_API = "https://api.telegram.org"


class _Channel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(default="", max_length=64, description="shown in reports and recorded per alert; defaults to the type")
    timeout: float = Field(default=10.0, gt=0, le=120, description="seconds before the channel counts as failed")


class WebhookChannel(_Channel):
    """HTTP POST of a JSON body; signed with HMAC-SHA256 when the shared secret is set."""

    type: Literal["webhook"]
    url: str = Field(pattern=r"^https?://", description="where the JSON is POSTed")
    secret_env: str = Field(default=DEFAULT_WEBHOOK_SECRET_ENV, description="env var with the shared signing secret")
    headers: dict[str, str] = Field(default_factory=dict, description="extra non-secret headers")


class EmailChannel(_Channel):
    """A plain-text letter through an SMTP server (STARTTLS and login optional)."""

    type: Literal["email"]
    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = Field(default=True, description="upgrade the connection with STARTTLS before anything is sent")
    ssl: bool = Field(default=False, description="implicit TLS from the first byte (port 465); excludes starttls")
    ca_file: Path | None = Field(default=None, description="CA bundle to trust for the server's certificate")
    username: str | None = Field(default=None, description="log in as this user; the password is read from password_env")
    password_env: str = Field(default=DEFAULT_SMTP_PASSWORD_ENV)
    sender: str = Field(min_length=3, description="From: address")
    to: list[str] = Field(min_length=1, description="recipients")

    @model_validator(mode="after")
    def _one_tls_mode(self) -> EmailChannel:
        if self.ssl and self.starttls:
            raise ValueError("choose ssl (implicit TLS) or starttls, not both")
        return self


class TelegramChannel(_Channel):
    """A message from a Telegram bot to a chat (Bot API sendMessage)."""

    type: Literal["telegram"]
    chat_id: str = Field(min_length=1, description="chat, group (-100…) or @channel the bot writes to")
    token_env: str = Field(default=DEFAULT_TELEGRAM_TOKEN_ENV, description="env var with the bot token")
    base_url: str = Field(default=TELEGRAM_API, pattern=r"^https?://", description="Bot API host (a local fake in tests)")
    max_retry_wait: float = Field(default=30.0, ge=0, description="longest 429 retry_after waited out once")

    @field_validator("chat_id", mode="before")
    @classmethod
    def _chat_as_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int) else v


Channel = Annotated[WebhookChannel | EmailChannel | TelegramChannel, Field(discriminator="type")]


class AlertsConfig(BaseModel):
    """When to alert and where. ``warn_at`` is the share of the reply target after which a warning goes out."""

    model_config = ConfigDict(extra="forbid")

    warn_at: float = Field(default=0.8, gt=0, lt=1, description="warn when an item has waited this share of reply_target_hours")
    include_cases: bool = Field(default=True, description="also alert on open complaint cases past the target")
    inbox_url: str | None = Field(default=None, description="link to the web inbox, added to every message")
    max_listed: int = Field(default=20, ge=1, le=200, description="items named in one message; the rest are counted")
    channels: list[Channel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_names(self) -> AlertsConfig:
        seen: set[str] = set()
        for i, ch in enumerate(self.channels):
            if not ch.name:
                ch.name = ch.type if ch.type not in seen else f"{ch.type}-{i + 1}"
            if ch.name in seen:
                raise ValueError(f"channels.{i}.name: '{ch.name}' is used twice; give each channel its own name")
            seen.add(ch.name)
        return self
