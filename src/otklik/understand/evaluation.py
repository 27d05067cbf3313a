"""Score the shipped models on held-out data, each next to a plain TF-IDF + logistic-regression baseline.

    python -m otklik.understand.evaluation [--data-dir ../shared/data]

Held-out parts (never trained on): SentiRuEval-2016 *_test_etalon.xml for bank/telecom tweets,
the fixed hash split (datasets.is_heldout, 20 %) for RuSentiTweet, problem reviews and the
SentiRuEval-2015 aspect reviews. The baseline of each row is trained on that set's own training
part. Metrics:
  sentiment   macro-F1 over positive / neutral / negative
  complaints  F1 of the "problem" class: the shipped model alone, and the whole analyser's
              Analysis.problem (model + aspect/cue rules, info only)
  aspects     per-category accuracy: for every (review, category) pair, is the predicted label
              among absence / positive / negative / neutral / both exactly right
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from otklik.understand import datasets as D
from otklik.understand.features import TextFeaturizer, read_lexicon
from otklik.understand.modelfile import MODELS_DIR, load_model
from otklik.understand.text import Lemmatizer

SEED = 13
TARGETS = {
    "sentiment/banks": 0.75,
    "complaints/fin_apps": 0.88,
    "complaints/auto": 0.60,
}
BASELINE_MARGIN = 0.05
Progress = Callable[[str], None]


@dataclass(slots=True)
class Row:
    task: str
    metric: str
    n_test: int
    ours: float
    baseline: float
    target: str = ""
    met: bool | None = None


def baseline_predict(train_x: Sequence[str], train_y: Sequence[str], test_x: Sequence[str]) -> list[str]:
    """Plain TF-IDF (default word unigrams) + LogisticRegression (defaults)."""
    vec = TfidfVectorizer()
    clf = LogisticRegression(max_iter=1000, random_state=SEED)
    clf.fit(vec.fit_transform(train_x), list(train_y))
    return [str(x) for x in clf.predict(vec.transform(test_x))]


def _judge(task: str, ours: float, base: float, sentiment: bool) -> tuple[str, bool | None]:
    parts: list[str] = []
    ok = True
    if sentiment:
        parts.append(f"≥ baseline+{BASELINE_MARGIN}")
        ok = ok and ours >= base + BASELINE_MARGIN
    if task in TARGETS:
        parts.append(f"≥ {TARGETS[task]}")
        ok = ok and ours >= TARGETS[task]
    return (", ".join(parts), ok) if parts else ("", None)


def _xy(pairs: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    return [a for a, _ in pairs], [b for _, b in pairs]


def evaluate(data_dir: Path, models_dir: Path | None = None, progress: Progress | None = None) -> list[Row]:
    say = progress or (lambda _msg: None)
    data_dir = Path(data_dir)
    lem = Lemmatizer()
    sent = load_model("sentiment", models_dir or MODELS_DIR)
    prob = load_model("problem", models_dir or MODELS_DIR)
    sent.featurizer.attach(lem)
    prob.featurizer.attach(lem)
    rows: list[Row] = []
    labels3 = ["negative", "neutral", "positive"]
    for name, split in (
        ("banks", D.tweets(data_dir, "banks")),
        ("telecoms", D.tweets(data_dir, "telecoms")),
        ("rusentitweet", D.rusentitweet(data_dir)),
    ):
        say(f"sentiment: {name}")
        tx, ty = _xy(split.train)
        ex, ey = _xy(split.test)
        ours = f1_score(ey, sent.predict(ex), average="macro", labels=labels3)
        base = f1_score(ey, baseline_predict(tx, ty, ex), average="macro", labels=labels3)
        task = f"sentiment/{name}"
        target, met = _judge(task, ours, base, sentiment=True)
        rows.append(Row(task, "macro-F1 (3 classes)", len(ey), float(ours), float(base), target, met))
    for name in ("fin_apps", "auto"):
        say(f"complaints: {name}")
        split = D.problem_reviews(data_dir, name)
        tx, ty = _xy(split.train)
        ex, ey = _xy(split.test)
        ours = f1_score(ey, prob.predict(ex), pos_label="problem")
        base = f1_score(ey, baseline_predict(tx, ty, ex), pos_label="problem")
        task = f"complaints/{name}"
        target, met = _judge(task, ours, base, sentiment=False)
        rows.append(Row(task, "F1 (problem)", len(ey), float(ours), float(base), target, met))
    rows.extend(_analyser_complaints(data_dir, models_dir, say))
    lexicon = read_lexicon(data_dir / "linis_crowd_2015" / "words_all_full_rating.csv")
    for domain in ("restaurants", "cars"):
        say(f"aspects: {domain}")
        ours_acc, base_acc, n = aspect_category_accuracy(data_dir, domain, lexicon, lem)
        rows.append(Row(f"aspects/{domain}", "category accuracy (5 labels)", n, ours_acc, base_acc))
    return rows


def _analyser_complaints(data_dir: Path, models_dir: Path | None, say: Progress) -> list[Row]:
    """The whole analyser's Analysis.problem (model + aspect/cue rules) on the same held-out texts."""
    from otklik.domain import Item
    from otklik.understand.pipeline import Analyzer

    analyzer = Analyzer(None, models_dir=models_dir)
    rows = []
    for name in ("fin_apps", "auto"):
        say(f"complaints via analyser: {name}")
        split = D.problem_reviews(data_dir, name)
        tx, ty = _xy(split.train)
        ex, ey = _xy(split.test)
        out = analyzer.analyze([Item(str(i), text=t) for i, t in enumerate(ex)])
        ours = f1_score([y == "problem" for y in ey], [a.problem for a in out])
        base = f1_score(ey, baseline_predict(tx, ty, ex), pos_label="problem")
        rows.append(Row(f"complaints/{name} (analyser)", "F1 (problem)", len(ey), float(ours), float(base)))
    return rows


def aspect_category_accuracy(data_dir: Path, domain: str, lexicon: dict[str, float],
                             lem: Lemmatizer) -> tuple[float, float, int]:
    """One classifier per category; accuracy over all held-out (review, category) pairs."""
    train, test = D.aspect_reviews(data_dir, domain)
    tx = [t for t, _ in train]
    ex = [t for t, _ in test]
    feat = TextFeaturizer(lexicon, word_features=20_000, char_features=30_000)
    feat.attach(lem)
    xtr = feat.fit_transform(tx)
    xte = feat.transform(ex)
    bvec = TfidfVectorizer()
    btr = bvec.fit_transform(tx)
    bte = bvec.transform(ex)
    ours_hits = base_hits = total = 0
    for cat in D.ASPECT_CATEGORIES[domain]:
        ytr = [lab[cat] for _, lab in train]
        yte = np.asarray([lab[cat] for _, lab in test])
        if len(set(ytr)) < 2:
            pred_o = pred_b = np.asarray([ytr[0]] * len(yte))
        else:
            pred_o = LogisticRegression(C=4.0, max_iter=3000, class_weight="balanced", random_state=SEED).fit(xtr, ytr).predict(xte)
            pred_b = LogisticRegression(max_iter=1000, random_state=SEED).fit(btr, ytr).predict(bte)
        ours_hits += int((pred_o == yte).sum())
        base_hits += int((pred_b == yte).sum())
        total += len(yte)
    return ours_hits / total, base_hits / total, total


def print_rows(rows: Sequence[Row]) -> None:
    print(f"{'task':24} {'metric':30} {'n':>6} {'ours':>7} {'baseline':>9}  target")
    for r in rows:
        mark = "" if r.met is None else (" OK" if r.met else " MISSED")
        print(f"{r.task:24} {r.metric:30} {r.n_test:6d} {r.ours:7.4f} {r.baseline:9.4f}  {r.target}{mark}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=D.DEFAULT_DATA_DIR)
    ap.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    args = ap.parse_args(argv)
    print_rows(evaluate(args.data_dir, args.models_dir, progress=print))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
