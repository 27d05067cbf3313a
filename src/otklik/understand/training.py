"""Rebuild the shipped model files from ``../shared/data`` in one reproducible command.

    python -m otklik.understand.training [--data-dir ../shared/data] [--out src/otklik/understand/models]

Trains only on training parts (SentiRuEval *_train.xml, the fixed non-held-out split of the
others), so ``otklik.understand.evaluation`` can score the shipped files on held-out data.
Solvers are deterministic (lbfgs; liblinear with a fixed seed) and the frozen pickles carry no
hash-ordered sets or addresses, so the same data
gives the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from otklik.understand import datasets as D
from otklik.understand.features import TextFeaturizer, read_lexicon
from otklik.understand.modelfile import FORMAT_VERSION, MODELS_DIR, TrainedModel, save_model
from otklik.understand.resources import read_yaml
from otklik.understand.runtime import LinearHead

SEED = 13
Progress = Callable[[str], None]


def freeze_model(model: TrainedModel) -> TrainedModel:
    """Freeze to numpy-only scoring objects: no scikit-learn at load time, and nothing in the
    pickle that differs run to run (hash-ordered sets, memory addresses)."""
    model.featurizer.freeze()
    model.clf = LinearHead(model.clf)
    return model


def fit_model(name: str, texts: Sequence[str], labels: Sequence[str], lexicon: dict[str, float],
              *, weights: Sequence[float] | None = None, c: float = 4.0, svm: bool = False,
              mask: Sequence[str] = (), groups: Sequence[str] | None = None,
              positive: str | None = None) -> TrainedModel:
    """Fit featurizer + a balanced linear model; for a binary task, pick the threshold by CV."""
    feat = TextFeaturizer(lexicon, mask=mask)
    x = feat.fit_transform(texts)
    y = np.asarray(labels)
    clf: Any
    if svm:
        clf = LinearSVC(C=c, class_weight="balanced", random_state=SEED)
    else:
        clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
    clf.fit(x, y, sample_weight=None if weights is None else np.asarray(weights))
    model = TrainedModel(featurizer=feat, clf=clf, name=name)
    if positive is not None:
        model.threshold = cv_threshold(x, y, positive, c, groups)
        model.positive_label = positive
    return freeze_model(model)


THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.25, 0.651, 0.05))


def cv_threshold(x: Any, y: np.ndarray, positive: str, c: float, groups: Sequence[str] | None) -> float:
    """Threshold maximising the mean out-of-fold F1 over groups (domains), 5 stratified folds."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(len(y))
    for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y):
        m = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED).fit(x[tr], y[tr])
        oof[te] = m.predict_proba(x[te])[:, list(m.classes_).index(positive)]
    g = np.asarray(groups if groups is not None else ["all"] * len(y))
    best, best_score = 0.5, -1.0
    for t in THRESHOLDS:
        pred = oof >= t
        truth = y == positive
        score = float(np.mean([f1_score(truth[g == k], pred[g == k]) for k in sorted(set(g))]))
        if score > best_score + 1e-9:
            best, best_score = t, score
    return float(best)


def sentiment_training_rows(data_dir: Path) -> tuple[list[str], list[str], list[float]]:
    """Union of tweet sets and star-rated reviews (weak labels, weight 0.5)."""
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []
    for split in (D.tweets(data_dir, "banks"), D.tweets(data_dir, "telecoms"), D.rusentitweet(data_dir)):
        for t, lab in split.train:
            texts.append(t)
            labels.append(lab)
            weights.append(1.0)
    for t, stars, _src in D.rated_reviews(data_dir):
        if D.is_heldout(t):
            continue
        texts.append(t)
        labels.append(D.stars_to_label(stars))
        weights.append(0.5)
    return texts, labels, weights


def problem_training_rows(data_dir: Path) -> tuple[list[str], list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    domains: list[str] = []
    for domain in ("fin_apps", "auto"):
        for t, lab in D.problem_reviews(data_dir, domain).train:
            texts.append(t)
            labels.append(lab)
            domains.append(domain)
    return texts, labels, domains


def train_all(data_dir: Path, out: Path, progress: Progress | None = None) -> dict[str, Any]:
    say = progress or (lambda _msg: None)
    data_dir = Path(data_dir)
    out.mkdir(parents=True, exist_ok=True)
    lexicon = read_lexicon(data_dir / "linis_crowd_2015" / "words_all_full_rating.csv")
    say("sentiment: reading data")
    texts, labels, weights = sentiment_training_rows(data_dir)
    say(f"sentiment: training on {len(texts)} texts")
    mask = read_yaml("patterns.yaml").get("entity_mask", [])
    sent = fit_model("sentiment", texts, labels, lexicon, weights=weights, c=0.1, svm=True, mask=mask)
    say("complaints: training")
    ptexts, plabels, pdomains = problem_training_rows(data_dir)
    prob = fit_model("problem", ptexts, plabels, lexicon, c=1.0, groups=pdomains, positive="problem")
    manifest: dict[str, Any] = {"format": FORMAT_VERSION, "seed": SEED, "files": {}}
    for model, n in ((sent, len(texts)), (prob, len(ptexts))):
        path = save_model(model, out)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        manifest["files"][path.name] = {"sha256": digest, "bytes": path.stat().st_size,
                                        "train_rows": n, "labels": model.labels,
                                        "threshold": model.threshold}
        say(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=D.DEFAULT_DATA_DIR)
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    args = ap.parse_args(argv)
    train_all(args.data_dir, args.out, progress=print)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
