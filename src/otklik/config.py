"""Settings, built on demand from the environment (prefix OTKLIK_). Nothing is built at import."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_FILE = "otklik.db"


class Settings(BaseSettings):
    """Every setting Otklik reads, with its help text. Env: OTKLIK_<NAME>."""

    model_config = SettingsConfigDict(env_prefix="OTKLIK_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_DB_FILE}",
        description="SQLAlchemy URL of the store; SQLite file by default, PostgreSQL in production "
        "(postgresql+psycopg://user@host:5432/db)",
    )
    profile: Path | None = Field(default=None, description="business profile YAML; bundled clothing example if unset")
    secret_key: SecretStr | None = Field(
        default=None, description="key that encrypts marketplace credentials at rest (Fernet, urlsafe base64)"
    )
    llm_url: str | None = Field(default=None, description="OpenAI-compatible endpoint base URL, e.g. http://127.0.0.1:8000/v1")
    llm_model: str | None = Field(default=None, description="model name for the LLM backend")
    llm_api_key: SecretStr | None = Field(default=None, description="API key for the LLM backend")
    llm_timeout: float = Field(default=20.0, description="seconds before the LLM backend falls back to the composer")


def get_settings(**overrides: object) -> Settings:
    """Build settings now (from env), with explicit overrides from the CLI."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
