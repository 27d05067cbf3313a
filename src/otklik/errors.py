"""One exception tree for Otklik.

    OtklikError
    ├── ConfigError            settings or environment are wrong
    ├── ProfileError           the business profile YAML is invalid (names the field)
    ├── InputError             a file row is bad (names file, line and field)
    ├── StoreError             the database refused or is out of date
    ├── ModelError             a shipped model file is missing or broken
    ├── ComposeError           no reply could be composed
    ├── LLMError               the optional LLM backend failed (caller falls back)
    ├── WorkflowError          a workflow step is not allowed now (e.g. approving a published reply)
    ├── AlertError             an SLA alert channel failed (names the channel; secrets redacted)
    └── ConnectorError         a marketplace API call failed
        ├── AuthError          credentials rejected (401/403)
        ├── RateLimitedError   429/420: carries ``retry_after`` seconds
        └── TransientError     5xx, timeouts, dropped connections: safe to retry

Errors of libraries below us are translated at the edge (``raise InputError(...) from exc``).
"""

from __future__ import annotations

from pathlib import Path


class OtklikError(Exception):
    """Base of every error Otklik raises on purpose."""


class ConfigError(OtklikError):
    """Settings or environment are not usable."""


class ProfileError(OtklikError):
    """The business profile is invalid; the message names the file and the field. ``fields`` holds
    (field path, problem) pairs when the validator found them, for a message in another language."""

    def __init__(self, message: str, *, fields: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.fields = list(fields or [])


class InputError(OtklikError):
    """A row of an input file is bad. Carries where, so a user can fix it."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        where = []
        if self.file:
            where.append(self.file)
        if line is not None:
            where.append(f"line {line}")
        if field:
            where.append(f"field '{field}'")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class StoreError(OtklikError):
    """The store could not do what was asked."""


class ModelError(OtklikError):
    """A model file is missing, unreadable or of the wrong version."""


class ComposeError(OtklikError):
    """No reply could be composed for an item."""


class LLMError(OtklikError):
    """The LLM backend failed, timed out or answered out of contract."""


class WorkflowError(OtklikError):
    """A workflow step is not allowed in the item's current state.

    The message is for the command line; ``ru`` says the same to a person in the web inbox, in full.
    """

    def __init__(self, message: str, *, ru: str | None = None) -> None:
        self.ru = ru or message
        super().__init__(message)


class AlertError(OtklikError):
    """An alert channel could not deliver; the message names the channel and never holds a secret."""

    def __init__(self, channel: str, message: str) -> None:
        self.channel = channel
        super().__init__(f"{channel}: {message}")


class ConnectorError(OtklikError):
    """A marketplace API call failed."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        self.status = status
        super().__init__(message)


class AuthError(ConnectorError):
    """The marketplace rejected the credentials."""


class RateLimitedError(ConnectorError):
    """The marketplace asked us to slow down."""

    def __init__(self, message: str, *, retry_after: float, status: int | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message, status=status)


class TransientError(ConnectorError):
    """A failure that is safe to retry (5xx, timeout, dropped connection)."""
