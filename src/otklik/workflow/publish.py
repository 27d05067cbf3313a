"""Publish approved replies exactly once, through an outbox in the store.

    pending ──(commit)──▶ sending ──post──▶ sent
       ▲                     │
       └── nothing found ◀── reconcile (read the marketplace back) ◀── crash / timeout / 5xx / drop

A row is committed as 'sending' *before* the marketplace call. Whatever happens next (crash before,
during or after the call, before recording), the row stays 'sending' until a read-back of the item's
replies on the marketplace either finds our text (→ sent, with the marketplace's id and moderation
state) or proves it absent (→ pending, posted again). Only a marketplace *rejection* (429 with the
request not executed, 4xx) skips the read-back. The pending → sending step is a conditional UPDATE, so
two publishers never both send one row.

Before posting, the platform gate (``check_platform``) enforces the platform's hard rules: length,
no links/phones/e-mails where banned (Yandex Market bans contacts and outside links outright) and no
repeat of an already published reply (Ozon penalises repetitive answers).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from otklik.domain import ReplyStatus
from otklik.errors import ConnectorError, OtklikError
from otklik.notes import note as workflow_note
from otklik.profile import AutoPublish, BusinessProfile, PlatformRules
from otklik.sources.base import Connector, PostedReply, RejectedPostError, find_matching
from otklik.store import businesses
from otklik.store import repository as repo
from otklik.store.sync_tables import OutboxRow
from otklik.store.tables import ItemRow, ReplyEventRow, ReplyRow
from otklik.understand.components.confidence import HOLD_BELOW

log = logging.getLogger("otklik.publish")

ACTOR = "otklik:publisher"
LIVE_STATES = ("pending", "sending", "sent")
# hard limits documented by the marketplaces: (kind → (min, max)); the profile may only tighten them
PLATFORM_LENGTH = {
    "wildberries": {"review": (2, 5000), "question": (2, 5000)},
    "ozon": {"review": (2, 3000), "question": (2, 3000)},
    "yandex_market": {"review": (1, 4096), "question": (1, 5000)},
}
URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:ru|com|net|org|рф|su|shop|store|online|me|io)\b", re.I)
MARKET_URL = re.compile(r"^(?:https?://)?(?:[\w-]+\.)*market\.yandex\.ru", re.I)
PHONE = re.compile(r"(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b|\+\d[\d\s()-]{9,}\d")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
MESSENGER = re.compile(r"(?:t\.me/|wa\.me/|@[a-z][\w]{4,}\b)", re.I)
NEAR_DUPLICATE = 0.8


@dataclass(slots=True)
class PublishResult:
    sent: int = 0
    reconciled: int = 0  # 'sending' rows found on the marketplace (no second post)
    reposted: int = 0  # 'sending' rows proven absent and queued again
    blocked: int = 0
    failed: int = 0
    retry_later: int = 0
    enqueued: int = 0
    auto_approved: int = 0
    errors: list[str] = field(default_factory=list)


def _utc(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite returns naive datetimes


# -- the platform gate ------------------------------------------------------------------------------------
def _shingles(text: str, n: int = 3) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.casefold())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of word 3-shingles (1.0 = same words in the same order)."""
    sa, sb = _shingles(a), _shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def check_platform(text: str, *, platform: str, kind: str, rules: PlatformRules, published: list[str]) -> list[str]:
    """Reasons this reply must not be posted on ``platform`` (empty list = fine)."""
    problems = []
    lo, hi = PLATFORM_LENGTH.get(platform, {}).get(kind, (1, 10_000))
    lo, hi = max(lo, rules.min_length), min(hi, rules.max_length)
    n = len(text.strip())
    if n < lo or n > hi:
        problems.append(f"length {n} is outside {lo}..{hi} characters allowed on {platform}")
    strict = platform == "yandex_market"  # documented: no store contacts, no links except Yandex Market
    links = [u for u in URL.findall(text) if not (strict and MARKET_URL.match(u))]
    if links and (strict or not rules.allow_links):
        problems.append(f"contains a link ({links[0]})")
    if PHONE.search(text) and (strict or not rules.allow_phones):
        problems.append("contains a phone number")
    if EMAIL.search(text) and (strict or not rules.allow_emails):
        problems.append("contains an e-mail address")
    if strict and MESSENGER.search(text):
        problems.append("contains a messenger contact")
    if rules.forbid_repetition or platform == "ozon":
        for old in published:
            score = similarity(text, old)
            if score >= NEAR_DUPLICATE or " ".join(text.split()).casefold() == " ".join(old.split()).casefold():
                problems.append(f"repeats an already published reply (similarity {score:.2f})")
                break
    return problems


# -- enqueueing -----------------------------------------------------------------------------------------
def _auto_approve(s: Session, profile: BusinessProfile, sources: set[str]) -> int:
    """Approve the drafts each business's own auto-publish rule allows (``profile`` for a business
    that stores none)."""
    count = 0
    for business_id in sorted(set(s.scalars(select(ItemRow.business_id).where(ItemRow.source.in_(list(sources)))
                                            .distinct()))):
        rule = businesses.business_profile(s, business_id, profile).auto_publish
        if rule.enabled:
            count += _auto_approve_business(s, rule, sources, business_id)
    return count


def _auto_approve_business(s: Session, rule: AutoPublish, sources: set[str], business_id: int) -> int:
    q = (
        select(ReplyRow)
        .join(ItemRow, ReplyRow.item_id == ItemRow.id)
        .where(ReplyRow.status == ReplyStatus.DRAFT, ReplyRow.needs_human.is_(False), ReplyRow.reply_type == "reply",
               ReplyRow.is_follow_up.is_(False), ItemRow.source.in_(list(sources)), ItemRow.rating >= rule.min_rating,
               ItemRow.business_id == business_id)
    )
    count = 0
    for reply in s.scalars(q):
        analysis = reply.item.analysis
        if analysis is None or analysis.sentiment not in rule.sentiments or analysis.suspected_fake or analysis.problem:
            continue
        if float((analysis.payload or {}).get("confidence", 1.0)) < HOLD_BELOW:
            continue  # an unsure reading is never published without a person (the draft says why)
        if any(f.get("severity") == "error" for f in reply.lint or []):
            continue
        repo.set_reply_status(s, reply, ReplyStatus.APPROVED, actor="otklik:auto-publish",
                              note=f"auto-publish rule: rating ≥ {rule.min_rating}, sentiment {analysis.sentiment}")
        count += 1
    return count


def enqueue(engine: Engine, profile: BusinessProfile, sources: set[str]) -> tuple[int, int]:
    """Apply the auto-publish rule, then put every approved reply of ``sources`` into the outbox once."""
    with Session(engine) as s, s.begin():
        auto = _auto_approve(s, profile, sources)
        s.flush()
        live = {
            (item_id, follow_up)
            for item_id, follow_up in s.execute(
                select(ReplyRow.item_id, ReplyRow.is_follow_up).join(OutboxRow, OutboxRow.reply_id == ReplyRow.id)
                .where(OutboxRow.state.in_(LIVE_STATES))
            )
        }
        q = (
            select(ReplyRow)
            .join(ItemRow, ReplyRow.item_id == ItemRow.id)
            .outerjoin(OutboxRow, OutboxRow.reply_id == ReplyRow.id)
            .where(ReplyRow.status == ReplyStatus.APPROVED, ItemRow.source.in_(list(sources)), OutboxRow.id.is_(None),
                   ReplyRow.text.is_not(None))
            .order_by(ReplyRow.id)
        )
        added = 0
        now = datetime.now(UTC)
        for reply in s.scalars(q):
            key = (reply.item_id, reply.is_follow_up)
            if key in live:  # one public reply per item (and one follow-up): never a second one
                continue
            live.add(key)
            s.add(OutboxRow(reply_id=reply.id, source=reply.item.source, state="pending", text=reply.text or "",
                            attempts=0, error="", created_at=now, next_attempt_at=now))
            added += 1
        return auto, added


# -- sending --------------------------------------------------------------------------------------------
def _event(s: Session, reply: ReplyRow, note: str) -> None:
    s.add(ReplyEventRow(reply=reply, at=datetime.now(UTC), status=reply.status, actor=ACTOR, note=note))


def _mark_sent(engine: Engine, outbox_id: int, posted: PostedReply, *, how: str) -> None:
    with Session(engine) as s, s.begin():
        row = s.get(OutboxRow, outbox_id)
        assert row is not None
        reply = s.get(ReplyRow, row.reply_id)
        assert reply is not None
        now = datetime.now(UTC)
        row.state, row.sent_at, row.error = "sent", now, ""
        row.external_reply_id, row.moderation_state = posted.external_id, posted.moderation_state
        reply.external_reply_id = posted.external_id
        reply.moderation_state = posted.moderation_state
        note = f"{how} on {row.source}" + (f" as {posted.external_id}" if posted.external_id else "")
        note += f"; moderation: {posted.moderation_state}" if posted.moderation_state else ""
        if reply.status == ReplyStatus.REJECTED and not reply.is_follow_up:  # withdrawn while in flight
            reply.item.attention = workflow_note("rewritten_after_publish", id=reply.item.external_id)
        repo.set_reply_status(s, reply, ReplyStatus.PUBLISHED, actor=ACTOR, note=note)


def _set_state(engine: Engine, outbox_id: int, state: str, note: str, *, retry_in: float | None = None) -> None:
    with Session(engine) as s, s.begin():
        row = s.get(OutboxRow, outbox_id)
        assert row is not None
        row.state, row.error = state, note[:2000]
        if retry_in is not None:
            row.next_attempt_at = datetime.now(UTC) + timedelta(seconds=retry_in)
        reply = s.get(ReplyRow, row.reply_id)
        if reply is not None:
            _event(s, reply, f"publish {state}: {note}")


def _item_of(engine: Engine, outbox_id: int) -> tuple[OutboxRow, ReplyRow, ItemRow]:
    with Session(engine, expire_on_commit=False) as s:
        row = s.get(OutboxRow, outbox_id)
        assert row is not None
        reply = s.get(ReplyRow, row.reply_id)
        assert reply is not None
        item = reply.item
        s.expunge_all()
        return row, reply, item


def reconcile(engine: Engine, conn: Connector, outbox_id: int, result: PublishResult) -> None:
    """A 'sending' row: find our reply on the marketplace, or prove it absent and queue it again."""
    row, _reply, item = _item_of(engine, outbox_id)
    domain_item = repo.row_to_item(item)
    found = find_matching(conn.list_replies(domain_item), row.text)
    if found is not None:
        _mark_sent(engine, outbox_id, found, how="found by read-back")
        result.reconciled += 1
    elif conn.accepted_without_trace(domain_item):
        posted = PostedReply(text=row.text, external_id=None, moderation_state="AWAITING_MODERATION")
        _mark_sent(engine, outbox_id, posted, how="accepted (read-back: item marked processed; reply awaits moderation)")
        result.reconciled += 1
    else:
        _set_state(engine, outbox_id, "pending", "not on the marketplace after an interrupted attempt", retry_in=0)
        result.reposted += 1


def _claim(engine: Engine, outbox_id: int, profile: BusinessProfile, platform: str) -> str | None:
    """pending → sending (committed), after the platform gate. Returns the text to send, or None."""
    with Session(engine) as s, s.begin():
        row = s.get(OutboxRow, outbox_id)
        if row is None or row.state != "pending":
            return None
        reply = s.get(ReplyRow, row.reply_id)
        if reply is None or reply.status != ReplyStatus.APPROVED:
            row.state, row.error = "cancelled", "reply is no longer approved"
            return None
        published = list(s.scalars(
            select(ReplyRow.text).join(ItemRow, ReplyRow.item_id == ItemRow.id)
            .where(ReplyRow.status == ReplyStatus.PUBLISHED, ItemRow.source == row.source, ReplyRow.id != reply.id)
            .order_by(ReplyRow.id.desc()).limit(2000)
        ))
        rules = businesses.business_profile(s, reply.item.business_id, profile).platform(platform)
        problems = check_platform(row.text, platform=platform, kind=reply.item.kind, rules=rules,
                                  published=[p for p in published if p])
        if problems:
            row.state, row.error = "blocked", "; ".join(problems)
            _event(s, reply, "not published, platform rules: " + row.error)
            return None
        now = datetime.now(UTC)
        claimed = s.execute(
            update(OutboxRow).where(OutboxRow.id == outbox_id, OutboxRow.state == "pending")
            .values(state="sending", attempts=OutboxRow.attempts + 1, last_attempt_at=now)
        ).rowcount
        if claimed != 1:
            return None
        _event(s, reply, f"sending to {row.source} (attempt {row.attempts + 1})")
        return row.text


def send_one(engine: Engine, conn: Connector, outbox_id: int, profile: BusinessProfile, result: PublishResult) -> None:
    text = _claim(engine, outbox_id, profile, conn.platform)
    if text is None:
        row = _item_of(engine, outbox_id)[0]
        result.blocked += int(row.state == "blocked")
        return
    _row, _reply, item = _item_of(engine, outbox_id)
    try:
        posted = conn.post_reply(repo.row_to_item(item), text)
    except RejectedPostError as exc:  # the marketplace refused: nothing was posted
        if exc.status in (420, 429) or exc.status is None:
            _set_state(engine, outbox_id, "pending", str(exc), retry_in=60)
            result.retry_later += 1
        else:
            _set_state(engine, outbox_id, "failed", str(exc))
            result.failed += 1
        return
    except OtklikError as exc:  # may have been accepted: read back before anything else
        log.warning("publishing %s to %s was interrupted (%s); reading back", outbox_id, conn.name, exc)
        try:
            reconcile(engine, conn, outbox_id, result)
        except ConnectorError as exc2:
            log.warning("read-back of %s failed (%s); it stays 'sending' until the next run", outbox_id, exc2)
            result.retry_later += 1
        return
    _mark_sent(engine, outbox_id, posted, how="posted")
    result.sent += 1


def publish(
    engine: Engine,
    connectors: list[Connector],
    profile: BusinessProfile,
    *,
    limit: int | None = None,
) -> PublishResult:
    """Enqueue approved replies, reconcile interrupted sends, then send what is pending and due."""
    by_source = {c.name: c for c in connectors}
    result = PublishResult()
    result.auto_approved, result.enqueued = enqueue(engine, profile, set(by_source))
    with Session(engine) as s:
        sending = list(s.execute(select(OutboxRow.id, OutboxRow.source).where(OutboxRow.state == "sending", OutboxRow.source.in_(list(by_source)))))
    for outbox_id, source in sending:
        try:
            reconcile(engine, by_source[source], outbox_id, result)
        except ConnectorError as exc:
            result.errors.append(f"{source}: {exc}")
    now = datetime.now(UTC)
    with Session(engine) as s:
        q = (select(OutboxRow.id, OutboxRow.source).where(OutboxRow.state == "pending", OutboxRow.source.in_(list(by_source)))
             .order_by(OutboxRow.id))
        pending = [(i, src) for i, src, due in s.execute(q.add_columns(OutboxRow.next_attempt_at))
                   if due is None or _utc(due) <= now]
    for outbox_id, source in pending[:limit] if limit else pending:
        try:
            send_one(engine, by_source[source], outbox_id, profile, result)
        except ConnectorError as exc:
            result.errors.append(f"{source}: {exc}")
    return result
