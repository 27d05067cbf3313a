"""Shared fixtures. Each test owns its state: a fresh, empty database per test.

The suite runs on SQLite by default; with OTKLIK_TEST_PG=1 every test gets a fresh PostgreSQL
database instead (created on the server named by OTKLIK_TEST_PG_URL, dropped afterwards).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from otklik.compose import Composer
from otklik.profile import BusinessProfile, bundled_profile_path, load_profile

PG_ADMIN_URL = os.environ.get("OTKLIK_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _use_pg() -> bool:
    return os.environ.get("OTKLIK_TEST_PG", "") not in ("", "0", "false")


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database for this test only."""
    if not _use_pg():
        yield f"sqlite:///{tmp_path / 'otklik-test.db'}"
        return
    name = f"otklik_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name}
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def db_backend() -> str:
    return "postgresql" if _use_pg() else "sqlite"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's OTKLIK_* settings or writes into the working directory."""
    for key in list(os.environ):
        if key.startswith("OTKLIK_") and not key.startswith("OTKLIK_TEST_"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(tmp_path)


# -- the two bundled example businesses, for composer and linter tests ------------------------
@pytest.fixture(scope="session")
def clothing() -> BusinessProfile:
    return load_profile(bundled_profile_path("clothing"))


@pytest.fixture(scope="session")
def restaurant() -> BusinessProfile:
    return load_profile(bundled_profile_path("restaurant"))


@pytest.fixture(scope="module")
def shop(clothing: BusinessProfile) -> Composer:
    return Composer(clothing, seed=1)


@pytest.fixture(scope="module")
def cafe(restaurant: BusinessProfile) -> Composer:
    return Composer(restaurant, seed=1)


# -- a store with two businesses: a clothing shop (the start-up profile) and a restaurant -------
SHOP_ROWS = [
    {"id": "shop-1", "text": "Рубашка маломерит, пришлось вернуть. Ткань приятная.", "rating": 2},
    {"id": "shop-2", "text": "Отличное льняное платье, сидит идеально, спасибо!", "rating": 5},
]
CAFE_ROWS = [
    {"id": "cafe-1", "text": "Горячее ждали 50 минут, официант два раза говорил «уже несут». Так долго нельзя.",
     "rating": 2, "source": "yandex_maps"},
    {"id": "cafe-2", "text": "Борщ как у бабушки, медовик тает во рту. Спасибо официанту Артёму!", "rating": 5,
     "source": "yandex_maps"},
]


@pytest.fixture
def two_businesses(db_url: str, tmp_path: Path, clothing: BusinessProfile) -> dict[str, object]:
    """Items of a clothing shop (business ``default``, start-up profile) and of a restaurant
    (``cafe``, restaurant profile stored), analysed and drafted in one run."""
    import json

    from sqlalchemy.orm import Session

    from otklik.store import businesses
    from otklik.store.db import open_store_engine
    from otklik.workflow.drafting import draft_pending
    from otklik.workflow.importing import import_file

    engine = open_store_engine(db_url)
    with Session(engine) as s, s.begin():
        cafe = businesses.add_business(s, "cafe", profile_text=bundled_profile_path("restaurant").read_text("utf-8"),
                                       name="Печь и Сад")
    for name, rows, bid in (("shop", SHOP_ROWS, None), ("cafe", CAFE_ROWS, cafe.id)):
        f = tmp_path / f"{name}.jsonl"
        f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        import_file(engine, f, business_id=bid)
    draft_pending(engine, clothing)
    engine.dispose()
    return {"cafe_id": cafe.id, "profile": clothing}
