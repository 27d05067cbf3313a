"""Russian notes the workflow shows a person (inbox, draft reasons, history), kept as YAML data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from otklik.datafiles import load_yaml_mapping
from otklik.errors import ConfigError

NOTES = Path(__file__).parent / "data" / "workflow.yaml"


@cache
def _notes() -> dict[str, str]:
    return {k: str(v) for k, v in load_yaml_mapping(NOTES, ConfigError, "workflow notes").items()}


def note(key: str, **values: object) -> str:
    """The note ``key`` with ``values`` filled in."""
    return _notes()[key].format(**values)
