"""A PatternSet indexed by its first two lemmas, for the large merged aspect pattern set.

Same patterns and the same matches as ``lexicon.PatternSet.find`` (all matches, longest first at
each position), but a text's «не» no longer tries every «не …» pattern of the taxonomy: a
pattern whose second word is a plain lemma is only tried where that lemma follows.
"""

from __future__ import annotations

from collections.abc import Sequence

from otklik.understand.lexicon import Match, PatternSet

_Entry = tuple[tuple[str, ...], str, str]


class TwoLemmaIndex:
    """Wraps a built PatternSet; ``find`` returns exactly what the wrapped set's ``find`` would."""

    def __init__(self, ps: PatternSet) -> None:
        self._prefix: list[_Entry] = list(ps._prefix)
        self._one: dict[str, list[_Entry]] = {}  # first lemma → patterns of one word or a wild second word
        self._two: dict[tuple[str, str], list[_Entry]] = {}
        for first, entries in ps._exact.items():
            for e in entries:
                seq = e[0]
                if len(seq) > 1 and seq[1] != "_" and not seq[1].endswith("*"):
                    self._two.setdefault((first, seq[1]), []).append(e)
                else:
                    self._one.setdefault(first, []).append(e)

    def find(self, lemmas: Sequence[str]) -> list[Match]:
        out: list[Match] = []
        n = len(lemmas)
        for i, lem in enumerate(lemmas):
            cands = self._one.get(lem, [])
            if i + 1 < n:
                two = self._two.get((lem, lemmas[i + 1]))
                if two:
                    cands = cands + two
            if self._prefix:
                cands = cands + [p for p in self._prefix if lem.startswith(p[0][0][:-1])]
            if not cands:
                continue
            for seq, key, pat in sorted(cands, key=lambda c: -len(c[0])):
                if PatternSet._fits(seq, lemmas, i):
                    out.append(Match(key, i, i + len(seq), pat))
        return out
