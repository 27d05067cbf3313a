"""The item card and the actions beside approve/reject: live lint, regenerate, bulk approval.

Pages (``router``) take the session cookie and its CSRF token; the same actions as JSON
(``api_router``, under /api) take a bearer token too. Refusals are said in Russian, in full.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from otklik.domain import LintFinding, ReplyStatus
from otklik.errors import WorkflowError
from otklik.lint import lint_reply
from otklik.store import repository as repo
from otklik.store.accounts import Role
from otklik.web.auth import ROLE_NAMES, Principal, Responder, Viewer
from otklik.web.business import CurrentBusiness, current_business, require_item
from otklik.web.deps import EngineDep
from otklik.web.labels import Labels
from otklik.web.resources import MemoryView, WebResources
from otklik.web.security import notice_is_ours, sign_notice
from otklik.workflow import bulk
from otklik.workflow.card import item_card
from otklik.workflow.regenerate import regenerate
from otklik.workflow.review import find_item

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["item actions"])

APPROVED_SAFE = "Одобрено ответов на положительные отзывы: {n}."
SKIPPED_SAFE = " Оставлено для проверки человеком (изменились или линтер нашёл замечание): {n}."
REGENERATED = "Черновик написан заново. Прочтите его перед одобрением."
REGENERATED_EMPTY = "Новый вариант не получился: каждый повторял прежний ответ. Напишите ответ сами."


# -- helpers ----------------------------------------------------------------------------------
def _notice_key(who: Principal) -> bytes:
    """The inbox's own key for notices (see pages.py): the session's secret, valid on every machine."""
    return (who.csrf or "").encode()


def _card_url(item_id: str, source: str | None, who: Principal, msg: str = "") -> str:
    query: dict[str, str] = {"source": source} if source else {}
    if msg:
        query |= {"msg": msg, "sig": sign_notice(_notice_key(who), msg)}
    return f"/items/{quote(item_id, safe='')}" + (f"?{urlencode(query)}" if query else "")


def _inbox_url(who: Principal, msg: str) -> str:
    return f"/?msg={quote(msg)}&sig={sign_notice(_notice_key(who), msg)}"


def _findings(findings: list[LintFinding]) -> list[dict[str, str]]:
    return [{"rule": f.rule, "message": f.message, "severity": f.severity} for f in findings]


def card_page(
    request: Request, who: Principal, engine: EngineDep, item_id: str, *, source: str | None = None,
    text: str | None = None, error: str = "", msg: str = "", status: int = 200,
) -> HTMLResponse:
    """The card; ``text`` and ``error`` keep a person's edit and say why it was refused."""
    biz = current_business(request, engine, who)
    try:
        card = item_card(engine, item_id, source=source, business_id=biz.id)
    except WorkflowError as exc:
        raise HTTPException(404, exc.ru) from exc
    editing = card.editing
    reply_text = text if text is not None else (editing.text if editing else None)
    findings = None
    if text is not None and card.sentiment is not None:  # a refused edit: what the linter says of it
        findings = live_lint(engine, biz, card.item_id, text, card.source)
    return request.app.state.templates.TemplateResponse(request, "item.html", {
        "principal": who, "role_name": ROLE_NAMES[who.account.role], "card": card, "labels": Labels(biz.profile),
        "biz": biz,
        "reply_text": reply_text or "", "editing": editing, "findings": findings, "edited": text is not None, "error": error, "msg": msg,
        "can_respond": who.can(Role.responder)}, status_code=status)


# -- the card ---------------------------------------------------------------------------------
@router.get("/items/{item_id}", response_class=HTMLResponse)
def item_page(request: Request, item_id: str, who: Viewer, engine: EngineDep, source: str | None = None,
              msg: str = "", sig: str = "") -> HTMLResponse:
    if msg and not notice_is_ours(_notice_key(who), msg, sig):
        msg = ""  # a notice in a link from elsewhere is never shown
    return card_page(request, who, engine, item_id, source=source or None, msg=msg)


@router.post("/items/{item_id}/regenerate")
def regenerate_form(request: Request, item_id: str, who: Responder, engine: EngineDep,
                    source: Annotated[str, Form(max_length=64)] = "") -> RedirectResponse:
    biz = current_business(request, engine, who)
    try:
        draft = regenerate(engine, biz.profile, item_id, actor=who.account.login, source=source or None,
                           analyzer=biz.tools.analyzer, business_id=biz.id)
        msg = REGENERATED if draft.text else REGENERATED_EMPTY
    except WorkflowError as exc:
        msg = exc.ru
    return RedirectResponse(_card_url(item_id, source or None, who, msg), status_code=303)


# -- bulk approval of safe positives ----------------------------------------------------------
@router.get("/approve-safe", response_class=HTMLResponse)
def approve_safe_page(request: Request, who: Responder, engine: EngineDep) -> HTMLResponse:
    biz = current_business(request, engine, who)
    preview = bulk.safe_positives(engine, business_id=biz.id)
    return request.app.state.templates.TemplateResponse(request, "approve_safe.html", {
        "principal": who, "role_name": ROLE_NAMES[who.account.role], "drafts": preview.drafts, "biz": biz,
        "total": preview.total})


@router.post("/approve-safe")
def approve_safe_form(request: Request, who: Responder, engine: EngineDep,
                      reply: Annotated[list[int] | None, Form()] = None) -> RedirectResponse:
    """Approves exactly the drafts the confirmation page listed (and still safe now)."""
    biz = current_business(request, engine, who)
    done = bulk.approve_safe(engine, biz.profile, actor=who.account.login, only=reply or [], linter=biz.tools.linter,
                             business_id=biz.id)
    msg = APPROVED_SAFE.format(n=len(done.approved)) + (SKIPPED_SAFE.format(n=done.skipped) if done.skipped else "")
    return RedirectResponse(_inbox_url(who, msg), status_code=303)


# -- JSON -------------------------------------------------------------------------------------
class LintIn(BaseModel):
    item_id: str = Field(max_length=128)
    text: str = Field(max_length=10_000)
    source: str | None = Field(default=None, max_length=64)


class LintOut(BaseModel):
    findings: list[dict[str, str]]
    errors: int
    warnings: int


class SafeOut(BaseModel):
    reply_id: int
    item_id: str
    source: str
    rating: int | None
    review: str
    reply: str


class SafeListOut(BaseModel):
    count: int  # listed here: at most one action's worth
    total: int  # all drafts that look safe now
    items: list[SafeOut]


class ApproveSafeIn(BaseModel):
    reply_ids: list[int] | None = Field(default=None, description="what you confirmed (from GET); omit: all safe now")


class ApproveSafeOut(BaseModel):
    approved: int
    skipped: int
    items: list[SafeOut]


class RegenerateIn(BaseModel):
    source: str | None = Field(default=None, max_length=64)


class RegenerateOut(BaseModel):
    status: str
    text: str | None
    needs_human: bool
    reasons: list[str]


def live_lint(engine: EngineDep, biz: CurrentBusiness, item_id: str, text: str,
              source: str | None) -> list[LintFinding]:
    """The linter approval runs, with the business's profile; R-UNIQUE against the latest 5,000
    replies but the item's own."""
    res: WebResources = biz.resources
    with Session(engine) as s:
        row = find_item(s, item_id, source, business_id=biz.id)
        if row.analysis is None:
            raise WorkflowError(f"item '{item_id}' is not analysed yet", ru=f"«{item_id}» ещё не разобран.")
        main, follow = repo.latest_reply(row), repo.latest_reply(row, follow_up=True)
        follow_up = follow is not None and follow.status == ReplyStatus.DRAFT and (  # as approve() chooses
            main is None or main.status != ReplyStatus.DRAFT)
        item, analysis = repo.row_to_item(row), repo.analysis_from_dict(row.analysis.payload)
        platform, own = repo.platform_of(s, row.source), [r.text or "" for r in row.replies]
    linter = biz.tools.linter
    with res.memory_lock:
        memory = MemoryView(res.live_memory(engine), own)
        return lint_reply(text, item=item, analysis=analysis, profile=biz.profile, platform=platform,
                          memory=memory, linter=linter, follow_up=follow_up)  # type: ignore[arg-type]


@api_router.post("/lint")
def lint_text(request: Request, body: LintIn, who: Viewer, engine: EngineDep) -> LintOut:
    """Lint a reply text against an item as it is typed; approval lints again on the server."""
    biz = current_business(request, engine, who)
    try:
        found = live_lint(engine, biz, body.item_id, body.text, body.source)
    except WorkflowError as exc:
        raise HTTPException(404, exc.ru) from exc
    return LintOut(findings=_findings(found), errors=sum(f.severity == "error" for f in found),
                   warnings=sum(f.severity == "warning" for f in found))


@api_router.post("/items/{item_id}/regenerate")
def regenerate_item(request: Request, item_id: str, who: Responder, engine: EngineDep,
                    body: RegenerateIn | None = None) -> RegenerateOut:
    """Draft again with fresh dice; the new draft is held for a person."""
    biz = current_business(request, engine, who)
    require_item(engine, biz, item_id, body.source if body else None)
    try:
        d = regenerate(engine, biz.profile, item_id, actor=who.account.login, source=body.source if body else None,
                       analyzer=biz.tools.analyzer, business_id=biz.id)
    except WorkflowError as exc:
        raise HTTPException(409, exc.ru) from exc
    return RegenerateOut(status="draft", text=d.text, needs_human=d.needs_human, reasons=list(d.reasons))


def _out(d: bulk.SafeDraft) -> SafeOut:
    return SafeOut(reply_id=d.reply_id, item_id=d.item_id, source=d.source, rating=d.rating, review=d.review,
                   reply=d.reply)


@api_router.get("/approve-safe")
def list_safe(request: Request, who: Responder, engine: EngineDep) -> SafeListOut:
    """The drafts a bulk approval would approve now (at most 500 at a time): positive 4–5★, not
    held, lint-clean, no question. Approval lints each again."""
    preview = bulk.safe_positives(engine, business_id=current_business(request, engine, who).id)
    return SafeListOut(count=len(preview.drafts), total=preview.total, items=[_out(d) for d in preview.drafts])


@api_router.post("/approve-safe")
def approve_safe(request: Request, body: ApproveSafeIn, who: Responder, engine: EngineDep) -> ApproveSafeOut:
    biz = current_business(request, engine, who)
    done = bulk.approve_safe(engine, biz.profile, actor=who.account.login, only=body.reply_ids,
                             linter=biz.tools.linter, business_id=biz.id)
    return ApproveSafeOut(approved=len(done.approved), skipped=done.skipped, items=[_out(d) for d in done.approved])
