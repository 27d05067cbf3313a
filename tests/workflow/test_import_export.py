"""Import is idempotent and all-or-nothing; export writes what is stored."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from otklik.errors import InputError
from otklik.store import repository as repo
from otklik.store.db import open_store_engine
from otklik.store.tables import ItemRow
from otklik.workflow.exporting import export_file
from otklik.workflow.importing import import_file


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_reimporting_the_same_file_adds_nothing(db_url: str, tmp_path: Path) -> None:
    engine = open_store_engine(db_url)
    f = _jsonl(tmp_path / "a.jsonl", [{"id": str(i), "text": f"отзыв {i}", "rating": 5} for i in range(5)])
    first = import_file(engine, f)
    second = import_file(engine, f)
    assert (first.added, second.added, second.unchanged) == (5, 0, 5)
    with Session(engine) as s:
        assert repo.count_items(s) == 5
    engine.dispose()


def test_bad_row_imports_nothing_and_keeps_what_was_stored(db_url: str, tmp_path: Path) -> None:
    engine = open_store_engine(db_url)
    import_file(engine, _jsonl(tmp_path / "old.jsonl", [{"id": "keep", "text": "старый отзыв", "rating": 4}]))
    bad = _jsonl(tmp_path / "new.jsonl", [
        {"id": "keep", "text": "ИЗМЕНЁННЫЙ текст", "rating": 1},
        {"id": "n1", "text": "новый", "rating": 5},
        {"id": "n2", "text": "плохая оценка", "rating": 9},
    ])
    with pytest.raises(InputError) as ei:
        import_file(engine, bad)
    assert ei.value.line == 3 and ei.value.field == "rating"
    with Session(engine) as s:
        rows = list(s.scalars(select(ItemRow)))
        assert [(r.external_id, r.text, r.rating) for r in rows] == [("keep", "старый отзыв", 4)]
    engine.dispose()


def test_export_formats_round_trip_and_neutralise_formulas(db_url: str, tmp_path: Path) -> None:
    engine = open_store_engine(db_url)
    import_file(engine, _jsonl(tmp_path / "a.jsonl", [
        {"id": "1", "text": "=HYPERLINK(\"http://evil\")", "rating": 1, "author": "Анна"},
        {"id": "2", "text": "Хорошая юбка", "rating": 5},
    ]))
    assert export_file(engine, tmp_path / "out.jsonl") == 2
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert rows[0]["text"].startswith("=HYPERLINK") and rows[1]["text"] == "Хорошая юбка"
    export_file(engine, tmp_path / "out.csv")
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as fh:
        csv_rows = list(csv.DictReader(fh))
    assert csv_rows[0]["text"].startswith("'=") and csv_rows[1]["author"] == ""
    export_file(engine, tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx").active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "id" and values[1][7].startswith("'=") and len(values) == 3
    with pytest.raises(InputError, match="unsupported export type"):
        export_file(engine, tmp_path / "out.pdf")
    engine.dispose()


def test_export_into_a_missing_folder_and_an_unknown_encoding_are_named_errors(db_url: str, tmp_path: Path) -> None:
    engine = open_store_engine(db_url)
    f = _jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "отзыв", "rating": 5}])
    with pytest.raises(InputError, match="does not exist") as err:
        export_file(engine, tmp_path / "нет" / "out.csv")
    assert "out.csv" in str(err.value)
    with pytest.raises(InputError, match="unknown text encoding 'bogus'") as err:
        import_file(engine, f, encoding="bogus")
    assert "a.jsonl" in str(err.value)
    with Session(engine) as s:
        assert repo.count_items(s) == 0, "nothing half-imported"
    engine.dispose()
