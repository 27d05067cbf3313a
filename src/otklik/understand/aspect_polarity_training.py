"""Fit the aspect-mention polarity model (components/aspect_polarity.py) on SentiRuEval-2015 aspect terms.

Rows: every explicit, relevant («Rel») aspect term of the restaurant and car reviews with its own
polarity (positive / negative / neutral; «both» is left out), located in the analyser's own clauses
and tokens, with the clause scores the polarity component computes from the freshly trained
sentiment model. Reviews in the gold set are left out (by ref and by text). 5-fold CV grouped by
review picks C and reports accuracy / macro-F1 next to the old rule (the clause's polarity).
Deterministic: fixed folds, lbfgs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from otklik.domain import Analysis, Item, ItemKind, Sentiment
from otklik.understand import datasets as D
from otklik.understand.clause_data import gold_refs
from otklik.understand.components.aspect_polarity import CLASSES, MentionPolarity, mention_features
from otklik.understand.components.base import Batch
from otklik.understand.components.polarity import POLAR, PolarityComponent
from otklik.understand.gold import GOLD_PATH
from otklik.understand.resources import Resources
from otklik.understand.text import TOKEN, make_doc

SEED = 13
C_GRID = (0.1, 0.3, 1.0)
FILES = (("restaurants", "SentiRuEval_rest_markup_train.xml"), ("cars", "SentiRuEval_car_markup_train.xml"))


@dataclass(slots=True)
class MentionRows:
    feats: list[dict[str, float]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    clause_scores: list[float] = field(default_factory=list)


def _reviews(data_dir: Path, skip: set[tuple[str, str]], exclude: Container[str],
             heldout_only: bool) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    out = []
    for corpus, name in FILES:
        for rev in ET.parse(Path(data_dir) / "sentirueval2015_reviews" / name).getroot().iter("review"):
            text = rev.findtext("text") or ""
            key = rev.get("id", "")
            if (corpus, key) in skip or text.strip() in exclude or (heldout_only and D.is_heldout(text.strip())):
                continue
            spans = [(int(a.get("from", "0")), int(a.get("to", "0")), a.get("sentiment", ""))
                     for a in rev.iter("aspect")
                     if a.get("type") == "explicit" and a.get("mark") == "Rel"
                     and a.get("sentiment") in CLASSES]
            if spans:
                out.append((f"{corpus}:{key}", text, spans))
    return out


def mention_rows(data_dir: Path, res: Resources, exclude: Container[str] = frozenset(),
                 gold_path: Path = GOLD_PATH, *, heldout_only: bool = False) -> MentionRows:
    """One row per located SentiRuEval aspect term (features as the analyser computes them)."""
    reviews = _reviews(data_dir, gold_refs(gold_path), exclude, heldout_only)
    items = [Item(key, text=text) for key, text, _ in reviews]
    docs = [make_doc(it.full_text, res.lemmatizer) for it in items]
    batch = Batch(items=items, docs=docs, res=res,
                  results=[Analysis(kind=ItemKind.REVIEW, sentiment=Sentiment.NEUTRAL) for _ in items],
                  notes=[{} for _ in items])
    PolarityComponent().run(batch)
    lexicon = res.sentiment_model.featurizer.lexicon
    rows = MentionRows()
    for (key, text, spans), doc, note in zip(reviews, docs, batch.notes, strict=True):
        pos = 0
        located: list[tuple[int, list[tuple[int, int]]]] = []  # clause index, token char spans
        for c, cl in enumerate(doc.clauses):
            start = text.find(cl, pos)
            if start < 0:
                continue
            pos = start + len(cl)
            located.append((c, [(start + m.start(), start + m.end()) for m in TOKEN.finditer(cl)]))
        for a, b, label in spans:
            for c, tok_spans in located:
                idx = [j for j, (s, e) in enumerate(tok_spans) if s < b and a < e]
                if idx and len(tok_spans) == len(doc.clause_lemmas[c]):
                    score = float(note["clause_scores"][c])
                    rows.feats.append(mention_features(doc.clause_lemmas[c], idx[0], idx[-1] + 1, score,
                                                       float(note["clause_cues"][c]), lexicon, res.negators))
                    rows.labels.append(label)
                    rows.groups.append(key)
                    rows.clause_scores.append(score)
                    break
    return rows


def _fit(feats: Sequence[dict[str, float]], labels: Sequence[str], c: float) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer(sort=True)
    x = vec.fit_transform(feats)
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced", random_state=SEED).fit(x, list(labels))
    return vec, clf


def _rule(score: float) -> str:
    return "positive" if score >= POLAR else "negative" if score <= -POLAR else "neutral"


def cross_validate(rows: MentionRows, c: float) -> dict[str, float]:
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.model_selection import GroupKFold

    y = np.asarray(rows.labels)
    pred = np.empty(len(y), dtype=object)
    for tr, te in GroupKFold(n_splits=5).split(np.zeros(len(y)), y, rows.groups):
        vec, clf = _fit([rows.feats[i] for i in tr], y[tr], c)
        pred[te] = clf.predict(vec.transform([rows.feats[i] for i in te]))
    rule = [_rule(s) for s in rows.clause_scores]
    return {"accuracy": round(float(accuracy_score(y, pred)), 4),
            "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
            "rule_accuracy": round(float(accuracy_score(y, rule)), 4),
            "rule_macro_f1": round(float(f1_score(y, rule, average="macro")), 4)}


def fit_aspect_polarity(data_dir: Path, models_dir: Path, exclude: Container[str] = frozenset(),
                        gold_path: Path = GOLD_PATH, *, heldout_only: bool = False,
                        progress: Callable[[str], None] | None = None) -> MentionPolarity:
    """Rows → C by grouped 5-fold CV → the model refitted on every row (``models_dir``: the new sentiment model)."""
    say = progress or (lambda _m: None)
    res = Resources(models_dir)
    rows = mention_rows(data_dir, res, exclude, gold_path, heldout_only=heldout_only)
    say(f"aspect polarity: {len(rows.labels)} SentiRuEval aspect terms")
    cv = {c: cross_validate(rows, c) for c in C_GRID}
    best = max(C_GRID, key=lambda c: (cv[c]["macro_f1"], -c))
    vec, clf = _fit(rows.feats, rows.labels, best)
    names = vec.get_feature_names_out()
    order = [list(clf.classes_).index(k) for k in CLASSES]
    coef = clf.coef_[order]
    weights = {str(n): [float(v) for v in coef[:, j]] for j, n in enumerate(names) if np.any(np.abs(coef[:, j]) > 1e-6)}
    counts = {k: rows.labels.count(k) for k in CLASSES}
    meta = {"trained_on": f"{len(rows.labels)} SentiRuEval-2015 aspect terms ({counts})", "C": best,
            "cv_5fold_grouped": {str(c): v for c, v in cv.items()}}
    return MentionPolarity(list(CLASSES), weights, [float(v) for v in clf.intercept_[order]], meta)



def head_rows(models_dir: Path, data_dir: Path, gold_path: Path = GOLD_PATH) -> tuple[list[list[float]], list[str], list[str]]:
    """(features, gold label, item id) for every aspect candidate of every dev gold item; a gold
    aspect the matcher never found cannot be learned here (it stays a miss)."""
    from otklik.understand import gold as G
    from otklik.understand.pipeline import Analyzer

    gitems = [g for g in G.items(data_dir, gold_path) if G.gold_split(g.id) == "dev"]
    analyzer = Analyzer(None, models_dir=models_dir)
    analyzer.resources.decision_required = False
    analyzer.resources.aspect_head_required = False
    x: list[list[float]] = []
    y: list[str] = []
    groups: list[str] = []
    for corpus in dict.fromkeys(g.corpus for g in gitems):  # one batch per corpus, as gold.analyse does
        idx = [i for i, g in enumerate(gitems) if g.corpus == corpus]
        _results, notes = analyzer.analyze_with_notes([gitems[i].item for i in idx])
        for i, n in zip(idx, notes, strict=True):
            gold = gitems[i].gold.get("aspects", {})
            for aspect, row in n["aspect_candidates"]:
                x.append(row)
                y.append(gold.get(aspect, "none"))
                groups.append(gitems[i].id)
    return x, y, groups


HEAD_C_GRID = (0.3, 1.0, 3.0)


def _head_fit(x: np.ndarray, y: Sequence[str], c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=5000, random_state=SEED).fit(x, list(y))


def _micro_f1(y: Sequence[str], pred: Sequence[str], *, polarity: bool) -> float:
    """The gold set's aspect micro-F1 restricted to the candidates (misses outside them count equally for all)."""
    tp = sum(g != "none" and p != "none" and (g == p or not polarity) for g, p in zip(y, pred, strict=True))
    n_pred = sum(p != "none" for p in pred)
    n_gold = sum(g != "none" for g in y)
    return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0


def fit_aspect_head(models_dir: Path, data_dir: Path, gold_path: Path = GOLD_PATH,
                    progress: Callable[[str], None] | None = None) -> Any:
    """C by grouped 5-fold CV on the dev candidates, then refitted on all of them."""
    from sklearn.model_selection import GroupKFold

    from otklik.understand.components.aspect_polarity import HEAD_CLASSES, HEAD_FEATURES, AspectHead

    say = progress or (lambda _m: None)
    rows, labels, groups = head_rows(models_dir, data_dir, gold_path)
    x = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels)
    merged = [("none", "positive", "negative", "mixed")[int(np.argmax([r[13], r[10], r[11], r[12]]))] for r in rows]
    cv: dict[str, dict[str, float]] = {}
    for c in HEAD_C_GRID:
        pred = np.empty(len(y), dtype=object)
        for tr, te in GroupKFold(n_splits=5).split(x, y, groups):
            pred[te] = _head_fit(x[tr], y[tr], c).predict(x[te])
        cv[str(c)] = {"id_f1": round(_micro_f1(y, pred, polarity=False), 4),
                      "polarity_f1": round(_micro_f1(y, pred, polarity=True), 4)}
    cv["merge_rule"] = {"id_f1": round(_micro_f1(y, merged, polarity=False), 4),
                        "polarity_f1": round(_micro_f1(y, merged, polarity=True), 4)}
    best = max(HEAD_C_GRID, key=lambda c: (cv[str(c)]["polarity_f1"], -c))
    clf = _head_fit(x, y, best)
    classes = [k for k in HEAD_CLASSES if k in clf.classes_]
    order = [list(clf.classes_).index(k) for k in classes]
    say(f"aspect head: {len(y)} dev candidates, CV {cv}")
    meta = {"trained_on": f"gold dev part: {len(y)} aspect candidates", "C": best, "features": len(HEAD_FEATURES),
            "cv_5fold_dev_candidates": cv}
    return AspectHead(classes, [[float(v) for v in clf.coef_[k]] for k in order],
                      [float(clf.intercept_[k]) for k in order], meta)
