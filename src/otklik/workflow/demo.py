"""`otklik demo`: bundled sample data → a fresh SQLite store → drafted replies → a readable summary."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from sqlalchemy.orm import Session

from otklik.profile import bundled_profile_path, load_profile
from otklik.store import repository as repo
from otklik.store.db import open_store_engine
from otklik.workflow.drafting import draft_pending
from otklik.workflow.exporting import export_rows
from otklik.workflow.importing import import_file

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"


def run_demo(*, db_file: Path, out: Path, show: int = 8, console: Console | None = None) -> dict[str, int]:
    """Run the whole main job on the embedded defaults and print what a seller would see."""
    con = console or Console()
    if db_file.exists():
        db_file.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)
    engine = open_store_engine(f"sqlite:///{db_file}")
    profile = load_profile(bundled_profile_path("clothing"))
    items_file = DEMO_DIR / "items.jsonl"
    imported = import_file(engine, items_file)
    con.print(f"[bold]Otklik demo[/] — {profile.business.name}: imported {imported.added} reviews and questions into {db_file}")
    with con.status("analysing and drafting…"):
        res = draft_pending(engine, profile)
    rows = list(export_rows(engine))
    engine.dispose()
    with out.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    sentiments = Counter(r["sentiment"] for r in rows)
    kinds = Counter(r["kind"] for r in rows)
    complaints = Counter(m["id"] for r in rows for m in r["aspects"] if m["sentiment"] in ("negative", "mixed"))
    fakes = [r for r in rows if r["fake_signals"]]
    handoffs = [r for r in rows if r["reply_type"] == "handoff" or r["needs_human"]]

    t = Table(title="What came in", show_header=True)
    t.add_column("measure")
    t.add_column("count", justify="right")
    t.add_row("reviews / questions", f"{kinds.get('review', 0)} / {kinds.get('question', 0)}")
    for s in ("positive", "mixed", "neutral", "negative"):
        t.add_row(f"  {s}", str(sentiments.get(s, 0)))
    t.add_row("complaints (problem)", str(sum(1 for r in rows if r["problem"])))
    t.add_row("suspected fakes", str(len(fakes)))
    t.add_row("drafted replies", str(res.drafted))
    t.add_row("need a person", str(len(handoffs)))
    con.print(t)
    if complaints:
        c = Table(title="Top complaint causes")
        c.add_column("aspect")
        c.add_column("reviews", justify="right")
        for aspect, n in complaints.most_common(6):
            c.add_row(aspect, str(n))
        con.print(c)

    by_priority = sorted(rows, key=lambda r: -(r["priority"] or 0))
    picked: list[dict] = []
    seen_kinds: set[str] = set()
    for r in by_priority:  # one of each kind first, then by priority
        key = r["reply_type"] + ("-fake" if r["fake_signals"] else "") + r["sentiment"]
        if key not in seen_kinds:
            picked.append(r)
            seen_kinds.add(key)
    picked += [r for r in by_priority if r not in picked]
    for r in picked[:show]:
        head = f"{r['id']} · {r['kind']} · {r['rating'] or '–'}★ · {r['sentiment']} · {r['author'] or 'без автора'}"
        body = f"[dim]{escape(r['text'])}[/]\n\n"
        if r["reply"]:
            body += f"[green]{escape(r['reply'])}[/]"
        else:
            body += "[yellow](ответ не составлен)[/]"
        if r["fake_signals"]:
            body += "\n[red]признаки фейка: " + escape("; ".join(s["evidence"] for s in r["fake_signals"])) + "[/]"
        if r["needs_human"]:
            body += "\n[yellow]нужен человек[/]"
        con.print(Panel(body, title=escape(head), title_align="left"))
    con.print(f"All {len(rows)} items with their replies: {out}. Store: {db_file}.")
    with Session(open_store_engine(f"sqlite:///{db_file}")) as s:
        stored = repo.count_items(s)
    return {"items": stored, "drafted": res.drafted, "fakes": len(fakes), "handoffs": len(handoffs)}
