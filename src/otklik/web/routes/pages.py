"""HTML pages. Review text is untrusted: templates autoescape every value."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from otklik.errors import WorkflowError
from otklik.insights import complaint_stats
from otklik.insights.report import render_html
from otklik.web.deps import EngineDep, ProfileDep
from otklik.workflow import review

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def inbox_page(request: Request, engine: EngineDep, profile: ProfileDep, done: bool = False, msg: str = "") -> HTMLResponse:
    entries = review.inbox(engine, limit=200, include_done=done)
    return request.app.state.templates.TemplateResponse(
        request, "inbox.html", {"entries": entries, "business": profile.business.name, "msg": msg, "done": done}
    )


@router.post("/items/{item_id}/approve")
def approve_form(
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
    return RedirectResponse(f"/?msg={_q(msg)}", status_code=303)


@router.post("/items/{item_id}/reject")
def reject_form(item_id: str, engine: EngineDep) -> RedirectResponse:
    try:
        review.reject(engine, item_id, actor="web")
        msg = f"{item_id}: отклонено"
    except WorkflowError as exc:
        msg = f"{item_id}: {exc}"
    return RedirectResponse(f"/?msg={_q(msg)}", status_code=303)


@router.get("/insights", response_class=HTMLResponse)
def insights_page(engine: EngineDep, profile: ProfileDep) -> HTMLResponse:
    return HTMLResponse(render_html(complaint_stats(engine), business=profile.business.name))


def _q(s: str) -> str:
    from urllib.parse import quote

    return quote(s[:300])
