"""Web tests start from a store that already holds analysed items with drafted replies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from otklik.profile import BusinessProfile, load_profile
from otklik.store.db import open_store_engine
from otklik.workflow.drafting import draft_pending
from otklik.workflow.importing import import_file


@pytest.fixture
def seed_store(db_url: str, tmp_path: Path) -> Callable[[str], BusinessProfile]:
    """Import JSONL rows into the test database and draft them; returns the profile used."""

    def seed(rows: str) -> BusinessProfile:
        f = tmp_path / "seed.jsonl"
        f.write_text(rows, encoding="utf-8")
        engine = open_store_engine(db_url)
        profile = load_profile(None)
        import_file(engine, f)
        draft_pending(engine, profile)
        engine.dispose()
        return profile

    return seed
