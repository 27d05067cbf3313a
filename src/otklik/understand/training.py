"""Rebuild the shipped model files from ``../shared/data`` in one reproducible command.

    python -m otklik.understand.training [--data-dir ../shared/data] [--out src/otklik/understand/models]
                                         [--heldout-only]

The shipped files are fitted on ALL the data: training and test parts of every set (the methods
were chosen on held-out splits first, see models/MODEL_CARD.md and training/sentiment_variants.py),
minus the texts of the hand-labelled gold sets, which must stay unseen. ``--heldout-only`` fits the
same methods on the training parts only (SentiRuEval *_train.xml, the fixed non-held-out split
of the others): ``otklik.understand.evaluation`` builds those to score the public held-out rows.
Solvers are deterministic (lbfgs; liblinear with a fixed seed) and the frozen pickles carry no
hash-ordered sets or addresses, so the same data gives the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from collections.abc import Callable, Container, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from otklik.understand import datasets as D
from otklik.understand.clause_data import ClauseRows, clause_rows
from otklik.understand.features import TextFeaturizer, read_lexicon
from otklik.understand.gold import excluded_texts
from otklik.understand.modelfile import FORMAT_VERSION, MODELS_DIR, TrainedModel, save_model
from otklik.understand.resources import read_yaml
from otklik.understand.runtime import LinearHead, MeanHead

SEED = 13
Progress = Callable[[str], None]


def freeze_model(model: TrainedModel) -> TrainedModel:
    """Freeze to numpy-only scoring objects: no scikit-learn at load time, and nothing in the
    pickle that differs run to run (hash-ordered sets, memory addresses)."""
    model.featurizer.freeze()
    model.clf = MeanHead(model.clf.members) if isinstance(model.clf, MeanLogit) else LinearHead(model.clf)
    return model


def fit_model(name: str, texts: Sequence[str], labels: Sequence[str], lexicon: dict[str, float],
              *, weights: Sequence[float] | None = None, c: float = 4.0, svm: bool = False,
              mask: Sequence[str] = (), groups: Sequence[str] | None = None,
              positive: str | None = None, extra_blocks: Sequence[str] = ()) -> TrainedModel:
    """Fit featurizer + a balanced linear model; for a binary task, pick the threshold by CV."""
    feat = TextFeaturizer(lexicon, mask=mask, extra_blocks=extra_blocks)
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


# -- complaint ensemble: LR on word/char/navec/lemma features + NB-LR on binary n-grams -----------
# Member blocks, in TextFeaturizer(extra_blocks=COMPLAINT_BLOCKS) column order:
# 0 word tf-idf, 1 char tf-idf, 2 dense (navec + lexicon), 3 lemma tf-idf, 4 binary word, 5 binary lemma.
COMPLAINT_BLOCKS = ("lemma", "word_bin", "lemma_bin")
# sentiment, chosen on held-out tweets (training/sentiment_variants.py; table in MODEL_CARD.md):
# LinearSVC C 0.1, class-balanced, word + char TF-IDF + navec + lexicon, one model on the union of
# the tweet sets, star-rated reviews as weak labels at half weight. No variant beat it in both
# period directions (2014 → 2013/14 test and back) by more than noise; per-domain models, LR,
# unbalanced weights and dropping navec lose on the period-swapped check. The "lemma" block
# (+.003, noise) would cost ~10 % of analyser throughput: left out.
SENTIMENT_BLOCKS: tuple[str, ...] = ()
SENTIMENT_C = 0.1
STARS_WEIGHT = 0.5
LR_BLOCKS = (0, 1, 2, 3)
NB_BLOCKS = (1, 4, 5)
COMPLAINT_C = 1.0  # 5-fold CV on the training part: C 0.3 / 1 / 3 / 10 → mean F1 .646 / .652 / .655 / .652


class FoldedLogit:
    """A binary LR fitted on a (possibly NB-scaled) column subset, folded back to full-width weights,
    so the frozen ``LinearHead`` scores it like any other linear model."""

    def __init__(self, classes: np.ndarray, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.classes_ = classes
        self.coef_ = coef
        self.intercept_ = intercept

    def predict_proba(self, x: Any) -> np.ndarray:
        z = np.asarray(x @ self.coef_[0], dtype=np.float64) + float(self.intercept_[0])
        p1 = 1.0 / (1.0 + np.exp(-z))
        return np.column_stack([1 - p1, p1])


class MeanLogit:
    """Mean probability of several FoldedLogit members."""

    def __init__(self, members: Sequence[FoldedLogit]) -> None:
        self.members = list(members)
        self.classes_ = self.members[0].classes_

    def predict_proba(self, x: Any) -> np.ndarray:
        return np.mean([m.predict_proba(x) for m in self.members], axis=0)


def _block_columns(sizes: Sequence[int], blocks: Sequence[int]) -> list[np.ndarray]:
    starts = np.concatenate([[0], np.cumsum(sizes)])
    return [np.arange(starts[b], starts[b + 1]) for b in blocks]


def nb_ratio(xb: Any, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Log-count ratio of one block (Wang & Manning 2012): log(p/|p|) − log(q/|q|) over binary presence."""
    present = (xb > 0).astype(np.float32)
    p = alpha + np.asarray(present[y].sum(axis=0)).ravel()
    q = alpha + np.asarray(present[~y].sum(axis=0)).ravel()
    return np.log(p / p.sum()) - np.log(q / q.sum())


def fit_folded(x: Any, y: np.ndarray, cols: Sequence[np.ndarray], nb: bool, c: float) -> FoldedLogit:
    """Fit a class-balanced LR on the given column blocks (NB-scaled per block when ``nb``)."""
    from scipy import sparse

    parts, scales = [], []
    for idx in cols:
        xb = x[:, idx]
        r = nb_ratio(xb, y) if nb else np.ones(len(idx))
        parts.append(xb.multiply(r.astype(np.float32)).tocsr() if nb else xb)
        scales.append(r)
    lr = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=SEED)
    lr.fit(sparse.hstack(parts, format="csr"), y)
    coef = np.zeros((1, x.shape[1]), dtype=np.float64)
    coef[0, np.concatenate(cols)] = lr.coef_[0] * np.concatenate(scales)
    classes = np.asarray([False, True])
    return FoldedLogit(classes, coef, np.asarray(lr.intercept_, dtype=np.float64))


def fit_ensemble(x: Any, y: np.ndarray, sizes: Sequence[int], c: float = COMPLAINT_C) -> MeanLogit:
    return MeanLogit([
        fit_folded(x, y, _block_columns(sizes, LR_BLOCKS), nb=False, c=c),
        fit_folded(x, y, _block_columns(sizes, NB_BLOCKS), nb=True, c=c),
    ])


def fit_complaint_model(texts: Sequence[str], labels: Sequence[str], lexicon: dict[str, float],
                        domains: Sequence[str], positive: str = "problem") -> TrainedModel:
    """The complaint ensemble; global and per-domain thresholds from 5-fold out-of-fold F1."""
    from sklearn.model_selection import StratifiedKFold

    feat = TextFeaturizer(lexicon, extra_blocks=COMPLAINT_BLOCKS)
    x = feat.fit_transform(texts)
    sizes = feat.block_sizes()
    y = np.asarray(labels) == positive
    g = np.asarray(domains)
    strata = np.char.add(g.astype(str), y.astype(str))
    oof = np.zeros(len(y))
    for tr, te in StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), strata):
        oof[te] = fit_ensemble(x[tr], y[tr], sizes).predict_proba(x[te])[:, 1]
    ens = fit_ensemble(x, y, sizes)
    negative = sorted(set(labels) - {positive})[0]
    for m in ens.members:  # string classes, in sorted order like scikit-learn's
        m.classes_ = np.asarray(sorted([negative, positive]))
        if m.classes_[1] != positive:
            m.coef_, m.intercept_ = -m.coef_, -m.intercept_
    ens.classes_ = ens.members[0].classes_
    model = TrainedModel(featurizer=feat, clf=ens, name="problem", positive_label=positive)
    model.threshold, model.domain_thresholds = best_thresholds(oof, y, g)
    return freeze_model(model)


def best_thresholds(oof: np.ndarray, truth: np.ndarray, groups: np.ndarray) -> tuple[float, dict[str, float]]:
    """Global threshold (best mean F1 over domains) and each domain's own best threshold."""
    from sklearn.metrics import f1_score

    domains = sorted(set(groups.tolist()))
    f1 = {(d, t): f1_score(truth[groups == d], oof[groups == d] >= t) for d in domains for t in THRESHOLDS}

    def best(score: Callable[[float], float]) -> float:
        top, top_score = 0.5, -1.0
        for t in THRESHOLDS:
            if score(t) > top_score + 1e-9:
                top, top_score = t, score(t)
        return float(top)

    overall = best(lambda t: float(np.mean([f1[d, t] for d in domains])))
    return overall, {d: best(lambda t, d=d: float(f1[d, t])) for d in domains}


# -- training rows ---------------------------------------------------------------------------
_BANK_TAIL = re.compile(r"\.\.\.\s*\d+\s*$")
_SPACES = re.compile(r"\s+")
_AFFIX = 20  # a gold text and a training text sharing a start or an end this long are one review


class GoldFilter:
    """Is a training text one of the gold items (which must stay unseen)?

    Gold texts are each item's own text field (``gold.py``); training rows join Ozon text, pros
    and cons with spaces, and drop banki.ru titles («title. body») and the «... N» preview tail.
    So a training text is gold if it equals a gold text, if it is a gold text of ≥ 20 characters
    followed by a space and more (pros / cons), or if it is ≥ 20 characters and a gold text ends
    with ". " and it (title, body); spaces normalised, «... N» tails cut on both sides.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.hits = 0  # training rows recognised as gold (and so left out)
        self.exact: set[str] = set()
        self.by_start: dict[str, list[str]] = {}
        self.by_end: dict[str, list[str]] = {}
        for t in texts:
            for form in {self._norm(t), self._norm(_BANK_TAIL.sub("", t))}:
                if not form:
                    continue
                self.exact.add(form)
                if len(form) >= _AFFIX:
                    self.by_start.setdefault(form[:_AFFIX], []).append(form)
                    self.by_end.setdefault(form[-_AFFIX:], []).append(form)

    @staticmethod
    def _norm(text: str) -> str:
        return _SPACES.sub(" ", text).strip()

    def __len__(self) -> int:
        return len(self.exact)

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str) or not self.exact:
            return False
        t = self._norm(text)
        found = t in self.exact or (len(t) >= _AFFIX and (
            any(t.startswith(f + " ") for f in self.by_start.get(t[:_AFFIX], ()))
            or any(f.endswith(". " + t) for f in self.by_end.get(t[-_AFFIX:], ()))))
        self.hits += found
        return found


ANALYSER_GOLD = Path(__file__).resolve().parents[3] / "tests" / "understand" / "data" / "aspect_gold.jsonl"


def gold_filter(data_dir: Path, gold_path: Path | None = None, analyser_gold: Path | None = ANALYSER_GOLD) -> GoldFilter:
    """Texts never to train on: the gold set (``gold.excluded_texts``: empty until gold.jsonl
    exists) and the analyser's hand-labelled cases that ``evaluation`` scores the shipped models on
    (``aspect_gold.jsonl``: about half are Ozon / Wildberries rows of ../shared/data)."""
    texts = set(excluded_texts(data_dir) if gold_path is None else excluded_texts(data_dir, gold_path))
    if analyser_gold is not None and Path(analyser_gold).exists():
        with Path(analyser_gold).open(encoding="utf-8") as f:
            texts |= {json.loads(line)["text"] for line in f if line.strip()}
    return GoldFilter(texts)


def _pairs(split: D.Split, heldout_only: bool) -> D.Pairs:
    return split.train if heldout_only else split.train + split.test


def sentiment_training_rows(data_dir: Path, *, heldout_only: bool = False,
                            exclude: Container[str] = frozenset()) -> tuple[list[str], list[str], list[float]]:
    """Union of the tweet sets and star-rated reviews (weak labels, weight STARS_WEIGHT); all of
    them, or only the training parts (``heldout_only``); never a text in ``exclude``."""
    texts: list[str] = []
    labels: list[str] = []
    weights: list[float] = []
    for split in (D.tweets(data_dir, "banks"), D.tweets(data_dir, "telecoms"), D.rusentitweet(data_dir)):
        for t, lab in _pairs(split, heldout_only):
            if t not in exclude:
                texts.append(t)
                labels.append(lab)
                weights.append(1.0)
    for t, stars, _src in D.rated_reviews(data_dir):
        if (heldout_only and D.is_heldout(t)) or t in exclude:
            continue
        texts.append(t)
        labels.append(D.stars_to_label(stars))
        weights.append(STARS_WEIGHT)
    return texts, labels, weights


def problem_training_rows(data_dir: Path, *, heldout_only: bool = False,
                          exclude: Container[str] = frozenset()) -> tuple[list[str], list[str], list[str]]:
    texts: list[str] = []
    labels: list[str] = []
    domains: list[str] = []
    for domain in ("fin_apps", "auto"):
        for t, lab in _pairs(D.problem_reviews(data_dir, domain), heldout_only):
            if t not in exclude:
                texts.append(t)
                labels.append(lab)
                domains.append(domain)
    return texts, labels, domains


def fit_sentiment_model(texts: Sequence[str], labels: Sequence[str], weights: Sequence[float],
                        lexicon: dict[str, float]) -> TrainedModel:
    """The shipped sentiment method (the same call for the shipped and the held-out-only files)."""
    mask = read_yaml("patterns.yaml").get("entity_mask", [])
    return fit_model("sentiment", texts, labels, lexicon, weights=weights, c=SENTIMENT_C, svm=True, mask=mask,
                     extra_blocks=SENTIMENT_BLOCKS)


CLAUSE_C = 1.0


def fit_clause_model(rows: ClauseRows, lexicon: dict[str, float]) -> TrainedModel:
    """Clause complaint model: class-balanced LR on word + char TF-IDF + navec + lexicon, weak-label weights."""
    labels = ["complaint" if y else "other" for y in rows.labels]
    return fit_model("complaint_clause", rows.texts, labels, lexicon, weights=rows.weights, c=CLAUSE_C)


def train_all(data_dir: Path, out: Path, progress: Progress | None = None, *, heldout_only: bool = False,
              gold_path: Path | None = None) -> dict[str, Any]:
    """Fit the models (sentiment, whole-review and clause complaints, aspect-mention polarity, the aspect and decision heads) and write them with ``manifest.json`` to ``out``.

    ``heldout_only``: training parts only (for evaluation), else all the data. Gold texts are
    always left out (``gold_path``: the gold set file, default ``gold.GOLD_PATH``).
    """
    say = progress or (lambda _msg: None)
    data_dir = Path(data_dir)
    lexicon = read_lexicon(data_dir / "linis_crowd_2015" / "words_all_full_rating.csv")
    exclude = gold_filter(data_dir, gold_path)
    scope = "training parts only" if heldout_only else "all data"
    say(f"reading data ({scope}; {len(exclude)} gold texts)")
    texts, labels, weights = sentiment_training_rows(data_dir, heldout_only=heldout_only, exclude=exclude)
    ptexts, plabels, pdomains = problem_training_rows(data_dir, heldout_only=heldout_only, exclude=exclude)
    say(f"{exclude.hits} training rows are gold texts: left out")
    out.mkdir(parents=True, exist_ok=True)
    say(f"sentiment: training on {len(texts)} texts")
    sent = fit_sentiment_model(texts, labels, weights, lexicon)
    say(f"complaints: training on {len(ptexts)} texts")
    prob = fit_complaint_model(ptexts, plabels, lexicon, pdomains)
    crows = clause_rows(data_dir, exclude, **({} if gold_path is None else {"gold_path": gold_path}),
                        heldout_only=heldout_only)
    say(f"complaint clauses: training on {len(crows.texts)} weakly labelled clauses")
    clause = fit_clause_model(crows, lexicon)
    manifest: dict[str, Any] = {"format": FORMAT_VERSION, "seed": SEED, "data": scope, "heldout_only": heldout_only,
                                "gold_texts": len(exclude), "gold_rows_left_out": exclude.hits, "files": {}}
    for model, n in ((sent, len(texts)), (prob, len(ptexts)), (clause, len(crows.texts))):
        path = save_model(model, out)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        manifest["files"][path.name] = {"sha256": digest, "bytes": path.stat().st_size,
                                        "train_rows": n, "labels": model.labels,
                                        "threshold": model.threshold,
                                        "domain_thresholds": model.domain_thresholds}
        say(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    from otklik.understand.aspect_polarity_training import fit_aspect_head, fit_aspect_polarity

    gold_kw: dict[str, Any] = {} if gold_path is None else {"gold_path": gold_path}
    mention = fit_aspect_polarity(data_dir, out, exclude, heldout_only=heldout_only, progress=say, **gold_kw)
    path = mention.save(out)
    manifest["files"][path.name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                    "bytes": path.stat().st_size, "train_rows": mention.meta["trained_on"],
                                    "labels": mention.classes, "threshold": None, "domain_thresholds": None}
    say(f"aspect polarity, grouped 5-fold CV: {mention.meta['cv_5fold_grouped']}")
    say("aspect head: fitting on the gold dev part (5-fold CV)")
    aspect_head = fit_aspect_head(out, data_dir, progress=say, **gold_kw)
    path = aspect_head.save(out)
    manifest["files"][path.name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                    "bytes": path.stat().st_size, "train_rows": aspect_head.meta["trained_on"],
                                    "labels": aspect_head.classes, "threshold": None, "domain_thresholds": None}
    from otklik.understand.decision_training import fit_decision

    say("decision heads: fitting on the gold dev part (5-fold CV)")
    heads = fit_decision(out, data_dir, **({} if gold_path is None else {"gold_path": gold_path}))
    path = heads.save(out)
    manifest["files"][path.name] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                                    "bytes": path.stat().st_size, "train_rows": heads.meta["trained_on"],
                                    "labels": heads.sentiment_classes, "threshold": heads.threshold,
                                    "domain_thresholds": None}
    say(f"decision heads, 5-fold CV on dev: {heads.meta['cv_5fold_dev']}")
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=D.DEFAULT_DATA_DIR)
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--heldout-only", action="store_true",
                    help="fit on the training parts only (the files evaluation scores on the test parts)")
    args = ap.parse_args(argv)
    if args.heldout_only and args.out.resolve() == MODELS_DIR.resolve():
        ap.error("--heldout-only files must not replace the shipped models: pass --out DIR")
    train_all(args.data_dir, args.out, progress=print, heldout_only=args.heldout_only)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
