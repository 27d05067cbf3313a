"""Business profiles: the bundled examples load; mistakes name the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from otklik.errors import ProfileError
from otklik.profile import bundled_profile_path, load_profile


@pytest.mark.parametrize("name", ["clothing", "restaurant"])
def test_bundled_profiles_load(name: str) -> None:
    p = load_profile(bundled_profile_path(name))
    assert p.business.name and p.faq and p.remedies_for("default")
    assert p.platform("no-such-platform") == p.platforms["default"]


def test_restaurant_has_no_second_floor_fact() -> None:
    p = load_profile(bundled_profile_path("restaurant"))
    assert p.facts["has_second_floor"] is False
    assert any(c.fact == "has_second_floor" for c in p.fact_claims)


def test_product_lookup_by_alias_and_related() -> None:
    p = load_profile(bundled_profile_path("clothing"))
    assert p.product("льняная рубашка").id == "SH-101"
    assert [x.id for x in p.related_products("SH-101")] == ["TR-210", "SK-305"]


def _write(tmp_path: Path, data: dict) -> Path:
    f = tmp_path / "profile.yaml"
    f.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return f


def test_errors_name_the_field(tmp_path: Path) -> None:
    base = yaml.safe_load(bundled_profile_path("clothing").read_text(encoding="utf-8"))
    base["remedies"]["quality"][1].pop("discount_percent")
    base["platforms"]["ozon"]["max_length"] = "long"
    with pytest.raises(ProfileError) as ei:
        load_profile(_write(tmp_path, base))
    msg = str(ei.value)
    assert "profile.yaml" in msg
    assert "platforms.ozon.max_length" in msg
    assert "remedies.quality.1" in msg and "discount_percent" in msg


def test_unknown_keys_and_dangling_references_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="field 'business.nmae'"):
        load_profile(_write(tmp_path, {"business": {"name": "X", "nmae": "typo"}}))
    with pytest.raises(ProfileError, match="unknown product id 'nope'"):
        load_profile(_write(tmp_path, {"business": {"name": "X"}, "products": [{"id": "a", "name": "A", "related": ["nope"]}]}))
    with pytest.raises(ProfileError, match="not valid YAML"):
        (tmp_path / "broken.yaml").write_text("business: [", encoding="utf-8")
        load_profile(tmp_path / "broken.yaml")
    with pytest.raises(ProfileError, match="not found"):
        load_profile(tmp_path / "missing.yaml")
