"""Learned polarity of one aspect mention, from the words around it (not the whole clause).

A plain aspect term («зал», «цена», «двигатель») used to take its clause's polarity, so in «даже
когда зал полный, обслуживают быстро» the hall was praised (or, in a complaint clause, blamed)
for what was said about the service. This model reads a window around the mention instead: the
lemmas one to three words left and right (by side and distance), the rest of the clause as a bag,
negators near the mention, linis-crowd lexicon scores of the nearby words weighted by distance,
and the clause score and cue score the polarity component already computed. A multinomial
logistic regression (negative / neutral / positive), fitted by ``aspect_polarity_training`` on
SentiRuEval-2015 aspect terms with their own polarity (gold reviews left out), stored as JSON
and scored with dictionary look-ups: no scikit-learn, no torch at run time.
"""

from __future__ import annotations

import json
import math
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from otklik.errors import ModelError

CLASSES = ("negative", "neutral", "positive")
ASPECT_POLARITY_FILE = "aspect_polarity.json"
WINDOW = 3
NEAR = 2


def _bucket(x: float, edges: Sequence[float]) -> int:
    return sum(x > e for e in edges)


def mention_features(lemmas: Sequence[str], start: int, end: int, clause_score: float, clause_cue: float,
                     lexicon: Mapping[str, float], negators: Container[str]) -> dict[str, float]:
    """Features of the mention ``lemmas[start:end]`` in its clause (the same code for training and run time)."""
    f: dict[str, float] = {"bias_clause": 1.0}
    for w in lemmas[start:end]:
        f[f"m:{w}"] = 1.0
    near_lex = far_lex = 0.0
    neg_near = False
    for j, w in enumerate(lemmas):
        if start <= j < end:
            continue
        d = start - j if j < start else j - end + 1
        side = "l" if j < start else "r"
        if d <= NEAR:
            f[f"{side}{d}:{w}"] = 1.0
        if d <= WINDOW:
            f[f"w:{w}"] = 1.0
            neg_near = neg_near or w in negators
        else:
            f[f"c:{w}"] = 1.0
        s = lexicon.get(w, 0.0)
        if s:
            if d <= WINDOW:
                near_lex += s / d
            else:
                far_lex += s / d
    f["near_lex"] = max(-3.0, min(3.0, near_lex))
    f["far_lex"] = max(-3.0, min(3.0, far_lex))
    f["neg_near"] = float(neg_near)
    cs = max(-3.0, min(3.0, clause_score))
    f["clause_score"] = cs
    f[f"clause_b{_bucket(cs, (-1.5, -0.75, -0.25, 0.25, 0.75, 1.5))}"] = 1.0
    f["clause_cue"] = max(-3.0, min(3.0, clause_cue))
    f[f"len_b{_bucket(len(lemmas), (3, 6, 10, 16, 25))}"] = 1.0
    f["first"] = float(start == 0)
    return f


@dataclass(slots=True)
class MentionPolarity:
    """Weights per feature name (one per class, in ``classes`` order) and the intercepts."""

    classes: list[str]
    weights: dict[str, list[float]]
    intercept: list[float]
    meta: dict[str, Any]

    def proba(self, feats: Mapping[str, float]) -> dict[str, float]:
        z = list(self.intercept)
        for name, v in feats.items():
            w = self.weights.get(name)
            if w is not None:
                for k in range(len(z)):
                    z[k] += w[k] * v
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return {c: x / s for c, x in zip(self.classes, e, strict=True)}

    def to_json(self) -> dict[str, Any]:
        return {"classes": self.classes, "intercept": [round(v, 6) for v in self.intercept],
                "weights": {k: [round(v, 6) for v in w] for k, w in sorted(self.weights.items())},
                "meta": self.meta}

    def save(self, models_dir: Path) -> Path:
        path = Path(models_dir) / ASPECT_POLARITY_FILE
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                        encoding="utf-8")
        return path

    @classmethod
    def load(cls, models_dir: Path) -> MentionPolarity:
        path = Path(models_dir) / ASPECT_POLARITY_FILE
        if not path.exists():
            raise ModelError(f"model file missing: {path} (run `otklik train` to rebuild it)")
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            return cls(list(d["classes"]), {k: [float(x) for x in w] for k, w in d["weights"].items()},
                       [float(x) for x in d["intercept"]], dict(d.get("meta", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"model file unreadable: {path}: {exc}") from exc


# -- the review-level decision per aspect ----------------------------------------------------------
HEAD_CLASSES = ("none", "positive", "negative", "mixed")
HEAD_FEATURES = (
    "n_pattern_pos", "n_pattern_neg", "n_term", "n_rule_pos", "n_rule_neg",
    "sum_p_pos", "sum_p_neg", "max_p_pos", "max_p_neg", "mean_p_neutral",
    "merged_pos", "merged_neg", "merged_mixed", "merged_none",
    "stars_low", "stars_3", "stars_high", "stars_none", "n_aspects",
)
ASPECT_HEAD_FILE = "aspect_head.json"


def head_row(pattern_pos: int, pattern_neg: int, terms: Sequence[tuple[float, float, float]],
             rule_pos: int, rule_neg: int, merged: str, rating: int | None, n_aspects: int) -> list[float]:
    """One row of ``HEAD_FEATURES`` for one aspect of one review (``terms``: each plain term's (neg, neu, pos))."""
    neg = [t[0] for t in terms]
    pos = [t[2] for t in terms]
    return [
        min(pattern_pos, 3), min(pattern_neg, 3), min(len(terms), 3), min(rule_pos, 3), min(rule_neg, 3),
        min(sum(pos), 3.0), min(sum(neg), 3.0), max(pos, default=0.0), max(neg, default=0.0),
        sum(t[1] for t in terms) / len(terms) if terms else 0.0,
        float(merged == "positive"), float(merged == "negative"), float(merged == "mixed"), float(merged == "none"),
        float(rating is not None and rating <= 2), float(rating == 3), float(rating is not None and rating >= 4),
        float(rating is None), min(n_aspects, 5) / 5,
    ]


@dataclass(slots=True)
class AspectHead:
    """A multinomial logistic head: is this aspect evaluated in the review, and how (none / pos / neg / mixed)?"""

    classes: list[str]
    coef: list[list[float]]  # classes × HEAD_FEATURES
    intercept: list[float]
    meta: dict[str, Any]

    def predict(self, row: Sequence[float]) -> str:
        z = [b + sum(w * x for w, x in zip(ws, row, strict=True))
             for ws, b in zip(self.coef, self.intercept, strict=True)]
        return self.classes[max(range(len(z)), key=z.__getitem__)]

    def save(self, models_dir: Path) -> Path:
        path = Path(models_dir) / ASPECT_HEAD_FILE
        d = {"features": list(HEAD_FEATURES), "classes": self.classes,
             "coef": [[round(v, 6) for v in r] for r in self.coef], "intercept": [round(v, 6) for v in self.intercept],
             "meta": self.meta}
        path.write_text(json.dumps(d, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, models_dir: Path) -> AspectHead:
        path = Path(models_dir) / ASPECT_HEAD_FILE
        if not path.exists():
            raise ModelError(f"model file missing: {path} (run `otklik train` to rebuild it)")
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            if d["features"] != list(HEAD_FEATURES):
                raise ModelError(f"{path} was fitted on other features (run `otklik train`)")
            return cls(list(d["classes"]), [[float(v) for v in r] for r in d["coef"]],
                       [float(v) for v in d["intercept"]], dict(d.get("meta", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"model file unreadable: {path}: {exc}") from exc
