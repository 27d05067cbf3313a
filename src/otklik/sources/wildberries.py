"""Wildberries «Вопросы и отзывы»: feedbacks and questions (feedbacks-api.wildberries.ru).

Cursor: ``date_from`` (unix seconds of the newest item stored). Lists are read oldest first
(``order=dateAsc``) from that second, so a crash between pages loses nothing and the boundary second
is simply read again (the store ignores items it already has). ``skip`` is only used to get past a
page that is entirely within one second; otherwise each page restarts at the newest second, which
also keeps ``take+skip`` within the 10 000 window and makes repeated pages harmless.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from otklik.domain.models import Item, ItemKind
from otklik.sources._parse import as_str, dig, parse_dt
from otklik.sources.base import AmbiguousPostError, Connector, Page, PostedReply
from otklik.sources.ratelimit import Limit

SAFE_WINDOW = 10_000
CATEGORY = "feedbacks_questions"


class WildberriesConnector(Connector):
    platform = "wildberries"
    streams = ("feedbacks", "questions")
    # Personal/Service token: one budget for all methods of the category, 3 rps with burst 6
    default_limits = {CATEGORY: Limit.per_second(3, burst=6)}

    def __init__(self, config, **kwargs) -> None:  # noqa: ANN001 - see Connector
        if config.options.get("token_type") == "base":
            config.limits.setdefault(CATEGORY, Limit.hourly(5, burst_share=0.2))
        super().__init__(config, **kwargs)

    def _auth_headers(self) -> dict[str, str]:
        return {"Authorization": self.config.api_key.reveal()}

    def _category(self, path: str) -> str:
        return CATEGORY

    # -- listing --------------------------------------------------------------------------------------
    def list_new(self, stream: str, cursor: dict[str, Any]) -> Iterator[Page]:
        path, key = {"feedbacks": ("/api/v1/feedbacks", "feedbacks"), "questions": ("/api/v1/questions", "questions")}[
            stream
        ]
        take = min(self.config.page_size or 5000, 5000)
        date_from = int(cursor.get("date_from", 0))
        # ids read in this run at second ``date_from``; each run re-reads that second from offset 0, since
        # answered items leave the unanswered list and would shift any stored offset
        at_boundary: set[str] = set()
        skip, idle = 0, 0
        while True:
            params: dict[str, Any] = {"isAnswered": "false", "take": take, "skip": skip, "order": "dateAsc"}
            if date_from:
                params["dateFrom"] = date_from
            data = self.json("GET", path, params=params)
            rows = dig(data, "data", key, default=[]) or []
            items = [self._feedback(r) if stream == "feedbacks" else self._question(r) for r in rows]
            stamps = {i.external_id: int(i.created_at.timestamp()) for i in items if i.created_at}
            newest = max(stamps.values(), default=date_from)
            if newest > date_from:  # moved on: re-read from the newest second (the store ignores repeats)
                date_from = newest
                at_boundary = {i for i, t in stamps.items() if t == newest}
                skip, idle = 0, 0
            else:  # only items at (or, on a repeated page, before) the boundary second: skip what we know
                grown = {i for i, t in stamps.items() if t == date_from} - at_boundary
                at_boundary |= grown
                idle = 0 if grown else idle + 1
                skip = len(at_boundary)
            yield Page(items=items, cursor={"date_from": date_from})
            if len(rows) < take or skip + take > SAFE_WINDOW or idle >= 3:
                return

    def _base(self, r: dict[str, Any], kind: ItemKind) -> dict[str, Any]:
        pd = r.get("productDetails") or {}
        return {
            "external_id": str(r["id"]),
            "source": self.name,
            "kind": kind,
            "text": r.get("text") or "",
            "product": pd.get("productName") or None,
            "product_id": as_str(pd.get("nmId")),
            "created_at": parse_dt(r.get("createdDate")),
        }

    def _feedback(self, r: dict[str, Any]) -> Item:
        pd = r.get("productDetails") or {}
        extra = {
            "platform": self.platform,
            "supplier_article": pd.get("supplierArticle"),
            "brand": pd.get("brandName"),
            "size": pd.get("size"),
            "matching_size": r.get("matchingSize") or "",
            "tags": r.get("bables") or [],
            "color": r.get("color"),
            "state": r.get("state"),
            "subject": r.get("subjectName") or pd.get("subjectName"),
        }
        return Item(
            **self._base(r, ItemKind.REVIEW),
            rating=r.get("productValuation"),
            pros=r.get("pros") or "",
            cons=r.get("cons") or "",
            author=r.get("userName") or None,
            photos=len(r.get("photoLinks") or []),
            videos=1 if r.get("video") else 0,
            extra={k: v for k, v in extra.items() if v not in (None, "", [])},
        )

    def _question(self, r: dict[str, Any]) -> Item:
        pd = r.get("productDetails") or {}
        extra = {"platform": self.platform, "supplier_article": pd.get("supplierArticle"), "state": r.get("state")}
        return Item(**self._base(r, ItemKind.QUESTION), extra={k: v for k, v in extra.items() if v})

    # -- details and replies ----------------------------------------------------------------------------
    def _read(self, item: Item) -> dict[str, Any]:
        path = "/api/v1/question" if item.kind == ItemKind.QUESTION else "/api/v1/feedback"
        return dig(self.json("GET", path, params={"id": item.external_id}), "data", default={}) or {}

    def fetch_details(self, item: Item) -> Item:
        row = self._read(item)
        if not row:
            return item
        return self._question(row) if item.kind == ItemKind.QUESTION else self._feedback(row)

    def post_reply(self, item: Item, text: str) -> PostedReply:
        if item.kind == ItemKind.QUESTION:
            body = {"id": item.external_id, "answer": {"text": text}, "state": "wbRu"}
            self.request("PATCH", "/api/v1/questions", json=body, reply_post=True)
        else:
            self.request("POST", "/api/v1/feedbacks/answer", json={"id": item.external_id, "text": text}, reply_post=True)
        # WB answers 204 and does not validate the id: read the item back to see the answer
        posted = self.list_replies(item)
        if not posted:
            raise AmbiguousPostError(f"wildberries accepted the answer to {item.external_id} but it is not visible")
        return posted[0]

    def list_replies(self, item: Item) -> list[PostedReply]:
        answer = self._read(item).get("answer")
        if not answer or not answer.get("text"):
            return []
        state = answer.get("state")
        return [PostedReply(text=answer["text"], external_id=item.external_id, moderation_state=state)]
