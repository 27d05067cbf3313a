"""Training pieces: reproducible model files and the documented label mapping of the tweet sets."""

from __future__ import annotations

import hashlib
from pathlib import Path

from otklik.understand.datasets import read_tweets_xml
from otklik.understand.modelfile import load_model, save_model
from otklik.understand.training import fit_model

TEXTS = [
    "отличный товар, очень доволен", "прекрасное качество, рекомендую", "всё понравилось, спасибо",
    "отличная рубашка, очень довольна", "прекрасный магазин, рекомендую всем", "спасибо, всё отлично",
    "ужасный товар, не рекомендую", "брак, очень недоволен", "плохое качество, верните деньги",
    "ужасная рубашка, брак", "плохой магазин, не рекомендую", "недоволен, верните деньги",
]
LABELS = ["positive"] * 6 + ["negative"] * 6


def test_same_data_gives_byte_identical_model_files(tmp_path: Path):
    digests = []
    for run in ("a", "b"):
        model = fit_model("sentiment", TEXTS, LABELS, {"отличный": 2.0, "ужасный": -2.0}, c=1.0)
        (tmp_path / run).mkdir()
        path = save_model(model, tmp_path / run)
        digests.append(hashlib.sha256(path.read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    loaded = load_model("sentiment", tmp_path / "a")
    assert loaded.predict(["отличный товар, рекомендую", "ужасный брак, верните деньги"]) == ["positive", "negative"]


def test_tweet_label_is_taken_from_the_company_columns(tmp_path: Path):
    def tweet(text: str, **cols: str) -> str:
        cells = "".join(f'<column name="{k}">{v}</column>' for k, v in cols.items())
        return f'<table name="t"><column name="id">1</column><column name="text">{text}</column>{cells}</table>'

    xml = "<pma_xml_export><database name='x'>" + "".join([
        tweet("плюс", sberbank="1", vtb="NULL"),
        tweet("плюс и ноль", sberbank="1", vtb="0"),
        tweet("минус", sberbank="NULL", vtb="-1"),
        tweet("ноль", sberbank="0"),
        tweet("спорный", sberbank="1", vtb="-1"),
        tweet("ничей", sberbank="NULL"),
    ]) + "</database></pma_xml_export>"
    path = tmp_path / "banks_train.xml"
    path.write_text(xml, encoding="utf-8")
    assert read_tweets_xml(path) == [
        ("плюс", "positive"), ("плюс и ноль", "positive"), ("минус", "negative"), ("ноль", "neutral"),
    ]


def test_frozen_model_scores_exactly_like_scikit_learn():
    import copy

    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    from otklik.understand.features import TextFeaturizer
    from otklik.understand.modelfile import TrainedModel
    from otklik.understand.training import freeze_model

    probe = ["отличный товар", "брак, верните деньги!!", "сбербанк опять завис", "", "ok 123"]
    for clf in (LogisticRegression(C=1.0, max_iter=1000), LinearSVC(C=0.5, random_state=1)):
        feat = TextFeaturizer({"отличный": 2.0}, mask=["сбер\\w*"])
        clf.fit(feat.fit_transform(TEXTS), LABELS)
        live = TrainedModel(featurizer=feat, clf=clf, name="x")
        frozen = freeze_model(TrainedModel(featurizer=copy.deepcopy(feat), clf=clf, name="x"))
        assert frozen.featurizer.frozen and not live.featurizer.frozen
        assert frozen.labels == live.labels
        assert abs(frozen.predict_proba(probe) - live.predict_proba(probe)).max() < 1e-5


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    import csv

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def test_gold_texts_are_left_out_of_training_in_every_corpus_form(tmp_path: Path):
    """Gold rows hold each item's own text; training joins Ozon text + pros + cons and cuts banki.ru
    titles and «... N» tails. Both forms of a gold review must be recognised, other reviews not."""
    import json

    from otklik.understand import datasets as D
    from otklik.understand import gold
    from otklik.understand.training import gold_filter

    data = tmp_path / "data"
    _csv(data / "ozon_station_reviews" / "ozon_station_reviews.csv", ["review_id", "text", "pros", "cons", "rating", "author"], [
        ["oz1", "Колонка отличная, звук чистый и громкий", "звук", "провод короткий", "5", "Анна"],
        ["oz2", "Колонка отличная, звук чистый и громкий, но Алиса глуховата", "", "", "4", "Иван"],
    ])
    _csv(data / "bank_reviews" / "bank_reviews.csv", ["Review Title", "Review Text", "Rating"], [
        ["Заблокировали карту", "Третий день не могу снять деньги, в поддержке отвечают шаблонами ... 12", "1"],
        ["Всё хорошо", "Пользуюсь картой два года, проблем не было ни разу ... 3", "5"],
    ])
    _csv(data / "wb_shirt_reviews" / "wb_shirt_reviews.csv", ["Unnamed: 0", "text", "mark", "reviewerName", "name", "color"], [
        ["0", "Рубашка маломерит на размер, ткань приятная", "3", "Оля", "Рубашка", "белый"],
        ["1", "Рубашка отличная, сидит идеально", "5", "Катя", "Рубашка", "голубой"],
    ])
    rows = []
    for corpus, ref in (("ozon", "oz1"), ("bank", "0"), ("wb", "0")):
        item = gold.corpus_items(data, corpus)[ref]
        rows.append({"id": f"{corpus}:{ref}", "corpus": corpus, "ref": ref, "sha1": gold.text_hash(item), "gold": {}})
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")

    flt = gold_filter(data, gold_path, analyser_gold=None)
    left_out = {src: [t in flt for t, _, s in D.rated_reviews(data) if s == src] for src in ("ozon", "bank", "wb")}
    assert left_out == {"ozon": [True, False], "bank": [True, False], "wb": [True, False]}
    assert flt.hits == 3
    assert len(gold_filter(data, tmp_path / "missing.jsonl", analyser_gold=None)) == 0


def test_shipped_files_are_fitted_on_all_data_and_evaluation_refuses_them():
    """Shipped = refitted on all data (gold texts excepted); the public held-out rows may only
    score files fitted on training parts, so evaluation rejects the shipped folder there."""
    import json

    import pytest

    from otklik.errors import ModelError
    from otklik.understand.evaluation import check_heldout_models
    from otklik.understand.modelfile import MODELS_DIR

    manifest = json.loads((MODELS_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["heldout_only"] is False and manifest["data"] == "all data"
    assert manifest["gold_rows_left_out"] > 0  # the analyser's hand-labelled Ozon / WB cases
    with pytest.raises(ModelError, match="held-out-only"):
        check_heldout_models(MODELS_DIR)
