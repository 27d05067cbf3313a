"""The `otklik` command line: files in, understood and drafted items out; store import/export; demo."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from otklik.cli.console import err_console, progress_bar
from otklik.errors import OtklikError

app = typer.Typer(
    name="otklik",
    help="Otklik: understand customer reviews and questions and draft replies that follow the rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., Any])

InputArg = Annotated[Path, typer.Argument(help="Items: .jsonl, .csv or .xlsx with id, text, rating, author, product, kind, created_at, source")]
OutOpt = Annotated[Path | None, typer.Option("-o", "--out", help="Write JSONL here instead of stdout")]
ProfileOpt = Annotated[Path | None, typer.Option("--profile", "-p", help="Business profile YAML (default: $OTKLIK_PROFILE or the bundled clothing example)")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV/JSONL input, e.g. cp1251")]
DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL or sqlite:///otklik.db)")]


def friendly_errors(fn: F) -> F:
    """Turn our errors into one clear line on stderr and exit code 2; never a traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except OtklikError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _write_jsonl(records: list[dict[str, Any]], out: Path | None) -> None:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if out is None:
        sys.stdout.write(lines)
        sys.stdout.flush()
    else:
        out.write_text(lines, encoding="utf-8")
        err_console.print(f"wrote {len(records)} records to {out}")


def _profile(path: Path | None):  # noqa: ANN202 - BusinessProfile, imported lazily
    from otklik.config import get_settings
    from otklik.profile import load_profile

    return load_profile(path or get_settings().profile)


def _engine(db: str | None):  # noqa: ANN202 - Engine
    from otklik.config import get_settings
    from otklik.store.db import open_store_engine

    return open_store_engine(get_settings(database_url=db).database_url)


def _history_memory(db: str | None):  # noqa: ANN202 - ReplyMemory
    """Earlier replies from the store when one exists, so drafts never clone them (R-UNIQUE)."""
    from sqlalchemy.orm import Session

    from otklik.compose import ReplyMemory
    from otklik.config import get_settings
    from otklik.store import repository as repo
    from otklik.store.db import open_store_engine

    url = get_settings(database_url=db).database_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return ReplyMemory()
    engine = open_store_engine(url)
    with Session(engine) as session:
        return ReplyMemory(repo.reply_texts(session))


@app.command()
@friendly_errors
def analyze(input: InputArg, out: OutOpt = None, profile: ProfileOpt = None, encoding: EncodingOpt = "utf-8") -> None:
    """Understand every item: kind, sentiment, complaint, aspects, name, questions, fake signals."""
    from otklik.sources.files import read_items
    from otklik.workflow.contract import analysis_record
    from otklik.workflow.pipeline import Pipeline

    items = read_items(input, encoding=encoding)
    pipe = Pipeline(_profile(profile))
    with progress_bar("analysing", len(items)) as bar:
        analyses = pipe.analyze(items, progress=lambda n: bar.advance(0, n))  # type: ignore[arg-type]
    _write_jsonl([analysis_record(i, a) for i, a in zip(items, analyses, strict=True)], out)


@app.command()
@friendly_errors
def draft(
    input: InputArg,
    out: OutOpt = None,
    profile: ProfileOpt = None,
    encoding: EncodingOpt = "utf-8",
    db: DbOpt = None,
    seed: Annotated[int | None, typer.Option(help="Fix phrase choices for reproducible drafts")] = None,
) -> None:
    """Understand every item and draft a reply checked against the rules."""
    from otklik.sources.files import read_items
    from otklik.workflow.contract import draft_record
    from otklik.workflow.pipeline import Pipeline

    items = read_items(input, encoding=encoding)
    pipe = Pipeline(_profile(profile), seed=seed)
    memory = _history_memory(db)
    with progress_bar("analysing", len(items)) as bar:
        analyses = pipe.analyze(items, progress=lambda n: bar.advance(0, n))  # type: ignore[arg-type]
    with progress_bar("drafting", len(items)) as bar:
        drafted = pipe.draft(items, analyses, memory=memory, progress=lambda n: bar.advance(0, n))  # type: ignore[arg-type]
    _write_jsonl([draft_record(d.item, d.analysis, d.draft) for d in drafted], out)


@app.command("import")
@friendly_errors
def import_(
    file: Annotated[Path, typer.Argument(help="Items file (.jsonl, .csv, .xlsx), e.g. a marketplace cabinet export")],
    db: DbOpt = None,
    encoding: EncodingOpt = "utf-8",
    source: Annotated[str, typer.Option(help="Source name for rows without a 'source' column")] = "file",
    process: Annotated[bool, typer.Option("--process/--no-process", help="Analyse and draft the new items")] = False,
    profile: ProfileOpt = None,
) -> None:
    """Import items into the store. Idempotent; all-or-nothing per file."""
    from otklik.workflow.importing import import_file

    engine = _engine(db)
    res = import_file(engine, file, encoding=encoding, source=source)
    err_console.print(f"{file}: {res.added} added, {res.updated} updated, {res.unchanged} unchanged")
    if process:
        _process(engine, _profile(profile))


def _process(engine, profile) -> None:  # noqa: ANN001
    from sqlalchemy.orm import Session

    from otklik.store import repository as repo
    from otklik.workflow.drafting import draft_pending

    with Session(engine) as s:
        total = len(repo.items_needing_work(s))
    with progress_bar("analysing and drafting", total) as bar:
        res = draft_pending(engine, profile, progress=lambda n: bar.advance(0, n))  # type: ignore[arg-type]
    err_console.print(f"{res.analysed} analysed, {res.drafted} drafted, {res.needs_human} need a person")


@app.command()
@friendly_errors
def process(db: DbOpt = None, profile: ProfileOpt = None) -> None:
    """Analyse and draft every stored item that is new or changed."""
    _process(_engine(db), _profile(profile))


@app.command()
@friendly_errors
def export(
    out: Annotated[Path, typer.Argument(help="Output file: .csv, .xlsx or .jsonl")],
    db: DbOpt = None,
) -> None:
    """Export stored items with their analyses and replies."""
    from otklik.workflow.exporting import export_file

    n = export_file(_engine(db), out)
    err_console.print(f"exported {n} items to {out}")


@app.command()
@friendly_errors
def demo(
    db_file: Annotated[Path, typer.Option("--db-file", help="SQLite file for the demo store (recreated)")] = Path("otklik-demo.db"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write every drafted reply")] = Path("otklik-demo-replies.jsonl"),
    show: Annotated[int, typer.Option(help="How many replies to print")] = 8,
) -> None:
    """Load the bundled sample reviews and questions, draft replies, and print a summary."""
    from otklik.workflow.demo import run_demo

    run_demo(db_file=db_file, out=out, show=show)


def main() -> None:  # pragma: no cover - console entry point
    app()
