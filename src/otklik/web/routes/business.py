"""The business switcher and the owner's profile editor.

The profile is edited as YAML in a text box and checked by the same parser as a profile file; a
refused profile is shown again with the owner's text kept and the fields named, and nothing stored
changes. A save records who and when and moves the version, so every cache of the old profile
(linter, analyser) is rebuilt on the next request.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from otklik.errors import InputError, ProfileError
from otklik.store import businesses
from otklik.web.auth import Owner, Principal, Viewer
from otklik.web.business import COOKIE, CurrentBusiness, current_business
from otklik.web.deps import EngineDep
from otklik.web.routes.pages import page
from otklik.web.security import notice_is_ours, sign_notice

router = APIRouter(include_in_schema=False)

SAVED = "Профиль сохранён (версия {version})."
REFUSED = "Профиль не сохранён, в нём ошибки — исправьте и сохраните снова:"
STALE = "Профиль не сохранён: его изменил {who} (версия {version}). Откройте страницу заново."
FIELD = "поле «{path}»: {msg}"
MAX_PROFILE = 200_000


@router.post("/business/switch")
def switch(request: Request, who: Viewer, engine: EngineDep,
           slug: Annotated[str, Form(max_length=64)]) -> RedirectResponse:
    """Remember the chosen business for this browser (only one the user may see)."""
    biz = current_business(request, engine, who, asked=slug)
    out = RedirectResponse("/", status_code=303)
    out.set_cookie(COOKIE, biz.business.slug, httponly=True, samesite="lax", secure=request.url.scheme == "https")
    return out


def _profile_page(request: Request, who: Principal, biz: CurrentBusiness, text: str, *, errors: list[str],
                  msg: str = "", version: int | None = None, status: int = 200) -> HTMLResponse:
    response = page(request, "business_profile.html", who, biz=biz, text=text, errors=errors, msg=msg,
                    version=biz.business.version if version is None else version)
    response.status_code = status
    return response


@router.get("/business/profile", response_class=HTMLResponse)
def profile_page(request: Request, who: Owner, engine: EngineDep, msg: str = "", sig: str = "") -> HTMLResponse:
    biz = current_business(request, engine, who)
    if msg and not notice_is_ours((who.csrf or "").encode(), msg, sig):
        msg = ""
    with Session(engine) as s:
        text = businesses.profile_text(s, biz.id)
    return _profile_page(request, who, biz, text if text is not None else businesses.profile_to_yaml(biz.profile),
                         errors=[], msg=msg)


def _problems(exc: ProfileError) -> list[str]:
    """The refusal in Russian, one line per field (the validator's own words after the path)."""
    if exc.fields:
        return [FIELD.format(path=path, msg=msg) for path, msg in exc.fields]
    return [str(exc).split(": ", 1)[-1]]


@router.post("/business/profile", response_model=None)
def save_profile(
    request: Request, who: Owner, engine: EngineDep,
    text: Annotated[str, Form(max_length=MAX_PROFILE)], version: Annotated[int, Form()],
) -> Response:
    biz = current_business(request, engine, who)
    try:
        with Session(engine) as s, s.begin():
            saved = businesses.set_profile(s, biz.business.slug, text, actor=who.account.login,
                                           origin=f"business '{biz.business.slug}'", expected_version=version)
    except ProfileError as exc:
        return _profile_page(request, who, biz, text, errors=[REFUSED, *_problems(exc)], version=version, status=422)
    except InputError as exc:
        if exc.field != "version":
            raise HTTPException(422, str(exc)) from exc
        return _profile_page(request, who, biz, text, errors=[STALE.format(who=biz.business.updated_by or "—",
                             version=biz.business.version)], version=version, status=409)
    msg = SAVED.format(version=saved.version)
    key = (who.csrf or "").encode()
    return RedirectResponse(f"/business/profile?business={quote(saved.slug)}&msg={quote(msg)}"
                            f"&sig={sign_notice(key, msg)}", status_code=303)
