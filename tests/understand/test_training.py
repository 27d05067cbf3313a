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
