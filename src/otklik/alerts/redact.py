"""Keeping alert secrets out of sight: read from the environment, hidden in every text and log line.

A Telegram token travels in the URL path (``/bot<token>/sendMessage``), and httpx logs each request
URL at INFO; ``hidden_in_logs`` rewrites those records while a channel is sending, so no handler
anyone configures ever sees the token.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager

MASK = "***"
_BOT_PATH = re.compile(r"/bot[^/\s'\"]+")
HTTP_LOGGERS = ("httpx", "httpcore", "httpcore.connection", "httpcore.http11", "httpcore.http2", "httpcore.proxy")


def read_secret(environ: Mapping[str, str], name: str) -> str | None:
    value = (environ.get(name) or "").strip()
    return value or None


class Redactor:
    """Replaces every known secret (and any ``/bot…/`` URL path) with ``***``."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def __call__(self, text: object) -> str:
        out = str(text)
        for s in self._secrets:
            out = out.replace(s, MASK)
        return _BOT_PATH.sub("/bot" + MASK, out)


class _RedactingFilter(logging.Filter):
    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = ()
        return True


@contextmanager
def hidden_in_logs(redact: Redactor, loggers: Iterable[str] = HTTP_LOGGERS) -> Iterator[None]:
    """While the block runs, records of the HTTP libraries' loggers carry no secret."""
    flt = _RedactingFilter(redact)
    targets = [logging.getLogger(name) for name in loggers]
    for lg in targets:
        lg.addFilter(flt)
    try:
        yield
    finally:
        for lg in targets:
            lg.removeFilter(flt)
