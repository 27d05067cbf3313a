"""Fixtures for composer tests: both example profiles and hand-built analyses (no analysers)."""

from __future__ import annotations

import pytest

from otklik.compose import Composer
from otklik.profile import BusinessProfile, bundled_profile_path, load_profile


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
