"""Marketplace keys at rest: Fernet-encrypted with OTKLIK_SECRET_KEY, never shown in clear.

``Secret`` wraps a key in memory so that reprs, f-strings in errors and log records print ``***``;
only the connector asks for the clear value, right where it builds a request header.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from otklik.errors import ConfigError

MASK = "***"


class Secret:
    """A string that refuses to show itself; ``reveal()`` is the only way to the clear value."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("secret", self._value))

    def __reduce__(self):  # pragma: no cover - pickling would write the key somewhere
        raise TypeError("Secret cannot be pickled")


def generate_key() -> str:
    """A new key for OTKLIK_SECRET_KEY."""
    return Fernet.generate_key().decode()


class SecretBox:
    """Encrypts and decrypts credentials with the installation's key."""

    def __init__(self, key: str | Secret | None) -> None:
        raw = key.reveal() if isinstance(key, Secret) else key
        if not raw:
            raise ConfigError(
                "OTKLIK_SECRET_KEY is not set: marketplace keys are stored encrypted. "
                "Create one with `python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
            )
        try:
            self._fernet = Fernet(raw.encode() if isinstance(raw, str) else raw)
        except (ValueError, TypeError):
            raise ConfigError("OTKLIK_SECRET_KEY is not a valid Fernet key (32 url-safe base64 bytes)") from None

    @classmethod
    def from_settings(cls, settings: object) -> SecretBox:
        key = getattr(settings, "secret_key", None)
        return cls(key.get_secret_value() if key is not None else None)

    def encrypt(self, value: str | Secret) -> str:
        raw = value.reveal() if isinstance(value, Secret) else value
        return self._fernet.encrypt(raw.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> Secret:
        try:
            return Secret(self._fernet.decrypt(token.encode("ascii")).decode("utf-8"))
        except InvalidToken:
            raise ConfigError(
                "a stored marketplace key cannot be decrypted: OTKLIK_SECRET_KEY differs from the key used to store it"
            ) from None

    def __repr__(self) -> str:
        return f"SecretBox({MASK})"


def redact(text: str, *secrets: Secret | str | None) -> str:
    """``text`` with every given secret value replaced by ``***`` (for messages built from responses)."""
    for s in secrets:
        raw = s.reveal() if isinstance(s, Secret) else s
        if raw and len(raw) >= 4:
            text = text.replace(raw, MASK)
    return text
