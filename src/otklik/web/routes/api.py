"""JSON API: the inbox and the review actions, for a bearer token or a logged-in browser."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from otklik.store import accounts
from otklik.web.auth import Owner, Responder, Viewer
from otklik.web.business import current_business, require_item
from otklik.web.deps import EngineDep
from otklik.web.inbox_params import InboxQueryDep
from otklik.workflow import review

router = APIRouter(tags=["inbox"])


class ApproveIn(BaseModel):
    text: str | None = Field(default=None, max_length=10_000)
    force: bool = False
    source: str | None = None


class RejectIn(BaseModel):
    note: str = Field(default="", max_length=2000)
    source: str | None = None


class UserOut(BaseModel):
    login: str
    role: str


@router.get("/me")
def me(who: Viewer) -> UserOut:
    return UserOut(login=who.account.login, role=who.account.role.value)


@router.get("/items")
def list_items(request: Request, who: Viewer, engine: EngineDep, q: InboxQueryDep, counts: bool = False,
               business: Annotated[str, Query(max_length=64, description="a business's slug (default: the "
                                              "switcher's choice, else the first one you may see)")] = "") -> dict:
    """A page of the inbox, most urgent first, with the filters of the inbox page (`status=open` by
    default; `all`, `draft`, `none`, `approved`, `published`, `attention`); `counts=true` adds the
    counters per status."""
    biz = current_business(request, engine, who)
    found = review.inbox_page(engine, replace(q.flt, business_id=biz.filter_id), page=q.page, per_page=q.per_page,
                              target_hours=biz.profile.reply_target_hours, with_counts=counts)
    out: dict = {"business": biz.business.slug, "total": found.total, "page": found.page, "per_page": found.per_page, "pages": found.pages,
                 "items": [asdict(e) for e in found.entries]}
    if counts:
        out["counts"] = found.counts
    return out


@router.post("/items/{item_id}/approve")
def approve_item(request: Request, item_id: str, body: ApproveIn, who: Responder, engine: EngineDep) -> dict:
    """Approve the draft or `text`; the history records the token's or session's user."""
    biz = current_business(request, engine, who)
    require_item(engine, biz, item_id, body.source)
    findings = review.approve(engine, biz.profile, item_id, actor=who.account.login, text=body.text,
                              source=body.source, force=body.force, business_id=biz.id)
    return {"status": "approved", "lint": [asdict(f) for f in findings]}


@router.post("/items/{item_id}/reject")
def reject_item(request: Request, item_id: str, body: RejectIn, who: Responder, engine: EngineDep) -> dict:
    biz = current_business(request, engine, who)
    require_item(engine, biz, item_id, body.source)
    review.reject(engine, item_id, actor=who.account.login, note=body.note, source=body.source, business_id=biz.id)
    return {"status": "rejected"}


@router.get("/users")
def list_users(_who: Owner, engine: EngineDep) -> list[UserOut]:
    with Session(engine) as s:
        return [UserOut(login=u.login, role=u.role.value) for u in accounts.list_users(s)]
