"""The public JSONL contract of `otklik analyze` and `otklik draft`. Keep it stable.

analyze: {"id", "kind", "sentiment", "problem", "aspects": [{"id", "sentiment"}], "customer_name",
          "customer_gender", "is_question", "fake_signals": [{"id", "evidence"}], "priority"}
draft:   the above + {"reply", "reply_type", "lint": [{"rule", "message"}], "needs_human", "reasons"}
"""

from __future__ import annotations

from typing import Any

from otklik.domain import Analysis, Draft, Item

ANALYZE_KEYS = (
    "id", "kind", "sentiment", "problem", "aspects", "customer_name", "customer_gender",
    "is_question", "fake_signals", "priority", "confidence", "doubts",
)
DRAFT_KEYS = (*ANALYZE_KEYS, "reply", "reply_type", "lint", "needs_human", "reasons")


def analysis_record(item: Item, a: Analysis) -> dict[str, Any]:
    return {
        "id": item.external_id,
        "kind": str(a.kind),
        "sentiment": str(a.sentiment),
        "problem": bool(a.problem),
        "aspects": [{"id": m.id, "sentiment": str(m.sentiment)} for m in a.aspects],
        "customer_name": a.customer_name,
        "customer_gender": a.customer_gender,
        "is_question": bool(a.is_question),
        "fake_signals": [{"id": s.id, "evidence": s.evidence} for s in a.fake_signals],
        "priority": round(float(a.priority), 4),
        "confidence": round(float(a.confidence), 3),
        "doubts": list(a.doubts),
    }


def draft_record(item: Item, a: Analysis, d: Draft) -> dict[str, Any]:
    rec = analysis_record(item, a)
    rec.update(
        reply=d.text,
        reply_type=str(d.reply_type),
        lint=[{"rule": f.rule, "message": f.message} for f in d.lint],
        needs_human=bool(d.needs_human),
        reasons=list(d.reasons),
    )
    return rec
