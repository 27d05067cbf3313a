"""Clause and whole-text polarity from the shipped sentiment model plus review cue words.

Writes, per item, ``notes["doc_probs"]`` (model probabilities for the whole text) and
``notes["clause_scores"]`` (one number per clause: > 0 praise, < 0 complaint), which the aspect
and sentiment components read. Cue words (patterns.yaml) cover review language the tweet-heavy
model is weak on («маломерит», «пересорт»); "не" before praise flips it.
"""

from __future__ import annotations

import re

from otklik.understand.components.base import Batch
from otklik.understand.lexicon import negated_after
from otklik.understand.resources import Resources

_NO_CONS = re.compile(r"^\s*(нет|нету|не обнаружено|не выявлено|не нашл[аи]?|не заметил[аи]?|пока нет|отсутствуют|-|—|\.+)\W*$",
                      re.IGNORECASE)
MODEL_WEIGHT = 1.2
SHORT = 2  # words


def cue_score(lemmas: list[str], res: Resources) -> float:
    """Sum of cue polarities in one clause, negation-aware."""
    matches = res.cues.find(lemmas)
    neg_spans = [(m.start, m.end) for m in matches if m.key == "negative"]
    score = 0.0
    for m in matches:
        before = lemmas[max(0, m.start - 2) : m.start]
        negated = any(b in res.negators for b in before) and not m.pattern.startswith("не ")
        if m.key == "negative":
            score += 0.5 if negated or negated_after(lemmas, m) else -1.0
        elif any(s <= m.start < e for s, e in neg_spans):
            continue  # "не понравилось" already counted as a complaint
        else:
            score += -1.0 if negated else 1.0
    return score


class PolarityComponent:
    name = "polarity"

    def run(self, batch: Batch) -> None:
        res = batch.res
        model = res.sentiment_model
        labels = model.labels
        ipos, ineg = labels.index("positive"), labels.index("negative")
        texts = [d.text for d in batch.docs]
        # a one-clause text is its own clause: score it once
        clause_texts = [c for d in batch.docs if len(d.clauses) > 1 for c in d.clauses]
        doc_p = model.predict_proba(texts)
        cl_p = model.predict_proba(clause_texts)
        k = 0
        for i, (item, doc) in enumerate(zip(batch.items, batch.docs, strict=True)):
            note = batch.notes[i]
            note["doc_probs"] = {lab: float(doc_p[i, j]) for j, lab in enumerate(labels)}
            scores: list[float] = []
            cue_hits = 0
            for clause, lemmas in zip(doc.clauses, doc.clause_lemmas, strict=True):
                if len(doc.clauses) > 1:
                    p = cl_p[k]
                    k += 1
                else:
                    p = doc_p[i]
                cues = cue_score(lemmas, res)
                cue_hits += cues != 0
                s = cues + MODEL_WEIGHT * float(p[ipos] - p[ineg])
                if len(doc.lemmas) <= SHORT and cues == 0:
                    s = 0.0  # «Нет», «Пришло»: too short for the model to judge; the stars decide
                if clause.startswith("Недостатки:"):
                    s = 0.0 if _NO_CONS.match(clause[len("Недостатки:"):]) else min(s, -1.0)
                elif clause.startswith("Достоинства:"):
                    s = max(s, 1.0)
                scores.append(round(s, 3))
            note["clause_scores"] = scores
            note["short_no_cue"] = len(doc.lemmas) <= SHORT and not cue_hits
            note["has_cons"] = bool(item.cons.strip()) and not _NO_CONS.match(item.cons)
