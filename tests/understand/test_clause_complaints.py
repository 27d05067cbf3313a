"""The learned complaint detector: weakly labelled clauses (gold reviews never among them), the
decision heads' file, and what a user sees in the analysis."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from otklik.domain import Item, Sentiment
from otklik.errors import ModelError
from otklik.understand import Analyzer, gold
from otklik.understand.clause_data import clause_rows
from otklik.understand.components.decision import FEATURES, DecisionModel
from otklik.understand.modelfile import MODELS_DIR

REST_XML = """<?xml version="1.0" encoding="utf-8"?>
<reviews>
 <review id="{id}"><scores><food>8</food></scores><meta><user>u</user><object>o</object></meta>
  <text>{text}</text>
  <aspects>{aspects}</aspects>
 </review>
</reviews>
"""


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def _data(root: Path) -> Path:
    data = root / "data"
    _csv(data / "ozon_station_reviews" / "ozon_station_reviews.csv", ["review_id", "text", "pros", "cons", "rating", "author"], [
        ["oz1", "Колонка сломалась через день.", "", "", "1", "Анна"],
        ["oz2", "Колонка отличная, звук чистый.", "", "", "5", "Иван"],
        ["oz3", "Не включается совсем.", "", "", "1", "Олег"],
    ])
    _csv(data / "wb_shirt_reviews" / "wb_shirt_reviews.csv", ["Unnamed: 0", "text", "mark", "reviewerName", "name", "color"], [
        ["0", "Рубашка порвалась по шву", "1", "Оля", "Рубашка", "белый"],
    ])
    _csv(data / "bank_reviews" / "bank_reviews.csv", ["Review Title", "Review Text", "Rating"], [
        ["Всё хорошо", "Пользуюсь картой два года ... 3", "5"],
    ])
    text = "Суп был холодный. Десерт вкусный."
    aspects = ('<aspect category="Food" from="0" to="3" sentiment="negative" term="Суп" type="explicit"/>'
               '<aspect category="Food" from="19" to="25" sentiment="positive" term="Десерт" type="explicit"/>')
    sr = data / "sentirueval2015_reviews"
    sr.mkdir(parents=True)
    (sr / "SentiRuEval_rest_markup_train.xml").write_text(REST_XML.format(id="r1", text=text, aspects=aspects), encoding="utf-8")
    (sr / "SentiRuEval_car_markup_train.xml").write_text(REST_XML.format(id="c1", text="Машина едет.", aspects=""), encoding="utf-8")
    pr = data / "problem_reviews"
    pr.mkdir(parents=True)
    for name in ("fin_apps", "auto"):
        (pr / f"{name}.jsonl").write_text(json.dumps({"text": "Приложение вылетает при входе", "problemscore": "problem"},
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def test_clauses_are_labelled_from_stars_and_aspect_spans_and_gold_reviews_are_left_out(tmp_path: Path):
    data = _data(tmp_path)
    item = gold.corpus_items(data, "ozon")["oz3"]
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps({"id": "ozon:oz3", "corpus": "ozon", "ref": "oz3", "sha1": gold.text_hash(item),
                                     "gold": {}}) + "\n", encoding="utf-8")
    rows = clause_rows(data, gold_path=gold_path)
    got = dict(zip(rows.texts, rows.labels, strict=True))
    assert got["Колонка сломалась через день."] == 1  # 1★
    assert got["Колонка отличная, звук чистый."] == 0  # 5★
    assert got["Суп был холодный."] == 1 and got["Десерт вкусный."] == 0  # annotated aspect terms
    assert got["Приложение вылетает при входе"] == 1
    assert "Не включается совсем." not in got  # a gold review, never trained on
    assert "Машина едет." not in got  # no marked term: no label


def test_decision_file_round_trips_and_refuses_other_features(tmp_path: Path):
    n = len(FEATURES)
    head = DecisionModel(np.linspace(-1, 1, n), 0.1, 0.5, ["mixed", "negative", "neutral", "positive"],
                         np.zeros((4, n + 5)), np.zeros(4), {"trained_on": "test"})
    head.save(tmp_path)
    back = DecisionModel.load(tmp_path)
    x = np.ones((1, n))
    assert back.p_problem(x)[0] == pytest.approx(head.p_problem(x)[0], abs=1e-6)
    doc = json.loads((tmp_path / "decision.json").read_text(encoding="utf-8"))
    doc["features"] = doc["features"][:-1]
    (tmp_path / "decision.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ModelError, match="other features"):
        DecisionModel.load(tmp_path)


def test_shipped_heads_were_fitted_on_dev_with_cross_validated_figures():
    meta = DecisionModel.load(MODELS_DIR).meta
    assert "dev" in meta["trained_on"]
    assert set(meta["cv_5fold_dev"]) >= {"problem_f1", "sentiment_acc", "sentiment_f1"}


@pytest.fixture(scope="module")
def neutral() -> Analyzer:
    return Analyzer(None)


@pytest.mark.parametrize(("text", "rating"), [
    ("Телефон не включается, в сервисе сказали брак", 1),
    ("Суп холодный, официант нахамил, больше не придём", 2),
])
def test_a_plain_complaint_is_a_problem_and_negative(neutral: Analyzer, text: str, rating: int):
    a = neutral.analyze([Item("x", text=text, rating=rating)])[0]
    assert a.problem and a.sentiment == Sentiment.NEGATIVE
    assert 0.0 <= a.scores["problem"] <= 1.0


def test_plain_praise_is_neither_a_problem_nor_doubted(neutral: Analyzer):
    a = neutral.analyze([Item("x", text="Отличная рубашка, сидит идеально, ткань приятная. Спасибо!", rating=5)])[0]
    assert not a.problem and a.sentiment == Sentiment.POSITIVE
