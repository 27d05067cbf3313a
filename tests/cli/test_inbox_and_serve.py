"""What a person sees at the terminal: whole drafts in the inbox, a progress bar on import, and a
one-line error when the web inbox's port is taken."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from typer.testing import CliRunner

from otklik.cli.main import app

runner = CliRunner()


def flat(output: str) -> str:
    return " ".join(output.translate({ord(c): " " for c in "│╭╮╰╯─"}).split())


def test_inbox_shows_every_draft_whole_wrapped_to_the_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'inbox.db'}"
    f = tmp_path / "in.csv"
    f.write_text('id,text,rating,author,product\n'
                 'long,"Брюки хорошие, ткань приятная, но маломерят на размер, пришлось менять, и пуговица болталась",3,'
                 'Ольга,Брюки палаццо из льна\n', encoding="utf-8")
    res = runner.invoke(app, ["import", str(f), "--process", "--db", db])
    assert res.exit_code == 0, res.output
    assert "importing in.csv" in res.output, "the import shows its progress bar"
    out = tmp_path / "out.jsonl"
    runner.invoke(app, ["export", str(out), "--db", db])
    reply = json.loads(out.read_text(encoding="utf-8"))["reply"]
    assert len(reply) > 200
    shown = runner.invoke(app, ["inbox", "--db", db]).output
    assert " ".join(reply.split()) in flat(shown), "the whole draft, not its first line"
    assert max(len(line) for line in shown.splitlines()) <= 80, "wrapped to the terminal's width"


def test_serve_on_a_busy_port_is_one_line_naming_the_port(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    added = runner.invoke(app, ["user", "add", "marina", "--role", "owner", "--password-stdin", "--db", db],
                          input="длинный-пароль\n")
    assert added.exit_code == 0, added.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = runner.invoke(app, ["serve", "--port", str(port), "--db", db])
    assert res.exit_code == 2
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1
    assert f"порт {port} на 127.0.0.1 уже занят" in res.output and f"port {port} on 127.0.0.1 is already in use" in res.output
