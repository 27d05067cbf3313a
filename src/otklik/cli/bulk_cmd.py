"""`otklik approve --safe`: approve, after one confirmation, every draft that is a safe positive
(see otklik.workflow.bulk): the same set and the same checks as the web inbox's bulk approval."""

from __future__ import annotations

import typer
from rich.markup import escape
from sqlalchemy import Engine

from otklik.cli.console import err_console
from otklik.profile import BusinessProfile
from otklik.workflow import bulk


def approve_safe_command(engine: Engine, profile: BusinessProfile, *, by: str, yes: bool, dry_run: bool) -> None:
    """List the safe positives, ask once (unless --yes), approve exactly those listed."""
    preview = bulk.safe_positives(engine)
    drafts = preview.drafts
    if not drafts:
        err_console.print("no safe positive drafts to approve (positive 4–5★, not held, lint-clean, no question)")
        return
    for d in drafts:
        short = d.reply if len(d.reply) <= 90 else d.reply[:89] + "…"
        err_console.print(f"{escape(d.item_id)} · {d.source} · {d.rating}★  {escape(short)}", highlight=False)
    more = f" (of {preview.total}: at most {bulk.BULK_LIMIT} at a time, run again for the rest)" \
        if preview.total > len(drafts) else ""
    err_console.print(f"{len(drafts)} safe positive drafts{more}")
    if dry_run:
        return
    if not yes and not typer.confirm(f"Approve these {len(drafts)} replies?", default=False, err=True):
        err_console.print("nothing approved")
        raise typer.Exit(1)
    done = bulk.approve_safe(engine, profile, actor=by, only=[d.reply_id for d in drafts])
    err_console.print(f"approved {len(done.approved)} replies" +
                      (f"; {done.skipped} changed meanwhile and were left for a person" if done.skipped else ""))
