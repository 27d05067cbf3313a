"""The review-level decision: is there a complaint, and what is the overall sentiment?

Inputs are few and generic, so that a handful of weights can be fitted honestly on the dev part of
the gold set (5-fold cross-validation chooses the threshold and reports the figures):

- the clause complaint model (``complaint_clause.pkl.zlib``, trained on weakly labelled clauses,
  see ``clause_data.py``): the highest, second highest and mean clause probability, the whole
  text's probability. Clauses that deny a problem («недостатков нет», «без нареканий», «минусов
  не нашла») are left out: they say nothing went wrong;
- the stars (one-hot, or none), whether the item is a question, the number of clauses;
- the polarity component's praise and complaint masses, its most negative clause score and the
  sentiment model's whole-text probabilities, and whether an aspect was named as complained of;
- three flags of the polarity component: a reservation beside praise («единственное…»), the
  complaint half of «X, но Y», 1–2★ with no praise.

The sentiment head also sees the text-only sentiment (one-hot) and the complaint probability.
Both heads are plain logistic regressions stored as JSON (``decision.json``): numpy at run time.
No hand rule over the wording decides here; the hand rules feed in only through the masses.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from otklik.errors import ModelError

FEATURES = (
    "clause_max", "clause_mean", "clause_second", "text_p", "n_clauses",
    "stars_low", "stars_3", "stars_4", "stars_5", "stars_none", "question",
    "praise_mass", "complaint_mass", "min_clause_score", "doc_negative", "doc_positive", "complaint_aspect",
    "reservation", "contrast_complaint", "low_stars_no_praise",
)
TEXT_SENTIMENTS = ("positive", "negative", "mixed", "neutral")
SENTIMENT_FEATURES = (*FEATURES, *(f"text_{s}" for s in TEXT_SENTIMENTS), "p_problem")
DECISION_FILE = "decision.json"


def review_features(clause_p: Sequence[float], denied: Sequence[bool], text_p: float, rating: int | None,
                    question: bool, complaint_aspect: bool, note: dict[str, Any]) -> list[float]:
    """One row of ``FEATURES`` (the same code builds training rows and run-time rows)."""
    ps = sorted((p for p, d in zip(clause_p, denied, strict=True) if not d), reverse=True) or [0.0]
    praise, complaint = note.get("sentiment_mass", (0.0, 0.0))
    scores = note.get("clause_scores") or [0.0]
    doc = note.get("doc_probs") or {}
    return [
        ps[0], float(np.mean(ps)), ps[1] if len(ps) > 1 else 0.0, text_p, len(clause_p) / 10,
        float(rating is not None and rating <= 2), float(rating == 3), float(rating == 4), float(rating == 5),
        float(rating is None), float(question),
        praise / 3, complaint / 3, float(min(scores)), float(doc.get("negative", 0.0)), float(doc.get("positive", 0.0)),
        float(complaint_aspect),
        float(any(note.get("reservations", ()))), float(any(note.get("contrast_complaints", ()))),
        float(rating is not None and rating <= 2 and praise <= 0),
    ]


def sentiment_row(features: Sequence[float], text_sentiment: str, p_problem: float) -> list[float]:
    return [*features, *(float(text_sentiment == s) for s in TEXT_SENTIMENTS), p_problem]


@dataclass(slots=True)
class DecisionModel:
    """Two logistic heads as plain arrays: complaint (binary, with a CV threshold) and sentiment."""

    problem_coef: np.ndarray
    problem_intercept: float
    threshold: float
    sentiment_classes: list[str]
    sentiment_coef: np.ndarray  # (classes, features)
    sentiment_intercept: np.ndarray
    meta: dict[str, Any]

    def p_problem(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(x @ self.problem_coef + self.problem_intercept)))

    def sentiment(self, x: np.ndarray) -> list[str]:
        z = x @ self.sentiment_coef.T + self.sentiment_intercept
        return [self.sentiment_classes[i] for i in z.argmax(axis=1)]

    def to_json(self) -> dict[str, Any]:
        return {"features": list(FEATURES), "sentiment_features": list(SENTIMENT_FEATURES),
                "problem": {"coef": [round(float(v), 6) for v in self.problem_coef],
                            "intercept": round(float(self.problem_intercept), 6), "threshold": self.threshold},
                "sentiment": {"classes": self.sentiment_classes,
                              "coef": [[round(float(v), 6) for v in row] for row in self.sentiment_coef],
                              "intercept": [round(float(v), 6) for v in self.sentiment_intercept]},
                "meta": self.meta}

    def save(self, models_dir: Path) -> Path:
        path = Path(models_dir) / DECISION_FILE
        path.write_text(json.dumps(self.to_json(), indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, models_dir: Path) -> DecisionModel:
        path = Path(models_dir) / DECISION_FILE
        if not path.exists():
            raise ModelError(f"model file missing: {path} (run `otklik train` to rebuild it)")
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            if d["features"] != list(FEATURES) or d["sentiment_features"] != list(SENTIMENT_FEATURES):
                raise ModelError(f"{path} was fitted on other features (run `otklik train`)")
            return cls(np.asarray(d["problem"]["coef"], dtype=np.float64), float(d["problem"]["intercept"]),
                       float(d["problem"]["threshold"]), list(d["sentiment"]["classes"]),
                       np.asarray(d["sentiment"]["coef"], dtype=np.float64),
                       np.asarray(d["sentiment"]["intercept"], dtype=np.float64), dict(d.get("meta", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"model file unreadable: {path}: {exc}") from exc
