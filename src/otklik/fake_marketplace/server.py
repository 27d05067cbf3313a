"""Run the fake marketplace with uvicorn: in a background thread (tests, benchmarks) or in the foreground."""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import httpx
import uvicorn

from otklik.fake_marketplace.app import create_app
from otklik.fake_marketplace.state import FakeState, Faults


class _QuietDrops(logging.Filter):
    """A dropped connection is a fault we inject on purpose: do not report it as a server error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "returned without starting response" not in record.getMessage()


class FakeMarketplace:
    """``with FakeMarketplace() as fake: fake.url ...`` — a live server on 127.0.0.1 and a free port."""

    def __init__(self, state: FakeState | None = None, *, host: str = "127.0.0.1", port: int = 0, **state_kwargs: Any) -> None:
        self.state = state or FakeState(**state_kwargs)
        self.host = host
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.port = self._sock.getsockname()[1]
        config = uvicorn.Config(create_app(self.state), log_level="warning", access_log=False, http="h11", lifespan="off")
        self.server = uvicorn.Server(config)
        quiet = _QuietDrops()
        if not any(isinstance(f, _QuietDrops) for f in logging.getLogger("uvicorn.error").filters):
            logging.getLogger("uvicorn.error").addFilter(quiet)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def serve_forever(self) -> None:
        self.server.run(sockets=[self._sock])

    def start(self) -> FakeMarketplace:
        self._thread = threading.Thread(target=self.serve_forever, name="fake-marketplace", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake marketplace did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._sock.close()

    def __enter__(self) -> FakeMarketplace:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- admin helpers -------------------------------------------------------------------------------------
    def set_faults(self, **faults: Any) -> None:
        with self.state.lock:
            self.state.faults = Faults(**{**self.state.faults.__dict__, **faults})

    def add_items(self, platform: str, kind: str = "review", count: int = 1, **given: Any) -> list[str]:
        return [i.id for i in self.state.add_new(platform, kind, count, **given)]

    def posted(self) -> list[dict[str, Any]]:
        with self.state.lock:
            return list(self.state.posted)

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the admin API over HTTP (what another process would do)."""
        return httpx.request(method, self.url + path, timeout=10, **kwargs).json()
