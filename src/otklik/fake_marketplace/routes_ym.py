"""Yandex Market goods feedback and goods questions as documented: POST, businessId in the path,
{status, result} envelopes, pageToken paging, 1..4096 reply text without contacts or outside links."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, date, datetime, time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from otklik.fake_marketplace.state import FakeItem, FakeState

P = "yandex_market"
CONTACTS = re.compile(r"(https?://(?!(?:[\w-]+\.)*market\.yandex\.ru)|www\.|@[\w-]+\.\w|\+?\d[\d\s()-]{9,}\d)", re.I)


def error(code: str, message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"status": "ERROR", "errors": [{"code": code, "message": message}]}, status_code=status)


def _token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"offset": offset}).encode()).decode().rstrip("=")


def _offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["offset"])
    except (ValueError, KeyError, TypeError):
        return 0


def _iso(dt: datetime | str) -> str:
    if isinstance(dt, str):
        return dt
    return dt.astimezone(UTC).isoformat()


def feedback(i: FakeItem) -> dict[str, Any]:
    return {"feedbackId": int(i.id), "createdAt": _iso(i.created), "needReaction": not i.replies,
            "identifiers": {"orderId": 51_000_000_000 + int(i.id) % 1_000_000, "offerId": i.product["offer"]},
            "author": i.author, "description": {"advantages": i.pros, "disadvantages": i.cons, "comment": i.text},
            "media": {"photos": [f"https://avatars.mds.yandex.net/get-market-ugc/{i.id}/{n}/orig" for n in range(i.photos)], "videos": None},
            "statistics": {"rating": i.rating, "commentsCount": len(i.replies), "recommended": (i.rating or 0) >= 4, "paidAmount": 0}}


def question(i: FakeItem, business_id: int) -> dict[str, Any]:
    return {"questionIdentifiers": {"id": int(i.id), "categoryId": 7811901, "offerId": i.product["offer"]},
            "businessId": business_id, "text": i.text, "createdAt": _iso(i.created), "votes": {"likes": 0, "dislikes": 0},
            "author": {"type": "USER", "name": i.author}}


def reply_row(i: FakeItem, c: dict[str, Any]) -> dict[str, Any]:
    row = {"id": int(c["id"]), "text": c["text"], "status": c["state"], "canModify": True,
           "author": {"type": "BUSINESS", "name": "Пример Маркет"}}
    if i.kind == "review":
        row["feedbackId"] = int(i.id)
    else:
        row.update({"questionId": int(i.id), "createdAt": c["at"], "votes": {"likes": 0, "dislikes": 0}, "comments": []})
    return row


def router(state: FakeState) -> APIRouter:
    r = APIRouter()

    async def parse(request: Request, business_id: int) -> tuple[dict[str, Any], int, int] | JSONResponse:
        if str(business_id) != state.creds.ym_business_id:
            return error("FORBIDDEN", "no access to this business", 403)
        try:
            body = await request.json() if await request.body() else {}
        except ValueError:
            return error("BAD_REQUEST", "body is not JSON")
        q = request.query_params
        limit = int(q.get("limit") or 25)
        if not 1 <= limit <= 50:
            return error("BAD_REQUEST", "limit must be 1..50")
        return body, limit, _offset(q.get("pageToken") or q.get("page_token"))

    def page(rows: list[Any], offset: int, limit: int) -> tuple[list[Any], dict[str, str]]:
        chunk = rows[offset : offset + limit]
        return chunk, ({"nextPageToken": _token(offset + limit)} if offset + limit < len(rows) else {})

    @r.post("/v2/businesses/{business_id}/goods-feedback")
    async def feedbacks(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        body, limit, offset = parsed
        with state.lock:
            if body.get("feedbackIds"):
                rows = [i for i in (state.get(P, "review", str(f)) for f in body["feedbackIds"]) if i]
            else:
                start = datetime.fromisoformat(body["dateTimeFrom"].replace("Z", "+00:00")).timestamp() if body.get("dateTimeFrom") else 0
                rows = state.since(P, "review", start, inclusive=False)
                if body.get("reactionStatus") == "NEED_REACTION":
                    rows = [i for i in rows if not i.replies]
            chunk, paging = page(rows, offset, limit)
            result = {"feedbacks": [feedback(i) for i in chunk], "paging": paging}
            return {"status": "OK", "result": state.duplicate_or_remember("ym:feedbacks", result)}

    @r.post("/v2/businesses/{business_id}/goods-feedback/comments")
    async def comments(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        body, limit, offset = parsed
        i = state.get(P, "review", str(body.get("feedbackId")))
        if i is None:
            return error("NOT_FOUND", "feedback not found", 404)
        with state.lock:
            chunk, paging = page([reply_row(i, c) for c in i.replies], offset, limit)
        return {"status": "OK", "result": {"comments": chunk, "paging": paging}}

    @r.post("/v2/businesses/{business_id}/goods-feedback/comments/update")
    async def comment_update(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        body = parsed[0]
        i = state.get(P, "review", str(body.get("feedbackId")))
        text = str((body.get("comment") or {}).get("text") or "")
        if i is None:
            return error("NOT_FOUND", "feedback not found", 404)
        if not 1 <= len(text) <= 4096 or CONTACTS.search(text):
            return error("BAD_REQUEST", "comment text must be 1..4096 characters without contacts or outside links")
        c = state.record_reply(i, text, state.next_reply_id(P), "UNMODERATED")
        return {"status": "OK", "result": reply_row(i, c)}

    @r.post("/v1/businesses/{business_id}/goods-questions")
    async def questions(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        body, limit, offset = parsed
        with state.lock:
            start = datetime.combine(date.fromisoformat(body["dateFrom"]), time(), UTC).timestamp() if body.get("dateFrom") else 0
            rows = state.since(P, "question", start)
            if body.get("dateTo"):
                stop = datetime.combine(date.fromisoformat(body["dateTo"]), time(23, 59, 59), UTC).timestamp()
                rows = [i for i in rows if i.ts <= stop]
            if body.get("needAnswer"):
                rows = [i for i in rows if not i.replies]
            if body.get("sort") == "CREATED_AT_DESC":
                rows = rows[::-1]
            chunk, paging = page(rows, offset, limit)
            result = {"questions": [question(i, business_id) for i in chunk], "paging": paging, "totalCount": len(rows)}
            return {"status": "OK", "result": state.duplicate_or_remember("ym:questions", result)}

    @r.post("/v1/businesses/{business_id}/goods-questions/answers")
    async def answers(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        body, limit, offset = parsed
        i = state.get(P, "question", str(body.get("questionId")))
        if i is None:
            return error("NOT_FOUND", "question not found", 404)
        with state.lock:
            chunk, paging = page([reply_row(i, c) for c in i.replies], offset, limit)
        return {"status": "OK", "result": {"answers": chunk, "paging": paging}}

    @r.post("/v1/businesses/{business_id}/goods-questions/update")
    async def question_update(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        body = parsed[0]
        if body.get("operationType") != "CREATE":
            return error("BAD_REQUEST", "only CREATE is implemented by the fake")
        parent = body.get("parentEntityId") or {}
        i = state.get(P, "question", str(parent.get("id")))
        text = str(body.get("text") or "")
        if i is None or parent.get("type") != "QUESTION":
            return error("NOT_FOUND", "question not found", 404)
        if not 1 <= len(text) <= 5000:
            return error("BAD_REQUEST", "text must be 1..5000 characters")
        c = state.record_reply(i, text, state.next_reply_id(P), "UNMODERATED")
        return {"status": "OK", "result": {"entity": {"id": int(c["id"]), "type": "ANSWER"}}}

    @r.post("/v2/businesses/{business_id}/offer-mappings")
    async def offers(business_id: int, request: Request) -> Any:
        parsed = await parse(request, business_id)
        if isinstance(parsed, JSONResponse):
            return parsed
        wanted = set(parsed[0].get("offerIds") or [])
        rows = [{"offer": {"offerId": p["offer"], "name": p["name"]}} for p in state.bank["products"] if p["offer"] in wanted]
        return {"status": "OK", "result": {"offerMappings": rows, "paging": {}}}

    return r
