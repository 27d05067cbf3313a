"""Complaint detection (Analysis.problem): does the customer report something that went wrong?

The shipped complaint model (trained on finance-app and car reviews) is combined with evidence
that generalises to other goods and services, wherever it stands and under any stars:
a complaint aspect (defect, size, delivery, price...), a problem cue word inside a negative
clause, a filled-in «Недостатки» field («нет», «не нашла» do not count), a complaint clause
after «но / только», or 1–2★ over a text that does not praise («Пришла юбка вместо платья»).
A question reports a problem only through such evidence, never through the model alone:
«Садится ли рубашка после стирки?» asks, it does not complain.

Afterwards the sentiment is made consistent: a review with a problem is never ``positive``
(it is ``mixed`` when it also praises, ``negative`` when it does not).
"""

from __future__ import annotations

import re

from otklik.domain import Sentiment
from otklik.understand.components.base import Batch
from otklik.understand.components.scope import Scope
from otklik.understand.resources import Resources
from otklik.understand.text import Doc

MODEL_WITH_NEGATIVE = 0.5
MODEL_ALONE = 0.8
POLAR = 0.75


def decide(p_problem: float, sentiment: Sentiment, actionable_aspect: bool, cue_in_negative: bool,
           threshold: float = MODEL_WITH_NEGATIVE, question: bool = False, *, has_cons: bool = False,
           contrast_complaint: bool = False, low_stars_no_praise: bool = False, too_short: bool = False) -> bool:
    if actionable_aspect or cue_in_negative or has_cons or contrast_complaint:
        return True
    if question:
        return False  # a question asks; only the evidence above makes it a complaint
    if low_stars_no_praise:
        return True
    if too_short:
        return False  # «Нет», «Пришло»: too short for the model; only evidence above counts
    if sentiment != Sentiment.POSITIVE:
        return p_problem >= threshold
    return p_problem >= max(MODEL_ALONE, threshold)


def consistent_sentiment(sentiment: Sentiment, problem: bool, praise_mass: float) -> Sentiment:
    """A complaint under any stars is never positive; a complaint with no praise is negative."""
    if not problem:
        return sentiment
    if sentiment == Sentiment.POSITIVE:
        return Sentiment.MIXED
    if sentiment == Sentiment.NEUTRAL:
        return Sentiment.MIXED if praise_mass > 0 else Sentiment.NEGATIVE
    return sentiment


def _without_empty_cons(text: str, res: Resources) -> str:
    """«Недостатки: минусов пока не нашла» says there are none: the model must not read it as a grumble."""
    lines = text.split("\n")
    keep = [ln for ln in lines
            if not (ln.startswith("Недостатки:") and res.no_cons.match(ln[len("Недостатки:"):]))]
    return "\n".join(keep) if len(keep) != len(lines) else text


_OPENER = re.compile(r"^(?:единственн\w*|из минусов|что касается минусов)\W*", re.IGNORECASE)


def _without_denials(doc: Doc, res: Resources) -> str:
    """«Единственное — минусов пока не нашла», «Брака нет»: a sentence that says nothing went wrong
    is left out of what the model reads (it reads «минус», «брак» as a grumble)."""
    keep = [c for c in doc.clauses if not res.no_cons.match(_OPENER.sub("", c, count=1))]
    text = " ".join(keep) if len(keep) != len(doc.clauses) and keep else doc.text
    return _without_empty_cons(text, res)


class ProblemComponent:
    name = "problem"

    def run(self, batch: Batch) -> None:
        res = batch.res
        model = res.problem_model
        threshold = model.threshold or MODEL_WITH_NEGATIVE
        scope = Scope.from_patterns(res.patterns)
        evidence: list[tuple[bool, bool]] = []
        for doc, an, note in zip(batch.docs, batch.results, batch.notes, strict=True):
            cue = any(
                s <= -POLAR and (cw <= -1.0 or any(not scope.is_hypothetical(lem, m) for m in res.problem_cues.find(lem)))
                for s, cw, lem in zip(note["clause_scores"], note["clause_cues"], doc.clause_lemmas, strict=True)
            )
            evidence.append((bool(an.complaints), cue))
        # the model only matters where the rules have not decided
        need = [i for i, (act, cue) in enumerate(evidence) if not (act or cue)]
        probs = model.predict_proba([_without_denials(batch.docs[i], res) for i in need])
        j = model.labels.index("problem")
        p_of = {i: float(probs[k, j]) for k, i in enumerate(need)}
        for i, (item, an, (act, cue)) in enumerate(zip(batch.items, batch.results, evidence, strict=True)):
            note = batch.notes[i]
            p = p_of.get(i, 0.0)
            if i in p_of:
                an.scores["problem"] = round(p, 4)
            praise, _complaint = note.get("sentiment_mass", (0.0, 0.0))
            an.problem = decide(
                p, an.sentiment, act, cue, threshold, question=an.kind == "question",
                has_cons=note["has_cons"], contrast_complaint=any(note.get("contrast_complaints", ())) or any(note.get("reservations", ())),
                too_short=bool(note.get("short_no_cue")),
                low_stars_no_praise=item.rating is not None and item.rating <= 2 and an.text_sentiment != Sentiment.POSITIVE,
            )
            an.sentiment = consistent_sentiment(an.sentiment, an.problem, praise)
