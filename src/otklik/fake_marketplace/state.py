"""The fake marketplace's data: deterministic seed items, posted replies, fault switches, rate limits."""

from __future__ import annotations

import bisect
import random
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from otklik.sources.ratelimit import Limit, MemoryBucketStore

PLATFORMS = ("wildberries", "ozon", "yandex_market")
KINDS = ("review", "question")
SEED_DATA = Path(__file__).with_name("seed_data.yaml")


@dataclass
class Faults:
    """Fault switches; probabilities are per request (admin endpoints are never faulted)."""

    rate_limit: float = 0.0  # 429 with retry headers (WB/Ozon) or 420 (YM)
    rate_limit_retry: float = 1.0  # seconds announced in X-Ratelimit-Retry
    error_5xx: float = 0.0  # 500 before doing anything
    slow: float = 0.0  # probability of a slow response
    slow_seconds: float = 2.0
    drop_after_accept: float = 0.0  # reply POSTs: store the reply, then drop the connection
    error_after_accept: float = 0.0  # reply POSTs: store the reply, then answer 500
    duplicate_pages: float = 0.0  # list calls: serve the previous page again
    enforce_limits: bool = True  # apply the documented rate limits (off for throughput runs)
    hide_unmoderated: bool = False  # Ozon comment list shows only moderated comments (as its docs say)

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """'rate_limit=0.1,error_5xx=0.05,enforce_limits=false' → Faults."""
        faults = cls()
        for part in filter(None, (p.strip() for p in spec.split(","))):
            key, _, value = part.partition("=")
            if not hasattr(faults, key):
                raise ValueError(f"unknown fault '{key}'")
            current = getattr(faults, key)
            setattr(faults, key, value.lower() in ("1", "true", "yes", "on") if isinstance(current, bool) else float(value))
        return faults


@dataclass
class FakeItem:
    platform: str
    kind: str
    id: str
    created: datetime
    text: str
    product: dict[str, Any]
    author: str | None = None
    rating: int | None = None
    pros: str = ""
    cons: str = ""
    photos: int = 0
    size: str = ""
    color: str = ""
    replies: list[dict[str, Any]] = field(default_factory=list)
    viewed: bool = False
    pos: int = -1  # index in its platform/kind list (lists are append-only)

    @property
    def ts(self) -> float:
        return self.created.timestamp()


@dataclass(frozen=True)
class Credentials:
    wb_token: str = "wb-test-token-0123456789"
    ozon_client_id: str = "123456"
    ozon_api_key: str = "ozon-test-key-0123456789"
    ym_api_key: str = "ym-test-key-0123456789"
    ym_business_id: str = "1234567"


LIMITS = {
    "wildberries": Limit.per_second(3, burst=6),
    "ozon": Limit.per_second(50),
}


class FakeState:
    """Everything the fake server knows. All access goes through ``lock``."""

    def __init__(self, seed: int = 7, per_kind: int = 20, *, faults: Faults | None = None, now: datetime | None = None) -> None:
        self.lock = threading.RLock()
        self.seed = seed
        self.rng = random.Random(seed)  # noqa: S311 - test data
        self.fault_rng = random.Random(seed + 1)  # noqa: S311
        self.faults = faults or Faults()
        self.creds = Credentials()
        self.items: dict[tuple[str, str], list[FakeItem]] = {(p, k): [] for p in PLATFORMS for k in KINDS}
        self.by_id: dict[tuple[str, str, str], FakeItem] = {}
        self.posted: list[dict[str, Any]] = []
        self.stats: dict[str, int] = {"requests": 0, "rate_limited_injected": 0, "rate_limited_enforced": 0, "errors_injected": 0, "dropped": 0}
        self.last_pages: dict[str, Any] = {}
        self.buckets = MemoryBucketStore()
        self.hourly: dict[str, list[float]] = {}
        self._next_num = 880_000_000
        start = (now or datetime.now(UTC)) - timedelta(days=20)
        self.seed_items(per_kind, start=start, end=(now or datetime.now(UTC)) - timedelta(hours=1))

    @cached_property
    def bank(self) -> dict[str, Any]:
        return yaml.safe_load(SEED_DATA.read_text(encoding="utf-8"))

    # -- generation -------------------------------------------------------------------------------------
    def _new_id(self, platform: str) -> str:
        if platform == "yandex_market":
            self._next_num += 1
            return str(self._next_num)
        if platform == "ozon":
            h = f"{self.rng.getrandbits(128):032x}"
            return f"0199{h[4:8]}-{h[8:12]}-7{h[13:16]}-{h[16:20]}-{h[20:32]}"
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
        return "".join(self.rng.choice(alphabet) for _ in range(20))

    def make_item(self, platform: str, kind: str, created: datetime, **given: Any) -> FakeItem:
        bank, rng = self.bank, self.rng
        product = dict(rng.choice(bank["products"]))
        if kind == "review":
            rating = int(given.pop("rating", None) or rng.choices([5, 4, 3, 2, 1], weights=[50, 20, 12, 8, 10])[0])
            tpl = rng.choice(bank["reviews"][rating])
            fields: dict[str, Any] = {"rating": rating, "text": tpl["text"], "pros": tpl.get("pros", ""), "cons": tpl.get("cons", "")}
            fields["photos"] = rng.choice([0, 0, 0, 1, 2])
        else:
            fields = {"text": rng.choice(bank["questions"])}
        fields["author"] = rng.choice(bank["authors"])
        fields["size"], fields["color"] = rng.choice(bank["sizes"]), rng.choice(bank["colors"])
        fields.update({k: v for k, v in given.items() if v is not None})
        return FakeItem(platform=platform, kind=kind, id=str(given.get("id") or self._new_id(platform)), created=created, product=product, **{k: v for k, v in fields.items() if k != "id"})

    def add(self, item: FakeItem) -> FakeItem:
        with self.lock:
            bucket = self.items[(item.platform, item.kind)]
            if bucket and item.created < bucket[-1].created:
                item.created = bucket[-1].created  # lists stay in time order, like a live feed
            item.pos = len(bucket)
            bucket.append(item)
            self.by_id[(item.platform, item.kind, item.id)] = item
            return item

    def seed_items(self, per_kind: int, *, start: datetime, end: datetime) -> None:
        if per_kind <= 0:
            return
        step = (end - start) / per_kind
        for platform in PLATFORMS:
            for kind in KINDS:
                for n in range(per_kind):
                    created = (start + step * n).replace(microsecond=0)
                    self.add(self.make_item(platform, kind, created))

    def add_new(self, platform: str, kind: str, count: int = 1, **given: Any) -> list[FakeItem]:
        """Items appearing now (admin endpoint)."""
        with self.lock:
            now = datetime.now(UTC).replace(microsecond=0)
            return [self.add(self.make_item(platform, kind, now, **given)) for _ in range(count)]

    # -- queries --------------------------------------------------------------------------------------------
    def listing(self, platform: str, kind: str) -> list[FakeItem]:
        return self.items[(platform, kind)]

    def since(self, platform: str, kind: str, ts: float, *, inclusive: bool = True) -> list[FakeItem]:
        items = self.items[(platform, kind)]
        keys = [i.ts for i in items] if len(items) < 2000 else None
        if keys is None:
            idx = bisect.bisect_left(items, ts, key=lambda i: i.ts) if inclusive else bisect.bisect_right(items, ts, key=lambda i: i.ts)
        else:
            idx = bisect.bisect_left(keys, ts) if inclusive else bisect.bisect_right(keys, ts)
        return items[idx:]

    def get(self, platform: str, kind: str, item_id: str) -> FakeItem | None:
        return self.by_id.get((platform, kind, str(item_id)))

    def record_reply(self, item: FakeItem, text: str, reply_id: str, state: str, **extra: Any) -> dict[str, Any]:
        with self.lock:
            reply = {"id": reply_id, "text": text, "state": state, "at": datetime.now(UTC).isoformat(), **extra}
            item.replies.append(reply)
            self.posted.append({"platform": item.platform, "kind": item.kind, "item_id": item.id, **reply})
            return reply

    def next_reply_id(self, platform: str) -> str:
        with self.lock:
            return self._new_id(platform)

    # -- faults and limits --------------------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        if p <= 0:
            return False
        with self.lock:
            return self.fault_rng.random() < p

    def over_limit(self, platform: str, key: str, method: str) -> bool:
        """True when this request breaks the documented limit (with a little slack for network jitter)."""
        if not self.faults.enforce_limits:
            return False
        import time

        now = time.monotonic()
        if platform in LIMITS:
            limit = LIMITS[platform]
            slack = Limit(rate=limit.rate, burst=limit.burst + 1)
            return self.buckets.take(f"{platform}:{key}", slack, now) > 0
        per_hour = {"goods-feedback/comments/update": 1000, "goods-questions/update": 500, "goods-questions": 1000,
                    "goods-questions/answers": 1000, "goods-feedback/skip-reaction": 500}.get(method, 5000)
        with self.lock:
            log = [t for t in self.hourly.get(method, []) if now - t < 3600]
            over = len(log) >= per_hour
            if not over:
                log.append(now)
            self.hourly[method] = log
            return over

    def duplicate_or_remember(self, key: str, payload: Any) -> Any:
        with self.lock:
            if key in self.last_pages and self.chance(self.faults.duplicate_pages):
                return self.last_pages[key]
            self.last_pages[key] = payload
            return payload

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "faults": asdict(self.faults),
                "stats": dict(self.stats),
                "items": {f"{p}/{k}": len(v) for (p, k), v in self.items.items()},
                "posted": len(self.posted),
            }
