"""JSON API: the inbox and the review actions."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import BaseModel, Field

from otklik.web.deps import EngineDep, ProfileDep
from otklik.workflow import review

router = APIRouter(tags=["inbox"])


class ApproveIn(BaseModel):
    text: str | None = Field(default=None, max_length=10_000)
    by: str = Field(default="operator", max_length=100)
    force: bool = False
    source: str | None = None


class RejectIn(BaseModel):
    note: str = Field(default="", max_length=2000)
    by: str = Field(default="operator", max_length=100)
    source: str | None = None


@router.get("/items")
def list_items(engine: EngineDep, limit: int = 50, include_done: bool = False) -> list[dict]:
    return [asdict(e) for e in review.inbox(engine, limit=min(limit, 500), include_done=include_done)]


@router.post("/items/{item_id}/approve")
def approve_item(item_id: str, body: ApproveIn, engine: EngineDep, profile: ProfileDep) -> dict:
    findings = review.approve(engine, profile, item_id, actor=body.by, text=body.text, source=body.source,
                              force=body.force)
    return {"status": "approved", "lint": [asdict(f) for f in findings]}


@router.post("/items/{item_id}/reject")
def reject_item(item_id: str, body: RejectIn, engine: EngineDep) -> dict:
    review.reject(engine, item_id, actor=body.by, note=body.note, source=body.source)
    return {"status": "rejected"}
