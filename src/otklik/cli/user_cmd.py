"""`otklik user add|list|remove` and `otklik token create|list|revoke`: who may use the web inbox and API."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from otklik.cli.console import err_console, friendly_errors
from otklik.errors import InputError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
user_app = typer.Typer(help="People who may use the web inbox: owner, responder or viewer.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts (Authorization: Bearer …); only their hash is stored.",
                        no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL or sqlite:///otklik.db)")]
LoginArg = Annotated[str, typer.Argument(help="The user's login")]
RoleOpt = Annotated[str, typer.Option("--role", help="owner (everything, manages users), responder (approves, edits, "
                                      "rejects replies) or viewer (reads only)")]


def _session(db: str | None):  # noqa: ANN202 - sqlalchemy Session, imported when a command runs
    from sqlalchemy.orm import Session

    from otklik.config import get_settings
    from otklik.store.db import open_store_engine

    return Session(open_store_engine(get_settings(database_url=db).database_url))


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise InputError("empty password")
    return password


@user_app.command("add")
@friendly_errors
def user_add(
    login: LoginArg,
    role: RoleOpt,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin")] = False,
    db: DbOpt = None,
) -> None:
    """Add a user. The password comes from a hidden prompt (or stdin) and is stored as an argon2 hash."""
    from otklik.store import accounts

    parsed = accounts.parse_role(role)
    accounts.normalize_login(login)  # refuse a bad login before asking for a password
    password = _read_password(password_stdin)
    with _session(db) as s, s.begin():
        account = accounts.add_user(s, login, password, parsed)
    err_console.print(f"added {account.login} ({account.role.value})")


@user_app.command("list")
@friendly_errors
def user_list(db: DbOpt = None) -> None:
    """Every user with their role."""
    from otklik.store import accounts

    with _session(db) as s:
        users = accounts.list_users(s)
    if not users:
        err_console.print("no users yet: otklik user add LOGIN --role owner")
    for u in users:
        typer.echo(f"{u.login}\t{u.role.value}")


@user_app.command("remove")
@friendly_errors
def user_remove(login: LoginArg, db: DbOpt = None) -> None:
    """Remove a user with their sessions and API tokens (the last owner stays)."""
    from otklik.store import accounts

    with _session(db) as s, s.begin():
        accounts.remove_user(s, login)
    err_console.print(f"removed {login}")


@token_app.command("create")
@friendly_errors
def token_create(
    login: LoginArg,
    name: Annotated[str, typer.Option("--name", help="What the token is for, e.g. the script's name")] = "",
    db: DbOpt = None,
) -> None:
    """Create an API token acting as LOGIN, with LOGIN's role. It is printed once: copy it now."""
    from otklik.store import accounts

    with _session(db) as s, s.begin():
        token_id, clear = accounts.create_token(s, login, name)
    err_console.print(f"token {token_id} for {login}, shown only now (revoke: otklik token revoke {token_id}):")
    typer.echo(clear)


@token_app.command("list")
@friendly_errors
def token_list(db: DbOpt = None) -> None:
    """Tokens by id, user, name and last use; never the token itself."""
    from otklik.store import accounts

    with _session(db) as s:
        tokens = accounts.list_tokens(s)
    from rich.table import Table

    t = Table()
    for col in ("id", "user", "name", "created", "last used", "state"):
        t.add_column(col)
    for k in tokens:
        t.add_row(str(k.id), k.login, k.name, k.created_at.strftime("%Y-%m-%d %H:%M"),
                  k.last_used_at.strftime("%Y-%m-%d %H:%M") if k.last_used_at else "–",
                  "revoked" if k.revoked else "active")
    err_console.print(t)


@token_app.command("revoke")
@friendly_errors
def token_revoke(token_id: Annotated[int, typer.Argument(help="The token's id (from `otklik token list`)")],
                 db: DbOpt = None) -> None:
    """Revoke a token: every request with it is refused from now on, on every machine."""
    from otklik.store import accounts

    with _session(db) as s, s.begin():
        accounts.revoke_token(s, token_id)
    err_console.print(f"revoked token {token_id}")
