"""Aspects with their own sentiment, from the taxonomy (data/taxonomy.yaml) and the profile's own aspects.

Per clause: a taxonomy "negative"/"positive" pattern gives the aspect and its sentiment at once
(«маломерит» → size_fit negative); a plain term takes the clause's polarity. Longer matches win
over shorter overlapping ones («маленькая порция» is food, not size). Mentions without polarity
are dropped, except in questions, where they name what is asked about.
"""

from __future__ import annotations

from dataclasses import dataclass

from otklik.domain import AspectMention, Sentiment
from otklik.understand.components.base import Batch
from otklik.understand.lexicon import Match, PatternSet, negated_after

POLAR = 0.75
_SKIP_BY_KIND = {"restaurant": "goods", "service": "goods", "marketplace_seller": "services", "shop": "services"}


@dataclass(slots=True)
class _Hit:
    aspect: str
    sentiment: Sentiment
    evidence: str
    via_pattern: bool


def _select(matches: list[tuple[Match, str]]) -> list[tuple[Match, str]]:
    """Greedy: longest first (the profile's own aspects win ties), no overlapping spans."""
    taken: list[tuple[int, int]] = []
    out = []
    for m, kind in sorted(matches, key=lambda x: (-(x[0].end - x[0].start), x[0].start, x[1] != "custom", x[1])):
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        taken.append((m.start, m.end))
        out.append((m, kind))
    return sorted(out, key=lambda x: x[0].start)


class AspectComponent:
    name = "aspects"

    def __init__(self, custom: PatternSet | None = None) -> None:
        self.custom = custom

    def run(self, batch: Batch) -> None:
        res = batch.res
        info = res.aspect_info
        skip = _SKIP_BY_KIND.get(batch.profile.business.kind, "") if batch.profile else ""
        negators = res.negators
        for i, doc in enumerate(batch.docs):
            scores = batch.notes[i]["clause_scores"]
            hits: list[_Hit] = []
            for c, lemmas in enumerate(doc.clause_lemmas):
                toks = doc.clause_tokens[c]
                found = [(m, "neg") for m in res.aspect_negative.find(lemmas)]
                found += [(m, "pos") for m in res.aspect_positive.find(lemmas)]
                found += [(m, "term") for m in res.aspect_terms.find(lemmas)]
                if self.custom is not None:
                    found += [(m, "custom") for m in self.custom.find(lemmas)]
                for m, kind in _select(found):
                    words = " ".join(toks[m.start : m.end])
                    before = lemmas[max(0, m.start - 2) : m.start]
                    negated = any(b in negators for b in before) and not m.pattern.startswith("не ")
                    if kind in ("term", "custom"):
                        a = info.get(m.key)
                        if a is not None and a.applies == skip:
                            continue
                        s = scores[c]
                        sent = Sentiment.POSITIVE if s >= POLAR else Sentiment.NEGATIVE if s <= -POLAR else Sentiment.NEUTRAL
                        hits.append(_Hit(m.key, sent, words, False))
                        continue
                    if kind == "neg" and negated_after(lemmas, m):
                        continue  # «брака нет»: no complaint, and not praise worth a mention either
                    positive = (kind == "pos") != negated
                    if negated:
                        words = " ".join(toks[max(0, m.start - 2) : m.end])
                    hits.append(_Hit(m.key, Sentiment.POSITIVE if positive else Sentiment.NEGATIVE, words, True))
            batch.results[i].aspects = self._merge(hits, keep_neutral=batch.results[i].kind == "question")

    @staticmethod
    def _merge(hits: list[_Hit], *, keep_neutral: bool) -> list[AspectMention]:
        by: dict[str, list[_Hit]] = {}
        for h in hits:
            by.setdefault(h.aspect, []).append(h)
        out: list[AspectMention] = []
        for aspect, hs in by.items():
            sents = {h.sentiment for h in hs} - {Sentiment.NEUTRAL}
            if Sentiment.POSITIVE in sents and Sentiment.NEGATIVE in sents:
                # a pattern-based polarity beats a clause-polarity guess for the same aspect
                pat = {h.sentiment for h in hs if h.via_pattern} - {Sentiment.NEUTRAL}
                sent = pat.pop() if len(pat) == 1 else Sentiment.MIXED
            elif sents:
                sent = sents.pop()
            elif keep_neutral:
                sent = Sentiment.NEUTRAL
            else:
                continue
            ev: list[str] = []
            for h in hs:
                if (h.sentiment == sent or sent in (Sentiment.MIXED, Sentiment.NEUTRAL)) and h.evidence not in ev:
                    ev.append(h.evidence)
            out.append(AspectMention(id=aspect, sentiment=sent, evidence=", ".join(ev[:3])))
        return out
