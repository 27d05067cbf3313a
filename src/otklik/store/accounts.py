"""Users, roles, API tokens, web sessions and failed logins. Functions take a Session; callers commit.

Nothing secret is stored in clear: passwords as argon2 hashes, API tokens and session cookies as
SHA-256 of 256-bit random values (enough for a value nobody can guess; a slow hash adds nothing).
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from otklik.errors import InputError
from otklik.store.tables import ApiTokenRow, LoginFailureRow, UserRow, WebSessionRow

LOGIN_RE = re.compile(r"^[\w.@-]{2,64}$")
MIN_PASSWORD = 8
TOKEN_PREFIX = "otk_"
SESSION_LIFETIME = timedelta(hours=12)
FAILURE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_IP = 20  # an office behind one address has several people who mistype
# Verified when the login is unknown, so a wrong login costs as long as a wrong password.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$5XdHRb8LQKy8qQWjD/DW1A$UL4v3Zcxfbkbja9ep2yuW1fnlRxz55uwME6fpzPUP9U"


class Role(StrEnum):
    """Each role can do everything the ones below it can."""

    viewer = "viewer"  # reads the inbox and insights
    responder = "responder"  # approves, edits and rejects replies
    owner = "owner"  # everything, and manages users

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


@dataclass(frozen=True, slots=True)
class Account:
    """Who is asking, as the web layer needs it; never carries a secret."""

    id: int
    login: str
    role: Role


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    login: str
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


def now_utc() -> datetime:
    return datetime.now(UTC)


def _aware(dt: datetime) -> datetime:
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # SQLite returns naive UTC


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _account(row: UserRow) -> Account:
    return Account(id=row.id, login=row.login, role=Role(row.role))


def normalize_login(login: str) -> str:
    clean = login.strip().casefold()
    if not LOGIN_RE.match(clean):
        raise InputError(f"login must be 2–64 letters, digits or . _ @ -, got {login!r}")
    return clean


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InputError(f"role must be one of {', '.join(r.value for r in reversed(Role))}, got {role!r}") from None


# -- users ----------------------------------------------------------------------------------------
def add_user(s: Session, login: str, password: str, role: Role) -> Account:
    login = normalize_login(login)
    if s.scalar(select(UserRow.id).where(UserRow.login == login)) is not None:
        raise InputError(f"user {login!r} already exists")
    if len(password) < MIN_PASSWORD:
        raise InputError(f"password must be at least {MIN_PASSWORD} characters")
    row = UserRow(login=login, password_hash=PasswordHasher().hash(password), role=role.value, created_at=now_utc())
    s.add(row)
    s.flush()
    return _account(row)


def list_users(s: Session) -> list[Account]:
    return [_account(r) for r in s.scalars(select(UserRow).order_by(UserRow.login))]


def count_users(s: Session) -> int:
    return s.scalar(select(func.count(UserRow.id))) or 0


def remove_user(s: Session, login: str) -> None:
    """Remove a user with their sessions and tokens. The last owner stays: someone must manage users."""
    row = _user(s, login)
    if row.role == Role.owner and s.scalar(select(func.count(UserRow.id)).where(UserRow.role == Role.owner.value)) == 1:
        raise InputError(f"{row.login!r} is the only owner; add another owner first")
    s.execute(delete(WebSessionRow).where(WebSessionRow.user_id == row.id))
    s.execute(delete(ApiTokenRow).where(ApiTokenRow.user_id == row.id))
    s.delete(row)


def _user(s: Session, login: str) -> UserRow:
    row = s.scalar(select(UserRow).where(UserRow.login == login.strip().casefold()))
    if row is None:
        raise InputError(f"no user {login!r}")
    return row


def check_password(s: Session, login: str, password: str) -> Account | None:
    """The account when the password is right; None otherwise, after the same amount of work."""
    row = s.scalar(select(UserRow).where(UserRow.login == login.strip().casefold()))
    hasher = PasswordHasher()
    try:
        hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if hasher.check_needs_rehash(row.password_hash):
        row.password_hash = hasher.hash(password)
    return _account(row)


# -- API tokens -----------------------------------------------------------------------------------
def create_token(s: Session, login: str, name: str = "") -> tuple[int, str]:
    """A new token for the user: (id, the token). The token is shown once and never stored."""
    user = _user(s, login)
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiTokenRow(user_id=user.id, name=name[:100], token_hash=_sha256(clear), created_at=now_utc())
    s.add(row)
    s.flush()
    return row.id, clear


def list_tokens(s: Session) -> list[TokenInfo]:
    rows = s.execute(select(ApiTokenRow, UserRow.login).join(UserRow).order_by(ApiTokenRow.id))
    return [TokenInfo(id=t.id, login=login, name=t.name, created_at=_aware(t.created_at),
                      last_used_at=_aware(t.last_used_at) if t.last_used_at else None,
                      revoked=t.revoked_at is not None) for t, login in rows]


def revoke_token(s: Session, token_id: int) -> None:
    row = s.get(ApiTokenRow, token_id)
    if row is None:
        raise InputError(f"no token with id {token_id}")
    if row.revoked_at is None:
        row.revoked_at = now_utc()


def token_account(s: Session, clear: str) -> Account | None:
    """The token's user when it exists and is not revoked; notes when it was last used."""
    found = s.execute(
        select(ApiTokenRow, UserRow).join(UserRow).where(ApiTokenRow.token_hash == _sha256(clear))
    ).first()
    if found is None or found[0].revoked_at is not None:
        return None
    found[0].last_used_at = now_utc()
    return _account(found[1])


# -- web sessions ---------------------------------------------------------------------------------
def open_session(s: Session, account: Account) -> str:
    """A new session for a fresh login: returns the cookie value (only its hash is stored)."""
    now = now_utc()
    s.execute(delete(WebSessionRow).where(WebSessionRow.expires_at <= now))
    cookie = secrets.token_urlsafe(32)
    s.add(WebSessionRow(id=_sha256(cookie), user_id=account.id, csrf_token=secrets.token_urlsafe(32),
                        created_at=now, expires_at=now + SESSION_LIFETIME))
    return cookie


def session_account(s: Session, cookie: str) -> tuple[Account, str] | None:
    """(account, CSRF token) of a live session, or None when unknown or expired."""
    found = s.execute(
        select(WebSessionRow, UserRow).join(UserRow).where(WebSessionRow.id == _sha256(cookie))
    ).first()
    if found is None or _aware(found[0].expires_at) <= now_utc():
        return None
    return _account(found[1]), found[0].csrf_token


def close_session(s: Session, cookie: str) -> None:
    s.execute(delete(WebSessionRow).where(WebSessionRow.id == _sha256(cookie)))


# -- failed logins --------------------------------------------------------------------------------
def record_failure(s: Session, login: str, client_ip: str) -> None:
    now = now_utc()
    s.execute(delete(LoginFailureRow).where(LoginFailureRow.at <= now - FAILURE_WINDOW))
    s.add(LoginFailureRow(login=login.strip().casefold()[:64], client_ip=client_ip[:64], at=now))


def clear_failures(s: Session, login: str) -> None:
    s.execute(delete(LoginFailureRow).where(LoginFailureRow.login == login.strip().casefold()[:64]))


def login_blocked_for(s: Session, login: str, client_ip: str) -> int:
    """Seconds until this login and address may try again; 0 when they may now."""
    now = now_utc()
    waits = [0.0]
    for column, value, limit in ((LoginFailureRow.login, login.strip().casefold()[:64], MAX_FAILURES_PER_LOGIN),
                                 (LoginFailureRow.client_ip, client_ip[:64], MAX_FAILURES_PER_IP)):
        # The limit-th most recent failure in the window: once it ages out, one more try is allowed.
        at = s.scalar(select(LoginFailureRow.at).where(column == value, LoginFailureRow.at > now - FAILURE_WINDOW)
                      .order_by(LoginFailureRow.at.desc()).offset(limit - 1).limit(1))
        if at is not None:
            waits.append((_aware(at) + FAILURE_WINDOW - now).total_seconds())
    return max(0, math.ceil(max(waits)))
