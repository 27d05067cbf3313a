"""Features for the shipped linear models: word + char TF-IDF, navec lemma embeddings, lexicon.

Optional ``extra_blocks`` follow the dense part, in the order given: "lemma" (1–2-gram TF-IDF
over negation-joined lemmas, «не_работать»), "word_bin" / "lemma_bin" (binary word / lemma
1–2-grams, input of the NB-LR member of the complaint ensemble, see training.py).

The fitted ``TextFeaturizer`` is pickled inside the model file; the navec table (shipped inside
the natasha package) and pymorphy3 are re-attached lazily after loading, never pickled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from otklik.errors import ModelError
from otklik.understand.text import Lemmatizer, normalize, tokens

EMB_DIM = 300
_N_EXTRA = 10
NEGATIONS = frozenset({"не", "нет", "ни"})
EXTRA_BLOCKS = ("lemma", "word_bin", "lemma_bin")


def natasha_data_dir() -> Path:
    """natasha's bundled data folder, found without importing natasha (its import is slow)."""
    import importlib.util

    spec = importlib.util.find_spec("natasha")
    if spec is None or spec.origin is None:
        raise ModelError("the natasha package is not installed (it ships the navec embeddings and name lists)")
    return Path(spec.origin).parent / "data"


NAVEC_FILE = "navec_news_v1_1B_250K_300d_100q.tar"


def navec_path() -> Path:
    p = natasha_data_dir() / "emb" / NAVEC_FILE
    if not p.exists():
        raise ModelError(f"navec embeddings not found in the natasha package: {p}")
    return p


class TextFeaturizer:
    """Turns raw texts into one sparse matrix; fit on training texts only."""

    def __init__(
        self,
        lexicon: dict[str, float] | None = None,
        *,
        mask: Sequence[str] = (),
        word_features: int = 100_000,
        char_features: int = 120_000,
        emb_scale: float = 1.0,
        extra_blocks: Sequence[str] = (),
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: only when a model is built

        self.lexicon = dict(lexicon or {})
        # organisation names → one placeholder: the tweet sets' label priors per bank/operator
        # drift between periods, and a reply never depends on which company was named
        self.mask = [str(p) for p in mask]
        self.emb_scale = emb_scale
        self.word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=word_features, dtype=np.float32)
        self.char = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=char_features, dtype=np.float32
        )
        unknown = set(extra_blocks) - set(EXTRA_BLOCKS)
        if unknown:
            raise ValueError(f"unknown feature blocks: {sorted(unknown)}")
        self.extra_names = list(extra_blocks)
        self.extra: list[Any] = [
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, max_features=word_features, dtype=np.float32,
                            sublinear_tf=name == "lemma", binary=name != "lemma")
            for name in self.extra_names
        ]
        self._runtime: dict[str, Any] = {}

    # -- pickling: keep the fitted vectorisers and lexicon, drop caches and big tables ------
    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_runtime"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("extra", [])  # files written before the extra blocks existed
        state.setdefault("extra_names", [])
        self.__dict__.update(state)

    def attach(self, lemmatizer: Lemmatizer | None = None) -> None:
        """Share a lemmatizer (and its cache) with the rest of the analyser."""
        if lemmatizer is not None:
            self._runtime["lemmatizer"] = lemmatizer

    def _masked(self, texts: Sequence[str]) -> list[str]:
        if not self.mask:
            return list(texts)
        if "mask_re" not in self._runtime:
            self._runtime["mask_re"] = re.compile("|".join(f"(?:{p})" for p in self.mask), re.IGNORECASE)
        rx = self._runtime["mask_re"]
        return [rx.sub(" компания ", t) for t in texts]

    @property
    def _lem(self) -> Lemmatizer:
        if "lemmatizer" not in self._runtime:
            self._runtime["lemmatizer"] = Lemmatizer()
        return self._runtime["lemmatizer"]

    @property
    def _navec(self) -> Any:
        if "navec" not in self._runtime:
            from navec import Navec

            self._runtime["navec"] = Navec.load(navec_path())
            self._runtime["vec"] = {}
        return self._runtime["navec"]

    def _vector(self, lemma: str) -> np.ndarray | None:
        nv = self._navec
        cache: dict[str, np.ndarray | None] = self._runtime["vec"]
        if lemma in cache:
            return cache[lemma]
        v = np.asarray(nv[lemma], dtype=np.float32) if lemma in nv else None
        cache[lemma] = v
        return v

    def lemma_doc(self, text: str, lemmas: Sequence[str] | None = None) -> str:
        """Lemmas joined by spaces, a negation glued to the next lemma («не работает» → «не_работать»)."""
        if lemmas is None:
            lem = self._lem.lemma
            lemmas = [lem(t) for t in tokens(text)]
        out: list[str] = []
        glue = ""
        for x in lemmas:
            if x in NEGATIONS and not glue:
                glue = x + "_"
                continue
            out.append(glue + x)
            glue = ""
        if glue:
            out.append(glue[:-1])
        return " ".join(out)

    def _twins(self) -> list[int | None]:
        """For each binary extra block, an earlier block (-1 = word) with the same input and vocabulary.

        A binary row needs only which ids occur, so it can reuse the twin's ids (frozen models only).
        """
        if "twins" not in self._runtime:
            sources = [("word", self.word)] + [("lemma_doc" if n != "word_bin" else "word", v)
                                               for n, v in zip(self.extra_names, self.extra, strict=True)]
            twins: list[int | None] = []
            for k, (src, vec) in enumerate(sources[1:]):
                found = None
                if getattr(vec, "binary", False):
                    for j in range(k + 1):
                        other_src, other = sources[j]
                        if other_src == src and not getattr(other, "binary", False) \
                                and other.vocabulary == vec.vocabulary and other.ngram_range == vec.ngram_range:
                            found = j - 1
                            break
                twins.append(found)
            self._runtime["twins"] = twins
        return self._runtime["twins"]

    def _lemma_lists(self, texts: Sequence[str]) -> list[list[str]]:
        lem = self._lem.lemma
        return [[lem(t) for t in tokens(text)] for text in texts]

    def _extra_docs(self, texts: Sequence[str], norm: Sequence[str],
                    lemma_lists: Sequence[Sequence[str]]) -> list[Sequence[str]]:
        """Input of each extra block: negation-joined lemmas, or the normalised text for "word_bin"."""
        need = set(self.extra_names) - {"word_bin"}
        lemma_docs = [self.lemma_doc(t, ls) for t, ls in zip(texts, lemma_lists, strict=True)] if need else []
        return [norm if name == "word_bin" else lemma_docs for name in self.extra_names]

    def dense(self, texts: Sequence[str], lemma_lists: Sequence[Sequence[str]] | None = None) -> np.ndarray:
        """Mean navec vector of the lemmas plus lexicon and punctuation counts."""
        n = len(texts)
        out = np.zeros((n, EMB_DIM + _N_EXTRA), dtype=np.float32)
        lex = self.lexicon
        if lemma_lists is None:
            lemma_lists = self._lemma_lists(texts)
        self._navec  # noqa: B018 - loads the table and its per-lemma cache
        cache: dict[str, np.ndarray | None] = self._runtime["vec"]
        vector = self._vector
        vectors: list[np.ndarray] = []
        starts: list[int] = []
        rows: list[int] = []
        counts: list[int] = []
        extras: list[list[float]] = []
        for i, (text, lemmas) in enumerate(zip(texts, lemma_lists, strict=True)):
            vecs = [v for x in lemmas if (v := cache[x] if x in cache else vector(x)) is not None]
            if vecs:
                starts.append(len(vectors))
                rows.append(i)
                counts.append(len(vecs))
                vectors.extend(vecs)
            scores = [lex[x] for x in lemmas if x in lex] or [0.0]
            negs = sum(1 for x in lemmas if x in NEGATIONS)
            extras.append([sum(scores), min(scores), max(scores), sum(1 for s in scores if s > 0.5),
                           sum(1 for s in scores if s < -0.5), negs, text.count("!"), text.count("?"),
                           text.count(")") - text.count("("), len(lemmas) / 20])
        if vectors:
            sums = np.add.reduceat(np.vstack(vectors), starts, axis=0)
            out[rows, :EMB_DIM] = sums / np.asarray(counts, dtype=np.float32)[:, None] * self.emb_scale
        if n:
            out[:, EMB_DIM:] = np.tanh(np.asarray(extras, dtype=np.float32) / 3)
        return out

    # -- frozen (scikit-learn-free) path used by the shipped models -------------------------
    def freeze(self) -> None:
        """Swap the fitted vectorisers for numpy-only copies (see otklik.understand.runtime)."""
        from otklik.understand.runtime import FrozenTfidf

        self.word = FrozenTfidf(self.word)
        self.char = FrozenTfidf(self.char)
        self.extra = [FrozenTfidf(v) for v in self.extra]

    def block_sizes(self) -> list[int]:
        """Column counts in order: word, char, dense, then the extra blocks."""
        def size(v: Any) -> int:  # fitted TfidfVectorizer or FrozenTfidf
            return len(getattr(v, "vocabulary_", None) or v.vocabulary)

        return [size(self.word), size(self.char), EMB_DIM + _N_EXTRA, *(size(v) for v in self.extra)]

    @property
    def frozen(self) -> bool:
        return not hasattr(self.word, "transform")

    def rows(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text: (feature indices, values), the same features as ``transform``, no scipy."""
        texts = self._masked(texts)
        lemma_lists = self._lemma_lists(texts)
        dense = self.dense(texts, lemma_lists)
        nw, nc = self.word.size, self.char.size
        dense_idx = np.arange(nw + nc, nw + nc + dense.shape[1], dtype=np.int64)
        norms = [normalize(t) for t in texts]
        extra_docs = self._extra_docs(texts, norms, lemma_lists) if self.extra else []
        twins = self._twins() if self.extra else []
        out = []
        for i, norm in enumerate(norms):
            wi, wv = self.word.row(norm)
            ci, cv = self.char.row(norm)
            idx, vals = [wi, ci + nw, dense_idx], [wv, cv, dense[i]]
            offset = nw + nc + dense.shape[1]
            done: dict[int, tuple[np.ndarray, np.ndarray]] = {-1: (wi, wv)}  # block → its row
            for k, (vec, docs) in enumerate(zip(self.extra, extra_docs, strict=True)):
                twin = twins[k]
                if twin is None:
                    ei, ev = vec.row(docs[i])
                else:  # same vocabulary and input as an earlier block: reuse its ids
                    ti, tv = done[twin]
                    ei, ev = vec.row_of(ti, None)
                done[k] = (ei, ev)
                idx.append(ei + offset)
                vals.append(ev)
                offset += vec.size
            out.append((np.concatenate(idx), np.concatenate(vals)))
        return out

    def fit_transform(self, texts: Sequence[str]) -> Any:
        from scipy import sparse

        texts = self._masked(texts)
        norm = [normalize(t) for t in texts]
        lemma_lists = self._lemma_lists(texts)
        xw = self.word.fit_transform(norm)
        xc = self.char.fit_transform(norm)
        docs = self._extra_docs(texts, norm, lemma_lists) if self.extra else []
        extra = [v.fit_transform(d) for v, d in zip(self.extra, docs, strict=True)]
        return sparse.hstack([xw, xc, sparse.csr_matrix(self.dense(texts, lemma_lists)), *extra], format="csr")

    def transform(self, texts: Sequence[str]) -> Any:
        """Sparse CSR matrix: word TF-IDF | char TF-IDF | dense features."""
        from scipy import sparse

        texts = self._masked(texts)
        norm = [normalize(t) for t in texts]
        lemma_lists = self._lemma_lists(texts)
        docs = self._extra_docs(texts, norm, lemma_lists) if self.extra else []
        extra = [v.transform(d) for v, d in zip(self.extra, docs, strict=True)]
        dense = sparse.csr_matrix(self.dense(texts, lemma_lists))
        return sparse.hstack([self.word.transform(norm), self.char.transform(norm), dense, *extra], format="csr")


def read_lexicon(path: Path) -> dict[str, float]:
    """linis-crowd 2015 lexicon: lemma → mean score −2…+2 (semicolon CSV, decimal comma)."""
    import csv

    from otklik.errors import InputError

    if not path.exists():
        raise InputError("data file not found (pass --data-dir pointing at shared/data)", file=path)
    lex: dict[str, float] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            if len(row) < 2:
                continue
            try:
                score = float(row[1].replace(",", "."))
            except ValueError:
                continue
            if abs(score) >= 0.25:
                lex[row[0].strip().lower().replace("ё", "е")] = round(score, 3)
    return lex
