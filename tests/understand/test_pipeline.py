"""The analyser as a whole: order, priority, and model files."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from otklik.domain import Item, ItemKind
from otklik.errors import ModelError
from otklik.understand import Analyzer
from otklik.understand.modelfile import MODELS_DIR

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_one_analysis_per_item_in_order(clothing):
    items = [Item(str(i), text=t, rating=r) for i, (t, r) in
             enumerate([("Отлично", 5), ("Брак, шов разошёлся", 1), ("Нормально", 3)])]
    out = clothing.analyze(items, now=NOW)
    assert len(out) == 3
    assert out[1].problem and not out[0].problem
    assert clothing.analyze([], now=NOW) == []


def test_priority_questions_and_negatives_first_then_older(clothing):
    target = clothing.profile.reply_target_hours
    items = [
        Item("praise_old", text="Отличная рубашка, спасибо", rating=5, created_at=NOW - timedelta(hours=5 * target)),
        Item("neg_new", text="Пришла с дыркой, брак", rating=1, created_at=NOW - timedelta(hours=1)),
        Item("question_old", kind=ItemKind.QUESTION, text="Какой состав ткани?", created_at=NOW - timedelta(hours=2 * target)),
        Item("mixed", text="Всё нравится, но маломерит", rating=4, created_at=NOW - timedelta(hours=3 * target)),
    ]
    out = clothing.analyze(items, now=NOW)
    order = [it.external_id for it, _ in sorted(zip(items, out, strict=True), key=lambda p: -p[1].priority)]
    assert order[:2] == ["question_old", "neg_new"]
    assert order[-1] == "praise_old"


def test_naive_and_aware_times_both_work(clothing):
    naive = NOW.replace(tzinfo=None) - timedelta(hours=3)
    an = clothing.analyze([Item("n", text="Брак", rating=1, created_at=naive)], now=NOW)[0]
    assert an.priority > 20


def test_shipped_model_files_are_small():
    total = sum(p.stat().st_size for p in MODELS_DIR.glob("*.pkl.zlib"))
    assert 0 < total < 50 * 1024 * 1024
    assert (MODELS_DIR / "MODEL_CARD.md").exists()


def test_missing_model_files_raise_model_error(tmp_path: Path):
    an = Analyzer(None, models_dir=tmp_path)
    with pytest.raises(ModelError, match="otklik train"):
        an.analyze([Item("1", text="Отлично", rating=5)])


def test_no_profile_still_works():
    an = Analyzer().analyze([Item("1", text="Не пришёл товар, верните деньги", rating=1)], now=NOW)[0]
    assert an.problem and an.priority >= 20
