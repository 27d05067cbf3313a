"""`otklik inbox`: the team inbox at the terminal, with the web inbox's filters and pages.

    otklik inbox --rating "<=2" --sentiment negative --overdue
    otklik inbox --search "50%" --status all --page 2
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel

from otklik.cli.console import err_console, friendly_errors
from otklik.store.inbox_query import MAX_PER_PAGE, STATUSES, InboxFilter, parse_rating

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
@friendly_errors
def inbox(
    db: Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL or sqlite:///otklik.db)")] = None,
    profile: Annotated[str | None, typer.Option("--profile", "-p", help="Business profile YAML: its reply target decides what is overdue")] = None,
    status: Annotated[str, typer.Option(help=f"Which: {', '.join(STATUSES)} (open: waiting for a person)")] = "open",
    all_: Annotated[bool, typer.Option("--all", help="The same as --status all")] = False,
    source: Annotated[str | None, typer.Option(help="Only this source")] = None,
    product: Annotated[str | None, typer.Option(help="Only this product (its id on the source, or its exact name)")] = None,
    rating: Annotated[str | None, typer.Option(help='Stars: 4, 1-2, "<=2", ">=4"')] = None,
    kind: Annotated[str | None, typer.Option(help="review or question")] = None,
    sentiment: Annotated[str | None, typer.Option(help="positive, negative, neutral or mixed")] = None,
    aspect: Annotated[str | None, typer.Option(help="An aspect id, e.g. size_fit, delivery")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only items past the reply target")] = False,
    since: Annotated[str | None, typer.Option("--from", help="Written on or after this date (2026-12-01)")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Written on or before this date")] = None,
    search: Annotated[str | None, typer.Option(help="Words in the text, author or product (% and _ are literal)")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PER_PAGE, help="How many items per page")] = 20,
    page: Annotated[int, typer.Option(min=1, help="Which page")] = 1,
    business: Annotated[str | None, typer.Option("--business", "-b", help="Only this business (slug); its profile's reply target")] = None,
) -> None:
    """Items waiting for a person, most urgent first; ends with "shown N of TOTAL"."""
    from pathlib import Path

    from sqlalchemy.orm import Session

    from otklik.cli.main import _engine, _profile
    from otklik.store import businesses
    from otklik.workflow.review import inbox_page

    lo, hi = parse_rating(rating)
    engine = _engine(db)
    prof = _profile(Path(profile) if profile else None)
    business_id = None
    if business:
        with Session(engine) as s:
            business_id = businesses.get_business(s, business).id
            prof = businesses.business_profile(s, business_id, prof)
    flt = InboxFilter(status="all" if all_ else status, source=source, product=product, kind=kind,
                      sentiment=sentiment, aspect=aspect, rating_min=lo, rating_max=hi, overdue=overdue,
                      written_from=_date(since, "--from"), written_to=_date(until, "--to"), search=search,
                      business_id=business_id)
    found = inbox_page(engine, flt, page=page, per_page=limit, target_hours=prof.reply_target_hours)
    if not found.total:
        err_console.print("nothing waits for a reply" if flt == InboxFilter(business_id=business_id) else "nothing matches")
    for e in found.entries:
        head = (f"{e.item_id} · {e.source} · {e.kind} · {e.rating or '–'}★ · {e.sentiment} · "
                f"priority {e.priority:.1f} · " + ("follow-up " if e.follow_up else "") + e.status
                + (" · needs a person" if e.needs_human else ""))
        body = f"[dim]{escape(e.text)}[/]\n\n" + (f"[green]{escape(e.reply)}[/]" if e.reply else f"[yellow]({e.reply_type})[/]")
        if e.attention:
            body = f"[bold red]⚠ {escape(e.attention)}[/]\n\n" + body
        if e.needs_human and e.reasons:
            body += "\n" + "\n".join(f"[yellow]• {escape(r)}[/]" for r in e.reasons)
        # the whole draft, wrapped to the terminal: a person must read all of it before approving
        err_console.print(Panel(body, title=escape(head), title_align="left"), soft_wrap=False)
    pages = f" (page {found.page} of {found.pages})" if found.pages > 1 else ""
    err_console.print(f"shown {len(found.entries)} of {found.total}{pages}", highlight=False)


def _date(value: str | None, option: str) -> date | None:
    from otklik.errors import InputError

    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} '{value[:20]}' is not a date like 2026-12-31", field=option) from None
