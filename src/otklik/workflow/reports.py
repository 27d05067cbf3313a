"""Moderator reports for suspected fakes (F-REPORT): listed for a person and exported to send on."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from otklik.errors import InputError
from otklik.store.tables import ItemRow, ModeratorReportRow
from otklik.workflow.exporting import safe_cell

EXPORT_FIELDS = ("item_id", "source", "rating", "status", "request_deletion", "signals", "text", "created_at")


@dataclass(slots=True)
class ReportView:
    item_id: str
    source: str
    rating: int | None
    status: str
    request_deletion: bool
    signals: list[str]  # the evidence, one line per signal
    text: str  # the report body for the platform's moderator
    created_at: datetime


def list_reports(engine: Engine) -> list[ReportView]:
    """Every prepared moderator report, newest first."""
    with Session(engine) as s:
        q = (select(ModeratorReportRow, ItemRow)
             .join(ItemRow, ItemRow.id == ModeratorReportRow.item_id)
             .order_by(ModeratorReportRow.created_at.desc(), ModeratorReportRow.id.desc()))
        return [
            ReportView(item.external_id, item.source, item.rating, rep.status, rep.request_deletion,
                       [str(r.get("evidence", "")) for r in rep.reasons or []], rep.text, rep.created_at)
            for rep, item in s.execute(q)
        ]


def export_reports(engine: Engine, path: str | Path) -> int:
    """Write the reports to ``path`` (.jsonl or .csv); returns how many."""
    p = Path(path)
    if not p.parent.is_dir():
        raise InputError(f"folder '{p.parent}' does not exist: create it or choose another path", file=p)
    suffix = p.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise InputError(f"unsupported report export type '{suffix}': use .jsonl or .csv", file=p)
    reports = [asdict(r) | {"created_at": r.created_at.isoformat()} for r in list_reports(engine)]
    if suffix == ".jsonl":
        p.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    else:
        with p.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=EXPORT_FIELDS)
            w.writeheader()
            for r in reports:
                w.writerow({k: safe_cell(v) for k, v in (r | {"signals": "\n".join(r["signals"])}).items()})
    return len(reports)
