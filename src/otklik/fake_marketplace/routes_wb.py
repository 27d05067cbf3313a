"""Wildberries «Вопросы и отзывы» as documented: GET lists with take/skip, 204 answers, envelopes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from otklik.fake_marketplace.state import FakeItem, FakeState

P = "wildberries"


def envelope(data: Any) -> dict[str, Any]:
    return {"data": data, "error": False, "errorText": "", "additionalErrors": None}


def bad(text: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"data": None, "error": True, "errorText": text, "additionalErrors": [text]}, status_code=status)


def _details(i: FakeItem) -> dict[str, Any]:
    p = i.product
    return {"nmId": p["wb"], "imtId": p["wb"] - 25_000_000, "productName": p["name"], "supplierArticle": p["article"],
            "supplierName": "ИП Пример", "brandName": "Пример", "size": i.size}


def _answer(i: FakeItem) -> dict[str, Any] | None:
    if not i.replies:
        return None
    r = i.replies[-1]
    if i.kind == "question":
        return {"text": r["text"], "editable": True, "createDate": r["at"]}
    return {"text": r["text"], "state": r["state"], "editable": True}


def render(i: FakeItem) -> dict[str, Any]:
    created = i.created.astimezone().isoformat()
    if i.kind == "question":
        return {"id": i.id, "text": i.text, "createdDate": created, "state": "wbRu" if i.replies else "suppliersPortalSynch",
                "answer": _answer(i), "productDetails": _details(i), "wasViewed": i.viewed, "isWarned": False}
    return {
        "id": i.id, "text": i.text, "pros": i.pros, "cons": i.cons, "productValuation": i.rating, "createdDate": created,
        "userName": i.author, "state": "wbRu" if i.replies else "none", "wasViewed": i.viewed, "matchingSize": "ok",
        "answer": _answer(i), "productDetails": _details(i),
        "photoLinks": [{"fullSize": f"https://feedback01.wbbasket.ru/{i.id}/{n}/fs.jpg",
                        "miniSize": f"https://feedback01.wbbasket.ru/{i.id}/{n}/ms.jpg"} for n in range(i.photos)] or None,
        "video": None, "isAbleSupplierFeedbackValuation": True, "supplierFeedbackValuation": 0,
        "isAbleSupplierProductValuation": True, "supplierProductValuation": 0, "isAbleReturnProductOrders": False,
        "returnProductOrdersDate": None, "bables": [], "lastOrderShkId": 30111222333, "lastOrderCreatedAt": created,
        "color": i.color, "subjectId": 192, "subjectName": "Одежда", "parentFeedbackId": None, "childFeedbackId": None,
    }


def router(state: FakeState) -> APIRouter:
    r = APIRouter()

    def listing(kind: str, request: Request, is_answered: bool, take: int, skip: int, order: str, date_from: int | None,
                date_to: int | None, nm_id: int | None) -> Any:
        if take + skip > 10_000 or take < 1:
            return bad("take + skip must not exceed 10000")
        with state.lock:
            items = state.since(P, kind, date_from or 0)
            rows = [i for i in items if bool(i.replies) == is_answered and (date_to is None or i.ts <= date_to)
                    and (nm_id is None or i.product["wb"] == nm_id)]
            if order == "dateDesc":
                rows.reverse()
            page = [render(i) for i in rows[skip : skip + take]]
            unanswered = sum(1 for i in state.listing(P, kind) if not i.replies)
            key = "feedbacks" if kind == "review" else "questions"
            data = {"countUnanswered": unanswered, "countArchive": len(state.listing(P, kind)) - unanswered, key: page}
            return envelope(state.duplicate_or_remember(f"{P}:{kind}:{request.headers.get('authorization')}", data))

    @r.get("/api/v1/feedbacks")
    def feedbacks(request: Request, isAnswered: bool, take: int, skip: int, order: str = "dateDesc",  # noqa: N803
                  dateFrom: int | None = None, dateTo: int | None = None, nmId: int | None = None) -> Any:  # noqa: N803
        return listing("review", request, isAnswered, take, skip, order, dateFrom, dateTo, nmId)

    @r.get("/api/v1/questions")
    def questions(request: Request, isAnswered: bool, take: int, skip: int, order: str = "dateDesc",  # noqa: N803
                  dateFrom: int | None = None, dateTo: int | None = None, nmId: int | None = None) -> Any:  # noqa: N803
        return listing("question", request, isAnswered, take, skip, order, dateFrom, dateTo, nmId)

    @r.get("/api/v1/feedback")
    def feedback(id: str = Query(...)) -> Any:  # noqa: A002, B008
        with state.lock:
            i = state.get(P, "review", id)
            return envelope(render(i)) if i else bad("feedback not found", 404)

    @r.get("/api/v1/question")
    def question(id: str = Query(...)) -> Any:  # noqa: A002, B008
        with state.lock:
            i = state.get(P, "question", id)
            return envelope(render(i)) if i else bad("question not found", 404)

    @r.post("/api/v1/feedbacks/answer")
    async def answer(request: Request) -> Any:
        body = await request.json()
        text = str(body.get("text") or "")
        if not 2 <= len(text) <= 5000:
            return bad("text must be 2..5000 characters")
        i = state.get(P, "review", str(body.get("id")))
        if i is not None:  # WB does not validate the id: a wrong id "succeeds" silently
            state.record_reply(i, text, i.id, "reviewRequired")
        return Response(status_code=204)

    @r.patch("/api/v1/questions")
    async def patch_question(request: Request) -> Any:
        body = await request.json()
        i = state.get(P, "question", str(body.get("id")))
        if i is None:
            return bad("question not found", 404)
        if "wasViewed" in body:
            i.viewed = bool(body["wasViewed"])
        text = str((body.get("answer") or {}).get("text") or "")
        if text:
            state.record_reply(i, text, i.id, "reviewRequired" if body.get("state") == "wbRu" else "none")
        return envelope(None)

    @r.get("/api/v1/new-feedbacks-questions")
    def news() -> Any:
        with state.lock:
            return envelope({"hasNewFeedbacks": any(not i.replies for i in state.listing(P, "review")),
                             "hasNewQuestions": any(not i.replies for i in state.listing(P, "question"))})

    return r
