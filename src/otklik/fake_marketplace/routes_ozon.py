"""Ozon Seller API reviews and questions as documented: POST + JSON, last_id cursors, rpcStatus errors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from otklik.fake_marketplace.state import FakeItem, FakeState

P = "ozon"


def err(message: str, status: int = 400, code: int = 3) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "details": []}, status_code=status)


def _iso(i: FakeItem) -> str:
    return i.created.isoformat().replace("+00:00", "Z")


def review(i: FakeItem, *, info: bool = False) -> dict[str, Any]:
    owner = list(i.replies)
    row = {"id": i.id, "sku": i.product["ozon"], "text": i.text, "rating": i.rating, "published_at": _iso(i),
           "status": "PROCESSED" if owner else ("VIEWED" if i.viewed else "NEW"), "order_status": "DELIVERED",
           "is_rating_participant": True, "comments_amount": len(owner), "photos_amount": i.photos, "videos_amount": 0}
    if info:
        row.update({"likes_amount": 0, "dislikes_amount": 0, "videos": [],
                    "photos": [{"url": f"https://ir.ozone.ru/s3/rp-photo-{n}/{i.id}.jpeg", "width": 800, "height": 1066} for n in range(i.photos)]})
    return row


def question(i: FakeItem) -> dict[str, Any]:
    sku = i.product["ozon"]
    return {"id": i.id, "sku": sku, "text": i.text, "author_name": "Пользователь OZON", "published_at": _iso(i),
            "status": "PROCESSED" if i.replies else "NEW", "answers_count": len(i.replies),
            "product_url": f"https://www.ozon.ru/product/{sku}/", "question_link": f"https://www.ozon.ru/product/{sku}/questions/?qid={i.id}"}


def _after(state: FakeState, kind: str, items: list[FakeItem], last_id: str, ascending: bool) -> list[FakeItem]:
    """Items after ``last_id`` in the listing order (``items`` is already in that order)."""
    anchor = state.get(P, kind, last_id) if last_id else None
    if anchor is None:
        return items
    return items[anchor.pos + 1 :] if ascending else items[len(items) - anchor.pos :]


def router(state: FakeState) -> APIRouter:
    r = APIRouter()

    async def body_of(request: Request) -> dict[str, Any]:
        try:
            data = await request.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    @r.post("/v2/review/list")
    async def review_list(request: Request) -> Any:
        b = await body_of(request)
        limit = b.get("limit")
        if not isinstance(limit, int) or not 20 <= limit <= 100:
            return err("limit must be between 20 and 100")
        with state.lock:
            items = state.listing(P, "review")
            ascending = b.get("sort_dir", "ASC") != "DESC"
            rest = _after(state, "review", items if ascending else items[::-1], str(b.get("last_id") or ""), ascending)
            page = rest[:limit]
            data = {"has_next": len(rest) > limit, "last_id": page[-1].id if page else str(b.get("last_id") or ""),
                    "reviews": [review(i) for i in page]}
            return state.duplicate_or_remember("ozon:reviews", data)

    @r.post("/v2/review/info")
    async def review_info(request: Request) -> Any:
        i = state.get(P, "review", str((await body_of(request)).get("review_id")))
        return review(i, info=True) if i else err("review not found", 404, 5)

    @r.post("/v1/review/comment/create")
    async def comment_create(request: Request) -> Any:
        b = await body_of(request)
        i = state.get(P, "review", str(b.get("review_id")))
        text = str(b.get("text") or "")
        if i is None:
            return err("review not found", 404, 5)
        if not text:
            return err("text is required")
        reply = state.record_reply(i, text, state.next_reply_id(P), "AWAITING_MODERATION", parent=b.get("parent_comment_id") or "")
        return {"comment_id": reply["id"]}

    @r.post("/v1/review/comment/list")
    async def comment_list(request: Request) -> Any:
        b = await body_of(request)
        limit, offset = int(b.get("limit") or 0), int(b.get("offset") or 0)
        if not 20 <= limit <= 100:
            return err("limit must be between 20 and 100")
        i = state.get(P, "review", str(b.get("review_id")))
        if i is None:
            return err("review not found", 404, 5)
        with state.lock:
            visible = [c for c in i.replies if c["state"] == "PUBLISHED" or not state.faults.hide_unmoderated]
            rows = visible[offset : offset + limit]
            return {"comments": [{"id": c["id"], "text": c["text"], "published_at": c["at"], "parent_comment_id": c.get("parent", ""),
                                  "is_owner": True, "is_official": False, "is_published": c["state"] == "PUBLISHED",
                                  "is_rejected": False, "deviation_reason": "", "likes_amount": 0, "dislikes_amount": 0}
                                 for c in rows], "offset": offset + len(rows)}

    @r.post("/v1/question/list")
    async def question_list(request: Request) -> Any:
        b = await body_of(request)
        limit = min(int(b.get("limit") or 100), 100)
        with state.lock:
            items = state.listing(P, "question")
            ascending = b.get("sort_dir", "DESC") == "ASC"
            rest = _after(state, "question", items if ascending else items[::-1], str(b.get("last_id") or ""), ascending)
            page = rest[:limit]
            data = {"questions": [question(i) for i in page], "last_id": page[-1].id if page else str(b.get("last_id") or ""),
                    "has_next": len(rest) > limit}
            return state.duplicate_or_remember("ozon:questions", data)

    @r.post("/v1/question/info")
    async def question_info(request: Request) -> Any:
        i = state.get(P, "question", str((await body_of(request)).get("question_id")))
        return question(i) if i else err("question not found", 404, 5)

    @r.post("/v1/question/answer/create")
    async def answer_create(request: Request) -> Any:
        b = await body_of(request)
        i = state.get(P, "question", str(b.get("question_id")))
        text = str(b.get("text") or "")
        if i is None or int(b.get("sku") or 0) != i.product["ozon"]:
            return JSONResponse({"code": 5, "message": "question not found", "details": ""}, status_code=404)
        if not 2 <= len(text) <= 3000:
            return JSONResponse({"code": 3, "message": "text must be 2..3000 characters", "details": ""}, status_code=400)
        return {"answer_id": state.record_reply(i, text, state.next_reply_id(P), "AWAITING_MODERATION")["id"]}

    @r.post("/v1/question/answer/list")
    async def answer_list(request: Request) -> Any:
        b = await body_of(request)
        i = state.get(P, "question", str(b.get("question_id")))
        if i is None:
            return JSONResponse({"code": 5, "message": "question not found", "details": ""}, status_code=404)
        with state.lock:
            ids = [a["id"] for a in i.replies]
            last_id = str(b.get("last_id") or "")
            rest = i.replies[ids.index(last_id) + 1 :] if last_id in ids else ([] if last_id else list(i.replies))
            page = rest[:20]
            return {"answers": [{"id": a["id"], "question_id": i.id, "sku": i.product["ozon"], "text": a["text"],
                                 "author_name": "Магазин Пример", "published_at": a["at"], "status_publication": a["state"]}
                                for a in page], "last_id": page[-1]["id"] if page else ""}

    @r.post("/v3/product/info/list")
    async def product_info(request: Request) -> Any:
        skus = {int(s) for s in (await body_of(request)).get("sku") or []}
        products = {p["ozon"]: p for p in state.bank["products"]}
        return {"items": [{"sku": s, "name": products[s]["name"], "offer_id": products[s]["article"]} for s in sorted(skus) if s in products]}

    return r
