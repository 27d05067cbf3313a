"""HTML pages. Review text is untrusted: templates autoescape every value."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from otklik.datafiles import load_yaml_mapping
from otklik.errors import ProfileError, WorkflowError
from otklik.insights import complaint_stats
from otklik.insights.report import render_html
from otklik.profile import BusinessProfile
from otklik.store import accounts
from otklik.store.accounts import Role
from otklik.web.auth import ROLE_NAMES, Owner, Principal, Responder, Viewer
from otklik.web.business import current_business
from otklik.web.deps import EngineDep
from otklik.web.inbox_params import InboxQueryDep
from otklik.web.security import notice_is_ours, sign_notice
from otklik.workflow import review

router = APIRouter(include_in_schema=False)


def page(request: Request, name: str, principal: Principal, **context: object) -> HTMLResponse:
    """A page for a logged-in person: who they are, the logout form and (with ``biz``) the business
    switcher come with every page."""
    return request.app.state.templates.TemplateResponse(
        request, name, {"principal": principal, "role_name": ROLE_NAMES[principal.account.role], **context})


STATUS_NAMES = {"open": "ждут решения", "draft": "черновик", "none": "нет черновика", "approved": "одобрены",
                "published": "опубликованы", "attention": "отзыв изменён", "all": "все"}
SENTIMENT_NAMES = {"negative": "отрицательная", "mixed": "смешанная", "neutral": "нейтральная",
                   "positive": "положительная"}
KIND_NAMES = {"review": "отзыв", "question": "вопрос"}
TAXONOMY = Path(__file__).resolve().parents[2] / "understand" / "data" / "taxonomy.yaml"


def aspect_names(profile: BusinessProfile) -> dict[str, str]:
    """Aspect id → Russian name for the filter's list (the taxonomy's and the business's own); read once
    by the app factory."""
    data = load_yaml_mapping(TAXONOMY, ProfileError, "aspect taxonomy")
    names = {a["id"]: a.get("name", a["id"]) for a in data.get("aspects", [])}
    names.update({a.id: a.name for a in profile.aspects})
    return names


@router.get("/", response_class=HTMLResponse)
def inbox_page(
    request: Request, who: Viewer, engine: EngineDep, q: InboxQueryDep, msg: str = "", sig: str = "",
) -> HTMLResponse:
    if msg and not notice_is_ours(_notice_key(who), msg, sig):
        msg = ""  # a notice in a link from elsewhere is never shown
    biz = current_business(request, engine, who)
    if request.query_params.get("business"):
        q.raw["business"] = biz.business.slug  # the paging links stay in this business
    flt = replace(q.flt, business_id=biz.filter_id)
    found = review.inbox_page(engine, flt, page=q.page, per_page=q.per_page,
                              target_hours=biz.profile.reply_target_hours, with_counts=True)
    return page(request, "inbox.html", who, found=found, entries=found.entries, q=q, flt=flt, biz=biz,
                business=biz.name, msg=msg, can_respond=who.can(Role.responder),
                can_manage=who.can(Role.owner), status_names=STATUS_NAMES, sentiment_names=SENTIMENT_NAMES,
                kind_names=KIND_NAMES, aspects=biz.tools.aspect_names)


@router.post("/items/{item_id}/approve", response_model=None)
def approve_form(
    request: Request,
    item_id: str,
    who: Responder,
    engine: EngineDep,
    text: Annotated[str, Form(max_length=10_000)] = "",
    force: Annotated[bool, Form()] = False,
    source: Annotated[str, Form(max_length=64)] = "",
    follow_up: Annotated[bool | None, Form()] = None,
) -> RedirectResponse | HTMLResponse:
    biz = current_business(request, engine, who)
    try:
        findings = review.approve(engine, biz.profile, item_id, actor=who.account.login, text=text or None,
                                  force=force, follow_up=follow_up, source=source or None, business_id=biz.id)
        msg = f"{item_id}: одобрено" + (f" (замечаний: {len(findings)})" if findings else "")
    except WorkflowError as exc:  # the card, with the person's text kept and the refusal in full
        from otklik.web.routes.actions import card_page

        return card_page(request, who, engine, item_id, source=source or None, text=text, error=exc.ru, status=409)
    return _back(who, msg)


@router.post("/items/{item_id}/reject")
def reject_form(request: Request, item_id: str, who: Responder, engine: EngineDep) -> RedirectResponse:
    biz = current_business(request, engine, who)
    try:
        review.reject(engine, item_id, actor=who.account.login, business_id=biz.id)
        msg = f"{item_id}: отклонено"
    except WorkflowError as exc:
        msg = f"{item_id}: {exc}"
    return _back(who, msg)


@router.get("/insights", response_class=HTMLResponse)
def insights_page(request: Request, who: Viewer, engine: EngineDep) -> HTMLResponse:
    biz = current_business(request, engine, who)
    return HTMLResponse(render_html(complaint_stats(engine, business_id=biz.filter_id), business=biz.name))


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, who: Owner, engine: EngineDep) -> HTMLResponse:
    with Session(engine) as s:
        users = accounts.list_users(s)
    return page(request, "users.html", who, users=users, role_names=ROLE_NAMES)


def _notice_key(who: Principal) -> bytes:
    """Notices are signed with the session's own secret: valid on every machine, for this session only."""
    return (who.csrf or "").encode()


def _back(who: Principal, msg: str) -> RedirectResponse:
    """Back to the inbox with a notice the page will trust because this app signed it."""
    msg = msg[:300]
    return RedirectResponse(f"/?msg={quote(msg)}&sig={sign_notice(_notice_key(who), msg)}", status_code=303)
