"""Ozon Seller API: reviews and their comments, questions and their answers.

Cursor: Ozon's own ``last_id`` per stream, read in ascending order, so the next sync continues after
the last stored item. Product names come from ``/v3/product/info/list`` (Ozon's product API, outside
the reviews spec; skipped silently if the key has no access).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from otklik.domain.models import Item, ItemKind
from otklik.errors import ConnectorError
from otklik.sources._parse import as_str, parse_dt
from otklik.sources.base import Connector, Page, PostedReply
from otklik.sources.ratelimit import Limit


class OzonConnector(Connector):
    platform = "ozon"
    streams = ("reviews", "questions")
    default_limits = {"default": Limit.per_second(50)}  # 50 rps per Client-Id across all methods

    def _auth_headers(self) -> dict[str, str]:
        return {"Client-Id": self.config.account_id, "Api-Key": self.config.api_key.reveal()}

    def list_new(self, stream: str, cursor: dict[str, Any]) -> Iterator[Page]:
        last_id = str(cursor.get("last_id", ""))
        limit = max(20, min(self.config.page_size or 100, 100))
        repeats = 0
        while True:
            if stream == "reviews":
                body: dict[str, Any] = {"limit": limit, "last_id": last_id, "sort_dir": "ASC", "filters": {"status": "ALL"}}
                data = self.json("POST", "/v2/review/list", json=body)
                items = [self._review(r) for r in data.get("reviews") or []]
            else:
                body = {"filter": {"status": "ALL"}, "last_id": last_id, "limit": limit, "sort_dir": "ASC"}
                data = self.json("POST", "/v1/question/list", json=body)
                items = [self._question(q) for q in data.get("questions") or []]
            new_last = str(data.get("last_id") or last_id)
            repeats = repeats + 1 if new_last == last_id else 0
            last_id = new_last
            yield Page(items=items, cursor={"last_id": last_id})
            has_next = data.get("has_next", bool(items) and stream == "questions")
            if not items or not has_next or repeats >= 2:
                return

    def _review(self, r: dict[str, Any]) -> Item:
        extra = {
            "platform": self.platform,
            "status": r.get("status"),
            "is_rating_participant": r.get("is_rating_participant"),
            "comments_amount": r.get("comments_amount"),
        }
        return Item(
            external_id=str(r["id"]),
            source=self.name,
            kind=ItemKind.REVIEW,
            text=r.get("text") or "",
            rating=r.get("rating"),
            product_id=as_str(r.get("sku")),
            created_at=parse_dt(r.get("published_at")),
            photos=int(r.get("photos_amount") or 0),
            videos=int(r.get("videos_amount") or 0),
            order_status=r.get("order_status") or None,
            extra={k: v for k, v in extra.items() if v is not None},
        )

    def _question(self, q: dict[str, Any]) -> Item:
        extra = {
            "platform": self.platform,
            "status": q.get("status"),
            "product_url": q.get("product_url"),
            "question_link": q.get("question_link"),
        }
        return Item(
            external_id=str(q["id"]),
            source=self.name,
            kind=ItemKind.QUESTION,
            text=q.get("text") or "",
            author=q.get("author_name") or None,
            product_id=as_str(q.get("sku")),
            created_at=parse_dt(q.get("published_at")),
            extra={k: v for k, v in extra.items() if v},
        )

    def fetch_details(self, item: Item) -> Item:
        if item.kind == ItemKind.QUESTION:
            return self._question(self.json("POST", "/v1/question/info", json={"question_id": item.external_id}))
        info = self.json("POST", "/v2/review/info", json={"review_id": item.external_id})
        detailed = self._review(info)
        detailed.extra["photo_urls"] = [p.get("url") for p in info.get("photos") or [] if p.get("url")]
        detailed.extra["video_urls"] = [v.get("url") for v in info.get("videos") or [] if v.get("url")]
        detailed.product = item.product
        return detailed

    def product_names(self, product_ids: list[str]) -> dict[str, str]:
        names: dict[str, str] = {}
        skus = [int(p) for p in product_ids if p.isdigit()]
        for start in range(0, len(skus), 100):
            try:
                data = self.json("POST", "/v3/product/info/list", json={"sku": skus[start : start + 100]})
            except ConnectorError:
                return names
            for row in data.get("items") or []:
                if row.get("name") and row.get("sku") is not None:
                    names[str(row["sku"])] = row["name"]
        return names

    def post_reply(self, item: Item, text: str) -> PostedReply:
        if item.kind == ItemKind.QUESTION:
            body = {"question_id": item.external_id, "sku": int(item.product_id or 0), "text": text}
            answer_id = str(self.json("POST", "/v1/question/answer/create", json=body, reply_post=True).get("answer_id"))
            state = next((r.moderation_state for r in self.list_replies(item) if r.external_id == answer_id), None)
            return PostedReply(text=text, external_id=answer_id, moderation_state=state or "AWAITING_MODERATION")
        body = {"review_id": item.external_id, "text": text, "mark_review_as_processed": True}
        comment_id = self.json("POST", "/v1/review/comment/create", json=body, reply_post=True).get("comment_id")
        return PostedReply(text=text, external_id=as_str(comment_id), moderation_state=None)

    def accepted_without_trace(self, item: Item) -> bool:
        """Ozon lists only comments that passed moderation, but our comment/create also marks the review
        processed: a review that was not processed at sync time and is now is our accepted comment."""
        if item.kind == ItemKind.QUESTION or item.extra.get("status") == "PROCESSED":
            return False
        info = self.json("POST", "/v2/review/info", json={"review_id": item.external_id})
        return info.get("status") == "PROCESSED"

    def list_replies(self, item: Item) -> list[PostedReply]:
        out: list[PostedReply] = []
        if item.kind == ItemKind.QUESTION:
            last_id = ""
            for _ in range(100):
                body = {"question_id": item.external_id, "sku": int(item.product_id or 0), "last_id": last_id}
                data = self.json("POST", "/v1/question/answer/list", json=body)
                answers = data.get("answers") or []
                out += [
                    PostedReply(text=a.get("text") or "", external_id=as_str(a.get("id")), moderation_state=a.get("status_publication"))
                    for a in answers
                ]
                new_last = str(data.get("last_id") or "")
                if not answers or not new_last or new_last == last_id:
                    break
                last_id = new_last
            return out
        offset = 0
        for _ in range(100):
            body = {"review_id": item.external_id, "limit": 100, "offset": offset, "sort_dir": "ASC"}
            comments = self.json("POST", "/v1/review/comment/list", json=body).get("comments") or []
            for c in comments:
                if c.get("is_owner") or c.get("is_official"):
                    state = "REJECTED" if c.get("is_rejected") else ("PUBLISHED" if c.get("is_published", True) else "AWAITING_MODERATION")
                    out.append(PostedReply(text=c.get("text") or "", external_id=as_str(c.get("id")), moderation_state=state))
            if len(comments) < 100:
                break
            offset += len(comments)
        return out


