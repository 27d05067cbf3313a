"""`otklik business …` and `--business` on import: what a seller with two brands types."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.profile import bundled_profile_path

runner = CliRunner()


def _run(db_url: str, *args: str):  # noqa: ANN202
    return runner.invoke(app, [*args, "--db", db_url])


def test_add_list_show_and_import_into_a_business(db_url: str, tmp_path: Path) -> None:
    restaurant = str(bundled_profile_path("restaurant"))
    assert _run(db_url, "business", "add", "cafe", "--profile", restaurant, "--name", "Печь и Сад").exit_code == 0
    rows = tmp_path / "cafe.jsonl"
    rows.write_text(json.dumps({"id": "c1", "text": "Долго ждали горячее, час!", "rating": 2},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    done = _run(db_url, "import", str(rows), "--business", "cafe", "--process")
    assert done.exit_code == 0, done.output
    listed = _run(db_url, "business", "list")
    assert listed.exit_code == 0
    lines = {ln.split()[0]: ln for ln in listed.stdout.splitlines()}
    assert "items       1" in lines["cafe"] and "profile v1" in lines["cafe"]
    assert "items       0" in lines["default"]
    shown = _run(db_url, "business", "show", "cafe")
    assert shown.exit_code == 0 and "Печь и Сад" in shown.stdout and "remedies:" in shown.stdout
    assert "Лён и Хлопок" in _run(db_url, "business", "show", "default").stdout  # the start-up profile


def test_a_bad_profile_file_names_the_file_and_field_and_changes_nothing(db_url: str, tmp_path: Path) -> None:
    restaurant = str(bundled_profile_path("restaurant"))
    assert _run(db_url, "business", "add", "cafe", "--profile", restaurant).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("business:\n  name: Кафе\ntone:\n  max_sentences: сколько-то\n", encoding="utf-8")
    r = _run(db_url, "business", "set-profile", "cafe", str(bad))
    assert r.exit_code == 2
    assert "bad.yaml" in r.output and "tone.max_sentences" in r.output
    assert "profile v1" in _run(db_url, "business", "list").stdout
    assert _run(db_url, "business", "add", "bar", "--profile", str(bad)).exit_code == 2
    assert "bar " not in _run(db_url, "business", "list").stdout
    missing = _run(db_url, "business", "set-profile", "cafe", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2 and "not found" in missing.output


def test_an_unknown_business_is_a_clear_error(db_url: str, tmp_path: Path) -> None:
    rows = tmp_path / "r.jsonl"
    rows.write_text('{"id": "1", "text": "ok", "rating": 5}\n', encoding="utf-8")
    for args in (("business", "show", "bar"), ("business", "set-profile", "bar", str(bundled_profile_path("clothing"))),
                 ("import", str(rows), "--business", "bar"), ("business", "access", "nobody", "bar")):
        r = _run(db_url, *args)
        assert r.exit_code == 2, (args, r.output)
        assert "bar" in r.output or "nobody" in r.output
    assert "no business 'bar'" in _run(db_url, "import", str(rows), "--business", "bar").output
    assert _run(db_url, "business", "add", "Плохой слаг").exit_code == 2


def test_inbox_of_one_business(two_businesses: dict, db_url: str) -> None:
    cafe = _run(db_url, "inbox", "--all", "--business", "cafe")
    assert cafe.exit_code == 0, cafe.output
    assert "cafe-1" in cafe.output and "shop-1" not in cafe.output and "shown 2 of 2" in cafe.output
    both = _run(db_url, "inbox", "--all")
    assert "shown 4 of 4" in both.output
    assert _run(db_url, "inbox", "--business", "bar").exit_code == 2
