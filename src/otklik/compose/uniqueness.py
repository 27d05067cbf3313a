"""Memory of the business's earlier replies, for R-UNIQUE: exact and near-duplicate look-up.

Similarity is the Jaccard index of word 3-gram shingles of normalised texts (lower case, «ё»→«е»,
punctuation dropped, and the customer's name swapped out does not hide a clone: names are one
word of many). Exact duplicates are found by hash. Near duplicates go through an inverted index
from shingle to reply: only shingles that are rare in the memory nominate candidates (the
greeting and signature that every reply shares would otherwise make each query scan everything),
and the best few candidates are scored exactly. Stays fast over 50,000 stored replies.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

NEAR_DUPLICATE = 0.5  # Jaccard of word 3-grams at or above this is a clone (R-UNIQUE)
_COMMON = 0.02  # a shingle in more than this share of replies does not nominate candidates
_MIN_COMMON = 200
_TOP = 30


def normalise(text: str) -> list[str]:
    return re.findall(r"[a-zа-я0-9]+", text.lower().replace("ё", "е"))


def shingles(text: str, n: int = 3) -> set[int]:
    words = normalise(text)
    if len(words) < n:
        return {_h(" ".join(words))} if words else set()
    return {_h(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}


def _h(s: str) -> int:
    """Shingle id: Python's string hash (salted per process, which is fine: the index lives in memory)."""
    return hash(s)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


class ReplyMemory:
    """Earlier reply texts with an index; ``nearest`` gives (similarity 0..1, closest text)."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.texts: list[str] = []
        self._sets: list[set[int]] = []
        self._exact: dict[str, int] = {}
        self._postings: dict[int, list[int]] = {}
        for t in texts:
            self.add(t)

    def __len__(self) -> int:
        return len(self.texts)

    def add(self, text: str) -> None:
        if not text:
            return
        idx = len(self.texts)
        self.texts.append(text)
        sh = shingles(text)
        self._sets.append(sh)
        self._exact.setdefault(_key(text), idx)
        for s in sh:
            self._postings.setdefault(s, []).append(idx)

    def contains(self, text: str) -> bool:
        """True when the same text (ignoring case, punctuation and spacing) was used before."""
        return bool(text) and _key(text) in self._exact

    def nearest(self, text: str, *, ignore: Iterable[str] = ()) -> tuple[float, str | None]:
        """Highest similarity (0..1) to any earlier reply, and that reply. Replies equal to one in
        ``ignore`` do not count (the web card's live lint: the item's own draft is not a clone)."""
        if not text or not self.texts:
            return 0.0, None
        skip = {_key(t) for t in ignore}
        exact = self._exact.get(_key(text))
        if exact is not None and _key(self.texts[exact]) not in skip:
            return 1.0, self.texts[exact]
        sh = shingles(text)
        limit = max(_MIN_COMMON, int(len(self.texts) * _COMMON))
        counts: Counter[int] = Counter()
        common: list[list[int]] = []
        for s in sh:
            posting = self._postings.get(s)
            if not posting:
                continue
            if len(posting) > limit:
                common.append(posting)
            else:
                counts.update(posting)
        candidates = [i for i, _ in counts.most_common(_TOP + len(skip))]
        if not candidates and common:  # the text is made only of very common shingles
            candidates = list(set(min(common, key=len)[-_TOP - len(skip):]))
        if skip:
            candidates = [i for i in candidates if _key(self.texts[i]) not in skip]
        best, best_i = 0.0, None
        for i in candidates:
            score = jaccard(sh, self._sets[i])
            if score > best:
                best, best_i = score, i
        return round(best, 4), (self.texts[best_i] if best_i is not None else None)


def _key(text: str) -> str:
    return " ".join(normalise(text))
