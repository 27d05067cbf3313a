"""Clause and whole-text polarity from the shipped sentiment model plus review cue words.

Writes, per item, ``notes["doc_probs"]`` (model probabilities for the whole text),
``notes["clause_scores"]`` (one number per clause: > 0 praise, < 0 complaint) and
``notes["clause_cues"]`` (the cue-word part alone), which the aspect, sentiment and problem
components read. Cue words (patterns.yaml) cover review language the tweet-heavy model is weak
on («маломерит», «пересорт»); «не» before praise flips it (see scope.py for how far).

Clauses: the shared splitter cuts at sentences and «но / однако / зато…»; here a comma before
«а» («платье с поясом, а пояса нет») also starts a new clause. A clause opened by «но / однако /
только / а вот» after praise, with no praise word of its own, is the complaint half of the
contrast («красивая, но пришла мятая») even when the model reads it as neutral. (A bare «а»
opening a sentence is usually a continuation — «А ещё при цене…» — so it does not count.)
"""

from __future__ import annotations

import re

from otklik.understand.components.base import Batch
from otklik.understand.components.reservations import Reservations
from otklik.understand.components.scope import Scope
from otklik.understand.resources import Resources
from otklik.understand.text import Doc, Lemmatizer, tokens

_A_SPLIT = re.compile(r",\s*(?=а\s)", re.IGNORECASE)
_CONTRA = re.compile(r"^(?:но|однако|только|а вот|правда|единственн\w*|из минусов)\b", re.IGNORECASE)
_NON_TEXT = re.compile(r"[^\w\s.,:;!?()«»\"'…—–\-/+%№&*@#]")  # anything else may be an emoji
_PRO_CONTRA = re.compile(r"^зато\b", re.IGNORECASE)
MODEL_WEIGHT = 1.2
HYPOTHETICAL_DAMPING = 0.3
CONTRA_MAX = 0.2  # a «но …» clause the model reads as leaning positive is no complaint half (dev: 0.5 → 0.2, +0.004 problem F1)
SHORT = 2  # words
POLAR = 0.75
DENIED_PRAISE = 0.5  # a clause denying a typical trouble reads as mild praise


def cue_score(lemmas: list[str], res: Resources, scope: Scope) -> tuple[float, int]:
    """(sum of cue polarities in one clause, negation-aware; number of praise cues left standing)."""
    matches = res.cues.find(lemmas)
    neg_spans = [(m.start, m.end) for m in matches if m.key == "negative"]
    pos_spans = [(m.start, m.end) for m in matches if m.key == "positive"]
    back = [(m.start, m.end) for m in res.taken_back.find(lemmas)] if neg_spans else []
    score = 0.0
    praise = 0
    for m in matches:
        if scope.is_hypothetical(lemmas, m) or scope.expected_before(lemmas, m.start):
            continue  # «если не подойдёт», «думала, что будет мала»: what might happen, not what did
        negated = scope.negated_before(lemmas, m)
        if m.key == "negative":
            if any(s <= m.start and m.end <= e and e - s > m.end - m.start for s, e in pos_spans):
                continue  # «жаль, что раньше не купила»: the longer praise pattern holds the word
            if any(s <= m.start < e for s, e in back):
                continue  # «к сожалению, не знаю всех имён»: no complaint meant
            score += 0.5 if negated or scope.denied_after(lemmas, m) else -1.0
        elif any(s <= m.start < e for s, e in neg_spans):
            continue  # "не понравилось" already counted as a complaint
        elif negated:
            score -= 1.0
        else:
            score += 1.0
            praise += 1
    return score, praise


def emoji_score(clause: str, res: Resources) -> int:
    """+1 for a praise emoji in the clause, −1 for a complaint one (both or neither: 0)."""
    if clause.isascii() or not _NON_TEXT.search(clause):
        return 0  # letters, digits and punctuation only: no emoji to look for
    c = res.patterns["sentiment_cues"]
    pos = any(e in clause for e in c.get("praise_emoji", ()))
    neg = any(e in clause for e in c.get("complaint_emoji", ()))
    return int(pos) - int(neg)


def refine_clauses(doc: Doc, lem: Lemmatizer) -> list[int]:
    """Split clauses further at «, а …» (a contrast the shared splitter keeps together).

    Returns, for each new clause, the index of the clause it came from (the model scores the
    original clauses only: cue words and the contrast rule tell the parts apart, at no cost).
    """
    if not any(_A_SPLIT.search(c) for c in doc.clauses):
        return list(range(len(doc.clauses)))
    cls: list[str] = []
    parent: list[int] = []
    for k, c in enumerate(doc.clauses):
        parts = [p.strip(" ,") for p in _A_SPLIT.split(c) if p.strip(" ,.")] or [c]
        cls.extend(parts)
        parent.extend([k] * len(parts))
    doc.clauses = cls
    doc.clause_tokens = [tokens(c) for c in cls]
    doc.clause_lemmas = [[lem.lemma(t) for t in ts] for ts in doc.clause_tokens]
    return parent


def contrast_adjust(clauses: list[str], scores: list[float], praise: list[int],
                    lemmas: list[list[str]] | None = None, scope: Scope | None = None) -> list[float]:
    """«X, но Y»: Y leaning negative, without praise words, after a praised X is the complaint
    («красивая, но пришла мятая»); «зато» the reverse. «…, но первая купленная на ozon» is not;
    nor is «не только X, но и Y» (also), a bare «но…» cut off, or a Y after «если» (hypothetical)."""
    out = list(scores)
    for c in range(1, len(out)):
        prev = out[c - 1]
        lems = lemmas[c] if lemmas is not None else []
        if lemmas is not None and (len(lems) < 2 or lems[:2] == ["но", "и"]
                                   or (scope is not None and scope.hypothetical_before(lems, len(lems)))):
            continue
        if _CONTRA.match(clauses[c]) and prev >= POLAR and not praise[c] and out[c] < CONTRA_MAX:
            out[c] = min(out[c], -1.0)
        elif _PRO_CONTRA.match(clauses[c]) and prev <= -POLAR:
            out[c] = max(out[c], 1.0)
    return out


def contrast_complaints(clauses: list[str], scores: list[float]) -> list[bool]:
    """Clauses that are the complaint half of «X, но / только Y» (read by the problem component)."""
    return [c > 0 and bool(_CONTRA.match(clauses[c])) and scores[c] <= -POLAR and scores[c - 1] >= POLAR
            for c in range(len(clauses))]


class PolarityComponent:
    name = "polarity"

    def __init__(self) -> None:
        self._scope: Scope | None = None
        self._reservations: Reservations | None = None

    def scope(self, res: Resources) -> Scope:
        if self._scope is None:
            self._scope = Scope.from_patterns(res.patterns)
        return self._scope

    def reservations(self, res: Resources) -> Reservations:
        if self._reservations is None:
            self._reservations = Reservations.from_patterns(res.patterns, res.lemmatizer)
        return self._reservations

    def run(self, batch: Batch) -> None:
        res = batch.res
        scope = self.scope(res)
        reservations = self.reservations(res)
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
            n_orig = len(doc.clauses)
            parent = refine_clauses(doc, res.lemmatizer)
            note = batch.notes[i]
            note["doc_probs"] = {lab: float(doc_p[i, j]) for j, lab in enumerate(labels)}
            scores: list[float] = []
            cue_list: list[float] = []
            praise: list[int] = []
            denied: list[bool] = []
            cue_hits = 0
            failures = 0
            for c, (clause, lemmas) in enumerate(zip(doc.clauses, doc.clause_lemmas, strict=True)):
                p = cl_p[k + parent[c]] if n_orig > 1 else doc_p[i]
                cues, n_praise = cue_score(lemmas, res, scope)
                failures += any(not (scope.negated_before(lemmas, m) or scope.is_hypothetical(lemmas, m)
                                     or scope.expected_before(lemmas, m.start))
                                for m in res.failure_cues.find(lemmas))
                emo = emoji_score(clause, res)
                cues += emo
                n_praise += emo > 0
                cue_hits += cues != 0
                model_s = MODEL_WEIGHT * float(p[ipos] - p[ineg])
                if cues and model_s * cues < 0:
                    model_s = 0.0  # «Не подошёл фасончик»: the review word outweighs the tweet model
                s = cues + model_s
                if cues == 0 and (scope.hypothetical_before(lemmas, len(lemmas))
                                  or scope.expected_before(lemmas, len(lemmas))):
                    s *= HYPOTHETICAL_DAMPING  # «для тех, кто ищет пыль…»: what others might look for
                if len(doc.lemmas) <= SHORT and cues == 0:
                    s = 0.0  # «Нет», «Пришло»: too short for the model to judge; the stars decide
                if res.no_cons.match(clause):
                    s = max(s, 0.0)  # «Никаких нареканий», «Сбоев не бывало»: a problem denied, not reported
                    denied.append(True)
                elif cues >= 0 and res.problem_denied.search(clause):
                    s = max(s, DENIED_PRAISE)  # «не пришлось ждать», «нигде не застревал»: trouble that did not happen
                    denied.append(True)
                else:
                    denied.append(False)
                if clause.startswith("Недостатки:"):
                    s = 0.0 if res.no_cons.match(clause[len("Недостатки:"):]) else min(s, -1.0)
                elif clause.startswith("Достоинства:"):
                    s = max(s, 1.0)
                scores.append(round(s, 3))
                cue_list.append(cues)
                praise.append(n_praise)
            k += n_orig if n_orig > 1 else 0
            adjusted = contrast_adjust(doc.clauses, scores, praise, doc.clause_lemmas, scope)
            reserved = reservations.flags(doc.clauses, doc.clause_lemmas, cue_list, praise, scope, res.no_cons)
            note["clause_scores"] = [min(s, -1.0) if r and not p else s
                                     for s, r, p in zip(adjusted, reserved, praise, strict=True)]
            note["reservations"] = reserved
            note["buried_praise"] = sum(1 for s, p in zip(note["clause_scores"], praise, strict=True) if s <= -POLAR and p)
            note["contrast_complaints"] = contrast_complaints(doc.clauses, note["clause_scores"])
            note["clause_cues"] = cue_list
            note["failure_said"] = failures > 0
            note["denied_clauses"] = denied
            note["short_no_cue"] = len(doc.lemmas) <= SHORT and not cue_hits
            note["has_cons"] = bool(item.cons.strip()) and not res.no_cons.match(item.cons)
