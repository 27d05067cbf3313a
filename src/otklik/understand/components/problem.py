"""Complaint detection (Analysis.problem): does the customer report a problem that needs action?

The shipped complaint model (trained on finance-app and car reviews) is combined with evidence
that generalises to other goods and services: a complaint-type aspect (defect, size, delivery...)
or a problem cue word inside a negative clause. Price or ambience grumbles alone need no action.
A question reports a problem only through such evidence, never through the model alone:
«Садится ли рубашка после стирки?» asks, it does not complain.
"""

from __future__ import annotations

from otklik.domain import Sentiment
from otklik.understand.components.base import Batch

NOT_ACTIONABLE = frozenset({"price", "ambience", "color", "material"})
MODEL_WITH_NEGATIVE = 0.5
MODEL_ALONE = 0.8


def decide(p_problem: float, sentiment: Sentiment, actionable_aspect: bool, cue_in_negative: bool,
           threshold: float = MODEL_WITH_NEGATIVE, question: bool = False) -> bool:
    if actionable_aspect or cue_in_negative:
        return True
    if question:
        return False  # a question asks; only the evidence above makes it a complaint
    if sentiment != Sentiment.POSITIVE:
        return p_problem >= threshold
    return p_problem >= max(MODEL_ALONE, threshold)


class ProblemComponent:
    name = "problem"

    def run(self, batch: Batch) -> None:
        res = batch.res
        model = res.problem_model
        threshold = model.threshold or MODEL_WITH_NEGATIVE
        evidence: list[tuple[bool, bool]] = []
        for doc, an, note in zip(batch.docs, batch.results, batch.notes, strict=True):
            cue = any(
                s <= -0.75 and res.problem_cues.find(lem)
                for s, lem in zip(note["clause_scores"], doc.clause_lemmas, strict=True)
            )
            evidence.append((any(a.id not in NOT_ACTIONABLE for a in an.complaints), cue))
        # the model only matters where the rules have not decided
        need = [i for i, (act, cue) in enumerate(evidence) if not (act or cue)]
        probs = model.predict_proba([batch.docs[i].text for i in need])
        j = model.labels.index("problem")
        p_of = {i: float(probs[k, j]) for k, i in enumerate(need)}
        for i, (an, (act, cue)) in enumerate(zip(batch.results, evidence, strict=True)):
            p = p_of.get(i, 0.0)
            if i in p_of:
                an.scores["problem"] = round(p, 4)
            an.problem = decide(p, an.sentiment, act, cue, threshold, question=an.kind == "question")
