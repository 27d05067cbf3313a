"""Where a cue's polarity reaches: negation scope, denial after a complaint, hypothetical «если».

Shared by the polarity and aspect components so a cue and an aspect pattern read the same
words the same way. Word lists live in data/patterns.yaml (``scope``).

* «не» flips what directly follows it, or what follows one intensifier («не очень удобно»,
  «не совсем по размеру»), but not a word further away: in «не покупайте деньги на ветер»
  the «не» belongs to «покупайте».
* «брака нет», «пятен не обнаружено», «без царапин»: a complaint denied; «пятно, не
  отстирывается» is not a denial (the «не» belongs to another verb).
* «если не подойдёт по размеру» describes what might happen, not what did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from otklik.understand.lexicon import Match

# «если честно», «если что»; «если бы» is counterfactual — «было бы хорошо, если бы упаковывали
# надёжнее», «если бы не размер…» say what really is
_IDIOM_NEXT = frozenset({"бы", "честно", "честный", "откровенно", "что", "говорить", "сказать", "честность"})


# «долго думала и копила деньги, а тут скидки»: hesitating, not expecting
_NOT_EXPECTING = frozenset({"долго"})
_MUSING_NEXT = frozenset({"и"})


@dataclass(slots=True, frozen=True)
class Scope:
    negators: frozenset[str]
    gap: frozenset[str]  # intensifiers that may stand between «не» and the cue
    deniers: frozenset[str]  # verbs that make «X не <verb>» a denial of X («не обнаружено»)
    hypothetical: frozenset[str]  # lemmas, or two-lemma phrases («в случай»: not «был случай»)
    absence: frozenset[str]  # «без царапин», «без каких-либо дефектов»: the complaint is absent
    absence_gap: frozenset[str]  # words «без» reaches over («без каких-либо повреждений и дефектов»)
    expectation: frozenset[str] = frozenset()  # «думала, что…», «боялась, что…»: not what happened

    @classmethod
    def from_patterns(cls, patterns: dict[str, Any]) -> Scope:
        cues = patterns.get("sentiment_cues", {})
        sc = patterns.get("scope", {})
        return cls(
            negators=frozenset(cues.get("negators", [])),
            gap=frozenset(sc.get("negation_gap", [])),
            deniers=frozenset(sc.get("denial_verbs", [])),
            hypothetical=frozenset(sc.get("hypothetical", [])),
            absence=frozenset(sc.get("absence", [])),
            absence_gap=frozenset(sc.get("absence_gap", [])),
            expectation=frozenset(sc.get("expectation", [])),
        )

    def negated_before(self, lemmas: Sequence[str], m: Match) -> bool:
        """«не» right before the match, or before one intensifier in front of it."""
        if m.pattern.startswith("не "):
            return False
        i = m.start
        if i >= 1 and lemmas[i - 1] in self.negators:
            return True
        return i >= 2 and lemmas[i - 2] in self.negators and lemmas[i - 1] in self.gap

    def denied_after(self, lemmas: Sequence[str], m: Match) -> bool:
        """«брака нет», «пятен не обнаружено», «сбоев не было» — not «пятно не отстирывается».

        Also «без царапин», «без каких-либо повреждений и дефектов»: «без» right before, or
        up to four words before through the words in ``absence_gap``.
        """
        if m.pattern.startswith(("не ", "без ")):
            return False
        for i in range(max(0, m.start - 4), m.start):
            if lemmas[i] in self.absence:
                # one word between always; more only through «каких-либо», «и», other defects —
                # «без коробки, с царапиной» still reports the scratch
                between = lemmas[i + 1 : m.start]
                if len(between) <= 1 or all(w in self.absence_gap for w in between):
                    return True
        return self._denied_next(lemmas, m)

    def _denied_next(self, lemmas: Sequence[str], m: Match) -> bool:
        nxt = lemmas[m.end : m.end + 3]
        if not nxt:
            return False
        if nxt[0] in ("нет", "нету"):
            return True
        if nxt[0] == "не" and len(nxt) > 1:
            return nxt[1] in self.deniers
        return len(nxt) > 2 and nxt[1] == "не" and nxt[2] in self.deniers  # «дефектов вообще не было»

    def expected_before(self, lemmas: Sequence[str], end: int) -> bool:
        """«думала, что будет маловата»: an expectation (not «не думала») before ``end``."""
        return any(w in self.expectation and not (i and lemmas[i - 1] in _NOT_EXPECTING)
                   and not (i + 1 < len(lemmas) and lemmas[i + 1] in _MUSING_NEXT)
                   and not (i and lemmas[i - 1] in self.negators)
                   for i, w in enumerate(lemmas[:end]))

    def is_hypothetical(self, lemmas: Sequence[str], m: Match) -> bool:
        """The match sits after «если» in the same clause."""
        return self.hypothetical_before(lemmas, m.start)

    def hypothetical_before(self, lemmas: Sequence[str], end: int) -> bool:
        """A hypothetical word before ``end`` — except in idioms: «если честно», «если что»."""
        return any(
            (x in self.hypothetical or (i and f"{lemmas[i - 1]} {x}" in self.hypothetical))
            and (i + 1 >= len(lemmas) or lemmas[i + 1] not in _IDIOM_NEXT)
            for i, x in enumerate(lemmas[:end])
        )
