"""Held-out comparison of sentiment-model variants (how the shipped method was chosen).

    python training/sentiment_variants.py [--data-dir ../shared/data] [--only NAME ...]

Every variant is fitted on training parts only (SentiRuEval-2016 *_train.xml, the fixed 80 %
RuSentiTweet split, the non-held-out star-rated reviews; gold texts left out as in training.py)
and scored on the test parts
(*_test_etalon.xml, the 20 % RuSentiTweet split): macro-F1 over positive / neutral / negative,
next to the plain TF-IDF + LR baseline of ``otklik.understand.evaluation`` (each set's own
training part). "swap" rows check robustness to the period shift the other way round: fitted on
the *_test_etalon tweets (Dec 2013 – Jan 2014) and scored on *_train (Jul–Aug 2014).
"per-domain" rows fit one model per tweet set (its training part + the star-rated reviews).

Features are fitted once per training set (with the optional "lemma" block); classifier,
C, class weights, star-review weight, navec scale and the lemma block are varied on the same
matrix by column selection / scaling, which equals refitting without that block.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.svm import LinearSVC

from otklik.understand import datasets as D
from otklik.understand.evaluation import baseline_predict
from otklik.understand.features import EMB_DIM, TextFeaturizer, read_lexicon
from otklik.understand.resources import read_yaml
from otklik.understand.text import Lemmatizer
from otklik.understand.training import gold_filter

SEED = 13
LABELS3 = ["negative", "neutral", "positive"]


@dataclass
class Setup:
    """One training set and the test sets it is scored on, featurised once."""

    x: Any
    y: np.ndarray
    kind: np.ndarray  # source of each training row: banks / telecoms / rusentitweet / stars / cedr
    sizes: list[int]
    tests: dict[str, tuple[Any, np.ndarray]] = field(default_factory=dict)


def featurise(train: Sequence[tuple[str, str, str]], tests: dict[str, Sequence[tuple[str, str]]],
              lexicon: dict[str, float], lem: Lemmatizer, mask: Sequence[str]) -> Setup:
    feat = TextFeaturizer(lexicon, mask=mask, extra_blocks=("lemma",))
    feat.attach(lem)
    x = feat.fit_transform([t for t, _, _ in train])
    s = Setup(x, np.asarray([lab for _, lab, _ in train]), np.asarray([k for _, _, k in train]), feat.block_sizes())
    for name, rows in tests.items():
        s.tests[name] = (feat.transform([t for t, _ in rows]), np.asarray([lab for _, lab in rows]))
    return s


def columns(sizes: Sequence[int], lemma: bool, emb: float) -> tuple[np.ndarray, np.ndarray]:
    """Kept column ids and per-column scale (navec columns × emb; lemma block dropped unless ``lemma``)."""
    nw, nc, nd, nl = sizes
    keep = np.arange(nw + nc + nd + (nl if lemma else 0))
    scale = np.ones(len(keep), dtype=np.float32)
    scale[nw + nc : nw + nc + EMB_DIM] = emb
    return keep, scale


def nb_ratio(x: Any, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    present = (x > 0).astype(np.float32)
    p = alpha + np.asarray(present[y].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[~y].sum(axis=0)).ravel()
    return np.log(p / p.sum()) - np.log(q / q.sum())


def fit_linear(s: Setup, *, clf: str, c: float, balanced: bool = True, stars_w: float = 0.5,
                cedr_w: float = 0.0, lemma: bool = False, emb: float = 1.0, nb: bool = False,
                aug: str = "none") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit one variant; returns full-width (coef, intercept, classes). ``aug``: "intercept" adds a per-source
    constant column, "daume" a per-source copy of every feature (training only: test rows use the
    shared weights, as the analyser would). ``nb``: one-vs-rest on NB log-ratio scaled sparse
    blocks (Wang & Manning 2012), folded back into plain weights."""
    keep, scale = columns(s.sizes, lemma, emb)
    dscale = sparse.diags(scale)
    w = np.where(s.kind == "stars", stars_w, np.where(s.kind == "cedr", cedr_w, 1.0))
    rows = w > 0
    x = (s.x[:, keep] @ dscale)[rows]
    y, kinds, w = s.y[rows], s.kind[rows], w[rows]
    n = x.shape[1]
    if aug != "none":
        doms = sorted(set(kinds.tolist()))
        ind = sparse.csr_matrix(np.column_stack([(kinds == d).astype(np.float32) for d in doms]))
        if aug == "intercept":
            x = sparse.hstack([x, ind], format="csr")
        else:
            x = sparse.hstack([x] + [sparse.diags(ind[:, j].toarray().ravel()) @ x for j in range(len(doms))],
                              format="csr")
    cw = "balanced" if balanced else None

    def make() -> Any:
        if clf == "svm":
            return LinearSVC(C=c, class_weight=cw, random_state=SEED)
        return LogisticRegression(C=c, max_iter=3000, class_weight=cw, random_state=SEED)

    if nb:
        sparse_cols = np.ones(n, dtype=bool)
        nw, nc, nd = s.sizes[:3]
        sparse_cols[nw + nc : nw + nc + nd] = False
        coefs, icepts = [], []
        for lab in LABELS3:
            yk = y == lab
            r = np.ones(x.shape[1], dtype=np.float32)
            r[:n][sparse_cols] = nb_ratio(x[:, :n][:, sparse_cols], yk)
            m = make().fit(x @ sparse.diags(r), yk, sample_weight=w)
            coefs.append(m.coef_[0] * r)
            icepts.append(m.intercept_[0])
        coef, icept = np.vstack(coefs), np.asarray(icepts)
        classes = np.asarray(LABELS3)
    else:
        model = make().fit(x, y, sample_weight=w)
        coef, icept, classes = model.coef_, model.intercept_, model.classes_
    full = np.zeros((len(classes), s.x.shape[1]))
    full[:, keep] = coef[:, :n] * scale  # the column scale folded in: one plain linear model
    return full, np.asarray(icept, dtype=np.float64), np.asarray(classes)


def score(s: Setup, full: np.ndarray, icept: np.ndarray, classes: np.ndarray) -> dict[str, float]:
    out = {}
    for name, (xt, yt) in s.tests.items():
        z = np.asarray(xt @ full.T) + icept
        out[name] = float(f1_score(yt, classes[z.argmax(axis=1)], average="macro", labels=LABELS3))
    return out


def fit_predict(s: Setup, **kw: Any) -> dict[str, float]:
    """One variant, or (``ens`` = list of variants) the mean of their decision functions, which
    is again one linear model (same run-time cost)."""
    members = kw.get("ens") or [kw]
    fits = [fit_linear(s, **m) for m in members]
    assert all(list(f[2]) == list(fits[0][2]) for f in fits)
    return score(s, np.mean([f[0] for f in fits], axis=0), np.mean([f[1] for f in fits], axis=0), fits[0][2])


def cedr_rows(d: Path) -> list[tuple[str, str]]:
    """CEDR sentences as weak sentiment labels: joy → positive, sadness/fear/anger → negative,
    no emotion → neutral; surprise and mixed joy + negative dropped."""
    import csv

    out = []
    with (d / "cedr" / "cedr-main-train.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            labs = set(r["labels"].strip("[]").split())
            text = (r.get("text") or "").strip()
            if not text or "2" in labs:
                continue
            if not labs:
                out.append((text, "neutral"))
            elif labs == {"0"}:
                out.append((text, "positive"))
            elif "0" not in labs:
                out.append((text, "negative"))
    return out


SVM = {"clf": "svm", "c": 0.1}
VARIANTS: dict[str, dict[str, Any]] = {
    "shipped: svm C=0.1 balanced, navec, stars 0.5": SVM,
    "svm C=0.03": {**SVM, "c": 0.03},
    "svm C=0.05": {**SVM, "c": 0.05},
    "svm C=0.2": {**SVM, "c": 0.2},
    "svm C=0.5": {**SVM, "c": 0.5},
    "svm unbalanced": {**SVM, "balanced": False},
    "svm stars weight 0": {**SVM, "stars_w": 0.0},
    "svm stars weight 0.25": {**SVM, "stars_w": 0.25},
    "svm stars weight 1": {**SVM, "stars_w": 1.0},
    "svm + lemma block": {**SVM, "lemma": True},
    "svm navec x0.5": {**SVM, "emb": 0.5},
    "svm navec x2": {**SVM, "emb": 2.0},
    "svm no navec": {**SVM, "emb": 0.0},
    "svm no navec C=0.2": {**SVM, "emb": 0.0, "c": 0.2},
    "svm no navec + lemma": {**SVM, "emb": 0.0, "lemma": True},
    "svm no navec unbalanced": {**SVM, "emb": 0.0, "balanced": False},
    "lr C=1": {"clf": "lr", "c": 1.0},
    "lr C=3": {"clf": "lr", "c": 3.0},
    "lr C=10": {"clf": "lr", "c": 10.0},
    "lr no navec C=3": {"clf": "lr", "c": 3.0, "emb": 0.0},
    "lr no navec C=10 unbalanced": {"clf": "lr", "c": 10.0, "emb": 0.0, "balanced": False},
    "nb-svm no navec C=0.3": {**SVM, "c": 0.3, "emb": 0.0, "nb": True},
    "svm + per-source intercepts": {**SVM, "aug": "intercept"},
    "svm + per-source feature copies (Daume)": {**SVM, "aug": "daume"},
    "mean(svm, svm no navec + lemma)": {"ens": [SVM, {**SVM, "emb": 0.0, "lemma": True}]},
    "mean(svm, svm no navec)": {"ens": [SVM, {**SVM, "emb": 0.0}]},
    "mean(svm, nb-svm no navec C=0.3)": {"ens": [SVM, {**SVM, "c": 0.3, "emb": 0.0, "nb": True}]},
}
PER_DOMAIN = ("shipped: svm C=0.1 balanced, navec, stars 0.5", "svm unbalanced", "svm + lemma block", "svm no navec")
CEDR = {f"svm + CEDR weak labels, weight {w}": {**SVM, "cedr_w": w} for w in (0.25, 0.5, 1.0)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=D.DEFAULT_DATA_DIR)
    ap.add_argument("--only", nargs="*", help="variant names (default: all)")
    ap.add_argument("--setups", nargs="*", default=["union", "swap", "per-domain"])
    ap.add_argument("--extra", nargs="*", default=[], help="extra variants as key=value,... strings")
    ap.add_argument("--cedr", action="store_true",
                    help="add CEDR sentences to the training texts and run the CEDR-weight variants instead")
    args = ap.parse_args(argv)
    d = Path(args.data_dir)
    lexicon = read_lexicon(d / "linis_crowd_2015" / "words_all_full_rating.csv")
    mask = read_yaml("patterns.yaml").get("entity_mask", [])
    lem = Lemmatizer()
    sets = {"banks": D.tweets(d, "banks"), "telecoms": D.tweets(d, "telecoms"), "rusentitweet": D.rusentitweet(d)}
    gold = gold_filter(d)  # as in training: the gold texts are never fitted
    stars = [(t, D.stars_to_label(s), "stars") for t, s, _ in D.rated_reviews(d) if not D.is_heldout(t) and t not in gold]
    if args.cedr:
        stars += [(t, y, "cedr") for t, y in cedr_rows(d)]
    variants = {k: v for k, v in (CEDR if args.cedr else VARIANTS).items() if not args.only or k in args.only}

    def parse(spec: str) -> dict[str, Any]:
        kw: dict[str, Any] = {}
        for part in spec.split(","):
            k, v = part.split("=")
            kw[k] = v if k in ("clf", "aug") else (v == "1") if k in ("balanced", "lemma", "nb") else float(v)
        return kw

    for spec in args.extra:  # "a=1,b=2" or "a=1,b=2 + a=3" (mean of the members' decisions)
        parts = [parse(m.strip()) for m in spec.split("+")]
        variants[spec] = parts[0] if len(parts) == 1 else {"ens": parts}
    base = {n: f1_score([y for _, y in s.test], baseline_predict(*zip(*s.train, strict=True), [t for t, _ in s.test]),
                        average="macro", labels=LABELS3) for n, s in sets.items()}
    print(f"{'baseline (own train part)':45}", "  ".join(f"{n}={v:.4f}" for n, v in base.items()), flush=True)
    setups: dict[str, list[tuple[str, Setup]]] = {}
    t0 = time.perf_counter()
    if "union" in args.setups:
        train = [(t, y, n) for n, s in sets.items() for t, y in s.train] + stars
        setups["union"] = [("all", featurise(train, {n: s.test for n, s in sets.items()}, lexicon, lem, mask))]
    if "per-domain" in args.setups:
        setups["per-domain"] = [
            (n, featurise([(t, y, n) for t, y in s.train] + stars, {n: s.test}, lexicon, lem, mask))
            for n, s in sets.items()]
    if "swap" in args.setups:
        train = ([(t, y, n) for n in ("banks", "telecoms") for t, y in sets[n].test]
                 + [(t, y, "rusentitweet") for t, y in sets["rusentitweet"].train] + stars)
        tests = {f"{n} (2014 train as test)": sets[n].train for n in ("banks", "telecoms")}
        setups["swap"] = [("swap", featurise(train, tests, lexicon, lem, mask))]
    print(f"featurised in {time.perf_counter() - t0:.0f} s", flush=True)
    for setup, parts in setups.items():
        for vname, kw in variants.items():
            if setup == "per-domain" and not args.cedr and vname not in PER_DOMAIN:
                continue
            t1 = time.perf_counter()
            scores: dict[str, float] = {}
            for _, s in parts:
                scores.update(fit_predict(s, **kw))
            mean3 = np.mean([scores[k] for k in scores])
            print(f"{setup:10} {vname:45}", "  ".join(f"{k}={v:.4f}" for k, v in scores.items()),
                  f" mean={mean3:.4f}  ({time.perf_counter() - t1:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
