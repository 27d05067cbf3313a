"""Complaint detection (Analysis.problem) and the final sentiment.

A clause-level complaint model scores every clause; a small learned head (``decision.py``)
turns the clause scores, the stars and the polarity component's masses into the review's
``problem`` and ``sentiment``. A few things are not left to the weights (``decide``):

- a filled-in «Недостатки» (cons) field is a complaint («нет», «не нашла», «без нареканий» do
  not count), whatever the rest says; so is 1–2★ over a text with no praise;
- a question is a complaint only with evidence of its own, not through the model alone;
- a review with a complaint is never ``positive``: it is ``mixed`` when it also praises,
  ``negative`` when it does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from otklik.domain import Analysis, Sentiment
from otklik.understand.components.base import Batch
from otklik.understand.components.decision import FEATURES, review_features, sentiment_row
from otklik.understand.components.sentiment import question_sentiment

FALLBACK_THRESHOLD = 0.5  # no decision file yet (while ``otklik train`` builds one): clause model alone


def consistent_sentiment(sentiment: Sentiment, problem: bool, praise_mass: float) -> Sentiment:
    """A complaint under any stars is never positive; a complaint with no praise is negative, and
    so is «mixed» with no praise at all («Качество не очень хорошее, ткань не приятная»)."""
    if not problem:
        return sentiment
    if sentiment == Sentiment.POSITIVE:
        return Sentiment.MIXED
    if sentiment in (Sentiment.NEUTRAL, Sentiment.MIXED):
        return Sentiment.MIXED if praise_mass > 0 else Sentiment.NEGATIVE
    return sentiment


def decide(p: float, threshold: float, features: list[float], *, has_cons: bool, cue_complaint: bool,
           failure: bool = False) -> bool:
    """The head's answer, bounded by four rules the data backs.

    A real «Недостатки» field is a complaint; so is a device failure said outright («иногда
    зависает», not negated, hypothetical or feared), under any stars. 1–2★ over a text with no praise is one (64 of the 65
    such dev items are: «Заказывала платье, пришла юбка»). A question is one only with evidence
    of its own — a complained-of aspect, a complaint cue word, low stars — never through the
    model alone: «Когда будет 44 размер? Жду уже месяц» asks, it does not complain.
    """
    f = dict(zip(FEATURES, features, strict=True))
    if has_cons or f["low_stars_no_praise"] or failure:
        return True
    if f["question"] and not (f["complaint_aspect"] or cue_complaint or f["stars_low"]):
        return False
    return p >= threshold


def clause_probabilities(batch: Batch) -> tuple[list[list[float]], list[float]]:
    """Complaint probability per clause and of each whole text (a one-clause text is scored once)."""
    model = batch.res.clause_model
    j = model.labels.index("complaint")
    clause_texts = [c for d in batch.docs for c in d.clauses]
    whole = [i for i, d in enumerate(batch.docs) if len(d.clauses) != 1]
    probs = model.predict_proba(clause_texts + [batch.docs[i].text for i in whole])[:, j] if clause_texts or whole else np.zeros(0)
    per_clause: list[list[float]] = []
    text_p: list[float] = []
    k = 0
    for d in batch.docs:
        n = len(d.clauses)
        per_clause.append([float(p) for p in probs[k:k + n]])
        text_p.append(per_clause[-1][0] if n == 1 else 0.0)
        k += n
    for m, i in enumerate(whole):
        text_p[i] = float(probs[len(clause_texts) + m])
    return per_clause, text_p


def _complained_of(an: Analysis, note: dict[str, Any]) -> bool:
    """An aspect the matcher found complained of (before the aspect head, which reports fewer)."""
    rule = note.get("rule_aspects")
    if rule is None:
        return bool(an.complaints)
    return any(s in (Sentiment.NEGATIVE, Sentiment.MIXED) for s in rule)


class ProblemComponent:
    name = "problem"

    def run(self, batch: Batch) -> None:
        res = batch.res
        head = res.decision
        per_clause, text_p = clause_probabilities(batch)
        rows: list[list[float]] = []
        for item, an, note, cp, tp in zip(batch.items, batch.results, batch.notes, per_clause, text_p, strict=True):
            denied = note["denied_clauses"]  # «нареканий нет», «не пришлось ждать» (PolarityComponent)
            note["clause_complaint"] = cp
            note["fused_sentiment"] = str(an.sentiment)  # stars + text, before the heads
            rows.append(review_features(cp, denied, tp, item.rating, an.kind == "question" or an.is_question,
                                        _complained_of(an, note), note))
        x = np.asarray(rows, dtype=np.float64).reshape(len(rows), -1)
        if head is None:
            p = x[:, 0] if len(rows) else np.zeros(0)
            threshold = FALLBACK_THRESHOLD
        else:
            p = head.p_problem(x)
            threshold = head.threshold
        for i, (an, note) in enumerate(zip(batch.results, batch.notes, strict=True)):
            note["decision_features"] = rows[i]
            note["problem_threshold"] = threshold
            an.scores["problem"] = round(float(p[i]), 4)
            an.problem = decide(float(p[i]), threshold, rows[i], has_cons=bool(note["has_cons"]),
                                cue_complaint=any(c <= -1.0 for c in note.get("clause_cues", ())),
                                failure=bool(note.get("failure_said")))
            asks = bool(rows[i][FEATURES.index("question")]) and not an.problem
            if asks and batch.items[i].rating is None:
                an.sentiment = question_sentiment(note["clause_cues"])  # emotion words only, as for a question item
            elif head is not None:
                srow = np.asarray([sentiment_row(rows[i], str(an.text_sentiment), float(p[i]))])
                an.sentiment = Sentiment(head.sentiment(srow)[0])
            praise, _complaint = note.get("sentiment_mass", (0.0, 0.0))
            an.sentiment = consistent_sentiment(an.sentiment, an.problem, praise)
