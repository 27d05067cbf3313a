"""Small parsing helpers shared by the connectors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def parse_dt(value: Any) -> datetime | None:
    """An ISO-8601 string (with Z or an offset) as an aware datetime; naive values are taken as UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def as_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def dig(obj: Any, *keys: str, default: Any = None) -> Any:
    """obj[k1][k2]... tolerating None and missing keys."""
    for k in keys:
        if not isinstance(obj, dict):
            return default
        obj = obj.get(k)
        if obj is None:
            return default
    return obj
