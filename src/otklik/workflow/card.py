"""One item as a person sees it before answering: the review, the reading, the draft, and its history.

The card is read-only; every action on it (approve, reject, regenerate) goes through the workflow
functions, which re-check and re-lint on the server.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from otklik.domain import LintFinding, ReplyStatus
from otklik.store import repository as repo
from otklik.store.tables import ItemRow, ReplyRow, SourceRow
from otklik.workflow.review import find_item


@dataclass(slots=True)
class HistoryLine:
    """One thing that happened to the item or one of its replies, oldest first."""

    at: datetime
    what: str  # a status (draft, approved, …) or a milestone: written, imported, analysed
    actor: str = ""
    note: str = ""
    follow_up: bool = False


@dataclass(slots=True)
class CardReply:
    reply_id: int
    text: str | None
    reply_type: str
    status: str
    needs_human: bool
    reasons: list[str]
    lint: list[LintFinding]
    written_by: str
    follow_up: bool


@dataclass(slots=True)
class ItemCard:
    item_id: str
    source: str
    source_title: str
    kind: str
    text: str
    pros: str
    cons: str
    rating: int | None
    author: str | None
    product: str | None
    created_at: datetime | None
    photos: int
    photo_urls: list[str]
    videos: int
    sentiment: str | None
    aspects: list[tuple[str, str]]  # (aspect id, sentiment)
    questions: list[str]
    suspected_fake: bool
    attention: str | None
    reply: CardReply | None
    follow_up: CardReply | None
    history: list[HistoryLine] = field(default_factory=list)

    @property
    def editing(self) -> CardReply | None:
        """The draft an approval from the card acts on, as `review.approve` chooses it: the reply
        while it is a draft, else the follow-up draft of a resolved case; None when nothing is open."""
        if self.reply is not None and self.reply.status == ReplyStatus.DRAFT:
            return self.reply
        if self.follow_up is not None and self.follow_up.status == ReplyStatus.DRAFT:
            return self.follow_up
        return None


def _web_link(url: object) -> str | None:
    """Only plain http(s) links are shown: a `javascript:` or `data:` URL from a feed never becomes a link."""
    if not isinstance(url, str) or len(url) > 2000:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _reply(r: ReplyRow | None) -> CardReply | None:
    if r is None:
        return None
    lint = [LintFinding(str(f.get("rule", "")), str(f.get("message", "")), f.get("severity", "error"))
            for f in (r.lint or []) if isinstance(f, dict)]
    return CardReply(reply_id=r.id, text=r.text, reply_type=r.reply_type, status=r.status,
                     needs_human=r.needs_human, reasons=list(r.reasons or []), lint=lint,
                     written_by=r.written_by, follow_up=r.is_follow_up)


def _history(row: ItemRow) -> list[HistoryLine]:
    lines: list[HistoryLine] = []
    if row.created_at is not None:
        lines.append(HistoryLine(at=row.created_at, what="written", actor=row.author or ""))
    lines.append(HistoryLine(at=row.imported_at, what="imported"))
    if row.analysis is not None:
        lines.append(HistoryLine(at=row.analysis.analyzed_at, what="analysed"))
    for reply in row.replies:
        for e in reply.events:
            lines.append(HistoryLine(at=e.at, what=e.status, actor=e.actor, note=e.note, follow_up=reply.is_follow_up))
    for h in lines:  # SQLite gives naive times back; they were stored as UTC
        h.at = h.at if h.at.tzinfo else h.at.replace(tzinfo=UTC)
    return sorted(lines, key=lambda h: h.at)


def item_card(engine: Engine, item_id: str, *, source: str | None = None, business_id: int | None = None) -> ItemCard:
    """The card of one item; a WorkflowError (with a Russian message) when there is no such item."""
    with Session(engine) as s:
        row = find_item(s, item_id, source, business_id=business_id)
        row = s.scalars(select(ItemRow).where(ItemRow.id == row.id).options(
            selectinload(ItemRow.replies).selectinload(ReplyRow.events), selectinload(ItemRow.analysis))).one()
        title = s.scalar(select(SourceRow.title).where(SourceRow.name == row.source)) or ""
        payload = row.analysis.payload if row.analysis is not None else {}
        urls = [u for u in (_web_link(x) for x in (row.extra or {}).get("photo_urls") or []) if u]
        main = repo.latest_reply(row)
        if main is None:  # only rejected ones: show the last, so a person sees what was turned down
            main = next((r for r in reversed(row.replies) if not r.is_follow_up), None)
        return ItemCard(
            item_id=row.external_id, source=row.source, source_title=title, kind=row.kind, text=row.text,
            pros=row.pros, cons=row.cons, rating=row.rating, author=row.author, product=row.product,
            created_at=row.created_at, photos=max(row.photos, len(urls)), photo_urls=urls, videos=row.videos,
            sentiment=row.analysis.sentiment if row.analysis is not None else None,
            aspects=[(str(m.get("id")), str(m.get("sentiment"))) for m in payload.get("aspects", [])],
            questions=[str(q) for q in payload.get("questions", [])],
            suspected_fake=bool(row.analysis and row.analysis.suspected_fake),
            attention=row.attention, reply=_reply(main), follow_up=_reply(repo.latest_reply(row, follow_up=True)),
            history=_history(row),
        )

