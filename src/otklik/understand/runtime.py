"""Scikit-learn-free scoring for the shipped models: fitted vocabularies, idf and weights as numpy arrays.

Training fits scikit-learn objects and then freezes them into these small classes, so loading a
model file needs neither scikit-learn nor scipy (their imports alone take about a second). The
analysers below reproduce ``TfidfVectorizer`` (word 1–2-grams with the default token pattern,
char_wb n-grams, sublinear or binary tf, l2 norm) and the linear decision functions exactly;
``tests/understand/test_training.py`` checks them against scikit-learn.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE = re.compile(r"\s\s+")


class FrozenTfidf:
    """A fitted TfidfVectorizer's vocabulary and idf; analyser 'word' or 'char_wb'."""

    binary = False  # class default: files frozen before binary blocks existed

    def __init__(self, vec: Any) -> None:
        if vec.analyzer not in ("word", "char_wb") or vec.norm != "l2" or not vec.lowercase:
            raise ValueError("only l2-normalised, lower-casing word / char_wb vectorisers can be frozen")
        self.analyzer: str = vec.analyzer
        self.ngram_range: tuple[int, int] = tuple(vec.ngram_range)  # type: ignore[assignment]
        self.sublinear: bool = bool(vec.sublinear_tf)
        self.binary: bool = bool(vec.binary)
        self.vocabulary: dict[str, int] = {str(k): int(v) for k, v in sorted(vec.vocabulary_.items(), key=lambda kv: kv[1])}
        self.idf = np.asarray(vec.idf_, dtype=np.float32)

    @property
    def size(self) -> int:
        return len(self.idf)

    @property
    def gram_key(self) -> tuple[str, tuple[int, int]]:
        """Vectorisers with the same key split a text into the same n-grams (shareable)."""
        return self.analyzer, self.ngram_range

    def grams(self, text: str) -> list[str]:
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
                if n >= wl:  # scikit-learn's char_wb: a short word is one gram, then stop
                    grams.append(w)
                    break
                grams.extend([w[i : i + n] for i in range(wl - n + 1)])
        return grams

    def ids(self, text: str) -> list[int]:
        """Vocabulary ids of the text's n-grams, with repeats (char_wb: looked up while slicing)."""
        get = self.vocabulary.get
        if self.analyzer == "word":
            return [j for j in map(get, self.grams(text)) if j is not None]
        out: list[int] = []
        for w in text.lower().split():
            out.extend(self._word_ids(w))
        return out

    _WORD_CACHE_MAX = 100_000

    def _word_ids(self, word: str) -> list[int]:
        """char_wb grams never cross a word boundary, so a word's ids are cached (words repeat a lot)."""
        cache: dict[str, list[int]] | None = self.__dict__.get("_word_cache")
        if cache is None:
            cache = self.__dict__["_word_cache"] = {}
        hit = cache.get(word)
        if hit is not None:
            return hit
        get = self.vocabulary.get
        lo, hi = self.ngram_range
        w = f" {word} "
        wl = len(w)
        hit = []
        for n in range(lo, hi + 1):
            if n >= wl:
                j = get(w)
                if j is not None:
                    hit.append(j)
                break
            hit.extend([j for i in range(wl - n + 1) if (j := get(w[i : i + n])) is not None])
        if len(cache) >= self._WORD_CACHE_MAX:
            cache.clear()
        cache[word] = hit
        return hit

    def __getstate__(self) -> dict[str, Any]:
        """The word cache is a run-time speed-up, never part of a model file."""
        return {k: v for k, v in self.__dict__.items() if k != "_word_cache"}

    def row_of(self, idx: np.ndarray, counts: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """The row for already-counted vocabulary ids (a binary block reusing a twin block's ids)."""
        if self.binary or counts is None:
            vals = self.idf[idx]
        else:
            vals = (np.log(counts) + 1 if self.sublinear else counts) * self.idf[idx]
        norm = math.sqrt(float(vals @ vals))
        return idx, (vals / norm if norm else vals)

    def row(self, text: str, grams: list[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, l2-normalised tf-idf values) of one text (``grams`` if already split)."""
        ids = self.ids(text) if grams is None else [j for j in map(self.vocabulary.get, grams) if j is not None]
        if not ids:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        counts = Counter(ids)  # C-counted, first-occurrence order: the same row as a dict loop, faster
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        if self.binary:
            vals = self.idf[idx]
        else:
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            vals = (np.log(tf) + 1 if self.sublinear else tf) * self.idf[idx]
        norm = math.sqrt(float(vals @ vals))
        return idx, (vals / norm if norm else vals)


class MeanHead:
    """Average of the probabilities of several binary probabilistic heads (the complaint ensemble)."""

    def __init__(self, members: Sequence[Any]) -> None:
        self.heads = [LinearHead(m) for m in members]
        self.classes = self.heads[0].classes
        if any(h.classes != self.classes or not h.probabilistic for h in self.heads):
            raise ValueError("ensemble members must be probabilistic and share their classes")

    def proba(self, rows: Sequence[tuple[np.ndarray, np.ndarray]], margin_scale: float) -> np.ndarray:
        """Mean of the members' sigmoid probabilities; all members' logits in one pass per row."""
        coef = getattr(self, "_stacked", None)
        if coef is None:  # built on first use, not pickled with the file
            coef = self._stacked = np.vstack([h.coef for h in self.heads])
        z = np.empty((len(rows), coef.shape[0]), dtype=np.float64)
        for i, (idx, vals) in enumerate(rows):
            z[i] = coef[:, idx] @ vals
        z += np.concatenate([h.intercept for h in self.heads])
        p1 = (1.0 / (1.0 + np.exp(-z))).mean(axis=1)
        return np.column_stack([1 - p1, p1])

    def __getstate__(self) -> dict[str, Any]:
        return {"heads": self.heads, "classes": self.classes}


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
