"""Score the shipped methods on held-out data, each next to a plain TF-IDF + logistic-regression baseline.

    python -m otklik.understand.evaluation [--data-dir ../shared/data] [--heldout-models DIR]

Held-out parts: SentiRuEval-2016 *_test_etalon.xml for bank/telecom tweets, the fixed hash split
(datasets.is_heldout, 20 %) for RuSentiTweet, problem reviews and the SentiRuEval-2015 aspect
reviews. The shipped model files are fitted on all the data, test parts included, so they are not
scored on these rows: "ours" is the same training code (``training.train_all``) run with
``heldout_only=True``, i.e. the shipped methods refitted on the training parts only (refitted
here into a temporary folder, about a minute, or read from DIR, written by
``python -m otklik.understand.training --heldout-only --out DIR``). The baseline of each row is
trained on that set's own training part. Metrics:
  sentiment   macro-F1 over positive / neutral / negative
  complaints  F1 of the "problem" class: the model alone, and the whole analyser's
              Analysis.problem (model + aspect/cue rules, info only), both with the held-out-only files
  aspects     per-category accuracy: for every (review, category) pair, is the predicted label
              among absence / positive / negative / neutral / both exactly right
  gold        the whole analyser with the SHIPPED files (gold texts are never trained on),
              without a profile, on the gold set: 1,000+ real items from the
              data dir hand-labelled by tests/understand/data/GUIDE.md (labels in gold.jsonl,
              see otklik.understand.gold), dev and test parts; targets judged on test only.
              Baseline: stars alone (sentiment, problem = ≤ 2★).
  house       the older 155-item set written with the rules (aspect_gold.jsonl), for regressions.

    python -m otklik.understand.evaluation --gold-only [--errors dev|test|all]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from otklik.errors import ModelError
from otklik.understand import datasets as D
from otklik.understand import gold as G
from otklik.understand.features import TextFeaturizer, read_lexicon
from otklik.understand.modelfile import MODELS_DIR, load_model
from otklik.understand.text import Lemmatizer

SEED = 13
GOLD_PATH = Path(__file__).resolve().parents[3] / "tests" / "understand" / "data" / "aspect_gold.jsonl"
SENTIMENTS = ["positive", "neutral", "negative", "mixed"]
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


def check_heldout_models(path: Path) -> None:
    """Public rows may only score files fitted on training parts (their manifest says so)."""
    manifest = Path(path) / "manifest.json"
    info = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
    if info.get("heldout_only") is not True:
        raise ModelError(f"{path} does not hold held-out-only model files (manifest heldout_only is not true); "
                         "build them with `python -m otklik.understand.training --heldout-only --out DIR`")


def evaluate(data_dir: Path, models_dir: Path | None = None, progress: Progress | None = None,
             heldout_dir: Path | None = None) -> list[Row]:
    """All rows. Public held-out rows: the methods refitted on training parts only (``heldout_dir``
    if given, else refitted now into a temporary folder); gold rows: the files in ``models_dir``."""
    say = progress or (lambda _msg: None)
    if heldout_dir is not None:
        check_heldout_models(heldout_dir)
        return _evaluate(Path(data_dir), Path(heldout_dir), models_dir, say)
    from otklik.understand.training import train_all

    with tempfile.TemporaryDirectory(prefix="otklik-heldout-") as tmp:
        say("refitting the shipped methods on the training parts only")
        train_all(Path(data_dir), Path(tmp), progress=lambda m: say(f"held-out fit: {m}"), heldout_only=True)
        return _evaluate(Path(data_dir), Path(tmp), models_dir, say)


def _evaluate(data_dir: Path, heldout_dir: Path, models_dir: Path | None, say: Progress) -> list[Row]:
    lem = Lemmatizer()
    sent = load_model("sentiment", heldout_dir)
    prob = load_model("problem", heldout_dir)
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
        # the domain is known here, so its own CV threshold applies; the global one is shown too
        ours = f1_score(ey, prob.predict(ex, domain=name), pos_label="problem")
        ours_global = f1_score(ey, prob.predict(ex), pos_label="problem")
        base = f1_score(ey, baseline_predict(tx, ty, ex), pos_label="problem")
        task = f"complaints/{name}"
        target, met = _judge(task, ours, base, sentiment=False)
        rows.append(Row(task, "F1 (problem)", len(ey), float(ours), float(base), target, met))
        rows.append(Row(f"{task} (global thr.)", "F1 (problem)", len(ey), float(ours_global), float(base)))
    rows.extend(_analyser_complaints(data_dir, heldout_dir, say))
    lexicon = read_lexicon(data_dir / "linis_crowd_2015" / "words_all_full_rating.csv")
    for domain in ("restaurants", "cars"):
        say(f"aspects: {domain}")
        ours_acc, base_acc, n = aspect_category_accuracy(data_dir, domain, lexicon, lem)
        rows.append(Row(f"aspects/{domain}", "category accuracy (5 labels)", n, ours_acc, base_acc))
    if G.GOLD_PATH.exists():
        say("gold set")
        rows.extend(real_gold_rows(data_dir, models_dir))
    if GOLD_PATH.exists():
        say("house set")
        rows.extend(gold_rows(GOLD_PATH, models_dir))
    return rows


# -- the gold set: 1,000+ real items labelled by GUIDE.md (texts read from the data dir) ---------
_GOLD_METRICS = (
    ("sentiment", "accuracy (4 labels)", "sentiment_acc", "stars_sentiment_acc"),
    ("sentiment", "macro-F1 pos/neg/mixed", "sentiment_f1", None),
    ("problem", "F1 (problem)", "problem_f1", "stars_problem_f1"),
    ("problem", "complaints read positive", "complaints_as_positive", None),
    ("aspects", "micro F1 id only", "aspect_id_f1", None),
    ("aspects", "micro F1 id+polarity", "aspect_pol_f1", None),
    ("question", "F1 (question)", "question_f1", None),
    ("name", "first name accuracy", "name_acc", None),
    ("name", "wrong names used", "wrong_names", None),
)


def real_gold_rows(data_dir: Path, models_dir: Path | None = None) -> list[Row]:
    """dev and test parts; targets are judged on the test part only (never tuned on)."""
    gitems = G.items(data_dir)
    by_split = G.split_scores(gitems, G.analyse(gitems, models_dir))
    out: list[Row] = []
    for split, sc in by_split.items():
        n = int(sc["n"])
        for what, metric, key, base in _GOLD_METRICS:
            target, met = "", None
            if split == "test":
                if key in G.TARGETS:
                    target, met = f"≥ {G.TARGETS[key]}", sc[key] >= G.TARGETS[key]
                elif key in ("complaints_as_positive", "wrong_names"):
                    target, met = "= 0", sc[key] == 0
            count = int(sc["name_n"]) if what == "name" else n
            out.append(Row(f"gold/{split} {what}", metric, count, sc[key], sc[base] if base else float("nan"),
                           target, met))
    return out


# -- hand-labelled gold set ------------------------------------------------------------------
def gold_split(item_id: str) -> str:
    """'dev' (look at it while tuning) or 'test' (score only): fixed by the id's hash."""
    return "dev" if hashlib.sha1(f"otklik-gold:{item_id}".encode()).digest()[0] % 2 == 0 else "test"


def load_gold(path: Path = GOLD_PATH) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def analyse_gold(rows: Sequence[dict[str, Any]], models_dir: Path | None = None) -> list[Any]:
    """One Analysis per gold row, each with the analyser of its profile (clothing / restaurant / none)."""
    from otklik.domain import Item, ItemKind
    from otklik.profile import bundled_profile_path, load_profile
    from otklik.understand.pipeline import Analyzer

    analysers: dict[str, Analyzer] = {}
    out: list[Any] = []
    for r in rows:
        prof = r.get("profile") or ""
        if prof not in analysers:
            analysers[prof] = Analyzer(load_profile(bundled_profile_path(prof)) if prof else None, models_dir=models_dir)
        item = Item(r["id"], kind=ItemKind(r.get("kind", "review")), text=r["text"], pros=r.get("pros") or "",
                    cons=r.get("cons") or "", rating=r.get("rating"))
        out.append(analysers[prof].analyze([item])[0])
    return out


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def gold_scores(rows: Sequence[dict[str, Any]], analyses: Sequence[Any]) -> dict[str, float]:
    """Sentiment accuracy / macro-F1, problem F1, aspect micro P/R/F1 (id+polarity and id only)."""
    gs = [r["gold"]["sentiment"] for r in rows]
    ps = [str(a.sentiment) for a in analyses]
    gp = [bool(r["gold"]["problem"]) for r in rows]
    pp = [bool(a.problem) for a in analyses]
    stars = [_stars_sentiment(r) for r in rows]
    out = {
        "n": float(len(rows)),
        "sentiment_acc": sum(g == p for g, p in zip(gs, ps, strict=True)) / len(rows),
        "sentiment_f1": float(f1_score(gs, ps, average="macro", labels=SENTIMENTS, zero_division=0)),
        "problem_f1": float(f1_score(gp, pp, zero_division=0)),
        "stars_sentiment_acc": sum(g == p for g, p in zip(gs, stars, strict=True)) / len(rows),
        "stars_sentiment_f1": float(f1_score(gs, stars, average="macro", labels=SENTIMENTS, zero_division=0)),
        "stars_problem_f1": float(f1_score(gp, [(r.get("rating") or 5) <= 2 for r in rows], zero_division=0)),
    }
    for name, with_pol in (("aspect_pol", True), ("aspect_id", False)):
        tp = n_pred = n_gold = 0
        for r, a in zip(rows, analyses, strict=True):
            g = {(k, v if with_pol else "") for k, v in r["gold"]["aspects"].items()}
            p = {(m.id, str(m.sentiment) if with_pol else "") for m in a.aspects}
            tp += len(g & p)
            n_pred += len(p)
            n_gold += len(g)
        out[f"{name}_p"], out[f"{name}_r"], out[f"{name}_f1"] = _prf(tp, n_pred, n_gold)
    return out


def _stars_sentiment(row: dict[str, Any]) -> str:
    r = row.get("rating")
    if r is None:
        return "neutral"
    return "positive" if r >= 4 else "negative" if r <= 2 else "neutral"


def gold_rows(path: Path = GOLD_PATH, models_dir: Path | None = None) -> list[Row]:
    rows = load_gold(path)
    analyses = analyse_gold(rows, models_dir)
    out: list[Row] = []
    nan = float("nan")
    for split in ("dev", "test"):
        idx = [i for i, r in enumerate(rows) if gold_split(r["id"]) == split]
        sc = gold_scores([rows[i] for i in idx], [analyses[i] for i in idx])
        n = len(idx)
        t = f"house/{split}"
        out += [
            Row(f"{t} sentiment", "accuracy (4 labels)", n, sc["sentiment_acc"], sc["stars_sentiment_acc"]),
            Row(f"{t} sentiment", "macro-F1 (4 labels)", n, sc["sentiment_f1"], sc["stars_sentiment_f1"]),
            Row(f"{t} problem", "F1 (problem)", n, sc["problem_f1"], sc["stars_problem_f1"]),
            Row(f"{t} aspects", "micro P id+polarity", n, sc["aspect_pol_p"], nan),
            Row(f"{t} aspects", "micro R id+polarity", n, sc["aspect_pol_r"], nan),
            Row(f"{t} aspects", "micro F1 id+polarity", n, sc["aspect_pol_f1"], nan),
            Row(f"{t} aspects", "micro F1 id only", n, sc["aspect_id_f1"], nan),
        ]
    return out


def print_gold_errors(split: str, path: Path = GOLD_PATH, models_dir: Path | None = None) -> None:
    """Where the analyser and the gold labels disagree (only look at the dev half while tuning)."""
    rows = load_gold(path)
    keep = [r for r in rows if split == "all" or gold_split(r["id"]) == split]
    for r, a in zip(keep, analyse_gold(keep, models_dir), strict=True):
        g = r["gold"]
        pred = {m.id: str(m.sentiment) for m in a.aspects}
        if str(a.sentiment) == g["sentiment"] and a.problem == g["problem"] and pred == g["aspects"]:
            continue
        print(f"{r['id']} {r.get('rating')}★ {r['text'][:110]!r}")
        print(f"   sentiment {a.sentiment} (gold {g['sentiment']})  problem {a.problem} (gold {g['problem']})")
        print(f"   aspects {pred}\n      gold {g['aspects']}")


def _analyser_complaints(data_dir: Path, models_dir: Path | None, say: Progress) -> list[Row]:
    """The whole analyser's Analysis.problem (model + aspect/cue rules) on the same held-out texts
    (``models_dir``: files that never saw them)."""
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
    print(f"{'task':28} {'metric':30} {'n':>6} {'ours':>7} {'baseline':>9}  target")
    for r in rows:
        mark = "" if r.met is None else (" OK" if r.met else " MISSED")
        print(f"{r.task:28} {r.metric:30} {r.n_test:6d} {r.ours:7.4f} {r.baseline:9.4f}  {r.target}{mark}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=D.DEFAULT_DATA_DIR)
    ap.add_argument("--models-dir", type=Path, default=MODELS_DIR, help="model files for the gold rows (default: shipped)")
    ap.add_argument("--heldout-models", type=Path, default=None,
                    help="held-out-only files for the public rows (default: refit them now)")
    ap.add_argument("--gold-only", action="store_true", help="only the hand-labelled gold set")
    ap.add_argument("--errors", choices=["dev", "test", "all"], help="with --gold-only: list disagreements")
    args = ap.parse_args(argv)
    if args.gold_only:
        print_rows(real_gold_rows(args.data_dir, args.models_dir) + gold_rows(GOLD_PATH, args.models_dir))
        if args.errors:
            gitems = G.items(args.data_dir)
            print("\n".join(G.errors(gitems, G.analyse(gitems, args.models_dir), args.errors)))
        return 0
    print_rows(evaluate(args.data_dir, args.models_dir, progress=print, heldout_dir=args.heldout_models))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
