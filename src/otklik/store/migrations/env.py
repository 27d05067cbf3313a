"""Alembic environment: the engine comes from the caller (otklik.store.db.upgrade)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from otklik.store import alert_tables, business_tables, sync_tables, tables  # noqa: F401 - registers tables on Base.metadata
from otklik.store.tables import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        engine = create_engine(url)
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run()
