"""Lemma-sequence patterns from the YAML data files, compiled once per analyser.

A pattern is a space-separated sequence of words; each word is lemmatised with the same
pymorphy3 lemmatizer the texts go through, so any word form in a review matches. A trailing
``*`` keeps the word as a prefix of a lemma instead («материал*» matches «материальный»); a lone
``_`` matches any one word («быть _ размер» matches «будет 44 размер»).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from otklik.understand.text import Lemmatizer, tokens


@dataclass(slots=True, frozen=True)
class Match:
    key: str  # what the pattern stands for (an aspect id, a topic, a cue class)
    start: int
    end: int  # exclusive lemma index
    pattern: str


@dataclass(slots=True)
class PatternSet:
    """Many lemma patterns, indexed by their first lemma for a fast scan."""

    _exact: dict[str, list[tuple[tuple[str, ...], str, str]]] = field(default_factory=dict)
    _prefix: list[tuple[tuple[str, ...], str, str]] = field(default_factory=list)

    def add(self, key: str, pattern: str, lemmatizer: Lemmatizer) -> None:
        parts: list[str] = []
        for raw in pattern.strip().split():
            if raw == "_" or raw.endswith("*"):
                parts.append(raw.lower().replace("ё", "е"))
            else:
                parts.extend(lemmatizer.lemma(t) for t in tokens(raw))
        if not parts:
            return
        seq = tuple(parts)
        if seq[0].endswith("*"):
            self._prefix.append((seq, key, pattern))
        else:
            self._exact.setdefault(seq[0], []).append((seq, key, pattern))

    def extend(self, key: str, patterns: Iterable[str], lemmatizer: Lemmatizer) -> None:
        for p in patterns:
            self.add(key, p, lemmatizer)

    @staticmethod
    def _fits(seq: tuple[str, ...], lemmas: Sequence[str], i: int) -> bool:
        if i + len(seq) > len(lemmas):
            return False
        for j, part in enumerate(seq):
            lem = lemmas[i + j]
            if part == "_":
                continue
            if part.endswith("*"):
                if not lem.startswith(part[:-1]):
                    return False
            elif lem != part:
                return False
        return True

    def find(self, lemmas: Sequence[str]) -> list[Match]:
        """All matches, longest first at each position."""
        out: list[Match] = []
        for i, lem in enumerate(lemmas):
            cands = self._exact.get(lem, [])
            if self._prefix:
                cands = cands + [p for p in self._prefix if lem.startswith(p[0][0][:-1])]
            for seq, key, pat in sorted(cands, key=lambda c: -len(c[0])):
                if self._fits(seq, lemmas, i):
                    out.append(Match(key, i, i + len(seq), pat))
        return out

    @property
    def first_lemmas(self) -> frozenset[str]:
        """First lemmas of the exact patterns; with no prefix patterns, a text holding none of
        them matches nothing (a cheap pre-check). With prefix patterns: every lemma may match."""
        if self._prefix:
            raise ValueError("a set with prefix patterns has no first-lemma pre-check")
        return frozenset(self._exact)

    def keys(self, lemmas: Sequence[str]) -> set[str]:
        return {m.key for m in self.find(lemmas)}


AFTER_NEGATORS = frozenset({"не", "нет"})


def negated_after(lemmas: Sequence[str], m: Match) -> bool:
    """«брака нет», «сбоев не будет», «шумов не возникает»: the complaint is denied right after it."""
    return not m.pattern.startswith("не ") and any(x in AFTER_NEGATORS for x in lemmas[m.end : m.end + 2])
