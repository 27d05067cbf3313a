"""The one small interface every marketplace connector implements, and the HTTP plumbing they share.

    list_new(stream, cursor)  → pages of new items, each with the cursor to store after it
    fetch_details(item)       → the item with what the list call leaves out (photos, product name)
    post_reply(item, text)    → what the marketplace said about the posted reply
    list_replies(item)        → what the seller has posted on that item (for reconciliation)

Retries: 429/420 wait for the marketplace's retry header, 5xx/timeouts/dropped connections back off
exponentially. A reply POST is never retried blindly after an ambiguous failure (5xx, timeout, drop):
the request may have been accepted, so ``AmbiguousPostError`` goes up to the publisher, which reads
the marketplace back before deciding to post again.
"""

from __future__ import annotations

import logging
import random
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from otklik.domain.models import Item
from otklik.errors import AuthError, ConnectorError, RateLimitedError, TransientError
from otklik.sources.ratelimit import Limit, RateLimiter
from otklik.store.secrets import Secret, redact

log = logging.getLogger("otklik.sources")

PLATFORMS = ("ozon", "wildberries", "yandex_market")


class AmbiguousPostError(TransientError):
    """A reply POST failed in a way that does not tell whether the marketplace accepted it."""


class RejectedPostError(ConnectorError):
    """The marketplace refused a reply POST (4xx, or still rate limited after retries): nothing was posted."""


@dataclass(slots=True)
class ConnectorConfig:
    """Everything a connector needs; ``api_key`` is a ``Secret`` so it never prints."""

    name: str  # source name in the store, e.g. "wb-main"
    platform: str
    base_url: str
    api_key: Secret
    account_id: str = ""  # Ozon Client-Id, Yandex Market businessId
    timeout: float = 15.0
    max_attempts: int = 6
    max_wait: float = 120.0  # never sleep longer than this on one retry header
    page_size: int | None = None
    limits: dict[str, Limit] = field(default_factory=dict)  # category → limit override
    options: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return (
            f"ConnectorConfig(name={self.name!r}, platform={self.platform!r}, base_url={self.base_url!r}, "
            f"account_id={self.account_id!r}, api_key=***)"
        )


@dataclass(slots=True)
class Page:
    items: list[Item]
    cursor: dict[str, Any]  # store this after the page's items are saved


@dataclass(slots=True)
class PostedReply:
    """A seller reply as the marketplace reports it."""

    text: str
    external_id: str | None = None
    moderation_state: str | None = None  # marketplace's own words: AWAITING_MODERATION, UNMODERATED, ...


def normalize_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_matching(replies: list[PostedReply], text: str) -> PostedReply | None:
    """The posted reply whose text is ours (whitespace/case-insensitive), if any."""
    want = normalize_text(text)
    for r in replies:
        have = normalize_text(r.text)
        if have == want or (len(want) > 40 and (have.startswith(want[:200]) or want.startswith(have[:200]))):
            return r
    return None


class Connector(ABC):
    """A seller account on one marketplace."""

    platform: str = ""
    streams: tuple[str, ...] = ()
    default_limits: dict[str, Limit] = {}

    def __init__(
        self,
        config: ConnectorConfig,
        *,
        transport: httpx.BaseTransport | None = None,
        limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.name = config.name
        self._sleep = sleep
        self.limiter = limiter or RateLimiter(sleep=sleep, clock=clock)
        self.limits = {**self.default_limits, **config.limits}
        self.stats = {"requests": 0, "retries": 0, "rate_limited": 0, "waited": 0.0}
        self.client = httpx.Client(
            base_url=config.base_url.rstrip("/"),
            timeout=httpx.Timeout(config.timeout, connect=min(config.timeout, 10.0)),
            transport=transport,
            headers=self._auth_headers(),
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, base_url={self.config.base_url!r})"

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the interface ------------------------------------------------------------------------------
    @abstractmethod
    def list_new(self, stream: str, cursor: dict[str, Any]) -> Iterator[Page]: ...

    def fetch_details(self, item: Item) -> Item:
        return item

    @abstractmethod
    def post_reply(self, item: Item, text: str) -> PostedReply: ...

    @abstractmethod
    def list_replies(self, item: Item) -> list[PostedReply]: ...

    def accepted_without_trace(self, item: Item) -> bool:
        """True when the marketplace shows our reply was accepted although ``list_replies`` cannot show it yet."""
        return False

    def product_names(self, product_ids: list[str]) -> dict[str, str]:
        """Names for product ids the list calls did not name (best effort; {} if unavailable)."""
        return {}

    # -- HTTP plumbing --------------------------------------------------------------------------------
    @abstractmethod
    def _auth_headers(self) -> dict[str, str]: ...

    def _category(self, path: str) -> str:
        return "default"

    def _retry_after(self, response: httpx.Response) -> float:
        for header in ("X-Ratelimit-Retry", "Retry-After", "X-RateLimit-Reset"):
            value = response.headers.get(header)
            if value:
                try:
                    return max(0.0, float(value))
                except ValueError:
                    continue
        return 1.0

    def _is_rate_limited(self, response: httpx.Response) -> bool:
        return response.status_code == 429

    def _backoff(self, attempt: int) -> float:
        return min(10.0, 0.2 * (2**attempt)) * (0.5 + random.random())  # noqa: S311 - jitter, not crypto

    def request(self, method: str, path: str, *, reply_post: bool = False, **kwargs: Any) -> httpx.Response:
        """One API call with rate limiting and retries; returns a 2xx response or raises."""
        category = self._category(path)
        limit = self.limits.get(category) or self.limits.get("default")
        key = f"{self.name}:{category}"
        last: ConnectorError | None = None
        for attempt in range(self.config.max_attempts):
            self.stats["waited"] += self.limiter.acquire(key, limit)
            self.stats["requests"] += 1
            try:
                response = self.client.request(method, path, **kwargs)
            except (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                msg = f"{self.name}: {method} {path}: {type(exc).__name__}"
                if reply_post:
                    raise AmbiguousPostError(msg) from None
                last = TransientError(msg)
                log.warning("%s; retrying", msg)
                self.stats["retries"] += 1
                self._sleep(self._backoff(attempt))
                continue
            if self._is_rate_limited(response):
                wait = min(self._retry_after(response), self.config.max_wait)
                self.stats["rate_limited"] += 1
                self.limiter.penalize(key, limit, wait)
                last = RateLimitedError(
                    f"{self.platform} {method} {path}: rate limited (HTTP {response.status_code}), retry in {wait:.1f}s",
                    retry_after=wait,
                    status=response.status_code,
                )
                log.info("%s", last)
                continue  # acquire() waits out the penalty; a rejected request was not executed
            if response.status_code >= 500:
                msg = f"{self.name}: {method} {path}: HTTP {response.status_code}"
                if reply_post:
                    raise AmbiguousPostError(msg, status=response.status_code)
                last = TransientError(msg, status=response.status_code)
                log.warning("%s; retrying", msg)
                self.stats["retries"] += 1
                self._sleep(self._backoff(attempt))
                continue
            if response.status_code in (401, 403) and not reply_post:
                raise AuthError(
                    f"{self.platform} {method} {path}: credentials rejected (HTTP {response.status_code}) "
                    f"for source '{self.name}'",
                    status=response.status_code,
                )
            if response.status_code >= 400:
                body = redact(response.text[:300], self.config.api_key)
                raise (RejectedPostError if reply_post else ConnectorError)(
                    f"{self.platform} {method} {path}: HTTP {response.status_code}: {body}", status=response.status_code
                )
            return response
        assert last is not None
        if reply_post and isinstance(last, RateLimitedError):
            raise RejectedPostError(str(last), status=last.status)
        raise last

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError:
            raise ConnectorError(f"{self.platform} {method} {path}: response is not JSON") from None
