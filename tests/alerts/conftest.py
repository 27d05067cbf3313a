"""Local fakes of every alert channel, and a store with reviews of known ages.

- ``webhook``: a stdlib HTTP server that records each POST (headers, JSON body) and can be told to fail.
- ``telegram``: the Bot API contract of ``sendMessage``: ``{"ok": true, "result": {...}}``; 401
  ``Unauthorized`` for a token it does not know; 429 with ``parameters.retry_after`` when asked.
- ``smtp_server``: aiosmtpd, optionally with STARTTLS (a self-signed certificate made here) and AUTH.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy.orm import Session

from otklik.domain import CaseStatus, Draft, Item, ItemKind, ReplyStatus, ReplyType
from otklik.profile import BusinessProfile, bundled_profile_path, parse_profile
from otklik.store import repository as repo
from otklik.store.db import open_store_engine
from otklik.store.tables import CaseRow, ItemRow

BOT_TOKEN = "123456:AAF-test_SECRET-token-value"


# -- HTTP fakes -------------------------------------------------------------------------------
@dataclass
class FakeHTTP:
    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_with: int | None = None  # webhook: answer this status instead of 200
    rate_limit: list[int] = field(default_factory=list)  # telegram: retry_after values to answer 429 with, in turn

    def messages(self) -> list[str]:
        return [r["json"]["text"] for r in self.requests if r.get("ok")]


def _serve(handler_cls: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_cls)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def _handler(state: FakeHTTP, respond: Any) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server API
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            req = {"path": self.path, "headers": dict(self.headers), "raw": raw, "json": json.loads(raw or b"{}")}
            status, body = respond(state, req)
            req["ok"] = status == 200
            state.requests.append(req)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


def _webhook_respond(state: FakeHTTP, req: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    if state.fail_with:
        return state.fail_with, {"error": "receiver is down"}
    return 200, {"received": True}


def _telegram_respond(state: FakeHTTP, req: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    path = req["path"]
    if not path.startswith("/bot") or not path.endswith("/sendMessage"):
        return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
    if path[len("/bot") : -len("/sendMessage")] != BOT_TOKEN:
        return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
    if state.rate_limit:
        wait = state.rate_limit.pop(0)
        return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {wait}",
                     "parameters": {"retry_after": wait}}
    body = req["json"]
    if not body.get("chat_id") or not body.get("text"):
        return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
    return 200, {"ok": True, "result": {"message_id": len(state.requests) + 1, "date": 0,
                                        "chat": {"id": body["chat_id"], "type": "group"}, "text": body["text"]}}


@pytest.fixture
def webhook() -> Iterator[FakeHTTP]:
    state = FakeHTTP()
    server, thread = _serve(_handler(state, _webhook_respond))
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/otklik"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def telegram() -> Iterator[FakeHTTP]:
    state = FakeHTTP()
    server, thread = _serve(_handler(state, _telegram_respond))
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(5)


# -- SMTP fake --------------------------------------------------------------------------------
@dataclass
class FakeSMTP:
    host: str
    port: int
    letters: list[EmailMessage] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    ca_file: Path | None = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _self_signed(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp / "smtp-cert.pem", tmp / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_file, key_file


def start_smtp(tmp: Path, *, tls: bool = False, password: str | None = None) -> tuple[Any, FakeSMTP]:
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    state = FakeSMTP("127.0.0.1", _free_port())

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
            state.letters.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        login, pw = auth_data.login.decode(), auth_data.password.decode()
        state.logins.append((login, pw))
        return AuthResult(success=pw == password, handled=False)

    kwargs: dict[str, Any] = {}
    if tls:
        cert, key = _self_signed(tmp)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        kwargs.update(tls_context=ctx, require_starttls=True)
        state.ca_file = cert
    if password is not None:
        kwargs.update(authenticator=authenticator, auth_require_tls=tls)
    controller = Controller(Handler(), hostname=state.host, port=state.port, **kwargs)
    controller.start()
    return controller, state


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[FakeSMTP]:
    controller, state = start_smtp(tmp_path)
    yield state
    controller.stop()


# -- a store with reviews of known ages ---------------------------------------------------------
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def hours_ago(h: float) -> dt.datetime:
    return NOW - dt.timedelta(hours=h)


def add_item(engine: Any, ext: str, *, age: float | None, product: str | None = "Платье-рубашка из льна",
             text: str = "Платье село плохо, швы кривые", kind: str = "review", reply: str | None = None,
             case: str | None = None, source: str = "wildberries") -> None:
    """An item written ``age`` hours ago; ``reply`` its reply status, ``case`` its case status."""
    with Session(engine) as s, s.begin():
        repo.upsert_items(s, [Item(external_id=ext, source=source, kind=ItemKind(kind), text=text, rating=2,
                                   product=product, created_at=hours_ago(age) if age is not None else None)])
        row = s.query(ItemRow).filter_by(external_id=ext).one()
        if reply is not None:
            r = repo.save_draft(s, row, Draft(text="Здравствуйте! Нам жаль, что швы подвели.", reply_type=ReplyType.REPLY,
                                              needs_human=reply == "held"))
            if reply in (ReplyStatus.APPROVED, ReplyStatus.PUBLISHED):
                s.flush()
                repo.set_reply_status(s, r, ReplyStatus(reply), actor="human:test")
        if case is not None:
            s.add(CaseRow(item_id=row.id, cause="defect", status=CaseStatus(case), opened_at=repo.now_utc()))


@pytest.fixture
def engine(db_url: str) -> Iterator[Any]:
    eng = open_store_engine(db_url)
    yield eng
    eng.dispose()


def profile_with(channels: list[dict[str, Any]], **alerts: Any) -> BusinessProfile:
    """The bundled clothing profile (24 h target) with an ``alerts:`` section, validated like a user's file."""
    data = yaml.safe_load(bundled_profile_path("clothing").read_text(encoding="utf-8"))
    data["alerts"] = {"channels": channels, **alerts}
    return parse_profile(data, origin="test-profile.yaml")
