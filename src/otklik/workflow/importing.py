"""Import a file into the store: validated whole first, then written in one transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from otklik.errors import StoreError
from otklik.sources.files import read_items
from otklik.store.repository import UpsertResult, upsert_items


def import_file(engine: Engine, path: str | Path, *, encoding: str = "utf-8", source: str = "file") -> UpsertResult:
    """All-or-nothing per file: a bad row raises InputError before anything is written."""
    items = read_items(path, encoding=encoding, default_source=source)
    try:
        with Session(engine) as session, session.begin():
            return upsert_items(session, items)
    except SQLAlchemyError as exc:
        raise StoreError(f"{path}: could not store the items, nothing was imported: {exc}") from exc
