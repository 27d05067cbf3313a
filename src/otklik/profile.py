"""The business profile: one YAML file that says who the business is and what it really offers.

Everything a reply may promise (remedies) or state (facts, FAQ) comes from here (R-HONEST).
Validated with Pydantic; errors name the file and the field path.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from otklik.alerts.config import AlertsConfig
from otklik.errors import ProfileError

if TYPE_CHECKING:
    from otklik.domain import Item

RemedyType = Literal["replacement", "exchange", "refund", "discount", "redelivery", "repair", "contact", "compensation"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlatformRules(_Strict):
    """What a platform accepts in a reply (R-PLATFORM)."""

    max_length: int = Field(default=3000, ge=20, le=10000)
    min_length: int = Field(default=2, ge=1)
    allow_links: bool = False
    allow_phones: bool = False
    allow_emails: bool = False
    forbid_repetition: bool = True  # Ozon penalises repetitive answers


class Tone(_Strict):
    address: Literal["formal", "informal"] = "formal"  # formal = «Вы»
    emoji: bool = False
    greeting: bool = True
    max_sentences: int = Field(default=9, ge=2, le=30)


class Remedy(_Strict):
    """A concrete step the business really takes for a kind of problem (N-REMEDY)."""

    type: RemedyType
    text: str = Field(min_length=5, description="How to phrase the offer, e.g. «заменим товар за наш счёт»")
    discount_percent: int | None = Field(default=None, ge=1, le=100)

    @model_validator(mode="after")
    def _discount_has_percent(self) -> Remedy:
        if self.type == "discount" and self.discount_percent is None:
            raise ValueError("a discount remedy needs discount_percent")
        return self


class CauseScope(_Strict):
    """Where a known cause holds. Every condition given must hold for the review; none given = unscoped."""

    products: list[str] = Field(default_factory=list, description="catalogue product ids (or names, aliases)")
    channels: list[str] = Field(default_factory=list, description="sources: ozon, wildberries, yandex_market, …")
    since: date | None = Field(default=None, description="first day of the period (the review's created_at)")
    until: date | None = Field(default=None, description="last day of the period")
    batches: list[str] = Field(default_factory=list, description="batch ids, matched against the item's extra «batch»")
    mentions: list[str] = Field(default_factory=list, description="regexes: the review places itself in scope («пятниц»)")

    @field_validator("mentions")
    @classmethod
    def _valid_regexes(cls, v: list[str]) -> list[str]:
        for p in v:
            re.compile(p)
        return v

    @property
    def empty(self) -> bool:
        return not (self.products or self.channels or self.since or self.until or self.batches or self.mentions)


class Cause(_Strict):
    """A known cause of a kind of complaint (N-CAUSE); recurring ones get no surprise (N-SURPRISE).

    A cause is stated in a reply only when it is scoped (product / period / batch / channel / words of
    the review) and the review is in that scope and does not contradict it (``contradicted_by``);
    otherwise the reply promises to find out and a person is asked for the cause."""

    text: str = Field(min_length=5)
    recurring: bool = False
    fix: str = ""  # what the business is doing about it
    scope: CauseScope = Field(default_factory=CauseScope)
    contradicted_by: list[str] = Field(default_factory=list, description="regexes: a review saying this contradicts the cause")

    @field_validator("contradicted_by")
    @classmethod
    def _valid_regexes(cls, v: list[str]) -> list[str]:
        for p in v:
            re.compile(p)
        return v

    def applies(
        self, item: Item, profile: BusinessProfile, *, complaint_ids: set[str], aspect: str
    ) -> tuple[bool, str]:
        """Whether the cause may be stated for this review; else why not
        (``cause_unscoped``, ``cause_out_of_scope``, ``cause_contradicted``)."""
        if aspect not in complaint_ids:
            return False, "cause_out_of_scope"
        sc = self.scope
        if sc.empty:
            return False, "cause_unscoped"
        text = item.full_text
        if sc.products:
            product = profile.product(item.product_id) or profile.product(item.product)
            wanted = {x.lower() for x in sc.products}
            if product is None or product.id.lower() not in wanted:
                return False, "cause_out_of_scope"
        if sc.channels and item.source not in sc.channels:
            return False, "cause_out_of_scope"
        if sc.since or sc.until:
            day = item.created_at.date() if item.created_at else None
            if day is None or (sc.since and day < sc.since) or (sc.until and day > sc.until):
                return False, "cause_out_of_scope"
        if sc.batches and str(item.extra.get("batch", "")) not in sc.batches:
            return False, "cause_out_of_scope"
        if sc.mentions and not any(re.search(p, text, re.I) for p in sc.mentions):
            return False, "cause_out_of_scope"
        if any(re.search(p, text, re.I) for p in self.contradicted_by):
            return False, "cause_contradicted"
        return True, ""


class FaqEntry(_Strict):
    question: str = Field(min_length=3)
    answer: str = Field(min_length=3)
    keywords: list[str] = Field(default_factory=list)
    products: list[str] = Field(default_factory=list)  # product ids it applies to; empty = all


class FactClaim(_Strict):
    """Words in a review that contradict a profile fact, proving the review false (F-PROVEN-ONLY)."""

    fact: str = Field(description="key in `facts` this claim contradicts")
    patterns: list[str] = Field(min_length=1, description="regular expressions, matched case-insensitively")
    evidence: str = Field(min_length=5, description="the fact in words, for the moderator")


class CustomAspect(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,40}$")
    name: str
    keywords: list[str] = Field(min_length=1)


class CatalogueProduct(_Strict):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    category: str = ""
    related: list[str] = Field(default_factory=list)
    facts: dict[str, Any] = Field(default_factory=dict)


class Business(_Strict):
    name: str = Field(min_length=1)
    kind: Literal["marketplace_seller", "restaurant", "service", "shop", "other"] = "marketplace_seller"
    signature: str = ""
    contact_hint: str = Field(
        default="напишите нам в чат поддержки на площадке",
        description="how to reach the business within platform rules (N-DIALOGUE)",
    )


class AutoPublish(_Strict):
    enabled: bool = False
    min_rating: int = Field(default=5, ge=1, le=5)
    sentiments: list[Literal["positive", "neutral", "negative", "mixed"]] = Field(default_factory=lambda: ["positive"])


class BusinessProfile(_Strict):
    business: Business
    tone: Tone = Field(default_factory=Tone)
    platforms: dict[str, PlatformRules] = Field(default_factory=lambda: {"default": PlatformRules()})
    remedies: dict[str, list[Remedy]] = Field(default_factory=dict, description="aspect id → remedies; 'default' as fallback")
    causes: dict[str, Cause] = Field(default_factory=dict, description="aspect id → known cause")
    facts: dict[str, Any] = Field(default_factory=dict)
    fact_claims: list[FactClaim] = Field(default_factory=list)
    faq: list[FaqEntry] = Field(default_factory=list)
    products: list[CatalogueProduct] = Field(default_factory=list)
    aspects: list[CustomAspect] = Field(default_factory=list)
    reply_target_hours: float = Field(default=24, gt=0)
    cross_sell: bool = True
    auto_publish: AutoPublish = Field(default_factory=AutoPublish)
    alerts: AlertsConfig = Field(default_factory=AlertsConfig, description="SLA alert channels (secrets from env)")

    @field_validator("platforms")
    @classmethod
    def _has_default(cls, v: dict[str, PlatformRules]) -> dict[str, PlatformRules]:
        v.setdefault("default", PlatformRules())
        return v

    @model_validator(mode="after")
    def _references_exist(self) -> BusinessProfile:
        ids = {p.id for p in self.products}
        for i, p in enumerate(self.products):
            for rel in p.related:
                if rel not in ids:
                    raise ValueError(f"products.{i}.related: unknown product id '{rel}'")
        for i, claim in enumerate(self.fact_claims):
            if claim.fact not in self.facts:
                raise ValueError(f"fact_claims.{i}.fact: '{claim.fact}' is not a key of facts")
        return self

    # -- look-ups used by the composer, linter and analysers -------------------------------
    def platform(self, name: str | None) -> PlatformRules:
        return self.platforms.get(name or "default") or self.platforms["default"]

    def remedies_for(self, aspect: str | None) -> list[Remedy]:
        if aspect and aspect in self.remedies:
            return self.remedies[aspect]
        return self.remedies.get("default", [])

    def product(self, key: str | None) -> CatalogueProduct | None:
        """Find a catalogue product by id, name or alias (case-insensitive)."""
        if not key:
            return None
        k = key.strip().lower()
        for p in self.products:
            if p.id.lower() == k or p.name.lower() == k or k in (a.lower() for a in p.aliases):
                return p
        return None

    def related_products(self, key: str | None) -> list[CatalogueProduct]:
        p = self.product(key)
        if p is None:
            return []
        by_id = {x.id: x for x in self.products}
        return [by_id[r] for r in p.related if r in by_id]


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(x) for x in loc) or "(top level)"


def parse_profile(data: Any, *, origin: str = "<profile>") -> BusinessProfile:
    """Validate a loaded mapping; errors name origin and field path."""
    if not isinstance(data, dict):
        raise ProfileError(f"{origin}: the profile must be a mapping at the top level")
    try:
        return BusinessProfile.model_validate(data)
    except ValidationError as exc:
        lines = [f"{origin}: invalid business profile"]
        fields = [(_field_path(err["loc"]), err["msg"]) for err in exc.errors()]
        for path, msg in fields:
            lines.append(f"  field '{path}': {msg}")
        raise ProfileError("\n".join(lines), fields=fields) from exc


def load_profile(path: str | Path | None = None) -> BusinessProfile:
    """Load a profile YAML; with no path, the bundled clothing-seller example."""
    p = Path(path) if path else bundled_profile_path("clothing")
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ProfileError(f"{p}: profile file not found") from exc
    except UnicodeDecodeError as exc:
        raise ProfileError(f"{p}: profile is not UTF-8 text") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{p}: not valid YAML: {exc}") from exc
    return parse_profile(data, origin=str(p))


def bundled_profile_path(name: str) -> Path:
    """Path of a shipped example profile: 'clothing' or 'restaurant'."""
    p = Path(__file__).parent / "data" / "profiles" / f"{name}.yaml"
    if not p.exists():
        raise ProfileError(f"no bundled profile named '{name}'")
    return p
