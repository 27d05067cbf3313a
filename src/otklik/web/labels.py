"""Russian words for what the store keeps as ids (statuses, kinds, aspects, history notes), for the
item card and the bulk approval page. The words are data (data/card.yaml, the aspect taxonomy and
the business's own aspects), not code."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from otklik.datafiles import load_yaml_mapping
from otklik.errors import ConfigError
from otklik.profile import BusinessProfile
from otklik.understand.resources import read_yaml

CARD_WORDS = Path(__file__).resolve().parent.parent / "data" / "card.yaml"


@cache
def _words() -> dict[str, dict[str, str]]:
    data = load_yaml_mapping(CARD_WORDS, ConfigError, "card words")
    return {k: {str(a): str(b) for a, b in v.items()} for k, v in data.items()}


@cache
def _taxonomy_names() -> dict[str, str]:
    return {str(a["id"]): str(a["name"]) for a in read_yaml("taxonomy.yaml").get("aspects", [])}


class Labels:
    """What the templates call: ``labels.status('draft')`` → «черновик»; unknown ids pass through."""

    def __init__(self, profile: BusinessProfile) -> None:
        self.aspects = {**_taxonomy_names(), **{a.id: a.name for a in profile.aspects}}

    def word(self, group: str, key: str | None) -> str:
        return _words().get(group, {}).get(str(key), str(key or ""))

    def status(self, key: str) -> str:
        return self.word("status", key)

    def aspect(self, key: str) -> str:
        return self.aspects.get(key, key)

    def actor(self, who: str) -> str:
        """«human:anna» → «anna»; Otklik's own steps by name."""
        return who.removeprefix("human:") if who.startswith("human:") else self.word("actor", who)

    def note(self, text: str) -> str:
        for english, russian in _words().get("notes", {}).items():
            if text == english or (english.endswith(" ") and text.startswith(english)):
                return russian + text[len(english):]
        return text

    @staticmethod
    def when(at: datetime | None) -> str:
        if at is None:
            return "—"
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return at.astimezone(UTC).strftime("%d.%m.%Y %H:%M UTC")
