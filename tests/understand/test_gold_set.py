"""The gold set: 1,000+ real items from ../shared/data, labelled by GUIDE.md, texts never copied."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from otklik.errors import InputError
from otklik.understand import gold as G

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not beside the repo")


def test_guide_and_labels_are_in_the_repo_without_review_texts():
    assert (G.GOLD_DIR / "GUIDE.md").exists()
    rows = G.read_rows()
    assert len(rows) >= 1000
    assert all(set(r) == {"id", "corpus", "ref", "sha1", "gold"} for r in rows)  # no "text" field
    assert {r["corpus"] for r in rows} == set(G.CORPORA)
    splits = Counter(G.gold_split(r["id"]) for r in rows)
    assert splits["dev"] > 400 and splits["test"] > 400


def test_labels_follow_the_guide():
    for r in G.read_rows():
        g = r["gold"]
        assert g["sentiment"] in {"positive", "negative", "mixed", "neutral"}
        assert not (g["problem"] and g["sentiment"] == "positive"), r["id"]
        assert set(g["aspects"].values()) <= {"positive", "negative", "mixed"}
        assert g["name"] is None or g["name"][:1].isupper()


@needs_data
def test_every_row_resolves_to_its_unchanged_text():
    items = G.items(DATA)
    assert len(items) == len(G.read_rows())
    assert all(g.item.full_text for g in items)


@needs_data
def test_a_changed_text_is_reported_not_scored(tmp_path):
    row = dict(G.read_rows()[0], sha1="0" * 16)
    with pytest.raises(InputError, match="changed since it was labelled"):
        G.items(DATA, rows=[row])
