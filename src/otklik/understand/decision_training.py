"""Fit the review-level decision heads (components/decision.py) on the dev part of the gold set.

The heads have ~20 weights each over generic inputs (clause complaint probabilities, stars,
praise / complaint masses), so the dev part's 537 hand-labelled reviews are enough, and 5-fold
cross-validation on it says honestly how well they do before the test part is ever scored.
The test part is never read here. Deterministic: fixed folds (SEED) and lbfgs.

    heads, cv = fit_decision(models_dir, data_dir)   # models_dir holds the freshly trained text models
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from otklik.understand import gold as G
from otklik.understand.components.decision import FEATURES, DecisionModel, sentiment_row

SEED = 13
HEAD_C = 1.0
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.3, 0.701, 0.05))
SENT3 = ["positive", "negative", "mixed"]


def dev_rows(models_dir: Path, data_dir: Path, gold_path: Path = G.GOLD_PATH) -> tuple[list[list[float]], list[str], list[bool], list[str], list[float]]:
    """(features, text sentiment, gold problem, gold sentiment, praise mass) of every dev gold item."""
    from otklik.understand.pipeline import Analyzer

    gitems = [g for g in G.items(data_dir, gold_path) if G.gold_split(g.id) == "dev"]
    analyzer = Analyzer(None, models_dir=models_dir)
    analyzer.resources.decision_required = False
    feats: list[list[float]] = []
    text_sent: list[str] = []
    praise: list[float] = []
    order: list[int] = []
    for corpus in dict.fromkeys(g.corpus for g in gitems):  # one batch per corpus, as gold.analyse does
        idx = [i for i, g in enumerate(gitems) if g.corpus == corpus]
        results, notes = analyzer.analyze_with_notes([gitems[i].item for i in idx])
        for i, a, n in zip(idx, results, notes, strict=True):
            order.append(i)
            feats.append(list(n["decision_features"]))
            text_sent.append(str(a.text_sentiment))
            praise.append(float(n.get("sentiment_mass", (0.0, 0.0))[0]))
    gs = [gitems[i] for i in order]
    return feats, text_sent, [bool(g.gold["problem"]) for g in gs], [str(g.gold["sentiment"]) for g in gs], praise


def _lr(x: np.ndarray, y: np.ndarray, balanced: bool) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=HEAD_C, max_iter=5000, class_weight="balanced" if balanced else None).fit(x, y)


def _oof_problem(x: np.ndarray, y: np.ndarray, seed: int = SEED) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(y))
    for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=seed).split(x, y):
        oof[te] = _lr(x[tr], y[tr], True).predict_proba(x[te])[:, 1]
    return oof


def _best_threshold(p: np.ndarray, y: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    best, best_f1 = 0.5, -1.0
    for t in THRESHOLDS:
        f1 = float(f1_score(y, p >= t))
        if f1 > best_f1 + 1e-9:
            best, best_f1 = t, f1
    return best


def _final(sent: Sequence[str], problem: np.ndarray, praise: Sequence[float]) -> list[str]:
    from otklik.domain import Sentiment
    from otklik.understand.components.problem import consistent_sentiment

    return [str(consistent_sentiment(Sentiment(s), bool(p), m)) for s, p, m in zip(sent, problem, praise, strict=True)]


def cross_validate(x: np.ndarray, ts: Sequence[str], y: np.ndarray, ys: np.ndarray, praise: Sequence[float]) -> dict[str, float]:
    """Outer 5-fold CV of the whole procedure (threshold and the sentiment head chosen inside each fold)."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    p_out = np.zeros(len(y))
    pred_p = np.zeros(len(y), dtype=bool)
    pred_s = np.empty(len(y), dtype=object)
    for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED + 1).split(x, ys):
        inner = _oof_problem(x[tr], y[tr])
        thr = _best_threshold(inner, y[tr])
        head = _lr(x[tr], y[tr], True)
        p_out[te] = head.predict_proba(x[te])[:, 1]
        pred_p[te] = p_out[te] >= thr
        s_tr = np.asarray([sentiment_row(x[i], ts[i], inner[k]) for k, i in enumerate(tr)])
        s_te = np.asarray([sentiment_row(x[i], ts[i], p_out[i]) for i in te])
        pred_s[te] = _lr(s_tr, ys[tr], False).predict(s_te)
    final = np.asarray(_final(list(pred_s), pred_p, praise))
    return {"problem_f1": round(float(f1_score(y, pred_p)), 4),
            "sentiment_acc": round(float(np.mean(final == ys)), 4),
            "sentiment_f1": round(float(f1_score(ys, final, average="macro", labels=SENT3, zero_division=0)), 4),
            "complaints_as_positive": int(np.sum(y & (final == "positive")))}


def fit_decision(models_dir: Path, data_dir: Path, gold_path: Path = G.GOLD_PATH) -> DecisionModel:
    feats, ts, gp, gs, praise = dev_rows(models_dir, data_dir, gold_path)
    x = np.asarray(feats, dtype=np.float64)
    y = np.asarray(gp)
    ys = np.asarray(gs)
    cv = cross_validate(x, ts, y, ys, praise)
    oof = _oof_problem(x, y)
    threshold = _best_threshold(oof, y)
    prob = _lr(x, y, True)
    s_x = np.asarray([sentiment_row(x[i], ts[i], oof[i]) for i in range(len(y))])
    sent = _lr(s_x, ys, False)
    meta = {"trained_on": f"gold dev part ({len(y)} items)", "cv_5fold_dev": cv, "seed": SEED, "C": HEAD_C,
            "n_features": len(FEATURES)}
    return DecisionModel(np.asarray(prob.coef_[0]), float(prob.intercept_[0]), float(threshold),
                         [str(c) for c in sent.classes_], np.asarray(sent.coef_), np.asarray(sent.intercept_), meta)
