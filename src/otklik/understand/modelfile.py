"""The shipped model file format: one pickled ``TrainedModel`` (featurizer + classifier) per task."""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from otklik.errors import ModelError
from otklik.understand.features import TextFeaturizer
from otklik.understand.runtime import LinearHead, MeanHead

MODELS_DIR = Path(__file__).parent / "models"
FORMAT_VERSION = 1


@dataclass(slots=True)
class TrainedModel:
    """A featurizer and a classifier, pickled together as one file."""

    featurizer: TextFeaturizer
    clf: Any  # LinearHead when shipped; LogisticRegression / LinearSVC while training
    name: str
    version: int = FORMAT_VERSION
    threshold: float | None = None  # binary models: probability of ``positive_label`` to say yes
    positive_label: str | None = None
    prob_scale: float = 3.0  # margin models: softmax(scale × decision) stands in for probabilities
    domain_thresholds: dict[str, float] | None = None  # per training domain, chosen by CV like ``threshold``

    def threshold_for(self, domain: str | None = None) -> float | None:
        """The CV threshold of a known training domain (e.g. "fin_apps", "auto"), else the global one."""
        if domain is not None and self.domain_thresholds and domain in self.domain_thresholds:
            return self.domain_thresholds[domain]
        return self.threshold

    @property
    def labels(self) -> list[str]:
        if isinstance(self.clf, LinearHead | MeanHead):
            return self.clf.classes
        return [str(c) for c in self.clf.classes_]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.labels)))
        if isinstance(self.clf, LinearHead | MeanHead):
            return self.clf.proba(self.featurizer.rows(texts), self.prob_scale)
        x = self.featurizer.transform(texts)
        if hasattr(self.clf, "predict_proba"):
            return np.asarray(self.clf.predict_proba(x))
        z = np.asarray(self.clf.decision_function(x)) * self.prob_scale
        if z.ndim == 1:  # binary margin → two columns
            z = np.column_stack([-z / 2, z / 2])
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, texts: Sequence[str], domain: str | None = None) -> list[str]:
        probs = self.predict_proba(texts)
        threshold = self.threshold_for(domain)
        if threshold is not None and self.positive_label is not None and len(self.labels) == 2:
            j = self.labels.index(self.positive_label)
            other = self.labels[1 - j]
            return [self.positive_label if p >= threshold else other for p in probs[:, j]]
        return [self.labels[i] for i in probs.argmax(axis=1)]


SUFFIX = ".pkl.zlib"


def model_path(name: str, models_dir: Path | None = None) -> Path:
    return (models_dir or MODELS_DIR) / f"{name}{SUFFIX}"


def save_model(model: TrainedModel, models_dir: Path) -> Path:
    """Plain pickle (protocol 5) + zlib: byte-stable for the same model, and loads ~8x faster than joblib."""
    path = model_path(model.name, models_dir)
    path.write_bytes(zlib.compress(pickle.dumps(model, protocol=5), 6))
    return path


def load_model(name: str, models_dir: Path | None = None) -> TrainedModel:
    """Load ``<name>.pkl.zlib`` (our own shipped file); a missing or foreign file is a ModelError naming the fix."""
    path = model_path(name, models_dir)
    if not path.exists():
        raise ModelError(f"model file missing: {path} (run `otklik train` to rebuild it)")
    try:
        model = pickle.loads(zlib.decompress(path.read_bytes()))  # noqa: S301 - only files we built and ship
    except Exception as exc:  # a broken pickle can raise almost anything
        raise ModelError(f"model file unreadable: {path}: {exc}") from exc
    if not isinstance(model, TrainedModel) or model.version != FORMAT_VERSION:
        raise ModelError(f"model file {path} has the wrong format (run `otklik train`)")
    return model
