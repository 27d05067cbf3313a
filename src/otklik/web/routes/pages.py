"""HTML pages. Review text is untrusted: templates autoescape every value."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from otklik.errors import WorkflowError
from otklik.insights import complaint_stats
from otklik.insights.report import render_html
from otklik.web.deps import EngineDep, ProfileDep
from otklik.web.security import notice_is_ours, sign_notice
from otklik.workflow import review

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def inbox_page(
    request: Request, engine: EngineDep, profile: ProfileDep, done: bool = False, msg: str = "", sig: str = ""
) -> HTMLResponse:
    if msg and not notice_is_ours(request.app.state.notice_key, msg, sig):
        msg = ""  # a notice in a link from elsewhere is never shown
    entries = review.inbox(engine, limit=200, include_done=done)
    return request.app.state.templates.TemplateResponse(
        request, "inbox.html", {"entries": entries, "business": profile.business.name, "msg": msg, "done": done}
    )


@router.post("/items/{item_id}/approve")
def approve_form(
    request: Request,
    item_id: str,
    engine: EngineDep,
    profile: ProfileDep,
    text: Annotated[str, Form()] = "",
    force: Annotated[bool, Form()] = False,
) -> RedirectResponse:
    try:
        findings = review.approve(engine, profile, item_id, actor="web", text=text or None, force=force)
        msg = f"{item_id}: одобрено" + (f" (замечаний: {len(findings)})" if findings else "")
    except WorkflowError as exc:
        msg = f"{item_id}: {exc}"
    return _back(request, msg)


@router.post("/items/{item_id}/reject")
def reject_form(request: Request, item_id: str, engine: EngineDep) -> RedirectResponse:
    try:
        review.reject(engine, item_id, actor="web")
        msg = f"{item_id}: отклонено"
    except WorkflowError as exc:
        msg = f"{item_id}: {exc}"
    return _back(request, msg)


@router.get("/insights", response_class=HTMLResponse)
def insights_page(engine: EngineDep, profile: ProfileDep) -> HTMLResponse:
    return HTMLResponse(render_html(complaint_stats(engine), business=profile.business.name))


def _back(request: Request, msg: str) -> RedirectResponse:
    """Back to the inbox with a notice the page will trust because this app signed it."""
    from urllib.parse import quote

    msg = msg[:300]
    sig = sign_notice(request.app.state.notice_key, msg)
    return RedirectResponse(f"/?msg={quote(msg)}&sig={sig}", status_code=303)
