"""Sentiment of the text alone (Analysis.text_sentiment): positive / neutral / negative / mixed.

Mixed means praise and a complaint together («всё нравится, но маломерит»): both sides must have
real evidence (a polar clause or aspect). When one side outweighs the other three to one, that
side wins instead — except that praise never swallows a named complaint (a negative aspect or
a «Недостатки» field): «цвет не подошёл, а так сидит отлично» stays mixed. With no polar clause at all, the whole-text model decides.

A question is neutral unless the asker uses emotion or complaint words («Когда будет 44 размер?»
is a question, «Почему опять брак?!» a complaint): only cue words count there, not the model,
which reads «есть синтетика?» as a grumble. Both masses go to ``notes["sentiment_mass"]`` for
the rating fusion.
"""

from __future__ import annotations

from otklik.domain import Sentiment
from otklik.understand.components.base import Batch

POLAR = 0.75
DOMINANCE = 3.0  # praise must outweigh a complaint this much to swallow it
NEG_DOMINANCE = 2.0  # a complaint swallows praise more easily (dev part of the gold set: 0.827 → 0.832)
DOC_MIN = 0.5


def masses(scores: list[float], aspects: list[Sentiment], has_cons: bool, buried_praise: int = 0) -> tuple[float, float]:
    """Praise and complaint weight; ``buried_praise`` counts praise words inside complaint clauses
    («Классная вещь, очень жаль, что мала» is one clause, and it praises too)."""
    pos_mass = (sum(s for s in scores if s >= POLAR) + sum(1.0 for a in aspects if a == Sentiment.POSITIVE)
                + float(buried_praise))
    neg_mass = -sum(s for s in scores if s <= -POLAR) + sum(1.0 for a in aspects if a == Sentiment.NEGATIVE)
    mixed_aspects = sum(1.0 for a in aspects if a == Sentiment.MIXED)
    pos_mass += mixed_aspects
    neg_mass += mixed_aspects + (1.0 if has_cons else 0.0)
    return pos_mass, neg_mass


def question_sentiment(cues: list[float]) -> Sentiment:
    pos = sum(c for c in cues if c > 0)
    neg = -sum(c for c in cues if c < 0)
    if neg >= 1.0 and neg > pos:
        return Sentiment.NEGATIVE
    if pos >= 1.0 and pos > neg:
        return Sentiment.POSITIVE
    return Sentiment.NEUTRAL


def text_sentiment(scores: list[float], aspects: list[Sentiment], doc_probs: dict[str, float],
                   has_cons: bool, short_no_cue: bool = False, buried_praise: int = 0) -> Sentiment:
    pos_mass, neg_mass = masses(scores, aspects, has_cons, buried_praise)
    mixed_aspects = sum(1.0 for a in aspects if a == Sentiment.MIXED)
    if pos_mass > 0 and neg_mass > 0:
        complaint_aspect = any(a == Sentiment.NEGATIVE for a in aspects)
        if pos_mass >= DOMINANCE * neg_mass and not has_cons and not mixed_aspects and not complaint_aspect:
            return Sentiment.POSITIVE
        if neg_mass >= NEG_DOMINANCE * pos_mass:
            return Sentiment.NEGATIVE
        return Sentiment.MIXED
    if pos_mass > 0:
        return Sentiment.POSITIVE
    if neg_mass > 0:
        return Sentiment.NEGATIVE
    if short_no_cue:
        return Sentiment.NEUTRAL
    best = max(doc_probs, key=lambda k: doc_probs[k])
    if best != "neutral" and doc_probs[best] >= DOC_MIN:
        return Sentiment(best)
    return Sentiment.NEUTRAL


class TextSentimentComponent:
    name = "text_sentiment"

    def run(self, batch: Batch) -> None:
        for i, an in enumerate(batch.results):
            note = batch.notes[i]
            # the matcher's own aspect polarities (recall first), not the aspect head's report: a
            # complaint the head leaves unnamed still weighs in the review's sentiment and complaint
            aspects = note.get("rule_aspects", [a.sentiment for a in an.aspects])
            buried = note.get("buried_praise", 0)
            note["sentiment_mass"] = masses(note["clause_scores"], aspects, note["has_cons"], buried)
            pos_mass, neg_mass = note["sentiment_mass"]
            note["text_basis"] = "evidence" if pos_mass or neg_mass else "model"
            if an.kind == "question":
                an.text_sentiment = question_sentiment(note["clause_cues"])
            else:
                an.text_sentiment = text_sentiment(
                    note["clause_scores"], aspects, note["doc_probs"], note["has_cons"], note["short_no_cue"],
                    buried,
                )
            an.scores.update({f"sentiment_{k}": round(v, 4) for k, v in note["doc_probs"].items()})
