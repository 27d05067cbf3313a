"""Reservations: the one complaint clause a satisfied customer adds beside the praise.

«Цена приятная, жаль подписки нет», «единственное, было бы хорошо, если бы упаковывали
понадёжнее», «Сделайте возможность перевода с копилки. А так всё хорошо», «думала, что закроет
плечи, но давит в руках», «кухня неплохая, хотя некоторые блюда приготовлены не по правилам».
Each reports a shortcoming the writer met, so the clause is a complaint (problem = true) and the
review is mixed, never positive — however much praise surrounds it and under any stars.

The word lists are data (patterns.yaml, ``reservations``); this module only says how they apply:

* a reservation cue anywhere in the clause, not negated («не жаль»), not hypothetical and not
  taken back by an ``exclude`` pattern («жаль, что раньше не купила» is praise);
* an opener («Единственное…», «Из минусов…», «хотя … не …») on a clause with no praise word;
* a clause with no praise word followed by «А так всё хорошо» / «В остальном отлично»;
* «но / а» with no praise word right after an expectation («думала, что…», «рассчитывал на…»);
* a complaint cue conceded by praise after it («не всегда угадывают с прожаркой, но в этот раз
  идеально»): the complaint stands.

A clause that says there is nothing to complain about («единственное — минусов нет») never counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from otklik.understand.components.scope import Scope
from otklik.understand.lexicon import PatternSet
from otklik.understand.text import Lemmatizer

_BUT = re.compile(r"^(?:но|а|однако)\b", re.IGNORECASE)


@dataclass(slots=True, frozen=True)
class Reservations:
    cues: PatternSet
    exclude: PatternSet
    openers: re.Pattern[str]
    otherwise: re.Pattern[str]
    concession: re.Pattern[str]

    @classmethod
    def from_patterns(cls, patterns: dict[str, Any], lem: Lemmatizer) -> Reservations:
        r = patterns.get("reservations", {})
        cues, exclude = PatternSet(), PatternSet()
        cues.extend("reservation", r.get("cues", []), lem)
        exclude.extend("exclude", r.get("exclude", []), lem)
        openers = "|".join(r.get("openers", [])) or r"(?!)"
        return cls(
            cues=cues,
            exclude=exclude,
            openers=re.compile(rf"^(?:{openers})", re.IGNORECASE),
            otherwise=re.compile(rf"^(?:{r.get('otherwise') or '(?!)'})", re.IGNORECASE),
            concession=re.compile(rf"^(?:{r.get('concession') or '(?!)'})", re.IGNORECASE),
        )

    def _cue(self, lemmas: list[str], scope: Scope) -> bool:
        if self.cues.first_lemmas.isdisjoint(lemmas):
            return False  # most clauses hold no reservation word: skip the scan
        taken_back = self.exclude.find(lemmas)
        return any(
            not scope.negated_before(lemmas, m) and not scope.is_hypothetical(lemmas, m)
            and not any(x.start <= m.start < x.end for x in taken_back)
            for m in self.cues.find(lemmas)
        )

    def flags(self, clauses: list[str], lemmas: list[list[str]], cues: list[float], praise: list[int],
              scope: Scope, no_cons: re.Pattern[str]) -> list[bool]:
        """Which clauses are reservations (the polarity component makes them complaints)."""
        n = len(clauses)
        out = [False] * n
        for c, (clause, lems) in enumerate(zip(clauses, lemmas, strict=True)):
            if no_cons.match(clause) or no_cons.match(self.openers.sub("", clause, count=1)):
                continue  # «Единственное — минусов нет»
            bare = not praise[c]
            out[c] = (
                self._cue(lems, scope)
                or (bare and bool(self.openers.match(clause)))
                or (bare and c + 1 < n and bool(self.otherwise.match(clauses[c + 1])))
                or (bare and c > 0 and bool(_BUT.match(clause)) and scope.expected_before(lemmas[c - 1], len(lemmas[c - 1])))
                or (cues[c] < 0 and bare and c + 1 < n and not scope.expected_before(lems, len(lems)) and praise[c + 1] > 0 and bool(self.concession.match(clauses[c + 1])))
            )
        return out
