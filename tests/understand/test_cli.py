"""The `train` / `evaluate` commands the lead mounts on the main CLI."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from otklik.cli.models_cmd import app


def test_train_and_evaluate_take_a_data_dir():
    runner = CliRunner()
    for cmd, opts in (("train", ("--data-dir", "--out")), ("evaluate", ("--data-dir",))):
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0
        assert all(o in result.output for o in opts)


def test_missing_data_dir_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["train", "--data-dir", str(tmp_path / "nope"), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "data file not found" in result.output
    assert not list((tmp_path / "m").glob("*.pkl.zlib"))
