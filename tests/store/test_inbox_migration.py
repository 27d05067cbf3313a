"""Migration 0006 builds the inbox table from a store filled before it, matches the table model and
downgrades cleanly."""

from __future__ import annotations

import json
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from otklik.profile import load_profile
from otklik.store.db import alembic_config, open_store_engine
from otklik.store.tables import Base
from otklik.workflow import review
from otklik.workflow.drafting import draft_pending
from otklik.workflow.importing import import_file


def test_0006_backfills_matches_the_model_and_downgrades(db_url: str, tmp_path: Path) -> None:
    f = tmp_path / "rows.jsonl"
    f.write_text("".join(json.dumps({"id": f"m{i}", "text": t, "rating": r}, ensure_ascii=False) + "\n"
                         for i, (t, r) in enumerate([("Брак, дырка на рукаве", 1), ("Отличная рубашка", 5)])),
                 encoding="utf-8")
    engine = open_store_engine(db_url)
    import_file(engine, f)
    draft_pending(engine, load_profile())
    before = review.inbox(engine)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # the search indexes (pg_trgm on PostgreSQL, an FTS5 table on SQLite) are the database's own, not in the model
    ours = [d for d in diffs if ("inbox" in repr(d) or "ix_aspects" in repr(d))
            and "ix_inbox_haystack_trgm" not in repr(d) and "inbox_search" not in repr(d)]
    assert ours == []

    command.downgrade(alembic_config(engine), "0005")
    assert "inbox_entries" not in inspect(engine).get_table_names()
    command.upgrade(alembic_config(engine), "head")
    assert review.inbox(engine) == before and [e.item_id for e in before] == ["m0", "m1"]
    engine.dispose()
