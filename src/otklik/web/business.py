"""Which business a request works in, and whether the caller may see it.

The business is the ``business`` query parameter (scripts, links) or the ``otklik_business`` cookie
the switcher sets; without either, the first business the user may see. A user limited to some
businesses (``business_members``) gets 403 for another one named in the query; a cookie naming one
they may not see (a shared browser) is ignored. Every item route looks items up in this business
only, so another business's item is «not found» (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from otklik.errors import WorkflowError
from otklik.profile import BusinessProfile
from otklik.store import businesses
from otklik.store.businesses import Business
from otklik.web.auth import Principal
from otklik.web.resources import BusinessTools, WebResources

COOKIE = "otklik_business"
PARAM = "business"
UNKNOWN = "Нет бизнеса «{slug}» в этом хранилище."
NOT_YOURS = "Нет доступа к бизнесу «{slug}»: попросите владельца добавить вас."
NONE_ALLOWED = "У вас нет доступа ни к одному бизнесу этого хранилища."


@dataclass(frozen=True, slots=True)
class CurrentBusiness:
    business: Business
    tools: BusinessTools
    choices: list[Business]  # the businesses this user may switch to
    single: bool  # the store has one business: lists need no business filter
    resources: WebResources  # the app's (the reply memory live lint shares)

    @property
    def id(self) -> int:
        return self.business.id

    @property
    def profile(self) -> BusinessProfile:
        return self.tools.profile

    @property
    def name(self) -> str:
        return businesses.display_name(self.business, self.profile)

    @property
    def filter_id(self) -> int | None:
        """The business to filter lists by (None when it is the store's only one: no extra condition)."""
        return None if self.single else self.business.id


def current_business(request: Request, engine: Engine, who: Principal, *, asked: str | None = None) -> CurrentBusiness:
    """The business of this request (``asked`` overrides the query parameter, for the switcher)."""
    asked = asked if asked is not None else request.query_params.get(PARAM) or ""
    remembered = request.cookies.get(COOKIE) or ""
    with Session(engine) as s:
        every = businesses.list_businesses(s)
        allowed = businesses.allowed_ids(s, who.account.id)
    choices = [b for b in every if allowed is None or b.id in allowed]
    by_slug = {b.slug: b for b in every}
    if asked:
        if asked not in by_slug:
            raise HTTPException(404, UNKNOWN.format(slug=asked[:64]))
        if by_slug[asked] not in choices:
            raise HTTPException(403, NOT_YOURS.format(slug=asked[:64]))
        chosen = by_slug[asked]
    elif remembered in by_slug and by_slug[remembered] in choices:
        chosen = by_slug[remembered]
    elif choices:
        chosen = choices[0]
    else:
        raise HTTPException(403, NONE_ALLOWED)
    resources: WebResources = request.app.state.resources
    return CurrentBusiness(chosen, resources.tools(engine, chosen.id), choices, len(every) == 1, resources)


def require_item(engine: Engine, biz: CurrentBusiness, item_id: str, source: str | None) -> None:
    """404 unless the item is in this business (another business's item is not found here)."""
    from otklik.workflow.review import find_item

    with Session(engine) as s:
        try:
            find_item(s, item_id, source, business_id=biz.id)
        except WorkflowError as exc:
            raise HTTPException(404, exc.ru or str(exc)) from exc
