"""Reading the YAML data files that ship beside the code (phrase banks, taxonomies, column maps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from otklik.errors import OtklikError


def load_yaml_mapping(path: Path, error: type[OtklikError], what: str) -> dict[str, Any]:
    """The mapping in ``path``; a missing, broken or non-mapping file raises ``error`` naming it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{what} {path} is unreadable: {exc}") from exc
    if not isinstance(data, dict):
        raise error(f"{what} {path} must hold a mapping")
    return data
