"""Businesses of a store and their profiles: add, list, find by slug, store a validated profile,
limit users to some businesses. Functions take a Session; the caller commits.

A business whose profile is not stored uses the one given at start-up (``fallback``): a store made
before several businesses existed keeps behaving exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import yaml
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from otklik.errors import InputError, ProfileError
from otklik.profile import BusinessProfile, parse_profile
from otklik.store.accounts import normalize_login
from otklik.store.business_tables import BusinessMemberRow, BusinessRow
from otklik.store.tables import UserRow

DEFAULT_ID = 1
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class Business:
    """A business as callers see it; ``stored`` says whether its profile lives in the store."""

    id: int
    slug: str
    name: str
    version: int
    stored: bool
    updated_at: datetime | None
    updated_by: str | None


def _view(row: BusinessRow) -> Business:
    return Business(row.id, row.slug, row.name, row.version, row.profile_yaml is not None, row.updated_at,
                    row.updated_by)


def parse_profile_text(text: str, *, origin: str) -> BusinessProfile:
    """YAML text → a validated profile; a ProfileError names ``origin`` and the field path."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{origin}: not valid YAML: {exc}") from exc
    return parse_profile(data, origin=origin)


def profile_to_yaml(profile: BusinessProfile) -> str:
    """A profile as YAML an owner can edit (what differs from the defaults, in the schema's order)."""
    data = profile.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def list_businesses(s: Session) -> list[Business]:
    return [_view(r) for r in s.scalars(select(BusinessRow).order_by(BusinessRow.id))]


def count_businesses(s: Session) -> int:
    return int(s.scalar(select(func.count()).select_from(BusinessRow)) or 0)


def _row(s: Session, slug: str) -> BusinessRow:
    row = s.scalar(select(BusinessRow).where(BusinessRow.slug == slug))
    if row is None:
        known = ", ".join(b.slug for b in list_businesses(s)) or "none"
        raise InputError(f"no business '{slug[:64]}' in this store (known: {known}); add it with "
                         f"`otklik business add {slug[:64]} --profile FILE`", field="business")
    return row


def get_business(s: Session, slug: str) -> Business:
    """The business with this slug; an InputError listing the known slugs otherwise."""
    return _view(_row(s, slug))


def business_by_id(s: Session, business_id: int) -> Business:
    row = s.get(BusinessRow, business_id)
    if row is None:
        raise InputError(f"no business with id {business_id}", field="business")
    return _view(row)


def resolve_business(s: Session, slug: str | None) -> Business:
    """``--business SLUG``, or without one the store's only business (or ``default``)."""
    if slug:
        return get_business(s, slug)
    found = list_businesses(s)
    if len(found) == 1:
        return found[0]
    default = next((b for b in found if b.id == DEFAULT_ID), None)
    if default is None:
        raise InputError("this store has several businesses: pass --business SLUG "
                         f"({', '.join(b.slug for b in found)})", field="business")
    return default


def add_business(s: Session, slug: str, *, profile_text: str | None, name: str = "", origin: str = "<profile>",
                 actor: str = "cli") -> Business:
    """A new business; its profile (if given) is validated first, so a bad one adds nothing."""
    if not SLUG.match(slug):
        raise InputError(f"business slug '{slug[:64]}' must be lower-case latin letters, digits, '-' or '_'",
                         field="slug")
    if s.scalar(select(BusinessRow.id).where(BusinessRow.slug == slug)) is not None:
        raise InputError(f"business '{slug}' already exists; change its profile with "
                         f"`otklik business set-profile {slug} FILE`", field="slug")
    if profile_text is not None:
        parse_profile_text(profile_text, origin=origin)
    now = datetime.now(UTC)
    row = BusinessRow(slug=slug, name=name.strip(), profile_yaml=profile_text, version=1 if profile_text else 0,
                      created_at=now, updated_at=now if profile_text else None,
                      updated_by=actor if profile_text else None)
    s.add(row)
    s.flush()
    return _view(row)


def set_profile(s: Session, slug: str, text: str, *, actor: str, origin: str = "<profile>",
                expected_version: int | None = None) -> Business:
    """Store a new profile after validating it (nothing changes when it is invalid); records who
    and when, and moves the version so every cache of the old profile is dropped. With
    ``expected_version``, a profile saved by someone else in between is not overwritten."""
    row = _row(s, slug)
    parse_profile_text(text, origin=origin)
    if expected_version is not None and row.version != expected_version:
        raise InputError(f"the profile of '{slug}' was saved by {row.updated_by or 'someone'} meanwhile "
                         f"(version {row.version}); reload it and make your change again", field="version")
    row.profile_yaml = text
    row.version += 1
    row.updated_at = datetime.now(UTC)
    row.updated_by = actor
    s.flush()
    return _view(row)


def profile_text(s: Session, business_id: int) -> str | None:
    """The stored YAML, or None when the business uses the start-up profile."""
    return s.scalar(select(BusinessRow.profile_yaml).where(BusinessRow.id == business_id))


def business_profile(s: Session, business_id: int, fallback: BusinessProfile) -> BusinessProfile:
    """The business's profile: the stored one, else ``fallback`` (the start-up profile)."""
    row = s.get(BusinessRow, business_id)
    if row is None or row.profile_yaml is None:
        return fallback
    return parse_profile_text(row.profile_yaml, origin=f"business '{row.slug}'")


def display_name(business: Business, profile: BusinessProfile) -> str:
    return business.name or profile.business.name


# -- who may see which business ---------------------------------------------------------------
def allowed_ids(s: Session, user_id: int) -> set[int] | None:
    """The businesses a user may see; None means all of them (no membership rows)."""
    ids = set(s.scalars(select(BusinessMemberRow.business_id).where(BusinessMemberRow.user_id == user_id)))
    return ids or None


def set_members(s: Session, login: str, slugs: list[str]) -> list[str]:
    """Limit a user to these businesses (an empty list: every business again)."""
    user = s.scalar(select(UserRow).where(UserRow.login == normalize_login(login)))
    if user is None:
        raise InputError(f"no user '{login[:64]}'", field="login")
    ids = [_row(s, slug).id for slug in slugs]
    s.execute(delete(BusinessMemberRow).where(BusinessMemberRow.user_id == user.id))
    for bid in sorted(set(ids)):
        s.add(BusinessMemberRow(user_id=user.id, business_id=bid))
    s.flush()
    return sorted(set(slugs))
