"""The complaint ensemble (LR + NB-LR, negation-joined lemmas): reproducible, and scored without
scikit-learn exactly as scikit-learn scores it."""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

import numpy as np
import pytest

from otklik.understand import training
from otklik.understand.features import TextFeaturizer
from otklik.understand.modelfile import MODELS_DIR, TrainedModel, load_model, save_model

TEXTS = [
    "приложение не работает, постоянно зависает", "всё отлично, удобно и быстро",
    "не могу войти, выдаёт ошибку", "супер, платежи в одно касание",
    "перевод не проходит третий день", "хорошее приложение, всем советую",
    "после обновления не открывается", "пользуюсь давно, нареканий нет",
    "стук в подвеске, менял опору двигателя", "машина надёжная, расход небольшой",
    "не заводится в мороз, сел аккумулятор", "комфортная, тихая, довольна покупкой",
]
LABELS = ["problem", "noproblem"] * 6
DOMAINS = ["fin_apps"] * 8 + ["auto"] * 4
# five copies with a varying tail: the thresholds come from 5 folds stratified by domain and label
TEXTS, LABELS, DOMAINS = ([f"{t} {k}" for k in "абвгд" for t in TEXTS], LABELS * 5, DOMAINS * 5)
PROBE = ["не работает", "всё отлично", "", "ok 123 не", "ошибка при входе!!"]


def _fit(monkeypatch: pytest.MonkeyPatch) -> tuple[TrainedModel, TrainedModel]:
    """(frozen model, the same model before freezing, still on scikit-learn/scipy)."""
    live: list[TrainedModel] = []
    freeze = training.freeze_model

    def keep_live(model: TrainedModel) -> TrainedModel:
        live.append(TrainedModel(featurizer=copy.deepcopy(model.featurizer), clf=model.clf, name=model.name,
                                 threshold=model.threshold, positive_label=model.positive_label))
        return freeze(model)

    monkeypatch.setattr(training, "freeze_model", keep_live)
    frozen = training.fit_complaint_model(TEXTS, LABELS, {"отлично": 2.0}, DOMAINS)
    return frozen, live[0]


def test_frozen_ensemble_scores_exactly_like_the_fitted_one(monkeypatch: pytest.MonkeyPatch):
    frozen, live = _fit(monkeypatch)
    assert frozen.featurizer.frozen and not live.featurizer.frozen
    assert frozen.labels == live.labels == ["noproblem", "problem"]
    assert abs(frozen.predict_proba(PROBE) - live.predict_proba(PROBE)).max() < 1e-5
    assert frozen.predict(["приложение не работает, зависает"]) == ["problem"]


def test_nb_member_equals_scikit_learn_on_scaled_columns():
    """The folded NB-LR weights give scikit-learn's probabilities on the NB-scaled matrix."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    feat = TextFeaturizer({}, extra_blocks=training.COMPLAINT_BLOCKS)
    x = feat.fit_transform(TEXTS)
    y = np.asarray(LABELS) == "problem"
    cols = training._block_columns(feat.block_sizes(), training.NB_BLOCKS)
    folded = training.fit_folded(x, y, cols, nb=True, c=1.0)
    scaled = sparse.hstack([x[:, c].multiply(training.nb_ratio(x[:, c], y).astype(np.float32)) for c in cols],
                           format="csr")
    lr = LogisticRegression(C=1.0, max_iter=3000, class_weight="balanced", random_state=training.SEED).fit(scaled, y)
    assert abs(folded.predict_proba(x) - lr.predict_proba(scaled)).max() < 1e-6


def test_negation_is_glued_to_the_next_lemma():
    feat = TextFeaturizer({}, extra_blocks=training.COMPLAINT_BLOCKS)
    assert feat.lemma_doc("Приложение не работает, нет ответа") == "приложение не_работать нет_ответ"
    assert feat.lemma_doc("совсем не") == "совсем не"


def test_complaint_model_file_is_byte_identical_on_refit(tmp_path: Path):
    digests = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        model = training.fit_complaint_model(TEXTS, LABELS, {}, DOMAINS)
        digests.append(hashlib.sha256(save_model(model, tmp_path / run).read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_known_domain_uses_its_own_cv_threshold():
    model = load_model("problem", MODELS_DIR)
    assert model.domain_thresholds and set(model.domain_thresholds) == {"fin_apps", "auto"}
    assert model.threshold_for("auto") == model.domain_thresholds["auto"]
    assert model.threshold_for("restaurant") == model.threshold_for(None) == model.threshold
    text = "Не могу перевести деньги, приложение выдаёт ошибку и закрывается"
    assert model.predict([text], domain="fin_apps") == ["problem"]
