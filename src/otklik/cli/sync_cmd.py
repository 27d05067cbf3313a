"""Marketplace commands: `sync`, `watch`, `publish`, `source add|list`, `fake-marketplace`."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from otklik.errors import ConfigError, OtklikError

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
source_app = typer.Typer(help="Seller accounts on marketplaces (keys stored encrypted).", no_args_is_help=True)
app.add_typer(source_app, name="source")

out = Console(stderr=True)
F = TypeVar("F", bound=Callable[..., Any])

DbOpt = Annotated[str | None, typer.Option("--db", help="Database URL (default: $OTKLIK_DATABASE_URL)")]
ProfileOpt = Annotated[str | None, typer.Option("--profile", "-p", help="Business profile YAML (default: $OTKLIK_PROFILE)")]
BusinessOpt = Annotated[str | None, typer.Option(
    "--business", "-b", help="Only this business's seller accounts (slug; default: every account)")]
SourceArg = Annotated[str | None, typer.Argument(help="Source name (default: every configured source)")]


def _friendly(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except OtklikError as exc:
            out.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _context(db: str | None, profile: str | None, *, need_key: bool = True, need_profile: bool = True):  # noqa: ANN202
    from otklik.config import get_settings
    from otklik.profile import load_profile
    from otklik.store.db import open_store_engine
    from otklik.store.secrets import SecretBox

    settings = get_settings(database_url=db, profile=profile)
    engine = open_store_engine(settings.database_url)
    box = SecretBox.from_settings(settings) if need_key else None
    return settings, engine, box, (load_profile(settings.profile) if need_profile else None)


def _business_id(engine: Any, slug: str | None) -> int | None:
    """The id of ``--business SLUG`` (an error naming the known ones for an unknown slug)."""
    if not slug:
        return None
    from sqlalchemy.orm import Session

    from otklik.store.businesses import get_business

    with Session(engine) as s:
        return get_business(s, slug).id


def _connectors(engine: Any, box: Any, source: str | None, business: str | None = None) -> list[Any]:
    from otklik.sources.registry import build_connector, load_configs

    configs = load_configs(engine, box, [source] if source else None, business_id=_business_id(engine, business))
    if not configs:
        raise ConfigError("no marketplace sources configured; add one with `otklik source add`")
    return [build_connector(c) for c in configs]


@app.command("sync")
@_friendly
def sync_cmd(source: SourceArg = None, db: DbOpt = None, profile: ProfileOpt = None,
             draft: Annotated[bool, typer.Option("--draft/--no-draft", help="Analyse and draft new items")] = True,
             business: BusinessOpt = None) -> None:
    """Bring new reviews and questions from the marketplaces into the store, then draft replies."""
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from otklik.workflow.sync import sync

    _settings, engine, box, prof = _context(db, profile)
    conns = _connectors(engine, box, source, business)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=out, transient=True) as bar:
        task = bar.add_task("syncing", total=None)
        result = sync(engine, conns, prof, draft=draft,
                      progress=lambda r: bar.update(task, description=f"{r.source}/{r.stream}: page {r.pages}, {r.added} new"))
    for s in result.streams:
        out.print(f"{s.source:>16} {s.stream:<10} new {s.added:>6}  updated {s.updated:>5}  pages {s.pages}")
    for name, msg in result.errors.items():
        out.print(f"[red]{name}: {msg}[/]", highlight=False)
    if result.drafted is not None:
        out.print(f"drafted {getattr(result.drafted, 'drafted', 0)} replies")
    if result.errors:
        raise typer.Exit(1)


@app.command("publish")
@_friendly
def publish_cmd(source: SourceArg = None, db: DbOpt = None, profile: ProfileOpt = None) -> None:
    """Post approved replies through the outbox (each exactly once; interrupted sends are reconciled)."""
    from otklik.workflow.publish import publish

    _settings, engine, box, prof = _context(db, profile)
    r = publish(engine, _connectors(engine, box, source), prof)
    out.print(f"sent {r.sent}, found already posted {r.reconciled}, re-queued {r.reposted}, blocked by platform rules "
              f"{r.blocked}, failed {r.failed}, retry later {r.retry_later} (auto-approved {r.auto_approved})")
    for e in r.errors:
        out.print(f"[red]{e}[/]", highlight=False)


@app.command("watch")
@_friendly
def watch_cmd(db: DbOpt = None, profile: ProfileOpt = None,
              interval: Annotated[float | None, typer.Option(help="Seconds between polls (default: each source's own)")] = None,
              publish: Annotated[bool, typer.Option("--publish/--no-publish", help="Also post approved replies")] = True,
              alerts: Annotated[bool, typer.Option("--alerts/--no-alerts", help="Send SLA alerts after each cycle")] = True) -> None:
    """Keep polling every source at its interval: sync, draft, publish, SLA alerts. Ctrl+C stops."""
    from otklik.cli.alerts_cmd import run_quietly
    from otklik.workers.poller import Watcher

    _settings, engine, box, prof = _context(db, profile)
    conns = _connectors(engine, box, None)

    def report(c: Any) -> None:
        if c.error:
            out.print(f"[red]{c.source}: {c.error}[/]", highlight=False)
        elif c.sync and (c.sync.added or (c.publish and c.publish.sent)):
            out.print(f"{c.source}: {c.sync.added} new, {c.publish.sent if c.publish else 0} published")
        if alerts:
            run_quietly(engine, prof, out)

    watcher = Watcher(engine, conns, prof, intervals={c.name: interval for c in conns} if interval else {},
                      do_publish=publish, on_cycle=report)
    out.print(f"watching {', '.join(c.name for c in conns)} (Ctrl+C to stop)")
    try:
        watcher.run()
    except KeyboardInterrupt:
        out.print("stopped")


@source_app.command("add")
@_friendly
def source_add(
    name: Annotated[str, typer.Argument(help="Source name items are stored under, e.g. 'wildberries' or 'ozon-shop2'")],
    platform: Annotated[str, typer.Option(help="ozon | wildberries | yandex_market")],
    api_key_env: Annotated[str | None, typer.Option(help="Read the key from this environment variable (else: prompt)")] = None,
    base_url: Annotated[str | None, typer.Option(help="API base URL (default: the marketplace's; a fake server for tests)")] = None,
    client_id: Annotated[str | None, typer.Option(help="Ozon Client-Id")] = None,
    business_id: Annotated[str | None, typer.Option(help="Yandex Market businessId (кабинет)")] = None,
    poll_interval: Annotated[float | None, typer.Option(help="Seconds between polls in `otklik watch`")] = None,
    token_type: Annotated[str | None, typer.Option(help="Wildberries token type: personal (default) or base (5 req/h)")] = None,
    db: DbOpt = None,
    business: Annotated[str | None, typer.Option("--business", help="The business (slug) this account sells for (default: the store's only or default one)")] = None,
) -> None:
    """Store a seller account. The key is encrypted with OTKLIK_SECRET_KEY and never printed."""
    from sqlalchemy.orm import Session

    from otklik.sources.registry import add_source
    from otklik.store.businesses import resolve_business
    from otklik.store.secrets import Secret

    _settings, engine, box, _prof = _context(db, None, need_profile=False)
    with Session(engine) as s:  # without --business an existing account keeps its business
        owner = resolve_business(s, business)
    raw = os.environ.get(api_key_env, "") if api_key_env else typer.prompt("API key", hide_input=True)
    if not raw:
        raise ConfigError(f"environment variable {api_key_env} is empty or not set")
    add_source(engine, box, name=name, platform=platform, api_key=Secret(raw.strip()), base_url=base_url,
               account_id=client_id or business_id or "", poll_interval=poll_interval,
               options={"token_type": token_type} if token_type else {},
               business_id=owner.id if business else None)
    out.print(f"source '{name}' ({platform}) saved; key stored encrypted" + (f"; business '{owner.slug}'" if business else ""))


@source_app.command("list")
@_friendly
def source_list(db: DbOpt = None) -> None:
    """Configured seller accounts (without keys)."""
    from otklik.sources.registry import list_sources

    _settings, engine, _box, _prof = _context(db, None, need_key=False, need_profile=False)
    for s in list_sources(engine):
        out.print(f"{s['name']:<20} {s['platform']:<14} {s['base_url']}  account={s['account_id'] or '-'}  every {s['poll_interval']:g}s")


@app.command("fake-marketplace")
@_friendly
def fake_marketplace_cmd(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 = any free port)")] = 8780,
    seed: Annotated[int, typer.Option(help="Seed of the generated reviews and questions")] = 7,
    per_kind: Annotated[int, typer.Option(help="Seeded reviews and questions per marketplace")] = 20,
    faults: Annotated[str, typer.Option(help="e.g. 'rate_limit=0.1,error_5xx=0.05,drop_after_accept=0.2,enforce_limits=false'")] = "",
    register: Annotated[bool, typer.Option(help="Also store the fake's three accounts as sources in the database")] = False,
    db: DbOpt = None,
) -> None:
    """Run a local fake of the Ozon, Wildberries and Yandex Market seller APIs (for demos and tests)."""
    from otklik.fake_marketplace import FakeMarketplace, FakeState, Faults

    try:
        fault_cfg = Faults.parse(faults)
    except ValueError as exc:
        raise ConfigError(f"--faults: {exc}") from None
    fake = FakeMarketplace(FakeState(seed=seed, per_kind=per_kind, faults=fault_cfg), host=host, port=port)
    c = fake.state.creds
    if register:
        from otklik.sources.registry import add_source
        from otklik.store.secrets import Secret

        _settings, engine, box, _prof = _context(db, None, need_profile=False)
        add_source(engine, box, name="wildberries", platform="wildberries", api_key=Secret(c.wb_token), base_url=fake.url, poll_interval=5)
        add_source(engine, box, name="ozon", platform="ozon", api_key=Secret(c.ozon_api_key), base_url=fake.url,
                   account_id=c.ozon_client_id, poll_interval=5)
        add_source(engine, box, name="yandex_market", platform="yandex_market", api_key=Secret(c.ym_api_key),
                   base_url=fake.url, account_id=c.ym_business_id, poll_interval=5)
        out.print("registered sources wildberries, ozon, yandex_market → this fake server")
    out.print(f"fake marketplace on {fake.url}  (admin: GET {fake.url}/admin/state, POST /admin/items, GET /admin/posted)")
    out.print(f"  Wildberries token: {c.wb_token}\n  Ozon Client-Id {c.ozon_client_id}, Api-Key {c.ozon_api_key}\n"
              f"  Yandex Market businessId {c.ym_business_id}, Api-Key {c.ym_api_key}   (test credentials, not secrets)")
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        fake.serve_forever()
