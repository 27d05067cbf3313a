"""The Russian text of an alert: one message per channel and run, naming each item, its product and how late.

One digest per run rather than one message per item: a morning with thirty late reviews is one
Telegram message, not thirty (and stays inside the Bot API's rate limits). The phrases are data
(``data/messages.yaml``); this module only fills them in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from otklik.alerts.overdue import Alert

PHRASES = Path(__file__).parent / "data" / "messages.yaml"


@cache
def phrases() -> dict[str, Any]:
    return yaml.safe_load(PHRASES.read_text(encoding="utf-8"))


def plural(n: int, word: str) -> str:
    """«1 час», «3 часа», «11 часов», «21 час»."""
    one, few, many = phrases()["plural"][word]
    n10, n100 = n % 10, n % 100
    form = one if n10 == 1 and n100 != 11 else few if 2 <= n10 <= 4 and not 12 <= n100 <= 14 else many
    return f"{n} {form}"


def duration(hours: float) -> str:
    """Hours as a person says them: «40 минут», «5 часов», «2 дня 3 часа»."""
    minutes = round(abs(hours) * 60)
    if minutes < 1:
        return phrases()["less_than_minute"]
    if minutes < 60:
        return plural(minutes, "minute")
    whole = round(abs(hours))
    if whole < 48:
        return plural(whole, "hour")
    days, rest = divmod(whole, 24)
    return plural(days, "day") + (f" {plural(rest, 'hour')}" if rest else "")


@dataclass(slots=True)
class Message:
    """What every channel sends: a subject (e-mail), a text and the alerts themselves (webhook JSON)."""

    subject: str
    text: str
    alerts: list[Alert] = field(default_factory=list)
    business: str = ""


def _counts(alerts: Sequence[Alert]) -> str:
    p = phrases()["counts"]
    parts = []
    for level in ("breach", "warning"):
        n = sum(1 for a in alerts if a.level == level)
        if n:
            parts.append(p[level].format(n=n))
    return ", ".join(parts)


def alert_line(alert: Alert) -> str:
    p = phrases()
    kind = p["kinds"].get(alert.item_kind, p["kinds"]["review"])
    return p["line"][alert.kind][alert.level].format(
        kind=kind["nom"], kind_prep=kind["prep"], item_id=alert.item_id, source=alert.source,
        product=p["product"].format(product=alert.product) if alert.product else "",
        age=duration(alert.age_hours), target=duration(alert.target_hours),
        late=duration(alert.late_hours), left=duration(-alert.late_hours),
    )


def format_message(alerts: Sequence[Alert], *, business: str, max_listed: int = 20,
                   inbox_url: str | None = None, max_chars: int | None = None) -> Message:
    """The digest of ``alerts`` (breaches first). ``max_chars`` cuts the list, never a line."""
    p = phrases()
    ordered = sorted(alerts, key=lambda a: (a.level != "breach", -a.age_hours, a.key))
    target = duration(ordered[0].target_hours) if ordered else ""
    head = p["title"].format(business=business, counts=_counts(ordered), target=target)
    tail = [p["inbox"].format(url=inbox_url)] if inbox_url else []
    lines = [head, ""]
    listed = 0
    for a in ordered[:max_listed]:
        block = [alert_line(a)] + ([p["quote"].format(excerpt=a.excerpt)] if a.excerpt else [])
        more = p["more"].format(n=len(ordered) - listed - 1, total=len(ordered))
        candidate = "\n".join(lines + block + [more] + tail)
        if max_chars is not None and listed and len(candidate) > max_chars:
            break
        lines += block
        listed += 1
    if listed < len(ordered):
        lines.append(p["more"].format(n=len(ordered) - listed, total=len(ordered)))
    if tail:
        lines += ["", *tail]
    text = "\n".join(lines)
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return Message(subject=p["subject"].format(business=business, counts=_counts(ordered)), text=text,
                   alerts=list(ordered), business=business)
