"""The `otklik` command line: files in, understood and drafted items out; store import/export; demo."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from otklik.cli.console import err_console, friendly_errors, progress_bar

app = typer.Typer(
    name="otklik",
    help="Otklik: understand customer reviews and questions and draft replies that follow the rules.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

InputArg = Annotated[Path, typer.Argument(help="Items: .jsonl, .csv or .xlsx with id, text, rating, author, product, kind, created_at, source")]
OutOpt = Annotated[Path | None, typer.Option("-o", "--out", help="Write JSONL here instead of stdout")]
ProfileOpt = Annotated[Path | None, typer.Option("--profile", "-p", help="Business profile YAML (default: $OTKLIK_PROFILE or the bundled clothing example)")]
EncodingOpt = Annotated[str, typer.Option("--encoding", help="Text encoding of CSV/JSONL input, e.g. cp1251")]
DEMO_LOGIN = "demo"
DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL or sqlite:///otklik.db)")]
BusinessOpt = Annotated[str | None, typer.Option(
    "--business", "-b", help="The business (slug) the items belong to (default: the store's only or default one)")]
MapOpt = Annotated[list[str] | None, typer.Option(
    "--map", help='Say what an unknown column holds: --map "Комментарий покупателя=text" (or =ignore); repeatable')]


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


def _pipeline(path: Path | None, seed: int | None = None):  # noqa: ANN202 - Pipeline, imported lazily
    """Without a profile the replies use the bundled example's wording, but the reading is
    business-neutral: every aspect applies (a restaurant review read as clothing finds nothing)."""
    from otklik.config import get_settings
    from otklik.understand import Analyzer
    from otklik.workflow.pipeline import Pipeline

    explicit = path or get_settings().profile
    return Pipeline(_profile(path), seed=seed, analyzer=None if explicit else Analyzer(None))


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
def analyze(input: InputArg, out: OutOpt = None, profile: ProfileOpt = None, encoding: EncodingOpt = "utf-8",
            map_: MapOpt = None) -> None:
    """Understand every item: kind, sentiment, complaint, aspects, name, questions, fake signals."""
    from otklik.sources.files import parse_mapping, read_items
    from otklik.workflow.contract import analysis_record

    items = read_items(input, encoding=encoding, mapping=parse_mapping(map_))
    pipe = _pipeline(profile)
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
    map_: MapOpt = None,
) -> None:
    """Understand every item and draft a reply checked against the rules (none where the seller already answered)."""
    from otklik.sources.files import parse_mapping, read_items
    from otklik.workflow.contract import draft_record

    items = read_items(input, encoding=encoding, mapping=parse_mapping(map_))
    pipe = _pipeline(profile, seed)
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
    map_: MapOpt = None,
    business: BusinessOpt = None,
) -> None:
    """Import items into the store. Idempotent; all-or-nothing per file; streamed, so large files are fine."""
    from sqlalchemy.orm import Session

    from otklik.sources.files import parse_mapping
    from otklik.store.businesses import resolve_business
    from otklik.workflow.importing import import_file

    mapping = parse_mapping(map_)
    engine = _engine(db)
    with Session(engine) as s:
        owner = resolve_business(s, business)
    size = file.stat().st_size if file.is_file() else 0
    with progress_bar(f"importing {file.name}", size, unit="bytes") as bar:
        res = import_file(engine, file, encoding=encoding, source=source, mapping=mapping, business_id=owner.id,
                          progress=lambda done, total: bar.update(bar.task_ids[0], completed=done, total=total))
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
    serve_web: Annotated[
        bool | None,
        typer.Option("--serve/--no-serve", help="Then serve the web inbox on the demo store (default: yes in a terminal)"),
    ] = None,
    port: Annotated[int, typer.Option(help="Port for --serve")] = 8000,
) -> None:
    """Load the bundled sample reviews and questions, draft replies, and print a summary."""
    from otklik.profile import bundled_profile_path, load_profile
    from otklik.workflow.demo import run_demo

    run_demo(db_file=db_file, out=out, show=show)
    _demo_owner(f"sqlite:///{db_file}")
    if serve_web is None:  # a person at a terminal gets the inbox; scripts and CI are never blocked
        serve_web = sys.stdin.isatty() and sys.stdout.isatty()
    if serve_web:
        _serve(f"sqlite:///{db_file}", load_profile(bundled_profile_path("clothing")), host="127.0.0.1", port=port)
    else:
        err_console.print("See them in the browser: otklik serve --db sqlite:///otklik-demo.db")


def _demo_owner(url: str) -> None:
    """The demo store is new, so it gets its own owner with a fresh password, printed once here."""
    import secrets

    from sqlalchemy.orm import Session

    from otklik.store import accounts
    from otklik.store.db import open_store_engine

    password = secrets.token_urlsafe(12)
    engine = open_store_engine(url)
    with Session(engine) as s, s.begin():
        accounts.add_user(s, DEMO_LOGIN, password, accounts.Role.owner)
    engine.dispose()
    err_console.print(f"web inbox login: [bold]{DEMO_LOGIN}[/], password: [bold]{password}[/] "
                      "(made for this demo store only; shown once)", highlight=False)


@app.command()
@friendly_errors
def approve(
    item_id: Annotated[str | None, typer.Argument(help="The item's id on its source (or --safe)")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Approve your own text instead of the draft")] = None,
    by: Annotated[str, typer.Option("--by", help="Who approves (recorded in history)")] = "operator",
    force: Annotated[bool, typer.Option("--force", help="Approve despite lint errors (recorded)")] = False,
    source: Annotated[str | None, typer.Option(help="Source, when the id exists in several")] = None,
    follow_up: Annotated[bool, typer.Option("--follow-up", help="The follow-up of the resolved case (chosen by itself once the reply is settled)")] = False,
    safe: Annotated[bool, typer.Option("--safe", help="Instead of one item: every safe positive draft (positive 4–5★, not held, lint-clean, no question), after one confirmation")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --safe: do not ask")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="With --safe: only list them")] = False,
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Approve a reply (or the follow-up of a resolved case) for publishing. Your own text is linted like any draft."""
    from otklik.workflow.review import approve as do_approve

    if safe:
        from otklik.cli.bulk_cmd import approve_safe_command

        approve_safe_command(_engine(db), _profile(profile), by=by, yes=yes, dry_run=dry_run)
        return
    if item_id is None:
        err_console.print("[bold red]error:[/] name the item to approve (otklik approve ID), or pass --safe")
        raise typer.Exit(2)
    findings = do_approve(_engine(db), _profile(profile), item_id, actor=by, text=text, source=source, force=force,
                          follow_up=True if follow_up else None)
    for f in findings:
        err_console.print(f"[yellow]{f.rule}[/] {f.message}")
    err_console.print(f"approved reply for {item_id}")


@app.command()
@friendly_errors
def reject(
    item_id: Annotated[str, typer.Argument(help="The item's id on its source")],
    note: Annotated[str, typer.Option(help="Why")] = "",
    by: Annotated[str, typer.Option("--by")] = "operator",
    source: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
) -> None:
    """Reject the item's current draft or approved reply."""
    from otklik.workflow.review import reject as do_reject

    do_reject(_engine(db), item_id, actor=by, note=note, source=source)
    err_console.print(f"rejected reply for {item_id}; draft again with: otklik redraft {item_id}")


@app.command()
@friendly_errors
def redraft(
    item_id: Annotated[str, typer.Argument(help="The item's id on its source")],
    by: Annotated[str, typer.Option("--by")] = "operator",
    source: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Draft a new reply for an item whose draft was rejected (different from every rejected one)."""
    from otklik.workflow.drafting import redraft as do_redraft

    prof = _profile(profile)
    d = do_redraft(_engine(db), prof, item_id, actor=by, source=source, pipeline=_pipeline(profile))
    err_console.print(f"new draft for {item_id}:\n{escape(d.text or '(' + str(d.reply_type) + ')')}")


@app.command()
@friendly_errors
def dismiss(
    item_id: Annotated[str, typer.Argument(help="The item's id on its source")],
    by: Annotated[str, typer.Option("--by")] = "operator",
    source: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
) -> None:
    """Clear an item's warning once you have dealt with it (e.g. fixed the published reply on the marketplace)."""
    from otklik.workflow.review import dismiss as do_dismiss

    do_dismiss(_engine(db), item_id, actor=by, source=source)
    err_console.print(f"{item_id}: warning cleared")


@app.command()
@friendly_errors
def reports(
    export_to: Annotated[Path | None, typer.Option("--export", help="Write the reports to a .jsonl or .csv file")] = None,
    db: DbOpt = None,
) -> None:
    """Moderator reports prepared for suspected fake reviews, with their evidence (F-REPORT)."""
    from rich.panel import Panel

    from otklik.workflow.reports import export_reports, list_reports

    engine = _engine(db)
    if export_to is not None:
        n = export_reports(engine, export_to)
        err_console.print(f"exported {n} moderator reports to {export_to}")
        return
    found = list_reports(engine)
    if not found:
        err_console.print("no moderator reports")
    for r in found:
        head = f"{r.item_id} · {r.source} · {r.rating or '–'}★ · {r.status}" + (" · deletion requested" if r.request_deletion else "")
        err_console.print(Panel(escape(r.text), title=escape(head), title_align="left"), soft_wrap=False)


@app.command()
@friendly_errors
def cases(db: DbOpt = None, profile: ProfileOpt = None, all_: Annotated[bool, typer.Option("--all")] = False) -> None:
    """Open complaint cases, oldest first, with overdue ones marked (S-SPEED)."""
    from rich.table import Table

    from otklik.workflow.cases import list_cases

    prof = _profile(profile)
    t = Table()
    for col in ("item", "cause", "status", "written", "age, h", "overdue"):
        t.add_column(col)
    for c in list_cases(_engine(db), prof, all_=all_):
        t.add_row(c.item_id, c.cause or "–", c.status, c.opened_at.strftime("%Y-%m-%d %H:%M"), str(c.age_hours),
                  "[red]yes[/]" if c.overdue else "no")
    err_console.print(t)


@app.command()
@friendly_errors
def resolve(
    item_id: Annotated[str, typer.Argument(help="The complaint's item id")],
    resolution: Annotated[str, typer.Option("--resolution", help="What was done for the customer")],
    prevention: Annotated[str, typer.Option("--prevention", help="What changed so it does not happen again")] = "",
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Close a complaint case and draft the public follow-up reply (N-RESULT)."""
    from otklik.workflow.cases import resolve_case

    d = resolve_case(_engine(db), _profile(profile), item_id, resolution=resolution, prevention=prevention)
    err_console.print(f"case closed; follow-up draft (approve with: otklik approve {item_id}):\n{escape(d.text or '')}")


@app.command()
@friendly_errors
def insights(
    out: Annotated[Path | None, typer.Option("-o", "--out", help="Write an HTML report with plots here")] = None,
    period: Annotated[str, typer.Option(help="day, week or month")] = "week",
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """What customers complain about: causes over time and per product, and spikes (S-LEARN)."""
    from rich.table import Table

    from otklik.errors import InputError
    from otklik.insights import complaint_stats
    from otklik.insights.complaints import series

    if period not in ("day", "week", "month"):
        raise InputError(f"--period must be day, week or month, got {period!r}")
    stats = complaint_stats(_engine(db), period=period)  # type: ignore[arg-type]
    t = Table(title=f"Complaint causes per {period}")
    t.add_column("cause")
    t.add_column("total", justify="right")
    t.add_column("recent periods →")
    for aspect, n in stats.totals.most_common():
        t.add_row(aspect, str(n), " ".join(str(x) for x in series(stats, aspect)[-8:]))
    err_console.print(t)
    for sp in stats.spikes:
        err_console.print(f"[bold red]spike:[/] {sp.aspect}: {sp.count} in the {period} from {sp.period} (usually {sp.baseline})")
    if out is not None:
        from otklik.insights.report import render_html

        out.write_text(render_html(stats, business=_profile(profile).business.name), encoding="utf-8")
        err_console.print(f"report written to {out}")


@app.command()
@friendly_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to bind; behind a TLS proxy elsewhere (cookies are Secure over https)")] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    db: DbOpt = None,
    profile: ProfileOpt = None,
) -> None:
    """Serve the web inbox: drafts by priority, approve or reject, complaint insights."""
    _serve(_engine_url(db), _profile(profile), host=host, port=port)


def _engine_url(db: str | None) -> str:
    from otklik.config import get_settings

    return get_settings(database_url=db).database_url


def _listen(host: str, port: int):  # noqa: ANN202 - socket.socket
    """Bind the port first, so a busy one is one clear line (and exit 2), not uvicorn's traceback."""
    import errno
    import socket

    from otklik.errors import ConfigError

    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(f"порт {port} на {host} уже занят / port {port} on {host} is already in use: "
                              f"остановите другую программу или выберите другой порт (--port {port + 1})") from None
        raise ConfigError(f"не удаётся слушать {host}:{port} / cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def _serve(url: str, profile, *, host: str, port: int) -> None:  # noqa: ANN001
    """Serve the inbox; without any user nobody could log in, so it refuses and says what to do."""
    import uvicorn
    from sqlalchemy.orm import Session

    from otklik.errors import ConfigError
    from otklik.store import accounts
    from otklik.store.db import open_store_engine
    from otklik.web import create_app

    engine = open_store_engine(url)
    with Session(engine) as s:
        has_users = accounts.count_users(s) > 0
    engine.dispose()
    if not has_users:
        raise ConfigError("no users yet, so nobody could log in: add the first owner with "
                          "`otklik user add LOGIN --role owner`, then run `otklik serve` again")
    sock = _listen(host, port)
    server = uvicorn.Server(uvicorn.Config(create_app(database_url=url, profile=profile), log_level="warning"))
    err_console.print(f"web inbox on http://{host}:{port}/ (Ctrl+C to stop)")
    server.run(sockets=[sock])


def _mount_subcommands() -> None:
    """Commands that live beside their component: business, inbox, lint, models (train/evaluate), sync,
    user/token, alerts."""
    from otklik.cli import alerts_cmd, business_cmd, inbox_cmd, lint_cmd, models_cmd, sync_cmd, user_cmd

    app.add_typer(business_cmd.app)
    app.add_typer(inbox_cmd.app)
    app.add_typer(lint_cmd.app)
    app.add_typer(models_cmd.app)
    app.add_typer(sync_cmd.app)
    app.add_typer(user_cmd.app)
    app.add_typer(alerts_cmd.app, name="alerts")


_mount_subcommands()


def main() -> None:  # pragma: no cover - console entry point
    app()
