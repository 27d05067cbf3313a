"""Shared analysers built once per session on the shipped model files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pytest

from otklik.domain import Analysis, Item
from otklik.profile import bundled_profile_path, load_profile
from otklik.understand import Analyzer

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def clothing() -> Analyzer:
    return Analyzer(load_profile(bundled_profile_path("clothing")))


@pytest.fixture(scope="session")
def restaurant() -> Analyzer:
    return Analyzer(load_profile(bundled_profile_path("restaurant")))


@pytest.fixture(scope="session")
def one(clothing: Analyzer) -> Callable[..., Analysis]:
    """Analyse a single item built from keyword arguments with the clothing profile."""

    def run(text: str = "", history: Sequence[Item] = (), **kw: object) -> Analysis:
        kw.setdefault("external_id", "x1")
        return clothing.analyze([Item(text=text, **kw)], now=NOW, history=history)[0]  # type: ignore[arg-type]

    return run
