"""How sure the reading is (Analysis.confidence, Analysis.doubts), so nothing unsure is auto-published.

Each doubt is an id with a Russian explanation in data/patterns.yaml (``doubts``) and a weight;
confidence is 1 minus the weights, floored at 0.05. The doubts, from cheapest evidence up:

* ``stars_text_disagree`` — the stars say one thing, the text another (a 5★ with a complaint,
  a 1★ with praise): the customer may have misclicked, or the praise is sarcastic;
* ``long_multi_topic`` — a long text touching many topics: one reading rarely covers it all;
* ``low_margin`` — the whole-text decision rests on the model alone and its top two classes are
  close (no cue word or aspect backs it);
* ``problem_uncertain`` — the complaint decision rests on the model alone, near its threshold;
* ``unknown_words`` — many words unknown to the dictionary (slang, typos, transliteration);
* ``no_text`` — stars only: nothing to read.
"""

from __future__ import annotations

from functools import cache

from otklik.understand.components.base import Batch
from otklik.understand.resources import read_yaml

LONG_WORDS = 120
MANY_TOPICS = 4
LOW_MARGIN = 0.2
PROBLEM_BAND = 0.15
UNKNOWN_SHARE = 0.3
MIN_WORDS_FOR_UNKNOWN = 4
FLOOR = 0.05


class ConfidenceComponent:
    name = "confidence"

    def run(self, batch: Batch) -> None:
        res = batch.res
        weights: dict[str, float] = {k: float(v["weight"]) for k, v in res.patterns["doubts"].items()}
        lem = res.lemmatizer
        for doc, an, note in zip(batch.docs, batch.results, batch.notes, strict=True):
            doubts: list[str] = []
            words = [t for ts in doc.clause_tokens for t in ts if t.isalpha()]
            if not words:
                doubts.append("no_text")
            if an.rating_disagrees:
                doubts.append("stars_text_disagree")
            topics = {m.id for m in an.aspects}
            if len(words) >= LONG_WORDS and (len(topics) >= MANY_TOPICS or str(an.sentiment) == "mixed"):
                doubts.append("long_multi_topic")
            polar = any(abs(s) >= 0.75 for s in note.get("clause_cues", ())) or bool(an.aspects)
            probs = sorted(note.get("doc_probs", {}).values(), reverse=True)
            if words and not polar and len(probs) >= 2 and probs[0] - probs[1] < LOW_MARGIN:
                doubts.append("low_margin")
            p = an.scores.get("problem")
            thr = note.get("problem_threshold", 0.5)
            if p is not None and abs(p - thr) < PROBLEM_BAND and not note.get("has_cons"):
                doubts.append("problem_uncertain")
            cyr = [w for w in words if not w.isascii()]
            if len(cyr) >= MIN_WORDS_FOR_UNKNOWN:
                unknown = sum(not lem.is_known(w) for w in cyr)
                if unknown / len(cyr) >= UNKNOWN_SHARE:
                    doubts.append("unknown_words")
            an.doubts = doubts
            an.confidence = round(max(FLOOR, 1.0 - sum(weights.get(d, 0.2) for d in doubts)), 3)


HOLD_BELOW = 0.6  # below this a person reads the review before any reply goes out


@cache
def _doubt_texts() -> dict[str, str]:
    return {k: str(v["ru"]) for k, v in read_yaml("patterns.yaml")["doubts"].items()}


def hold_reasons(confidence: float, doubts: list[str]) -> list[str]:
    """Why a person must read this one first (empty when the reading is sure enough)."""
    if confidence >= HOLD_BELOW:
        return []
    texts = _doubt_texts()
    why = "; ".join(texts.get(d, d) for d in doubts) or "анализ не уверен"
    return [f"Анализ не уверен ({confidence:.2f}): {why} — прочтите отзыв перед ответом"]
