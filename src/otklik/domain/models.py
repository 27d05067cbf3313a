"""Plain typed data that passes between pipeline components. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

Gender = Literal["f", "m"]


class ItemKind(StrEnum):
    REVIEW = "review"
    QUESTION = "question"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"
    MIXED = "mixed"


class ReplyType(StrEnum):
    REPLY = "reply"
    HANDOFF = "handoff"
    MODERATOR_REPORT = "moderator_report"


class ReplyStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"
    REJECTED = "rejected"


class CaseStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    FOLLOWED_UP = "followed_up"


@dataclass(slots=True)
class Source:
    """Where items come from: a marketplace account or a file."""

    name: str  # "file", "ozon", "wildberries", "yandex_market"
    title: str = ""
    platform: str = "default"  # key into the profile's platform rules


@dataclass(slots=True)
class Product:
    id: str
    name: str
    related: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Customer:
    display: str | None  # the author field as the platform shows it
    name: str | None = None  # a real first name, or None (never a nickname)
    gender: Gender | None = None


@dataclass(slots=True)
class Item:
    """A review or a question, as it came from its source."""

    external_id: str
    source: str = "file"
    kind: ItemKind = ItemKind.REVIEW
    text: str = ""
    rating: int | None = None
    pros: str = ""
    cons: str = ""
    author: str | None = None
    product: str | None = None  # product name as the customer sees it
    product_id: str | None = None  # sku / nmId / offerId
    created_at: datetime | None = None
    photos: int = 0
    videos: int = 0
    order_status: str | None = None  # e.g. Ozon "DELIVERED" / "CANCELLED"
    extra: dict[str, Any] = field(default_factory=dict)
    seller_answer: str = ""  # an answer the seller already gave outside Otklik (a cabinet export column)

    @property
    def full_text(self) -> str:
        """Text, pros and cons joined, labelled the way marketplaces show them."""
        parts = [self.text.strip()]
        if self.pros.strip():
            parts.append(f"Достоинства: {self.pros.strip()}")
        if self.cons.strip():
            parts.append(f"Недостатки: {self.cons.strip()}")
        return "\n".join(p for p in parts if p)


@dataclass(slots=True)
class AspectMention:
    id: str  # stable taxonomy id, e.g. "size_fit"
    sentiment: Sentiment
    evidence: str = ""  # the words that triggered it


@dataclass(slots=True)
class FakeSignal:
    id: str  # e.g. "fact_contradiction", "duplicate_text", "rating_burst"
    evidence: str  # human-readable, Russian
    proves_false: bool = False  # only a contradicted profile fact proves a review false (F-PROVEN-ONLY)


@dataclass(slots=True)
class Analysis:
    """What Otklik understood about one item."""

    kind: ItemKind
    sentiment: Sentiment
    problem: bool = False
    aspects: list[AspectMention] = field(default_factory=list)
    customer_name: str | None = None
    customer_gender: Gender | None = None
    is_question: bool = False
    questions: list[str] = field(default_factory=list)  # the question sentences
    question_topics: list[str] = field(default_factory=list)  # what is asked about
    fake_signals: list[FakeSignal] = field(default_factory=list)
    priority: float = 0.0
    text_sentiment: Sentiment | None = None  # from the text alone
    rating_disagrees: bool = False  # stars say one thing, text another
    scores: dict[str, float] = field(default_factory=dict)  # model probabilities, for audit
    confidence: float = 1.0  # 0..1: how sure the reading is; low → a person looks before anything is published
    doubts: list[str] = field(default_factory=list)  # why not sure: ids from understand/data/patterns.yaml «doubts»

    @property
    def complaints(self) -> list[AspectMention]:
        return [a for a in self.aspects if a.sentiment in (Sentiment.NEGATIVE, Sentiment.MIXED)]

    @property
    def praises(self) -> list[AspectMention]:
        return [a for a in self.aspects if a.sentiment in (Sentiment.POSITIVE, Sentiment.MIXED)]

    @property
    def suspected_fake(self) -> bool:
        return bool(self.fake_signals)


@dataclass(slots=True)
class LintFinding:
    rule: str  # rule id from docs: R-*, P-*, N-*, Q-*, F-*
    message: str  # Russian, for the person reviewing the draft
    severity: Literal["error", "warning"] = "error"


@dataclass(slots=True)
class ModeratorReport:
    """A report to the platform's moderator (F-REPORT): evidence, never a public accusation."""

    item_id: str
    reasons: list[FakeSignal]
    text: str  # the report body, Russian
    request_deletion: bool = False  # only when a profile fact proves the review false


@dataclass(slots=True)
class Draft:
    """A proposed reply with the checks it went through."""

    text: str | None
    reply_type: ReplyType
    lint: list[LintFinding] = field(default_factory=list)
    needs_human: bool = False
    reasons: list[str] = field(default_factory=list)
    written_by: str = "otklik"  # "otklik", "llm:<model>", "human:<name>"
    moderator_report: ModeratorReport | None = None


@dataclass(slots=True)
class ReplyEvent:
    at: datetime
    status: ReplyStatus
    actor: str
    note: str = ""


@dataclass(slots=True)
class Reply:
    """A reply through its life: draft → approved → published / rejected."""

    item_external_id: str
    text: str
    reply_type: ReplyType = ReplyType.REPLY
    status: ReplyStatus = ReplyStatus.DRAFT
    written_by: str = "otklik"
    history: list[ReplyEvent] = field(default_factory=list)
    external_reply_id: str | None = None
    moderation_state: str | None = None


@dataclass(slots=True)
class Case:
    """A complaint from opening to resolution and the public follow-up (N-RESULT)."""

    item_external_id: str
    cause: str | None  # aspect id of the complaint
    status: CaseStatus = CaseStatus.OPEN
    opened_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str = ""  # what was done
    prevention: str = ""  # what changed so it does not happen again
