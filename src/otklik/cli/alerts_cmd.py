"""`otklik alerts check [--dry-run]`: send SLA alerts for late reviews now, or show what would go out.

Also used by `otklik watch`, which runs the same check after each polling cycle (``run_quietly``).
Exit 0 when every channel delivered (or nothing was due), 1 when a channel failed (named), 2 on a
configuration error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from otklik.errors import OtklikError

if TYPE_CHECKING:
    from otklik.alerts.check import CheckReport

app = typer.Typer(help="SLA alerts: webhook, e-mail, Telegram when a review waits past the reply target.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL)")]
ProfileOpt = Annotated[str | None, typer.Option("--profile", "-p", help="Business profile YAML with an alerts: section")]

STATUS = {"sent": "[green]sent[/]", "failed": "[red]failed[/]", "would_send": "[yellow]would send[/]"}
WHAT = {"reply": "no reply", "case": "open case"}


def report_table(report: CheckReport) -> Table:
    """One row per alert, with what each channel did with it."""
    from otklik.alerts.message import duration

    rows: dict[str, tuple[Any, list[str]]] = {}
    for o in report.outcomes:
        for a in o.alerts:
            rows.setdefault(a.key, (a, []))[1].append(f"{escape(o.channel)}: {STATUS.get(o.status, o.status)}")
    t = Table(title="SLA alerts" + (" (dry run: nothing sent)" if report.dry_run else ""))
    for col in ("level", "item", "product", "waiting", "late / left", "channels"):
        t.add_column(col)
    for a, channels in rows.values():
        late = ("+" if a.late_hours >= 0 else "−") + duration(a.late_hours)
        t.add_row("[red]breach[/]" if a.level == "breach" else "[yellow]warning[/]",
                  escape(f"{a.source}/{a.item_id} ({WHAT[a.kind]})"), escape(a.product or "–"), duration(a.age_hours),
                  late, ", ".join(channels))
    return t


@app.command("check")
def check(dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be sent; send and record nothing")] = False,
          db: DbOpt = None, profile: ProfileOpt = None) -> None:
    """Find late and nearly late items, send each warning and breach once per channel."""
    from otklik.alerts.check import check_alerts
    from otklik.config import get_settings
    from otklik.profile import load_profile
    from otklik.store.db import open_store_engine

    out, err = Console(soft_wrap=True), Console(stderr=True, soft_wrap=True)
    try:
        settings = get_settings(database_url=db, profile=profile)
        prof = load_profile(settings.profile)
        engine = open_store_engine(settings.database_url)
        report = check_alerts(engine, prof, dry_run=dry_run)
    except OtklikError as exc:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    if not prof.alerts.channels:
        err.print("no alert channels configured: add an alerts: section to the profile (see README, «SLA alerts»)")
    if any(o.alerts for o in report.outcomes):
        out.print(report_table(report))
    for o in report.outcomes:
        extra = [f"{n} {what}" for n, what in ((o.already_sent, "already sent"), (o.busy, "being sent by another run")) if n]
        line = {"sent": f"sent {len(o.alerts)}", "failed": f"FAILED: {o.error.removeprefix(o.channel + ': ')}", "would_send": f"would send {len(o.alerts)}",
                "nothing": "nothing new"}[o.status]
        style = "red" if o.status == "failed" else "default"
        out.print(f"[{style}]{escape(o.channel)} ({o.type}): {escape(line)}[/]" + (f" · {', '.join(extra)}" if extra else ""),
                  highlight=False)
    late = sum(1 for a in report.alerts if a.level == "breach")
    out.print(f"{late} past the {prof.reply_target_hours:g} h target, {len(report.alerts) - late} close to it", highlight=False)
    if report.errors:
        raise typer.Exit(1)


def run_quietly(engine: Any, profile: Any, console: Console) -> None:
    """One check inside `otklik watch`: prints only what was sent or failed; never stops the watcher."""
    if not profile.alerts.channels:
        return
    from otklik.alerts.check import check_alerts

    try:
        report = check_alerts(engine, profile)
    except OtklikError as exc:
        console.print(f"[red]alerts: {escape(str(exc))}[/]", highlight=False)
        return
    for o in report.outcomes:
        if o.status == "sent":
            console.print(f"alerts: {len(o.alerts)} sent to {escape(o.channel)}", highlight=False)
        elif o.status == "failed":
            console.print(f"[red]alerts: {escape(o.error)}[/]", highlight=False)
