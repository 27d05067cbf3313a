"""Export stored items with their analyses and replies (CSV, XLSX or JSONL)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.errors import InputError
from otklik.store import repository as repo
from otklik.store.tables import ModeratorReportRow

COLUMNS = (
    "id", "source", "kind", "rating", "author", "product", "created_at", "text", "sentiment", "problem",
    "aspects", "customer_name", "fake_signals", "priority", "reply", "reply_type", "reply_status",
    "needs_human", "lint", "written_by", "follow_up", "follow_up_status", "already_answered", "attention",
    "moderator_report",
)


def export_rows(engine: Engine) -> Iterator[dict[str, Any]]:
    with Session(engine) as session:
        reports = dict(session.execute(select(ModeratorReportRow.item_id, ModeratorReportRow.text)).all())
        for row in repo.all_items(session):
            a = row.analysis.payload if row.analysis else {}
            reply = repo.latest_reply(row)
            follow = repo.latest_reply(row, follow_up=True)
            yield {
                "id": row.external_id,
                "source": row.source,
                "kind": row.kind,
                "rating": row.rating,
                "author": row.author,
                "product": row.product,
                "created_at": row.created_at.isoformat() if row.created_at else None,
                "text": row.text,
                "sentiment": a.get("sentiment"),
                "problem": a.get("problem"),
                "aspects": [{"id": m["id"], "sentiment": m["sentiment"]} for m in a.get("aspects", [])],
                "customer_name": a.get("customer_name"),
                "fake_signals": [{"id": s["id"], "evidence": s["evidence"]} for s in a.get("fake_signals", [])],
                "priority": a.get("priority"),
                "reply": reply.text if reply else None,
                "reply_type": reply.reply_type if reply else None,
                "reply_status": reply.status if reply else None,
                "needs_human": reply.needs_human if reply else None,
                "lint": [{"rule": f["rule"], "message": f["message"]} for f in (reply.lint if reply else [])],
                "written_by": reply.written_by if reply else None,
                "follow_up": follow.text if follow else None,
                "follow_up_status": follow.status if follow else None,
                "already_answered": bool(reply and reply.written_by == "seller"),  # answered outside Otklik
                "attention": row.attention,
                "moderator_report": reports.get(row.id),
            }


def _flat(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def export_file(engine: Engine, path: str | Path) -> int:
    """Write every item to ``path``; the format follows the suffix. Returns the row count."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.parent.is_dir():  # checked before any row is read, so nothing is half-written
        raise InputError(f"folder '{p.parent}' does not exist: create it or choose another path", file=p)
    rows = export_rows(engine)
    n = 0
    if suffix in (".jsonl", ".ndjson"):
        with p.open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
                n += 1
    elif suffix == ".csv":
        with p.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=COLUMNS)
            w.writeheader()
            for r in rows:
                w.writerow({k: safe_cell(_flat(v)) for k, v in r.items()})
                n += 1
    elif suffix == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("otklik")
        ws.append(list(COLUMNS))
        for r in rows:
            ws.append([safe_cell(_flat(r[c])) for c in COLUMNS])
            n += 1
        wb.save(p)
    else:
        raise InputError(f"unsupported export type '{suffix}': use .jsonl, .csv or .xlsx", file=p)
    return n


def safe_cell(value: Any) -> Any:
    """Keep customer text from being read as a spreadsheet formula (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
