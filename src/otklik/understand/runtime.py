"""Scikit-learn-free scoring for the shipped models: fitted vocabularies, idf and weights as numpy arrays.

Training fits scikit-learn objects and then freezes them into these small classes, so loading a
model file needs neither scikit-learn nor scipy (their imports alone take about a second). The
analysers below reproduce ``TfidfVectorizer`` (word 1–2-grams with the default token pattern,
char_wb n-grams, sublinear tf, l2 norm) and the linear decision functions exactly;
``tests/understand/test_training.py`` checks them against scikit-learn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE = re.compile(r"\s\s+")


class FrozenTfidf:
    """A fitted TfidfVectorizer's vocabulary and idf; analyser 'word' or 'char_wb'."""

    def __init__(self, vec: Any) -> None:
        if vec.analyzer not in ("word", "char_wb") or vec.norm != "l2" or not vec.lowercase:
            raise ValueError("only l2-normalised, lower-casing word / char_wb vectorisers can be frozen")
        self.analyzer: str = vec.analyzer
        self.ngram_range: tuple[int, int] = tuple(vec.ngram_range)  # type: ignore[assignment]
        self.sublinear: bool = bool(vec.sublinear_tf)
        self.vocabulary: dict[str, int] = {str(k): int(v) for k, v in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])}
        self.idf = np.asarray(vec.idf_, dtype=np.float32)

    @property
    def size(self) -> int:
        return len(self.idf)

    def _grams(self, text: str) -> list[str]:
        lo, hi = self.ngram_range
        if self.analyzer == "word":
            toks = _TOKEN.findall(text.lower())
            out = list(toks) if lo == 1 else []
            for n in range(max(lo, 2), min(hi + 1, len(toks) + 1)):
                out.extend(" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1))
            return out
        grams: list[str] = []
        for w in _WHITE.sub(" ", text.lower()).split():
            w = f" {w} "
            wl = len(w)
            for n in range(lo, hi + 1):
                offset = 0
                grams.append(w[offset : offset + n])
                while offset + n < wl:
                    offset += 1
                    grams.append(w[offset : offset + n])
                if offset == 0:
                    break
        return grams

    def row(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, l2-normalised tf-idf values) of one text."""
        vocab = self.vocabulary
        counts: dict[int, int] = {}
        for g in self._grams(text):
            j = vocab.get(g)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        if self.sublinear:
            tf = np.log(tf) + 1
        vals = tf * self.idf[idx]
        norm = math.sqrt(float(vals @ vals))
        return idx, (vals / norm if norm else vals)


class LinearHead:
    """Weights of a fitted linear classifier (LogisticRegression or LinearSVC)."""

    def __init__(self, clf: Any) -> None:
        self.classes: list[str] = [str(c) for c in clf.classes_]
        self.coef = np.asarray(clf.coef_, dtype=np.float32)  # (1 or k, n_features)
        self.intercept = np.asarray(clf.intercept_, dtype=np.float32)
        self.probabilistic = hasattr(clf, "predict_proba")

    def decision(self, rows: Sequence[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
        out = np.empty((len(rows), self.coef.shape[0]), dtype=np.float64)
        for i, (idx, vals) in enumerate(rows):
            out[i] = self.coef[:, idx] @ vals
        return out + self.intercept

    def proba(self, rows: Sequence[tuple[np.ndarray, np.ndarray]], margin_scale: float) -> np.ndarray:
        """Class probabilities (LR) or softmax(scale × margin) (SVM), columns in ``classes`` order."""
        z = self.decision(rows)
        if z.shape[1] == 1:  # binary: the score is for classes[1]
            if self.probabilistic:
                p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
                return np.column_stack([1 - p1, p1])
            z = np.column_stack([-z[:, 0] / 2, z[:, 0] / 2])
        if not self.probabilistic:
            z = z * margin_scale
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
