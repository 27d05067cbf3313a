"""`otklik lint` from the command line: findings per item, exit 1 on errors, 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from otklik.cli.lint_cmd import app
from otklik.profile import bundled_profile_path

runner = CliRunner()


def test_a_bad_reply_prints_its_rules_and_exits_1() -> None:
    result = runner.invoke(app, ["--reply", "Спасибо!!! Удалите отзыв.", "--review", "Маломерит, пришлось вернуть",
                                 "--rating", "2", "--author", "Анна", "--platform", "ozon"])
    assert result.exit_code == 1
    for rule in ("R-TONE", "R-NO-DELETE-DEMAND", "N-APOLOGY", "R-PERSONAL"):
        assert rule in result.output


def test_a_good_reply_exits_0() -> None:
    reply = ("Анна, здравствуйте! Спасибо за отзыв о брюках палаццо. Простите, что брюки оказались маломерными. "
             "Бесплатно обменяем на другой размер через пункт выдачи — напишите нам в чат с продавцом.")
    result = runner.invoke(app, ["--reply", reply, "--review", "Брюки маломерят", "--rating", "2",
                                 "--author", "Анна", "--product", "Брюки палаццо из льна"])
    assert result.exit_code == 0, result.output
    assert "замечаний нет" in result.output


def test_jsonl_file_with_the_restaurant_profile(tmp_path: Path) -> None:
    rows = [
        {"id": "a1", "text": "Очень вкусная пицца!", "rating": 5, "author": "Мария",
         "reply": "Мария, здравствуйте! Спасибо, что оценили нашу пиццу, — передадим шефу. Ждём Вас снова!"},
        {"id": "a2", "text": "Грязно на втором этаже", "rating": 1, "author": "Гость",
         "reply": "Это фейк, у нас нет второго этажа, вы у нас не были."},
    ]
    path = tmp_path / "replies.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["--file", str(path), "--profile", str(bundled_profile_path("restaurant"))])
    assert result.exit_code == 1
    assert "a1: замечаний нет" in result.output
    assert "F-REPORT" in result.output


def test_bad_input_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "x", "text": "ok"}\n', encoding="utf-8")
    result = runner.invoke(app, ["--file", str(path)])
    assert result.exit_code == 2
    assert "reply" in result.output
    assert runner.invoke(app, ["--reply", "Спасибо"]).exit_code == 2
