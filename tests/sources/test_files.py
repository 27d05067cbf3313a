"""Reading items from files: every bad row is named by file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from otklik.domain import ItemKind
from otklik.errors import InputError
from otklik.sources.files import read_items


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_jsonl_reads_all_fields(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "1", "text": "Отличная рубашка", "rating": 5, "author": "Анна", "product": "Рубашка",
         "kind": "review", "created_at": "2026-11-20T10:00:00+03:00", "source": "ozon"},
        {"id": "2", "text": "Когда будет 44 размер?", "kind": "question"},
    ])
    items = read_items(p)
    assert [i.external_id for i in items] == ["1", "2"]
    assert items[0].rating == 5 and items[0].source == "ozon" and items[0].author == "Анна"
    assert items[0].created_at is not None and items[0].created_at.utcoffset().total_seconds() == 3 * 3600
    assert items[1].kind is ItemKind.QUESTION and items[1].rating is None


def test_csv_cabinet_export_with_russian_headers_and_semicolons(tmp_path: Path) -> None:
    p = tmp_path / "wb.csv"
    p.write_text(
        'ID отзыва;Оценка;Текст отзыва;Имя;Товар;Дата\n'
        'a1;4;"Хорошая, но ""маломерит""";Мария;Рубашка оверсайз;21.11.2026 10:15\n',
        encoding="utf-8-sig",
    )
    [item] = read_items(p)
    assert item.external_id == "a1" and item.rating == 4
    assert item.text == 'Хорошая, но "маломерит"'
    assert item.author == "Мария" and item.product == "Рубашка оверсайз"
    assert item.created_at is not None and item.created_at.day == 21


def test_bundled_demo_csv_reads(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[2] / "src/otklik/data/demo/items.csv"
    items = read_items(demo)
    assert len(items) == 12 and all(i.external_id for i in items)


def test_xlsx(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "text", "rating", "author"])
    ws.append(["x1", "Пришла с дыркой", 1, "Олег"])
    ws.append([None, None, None, None])
    ws.append(["x2", "Всё супер", 5.0, None])
    p = tmp_path / "in.xlsx"
    wb.save(p)
    items = read_items(p)
    assert [(i.external_id, i.rating) for i in items] == [("x1", 1), ("x2", 5)]


@pytest.mark.parametrize(
    ("row", "field", "fragment"),
    [
        ({"id": "1", "text": "ok", "rating": 7}, "rating", "1 to 5"),
        ({"id": "1", "text": "ok", "rating": "пять"}, "rating", "1 to 5"),
        ({"id": "1", "text": "ok", "rating": 3.5}, "rating", "1 to 5"),
        ({"text": "без id", "rating": 3}, "id", "missing id"),
        ({"id": "  ", "text": "пустой id"}, "id", "missing id"),
        ({"id": "1"}, "text", "needs text or rating"),
        ({"id": "1", "text": "x", "kind": "complaint"}, "kind", "'review' or 'question'"),
        ({"id": "1", "text": "x", "created_at": "вчера"}, "created_at", "not a date"),
        ({"id": "1", "text": "x", "source": "avito-scraper"}, "source", "unknown source"),
        ({"id": "1", "text": {"nested": 1}}, "text", "must be text"),
    ],
)
def test_bad_rows_name_file_line_and_field(tmp_path: Path, row: dict, field: str, fragment: str) -> None:
    p = write_jsonl(tmp_path / "bad.jsonl", [{"id": "0", "text": "хорошая строка", "rating": 5}, row])
    with pytest.raises(InputError) as ei:
        read_items(p)
    err = ei.value
    assert err.line == 2 and err.field == field and err.file == str(p)
    assert fragment in str(err) and "bad.jsonl" in str(err) and "line 2" in str(err)


def test_ten_megabyte_text_is_refused_with_its_size(tmp_path: Path) -> None:
    p = write_jsonl(tmp_path / "big.jsonl", [{"id": "1", "text": "а" * 10_000_000}])
    with pytest.raises(InputError) as ei:
        read_items(p)
    assert ei.value.field == "text" and ei.value.line == 1 and "10,000,000" in str(ei.value)


def test_broken_encoding_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "enc.jsonl"
    good = json.dumps({"id": "1", "text": "нормально"}, ensure_ascii=False).encode()
    bad = json.dumps({"id": "2", "text": "плохо"}, ensure_ascii=False).encode("utf-8").replace("плохо".encode(), "плохо".encode("cp1251"))
    p.write_bytes(good + b"\n" + bad + b"\n")
    with pytest.raises(InputError) as ei:
        read_items(p)
    assert ei.value.line == 2 and "encoding" in str(ei.value) and "--encoding cp1251" in str(ei.value)


def test_cp1251_csv_reads_with_explicit_encoding(tmp_path: Path) -> None:
    p = tmp_path / "old.csv"
    p.write_bytes("id,text,rating\n1,Не подошёл размер,2\n".encode("cp1251"))
    with pytest.raises(InputError):
        read_items(p)
    [item] = read_items(p, encoding="cp1251")
    assert item.text == "Не подошёл размер"


def test_malformed_json_and_duplicates(tmp_path: Path) -> None:
    p = tmp_path / "m.jsonl"
    p.write_text('{"id": "1", "text": "ok"}\n{"id": "2", "text": \n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2: not valid JSON"):
        read_items(p)
    p.write_text('{"id": "1", "text": "ok"}\n{"id": "1", "text": "again"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="duplicate id '1' \\(first on line 1\\)"):
        read_items(p)


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type"):
        read_items(tmp_path / "x.txt") if (tmp_path / "x.txt").write_text("x") else None
    with pytest.raises(InputError, match="file not found"):
        read_items(tmp_path / "nope.jsonl")
    p = tmp_path / "noid.csv"
    p.write_text("text,rating\nхорошо,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="no id column"):
        read_items(p)
