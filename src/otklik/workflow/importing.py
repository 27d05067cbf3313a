"""Import a file into the store: streamed row by row, written in one transaction.

The file is read in chunks, so a 50 MB cabinet export takes bounded memory; every chunk goes into
the same transaction, so a bad row anywhere (line 200,000 included) leaves the store untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from otklik.errors import StoreError
from otklik.sources.files import ItemFile
from otklik.store.repository import UpsertResult, upsert_items

CHUNK = 1000
Progress = Callable[[int, int], None]  # (bytes read, file size)


def import_file(
    engine: Engine,
    path: str | Path,
    *,
    encoding: str = "utf-8",
    source: str = "file",
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    business_id: int | None = None,
) -> UpsertResult:
    """All-or-nothing per file: a bad row raises InputError and nothing is written. The items go to
    ``business_id`` (None: the default business)."""
    stream = ItemFile(path, encoding=encoding, default_source=source, mapping=mapping)
    total = UpsertResult()
    items = iter(stream)
    try:
        with Session(engine) as session, session.begin():
            while chunk := list(islice(items, CHUNK)):
                res = upsert_items(session, chunk, business_id=business_id)
                total.added, total.updated, total.unchanged = (
                    total.added + res.added, total.updated + res.updated, total.unchanged + res.unchanged)
                session.expunge_all()  # the rows are flushed; keep the session's memory flat
                if progress:
                    progress(stream.done, stream.total)
    except SQLAlchemyError as exc:
        raise StoreError(f"{path}: could not store the items, nothing was imported: {exc}") from exc
    if progress:
        progress(stream.total, stream.total)
    return total
