"""Request dependencies: the app's engine and profile, as short annotated types."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from otklik.profile import BusinessProfile


def _engine(request: Request) -> Engine:
    return request.app.state.engine


def _profile(request: Request) -> BusinessProfile:
    return request.app.state.profile


EngineDep = Annotated[Engine, Depends(_engine)]
ProfileDep = Annotated[BusinessProfile, Depends(_profile)]
