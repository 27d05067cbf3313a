"""The command line as a user runs it: files in, the documented JSONL out, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from otklik.cli.main import app
from otklik.workflow.contract import ANALYZE_KEYS, DRAFT_KEYS

runner = CliRunner()
CSV = (
    "id,text,rating,author,product,kind,created_at,source\n"
    "c1,\"Рубашка отличная, ткань плотная, сидит идеально. Спасибо!\",5,Анна К.,Рубашка оверсайз из льна,review,2026-11-20T10:00:00+03:00,wildberries\n"
    "c2,\"Всё нравится, но маломерит на размер\",4,Мария,Рубашка оверсайз из льна,review,2026-11-20T11:00:00+03:00,ozon\n"
    "c3,Пришла с дыркой на рукаве. Ужас!,1,Пользователь OZON,Брюки палаццо из льна,review,2026-11-20T12:00:00+03:00,ozon\n"
    "c4,Садится ли ткань после стирки?,,Покупатель,Рубашка оверсайз из льна,question,2026-11-21T09:00:00+03:00,ozon\n"
    "c5,,5,nick_777,Юбка миди из хлопка,review,,wildberries\n"
)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    p = tmp_path / "export.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def _records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_analyze_writes_one_record_per_input_in_order(csv_file: Path) -> None:
    res = runner.invoke(app, ["analyze", str(csv_file)])
    assert res.exit_code == 0, res.output
    recs = _records(res.stdout)
    assert [r["id"] for r in recs] == ["c1", "c2", "c3", "c4", "c5"]
    for r in recs:
        assert tuple(r) == ANALYZE_KEYS
        assert r["kind"] in ("review", "question")
        assert r["sentiment"] in ("positive", "neutral", "negative", "mixed")
    by_id = {r["id"]: r for r in recs}
    assert by_id["c1"]["sentiment"] == "positive" and by_id["c1"]["customer_name"] == "Анна"
    assert by_id["c1"]["customer_gender"] == "f"
    assert by_id["c3"]["sentiment"] == "negative" and by_id["c3"]["problem"] is True
    assert by_id["c3"]["customer_name"] is None
    assert by_id["c4"]["kind"] == "question" and by_id["c4"]["is_question"] is True
    assert by_id["c5"]["customer_name"] is None
    assert by_id["c4"]["priority"] > by_id["c1"]["priority"]


def test_draft_writes_the_documented_contract_to_a_file(csv_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "drafts.jsonl"
    res = runner.invoke(app, ["draft", str(csv_file), "-o", str(out), "--seed", "7"])
    assert res.exit_code == 0, res.output
    recs = _records(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in recs] == ["c1", "c2", "c3", "c4", "c5"]
    for r in recs:
        assert tuple(r) == DRAFT_KEYS
        assert r["reply_type"] in ("reply", "handoff", "moderator_report")
        assert isinstance(r["lint"], list) and isinstance(r["reasons"], list)
    by_id = {r["id"]: r for r in recs}
    assert "Анна" in by_id["c1"]["reply"]
    assert "OZON" not in (by_id["c3"]["reply"] or "")
    assert "стирк" in (by_id["c4"]["reply"] or "").lower() or by_id["c4"]["reply_type"] == "handoff"
    texts = [r["reply"] for r in recs if r["reply"]]
    assert len(texts) == len(set(texts)), "no two replies may be the same"


def test_bad_input_exits_2_with_file_line_and_field(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text("id,text,rating\n1,хорошо,5\n2,плохо,0\n", encoding="utf-8")
    res = runner.invoke(app, ["analyze", str(p)])
    assert res.exit_code == 2
    assert "bad.csv, line 3, field 'rating'" in res.output
    assert "Traceback" not in res.output


def test_import_is_idempotent_and_export_roundtrips(csv_file: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    first = runner.invoke(app, ["import", str(csv_file), "--db", db])
    assert first.exit_code == 0, first.output
    assert "5 added" in first.output
    again = runner.invoke(app, ["import", str(csv_file), "--db", db])
    assert "0 added" in again.output and "5 unchanged" in again.output
    proc = runner.invoke(app, ["process", "--db", db])
    assert proc.exit_code == 0, proc.output
    assert "5 analysed" in proc.output
    out = tmp_path / "export.jsonl"
    res = runner.invoke(app, ["export", str(out), "--db", db])
    assert res.exit_code == 0, res.output
    rows = _records(out.read_text(encoding="utf-8"))
    assert len(rows) == 5 and all(r["reply_type"] for r in rows)
    assert sum(1 for r in rows if r["reply"]) >= 4


def test_demo_runs_on_a_fresh_machine(tmp_path: Path) -> None:
    res = runner.invoke(app, ["demo", "--db-file", str(tmp_path / "demo.db"), "--out", str(tmp_path / "r.jsonl")])
    assert res.exit_code == 0, res.output
    rows = _records((tmp_path / "r.jsonl").read_text(encoding="utf-8"))
    assert len(rows) >= 55
    assert sum(1 for r in rows if r["reply"]) >= 45
    assert any(r["fake_signals"] for r in rows)
    assert any(r["reply_type"] == "handoff" for r in rows)
    assert "Top complaint causes" in res.output
