"""`otklik business add|list|show|set-profile|access`: several businesses (profiles) in one store.

A profile is validated before anything is stored: a bad file gives the validator's error with the
file and the field path, exit code 2, and the store is as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from otklik.cli.console import err_console, friendly_errors
from otklik.errors import ProfileError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
business_app = typer.Typer(help="Businesses in this store, each with its own profile (a shop, a restaurant, …).",
                           no_args_is_help=True)
app.add_typer(business_app, name="business")

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL or sqlite:///otklik.db)")]
SlugArg = Annotated[str, typer.Argument(help="The business's short name: latin letters, digits, - and _")]
FileArg = Annotated[Path, typer.Argument(help="Business profile YAML")]


def _session(db: str | None):  # noqa: ANN202 - sqlalchemy Session, imported when a command runs
    from sqlalchemy.orm import Session

    from otklik.config import get_settings
    from otklik.store.db import open_store_engine

    return Session(open_store_engine(get_settings(database_url=db).database_url))


def _read(path: Path) -> str:
    """The file's text, refused (with the file named) unless it is a valid profile."""
    from otklik.store.businesses import parse_profile_text

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProfileError(f"{path}: profile file not found") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{path}: profile is not UTF-8 text") from exc
    parse_profile_text(text, origin=str(path))
    return text


@business_app.command("add")
@friendly_errors
def add(slug: SlugArg, profile: Annotated[Path | None, typer.Option("--profile", "-p", help="Its profile YAML (without one: the profile given at start-up)")] = None,
        name: Annotated[str, typer.Option("--name", help="Display name (default: the profile's business.name)")] = "",
        db: DbOpt = None) -> None:
    """Add a business; its items come with `import --business SLUG` and `source add --business SLUG`."""
    from otklik.store import businesses

    text = _read(profile) if profile else None
    with _session(db) as s, s.begin():
        b = businesses.add_business(s, slug, profile_text=text, name=name, origin=str(profile or ""))
    err_console.print(f"business '{b.slug}' added" + (" with its profile" if text else ""))


@business_app.command("list")
@friendly_errors
def list_(db: DbOpt = None) -> None:
    """Every business of the store, with its items and profile version."""
    from sqlalchemy import func, select

    from otklik.store import businesses
    from otklik.store.tables import ItemRow

    with _session(db) as s:
        counts = dict(s.execute(select(ItemRow.business_id, func.count()).group_by(ItemRow.business_id)).all())
        for b in businesses.list_businesses(s):
            where = f"profile v{b.version}" if b.stored else "profile from --profile / OTKLIK_PROFILE"
            typer.echo(f"{b.slug:<20} {b.name or '-':<30} items {counts.get(b.id, 0):>7}  {where}")


@business_app.command("show")
@friendly_errors
def show(slug: SlugArg, db: DbOpt = None,
         profile: Annotated[Path | None, typer.Option("--profile", "-p", help="Start-up profile shown for a business that stores none")] = None) -> None:
    """Print the business's profile as YAML (stdout)."""
    from otklik.config import get_settings
    from otklik.profile import load_profile
    from otklik.store import businesses

    with _session(db) as s:
        b = businesses.get_business(s, slug)
        text = businesses.profile_text(s, b.id)
    if text is None:
        text = businesses.profile_to_yaml(load_profile(profile or get_settings().profile))
        err_console.print(f"# '{slug}' stores no profile: this is the start-up profile")
    typer.echo(text.rstrip("\n"))


@business_app.command("set-profile")
@friendly_errors
def set_profile(slug: SlugArg, file: FileArg, db: DbOpt = None,
                by: Annotated[str, typer.Option("--by", help="Who makes the change (recorded)")] = "cli") -> None:
    """Replace the business's profile with FILE, validated first (a bad file changes nothing)."""
    from otklik.store import businesses

    text = _read(file)
    with _session(db) as s, s.begin():
        b = businesses.set_profile(s, slug, text, actor=by, origin=str(file))
    err_console.print(f"profile of '{b.slug}' saved (version {b.version}); drafts from now on use it")


@business_app.command("access")
@friendly_errors
def access(login: Annotated[str, typer.Argument(help="The user's login")],
           slugs: Annotated[list[str] | None, typer.Argument(help="Businesses the user may see (none: every business)")] = None,
           db: DbOpt = None) -> None:
    """Limit a user to some businesses in the web inbox and the API (no SLUG: every business again)."""
    from otklik.store import businesses

    with _session(db) as s, s.begin():
        kept = businesses.set_members(s, login, list(slugs or []))
    err_console.print(f"{login}: " + (", ".join(kept) if kept else "every business"))
