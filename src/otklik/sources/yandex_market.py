"""Yandex Market Partner API: goods feedback and comments, goods questions and answers.

Cursor: the time of the newest stored item. A sync reads the whole window from that time (pages by
``pageToken``) and only moves the cursor when the window is done, because the list order is not
documented: a crash mid-window re-reads it, never skips. The cursor keeps one second of overlap since
``dateTimeFrom`` is an exclusive bound. Limits are hourly per method; the answer to over-use is 420.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from otklik.domain.models import Item, ItemKind
from otklik.errors import ConnectorError
from otklik.sources._parse import as_str, dig, iso, parse_dt
from otklik.sources.base import Connector, Page, PostedReply
from otklik.sources.ratelimit import Limit

FEEDBACK = "goods-feedback"
COMMENTS = "goods-feedback/comments"
COMMENT_UPDATE = "goods-feedback/comments/update"
QUESTIONS = "goods-questions"
ANSWERS = "goods-questions/answers"
QUESTION_UPDATE = "goods-questions/update"
OFFERS = "offer-mappings"


class YandexMarketConnector(Connector):
    platform = "yandex_market"
    streams = ("feedbacks", "questions")
    # documented hourly limits without a subscription (x-resource-limit-config)
    default_limits = {
        FEEDBACK: Limit.hourly(5000),
        COMMENTS: Limit.hourly(5000),
        COMMENT_UPDATE: Limit.hourly(1000),
        QUESTIONS: Limit.hourly(1000),
        ANSWERS: Limit.hourly(1000),
        QUESTION_UPDATE: Limit.hourly(500),
        OFFERS: Limit.hourly(1000),
    }

    def _auth_headers(self) -> dict[str, str]:
        return {"Api-Key": self.config.api_key.reveal()}

    def _category(self, path: str) -> str:
        tail = path.split(f"/businesses/{self.config.account_id}/", 1)[-1]
        return tail.split("?", 1)[0]

    def _is_rate_limited(self, response: httpx.Response) -> bool:
        return response.status_code in (420, 429)

    def _retry_after(self, response: httpx.Response) -> float:
        if any(h in response.headers for h in ("Retry-After", "X-Ratelimit-Retry", "X-RateLimit-Reset")):
            return super()._retry_after(response)
        return float(self.config.options.get("rate_limit_wait", 5.0))

    def _path(self, version: str, tail: str) -> str:
        return f"/{version}/businesses/{self.config.account_id}/{tail}"

    def _result(self, path: str, body: dict[str, Any], page_token: str | None = None, limit: int = 50) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": limit}
        if page_token:
            params["page_token"] = page_token
        data = self.json("POST", path, params=params, json=body)
        if data.get("status") == "ERROR":
            raise ConnectorError(f"yandex_market {path}: {data.get('errors')}")
        return data.get("result") or {}

    # -- listing --------------------------------------------------------------------------------------
    def list_new(self, stream: str, cursor: dict[str, Any]) -> Iterator[Page]:
        since = parse_dt(cursor.get("since"))
        limit = max(1, min(self.config.page_size or 50, 50))
        newest = since
        if stream == "feedbacks":
            path, key, parse = self._path("v2", FEEDBACK), "feedbacks", self._feedback
            body: dict[str, Any] = {"dateTimeFrom": iso(since)} if since else {}
        else:
            path, key, parse = self._path("v1", QUESTIONS), "questions", self._question
            # the window may span at most one month: after a long pause, catch up one month per run
            today = datetime.now(UTC).date()
            start = (since or datetime.now(UTC) - timedelta(days=30)).date()
            end = min(today, start + timedelta(days=30))
            body = {"dateFrom": start.isoformat(), "dateTo": end.isoformat(), "sort": "CREATED_AT_ASC"}
            if end < today:  # whole window read → continue from its last day even if it held nothing
                floor = datetime.combine(end, datetime.min.time(), UTC)
                newest = max(newest, floor) if newest else floor
        token: str | None = None
        seen_tokens: set[str] = set()
        repeats = 0
        while True:
            result = self._result(path, body, token, limit)
            items = [parse(r) for r in result.get(key) or []]
            for i in items:
                if i.created_at and (newest is None or i.created_at > newest):
                    newest = i.created_at
            next_token = dig(result, "paging", "nextPageToken")
            complete = not next_token  # the whole window was read: only now may the cursor move
            if next_token and next_token in seen_tokens:  # a repeated page: ask again, then give up for this run
                repeats += 1
            else:
                repeats = 0
                token = next_token
            seen_tokens.add(next_token or "")
            after = (newest - timedelta(seconds=1)) if (complete and newest) else since
            yield Page(items=items, cursor={"since": iso(after)} if after else {})
            if complete or repeats >= 3:
                return

    def _feedback(self, r: dict[str, Any]) -> Item:
        desc = r.get("description") or {}
        media = r.get("media") or {}
        extra = {
            "platform": self.platform,
            "order_id": dig(r, "identifiers", "orderId"),
            "need_reaction": r.get("needReaction"),
            "recommended": dig(r, "statistics", "recommended"),
            "paid_amount": dig(r, "statistics", "paidAmount"),
        }
        return Item(
            external_id=str(r["feedbackId"]),
            source=self.name,
            kind=ItemKind.REVIEW,
            text=desc.get("comment") or "",
            pros=desc.get("advantages") or "",
            cons=desc.get("disadvantages") or "",
            rating=dig(r, "statistics", "rating"),
            author=r.get("author") or None,
            product_id=as_str(dig(r, "identifiers", "offerId")),
            created_at=parse_dt(r.get("createdAt")),
            photos=len(media.get("photos") or []),
            videos=len(media.get("videos") or []),
            extra={k: v for k, v in extra.items() if v is not None},
        )

    def _question(self, q: dict[str, Any]) -> Item:
        ident = q.get("questionIdentifiers") or {}
        return Item(
            external_id=str(ident.get("id")),
            source=self.name,
            kind=ItemKind.QUESTION,
            text=q.get("text") or "",
            author=dig(q, "author", "name"),
            product_id=as_str(ident.get("offerId")),
            created_at=parse_dt(q.get("createdAt")),
            extra={"platform": self.platform, "category_id": ident.get("categoryId")},
        )

    def product_names(self, product_ids: list[str]) -> dict[str, str]:
        names: dict[str, str] = {}
        for start in range(0, len(product_ids), 100):
            try:
                result = self._result(self._path("v2", OFFERS), {"offerIds": product_ids[start : start + 100]}, limit=50)
            except ConnectorError:
                return names
            for m in result.get("offerMappings") or []:
                offer = m.get("offer") or {}
                if offer.get("offerId") and offer.get("name"):
                    names[str(offer["offerId"])] = offer["name"]
        return names

    # -- replies ----------------------------------------------------------------------------------------
    def post_reply(self, item: Item, text: str) -> PostedReply:
        if item.kind == ItemKind.QUESTION:
            body = {"operationType": "CREATE", "parentEntityId": {"id": int(item.external_id), "type": "QUESTION"}, "text": text}
            data = self.json("POST", self._path("v1", QUESTION_UPDATE), json=body, reply_post=True)
            answer_id = as_str(dig(data, "result", "entity", "id"))
            state = next((r.moderation_state for r in self.list_replies(item) if r.external_id == answer_id), None)
            return PostedReply(text=text, external_id=answer_id, moderation_state=state)
        body = {"feedbackId": int(item.external_id), "comment": {"text": text}}
        data = self.json("POST", self._path("v2", COMMENT_UPDATE), json=body, reply_post=True)
        comment = data.get("result") or {}
        return PostedReply(text=comment.get("text") or text, external_id=as_str(comment.get("id")), moderation_state=comment.get("status"))

    def list_replies(self, item: Item) -> list[PostedReply]:
        if item.kind == ItemKind.QUESTION:
            path, body, key = self._path("v1", ANSWERS), {"questionId": int(item.external_id)}, "answers"
        else:
            path, body, key = self._path("v2", COMMENTS), {"feedbackId": int(item.external_id)}, "comments"
        out: list[PostedReply] = []
        token: str | None = None
        for _ in range(100):
            result = self._result(path, body, token)
            for c in result.get(key) or []:
                if dig(c, "author", "type", default="BUSINESS") in ("BUSINESS", "BRAND", "VENDOR"):
                    out.append(PostedReply(text=c.get("text") or "", external_id=as_str(c.get("id")), moderation_state=c.get("status")))
            token = dig(result, "paging", "nextPageToken")
            if not token:
                break
        return out
