"""Cabinet exports as sellers have them: unknown columns refused (never guessed), mapped with
--map, irrelevant ones ignored, the seller's own answer read, title rows above the header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.errors import InputError
from otklik.sources.files import parse_mapping, read_items

runner = CliRunner()
UNKNOWN = ("ID отзыва;Оценка;Комментарий покупателя;Имя\n"
           "a1;1;Пришла с дыркой на рукаве, верните деньги;Олег\n"
           "a2;5;Отличная рубашка, сидит идеально;Анна\n")


def flat(output: str) -> str:
    return " ".join(output.split())


def test_an_unknown_column_stops_the_import_naming_the_file_and_the_column(tmp_path: Path) -> None:
    p = tmp_path / "ozon.csv"
    p.write_text(UNKNOWN, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_items(p)
    msg = str(err.value)
    assert "ozon.csv" in msg and "«Комментарий покупателя»" in msg
    assert '--map "Комментарий покупателя=text"' in msg
    assert "Текст отзыва" in msg and "ID отзыва" in msg, "the known columns are listed"
    db = f"sqlite:///{tmp_path / 's.db'}"
    res = runner.invoke(app, ["import", str(p), "--db", db])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "Комментарий покупателя" in flat(res.output)
    res = runner.invoke(app, ["draft", str(p)])
    assert res.exit_code == 2 and res.stdout == "", "no replies drafted for texts that were never read"


def test_mapping_the_column_reads_the_text(tmp_path: Path) -> None:
    p = tmp_path / "ozon.csv"
    p.write_text(UNKNOWN, encoding="utf-8")
    items = read_items(p, mapping=parse_mapping(["Комментарий покупателя=text"]))
    assert items[0].text == "Пришла с дыркой на рукаве, верните деньги"
    res = runner.invoke(app, ["analyze", str(p), "--map", "Комментарий покупателя=text"])
    assert res.exit_code == 0, res.output
    recs = [json.loads(x) for x in res.stdout.splitlines()]
    assert recs[0]["problem"] is True and recs[1]["sentiment"] == "positive"
    db = f"sqlite:///{tmp_path / 's.db'}"
    res = runner.invoke(app, ["import", str(p), "--db", db, "--map", "Комментарий покупателя=text"])
    assert res.exit_code == 0 and "2 added" in res.output


def test_bad_mappings_are_named(tmp_path: Path) -> None:
    p = tmp_path / "ozon.csv"
    p.write_text(UNKNOWN, encoding="utf-8")
    with pytest.raises(InputError, match="unknown field 'txt'"):
        parse_mapping(["Комментарий покупателя=txt"])
    with pytest.raises(InputError, match="Column name=field"):
        parse_mapping(["Комментарий покупателя"])
    with pytest.raises(InputError, match="«отзыв клиента».*does not have"):
        read_items(p, mapping=parse_mapping(["Отзыв клиента=text"]))
    two = tmp_path / "two.csv"
    two.write_text("id,Отзыв,Текст отзыва\n1,а,б\n", encoding="utf-8")
    with pytest.raises(InputError, match="«Отзыв» and «Текст отзыва» both mean 'text'"):
        read_items(two)
    assert read_items(two, mapping=parse_mapping(["Отзыв=ignore"]))[0].text == "б"


def test_columns_known_to_be_irrelevant_are_skipped(tmp_path: Path) -> None:
    p = tmp_path / "wb.csv"
    p.write_text("Номер отзыва;Оценка;Текст отзыва;Бренд;Размер;Цвет\nw1;4;Хорошая, но маломерит;Лён и Хлопок;46;белый\n",
                 encoding="utf-8")
    [item] = read_items(p)
    assert item.text == "Хорошая, но маломерит" and item.rating == 4


def test_items_the_seller_already_answered_get_no_new_draft(tmp_path: Path) -> None:
    p = tmp_path / "wb.csv"
    p.write_text("Номер отзыва;Оценка;Текст отзыва;Имя;Ответ продавца\n"
                 "w1;5;Отличная рубашка, сидит идеально;Анна;Анна, спасибо! Носите с удовольствием.\n"
                 "w2;2;Маломерит на размер;Мария;\n", encoding="utf-8")
    res = runner.invoke(app, ["draft", str(p)])
    assert res.exit_code == 0, res.output
    recs = {r["id"]: r for r in map(json.loads, res.stdout.splitlines())}
    assert recs["w1"]["reply"] is None and "уже ответил продавец" in recs["w1"]["reasons"][0]
    assert recs["w2"]["reply"]
    db = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["import", str(p), "--process", "--db", db]).exit_code == 0
    out = tmp_path / "out.jsonl"
    assert runner.invoke(app, ["export", str(out), "--db", db]).exit_code == 0
    rows = {r["id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert rows["w1"]["already_answered"] is True and rows["w1"]["reply_status"] == "published"
    assert rows["w1"]["reply"] == "Анна, спасибо! Носите с удовольствием." and rows["w1"]["written_by"] == "seller"
    assert rows["w2"]["already_answered"] is False and rows["w2"]["reply_status"] == "draft"
    assert "w1" not in flat(runner.invoke(app, ["inbox", "--db", db]).output)


def _xlsx_with_title(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Отчёт по отзывам за ноябрь 2026 — ООО «Лён и Хлопок»"])
    ws.append([])
    ws.append(["ID отзыва", "Дата", "Оценка", "Текст отзыва", "Имя", "Ответ продавца"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_with_a_title_row_above_the_header(tmp_path: Path) -> None:
    p = _xlsx_with_title(tmp_path / "cabinet.xlsx", [
        ["x1", "21.11.2026 10:15", 1, "Пришла с дыркой", "Олег", None],
        ["x2", "22.11.2026 11:00", 5, "Всё супер", "Анна", "Спасибо, Анна!"],
    ])
    items = read_items(p)
    assert [(i.external_id, i.rating, i.text) for i in items] == [("x1", 1, "Пришла с дыркой"), ("x2", 5, "Всё супер")]
    assert items[1].seller_answer == "Спасибо, Анна!" and items[0].created_at is not None
    bad = _xlsx_with_title(tmp_path / "bad.xlsx", [["x1", None, 1, "ок", None, None], ["x2", None, 9, "ок", None, None]])
    with pytest.raises(InputError) as err:
        read_items(bad)
    assert err.value.line == 5 and err.value.field == "rating", "line numbers are the sheet's own rows"


def test_csv_with_a_title_line_above_the_header(tmp_path: Path) -> None:
    p = tmp_path / "report.csv"
    p.write_text("Отчёт по отзывам, ноябрь 2026\n\nID отзыва;Оценка;Текст отзыва\nc1;4;Хорошая, но маломерит\n",
                 encoding="utf-8-sig")
    [item] = read_items(p)
    assert (item.external_id, item.rating, item.text) == ("c1", 4, "Хорошая, но маломерит")


def test_a_bad_row_deep_in_a_large_file_imports_nothing(tmp_path: Path, db_url: str) -> None:
    """The import is streamed in chunks, yet still all-or-nothing: row 2,501 is bad, nothing is stored."""
    from sqlalchemy.orm import Session

    from otklik.store import repository as repo
    from otklik.store.db import open_store_engine
    from otklik.workflow.importing import import_file

    p = tmp_path / "big.csv"
    lines = ["id,text,rating"] + [f"{i},Отзыв номер {i},5" for i in range(2500)] + ["bad,плохая оценка,0"]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    engine = open_store_engine(db_url)
    seen: list[int] = []
    with pytest.raises(InputError) as err:
        import_file(engine, p, progress=lambda done, total: seen.append(done))
    assert err.value.line == 2502 and err.value.field == "rating"
    assert seen and seen == sorted(seen), "progress was reported while reading"
    with Session(engine) as s:
        assert repo.count_items(s) == 0
    p.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert import_file(engine, p).added == 2500
    engine.dispose()


def test_map_applies_to_jsonl_keys_too(tmp_path: Path) -> None:
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "j1", "Комментарий покупателя": "Маломерит", "Бренд": "Лён", "rating": 3},
                            ensure_ascii=False) + "\n", encoding="utf-8")
    [item] = read_items(p, mapping=parse_mapping(["Комментарий покупателя=text", "Бренд=ignore"]))
    assert item.text == "Маломерит" and "Бренд" not in item.extra
