"""Answering questions from the business's own knowledge (Q-EXACT): FAQ entries and facts.

TF-IDF over lemmatised FAQ question + keywords + answer (and the string facts of the profile),
cosine similarity with a confidence threshold. Below the threshold there is no answer: the
composer hands the question to a person instead of inventing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from otklik.compose.morph import Morph
from otklik.profile import BusinessProfile

MIN_SCORE = 0.22  # below this a match is a guess, not an answer
MIN_SHARED = 1  # at least one content lemma of the question must be in the entry


@dataclass(frozen=True, slots=True)
class Answer:
    text: str
    score: float
    source: str  # "faq:<n>" or "fact:<key>"
    question: str  # what the entry answers


class FaqIndex:
    """Retrieval over one profile's FAQ and facts; built once per Composer or linter."""

    def __init__(self, profile: BusinessProfile, morph: Morph | None = None) -> None:
        self.morph = morph or Morph()
        hints = yaml.safe_load((Path(__file__).parent / "phrases" / "faq_hints.yaml").read_text(encoding="utf-8"))
        self._expand: dict[str, str] = hints.get("expand", {})
        fact_keys: dict[str, str] = hints.get("fact_keys", {})
        self._stop = frozenset(str(hints.get("stopwords", "")).split())
        self.entries: list[tuple[str, str, str, set[str]]] = []  # (answer, source, question, keyword lemmas)
        docs: list[str] = []
        for i, e in enumerate(profile.faq):
            kw = {lem for k in e.keywords for lem in self._content(k)}
            docs.append(" ".join(self._content(f"{e.question} {e.question} {' '.join(e.keywords * 2)} {e.answer}")))
            self.entries.append((e.answer, f"faq:{i}", e.question, kw))
        for key, value in profile.facts.items():
            if isinstance(value, str) and value.strip():
                words = fact_keys.get(key, key.replace("_", " "))
                docs.append(" ".join(self._content(f"{words} {value}")))
                answer = value.strip()
                answer = answer[0].upper() + answer[1:]
                if not answer.endswith("."):
                    answer += "."
                self.entries.append((answer, f"fact:{key}", words, set()))
        self._vectorizer: Any = None
        self._matrix: Any = None
        if docs:
            from sklearn.feature_extraction.text import TfidfVectorizer

            self._vectorizer = TfidfVectorizer(analyzer=str.split, sublinear_tf=True)
            self._matrix = self._vectorizer.fit_transform(docs)
        self._docs = [set(d.split()) for d in docs]

    def _content(self, text: str) -> list[str]:
        """Content lemmas plus 6-letter stems of long ones («вегетарианец» ~ «вегетарианский»)."""
        out: list[str] = []
        for lem in self.morph.lemmas(text):
            if lem.isdigit() or (lem not in self._stop and len(lem) > 1):
                out.append(lem)
                if len(lem) >= 7 and not lem.isdigit():
                    out.append("~" + lem[:6])
        return out

    def answer(self, question: str) -> Answer | None:
        """The best entry for a question, or None when nothing is confident enough."""
        if self._vectorizer is None:
            return None
        low = question.lower().replace("ё", "е")
        extra = " ".join(v for k, v in self._expand.items() if k in low)
        lemmas = self._content(f"{question} {extra}")
        if not lemmas:
            return None
        vec = self._vectorizer.transform([" ".join(lemmas)])
        scores = (self._matrix @ vec.T).toarray().ravel()
        qset = set(lemmas)
        best: tuple[float, int] | None = None
        for i, score in enumerate(scores):
            kw_hit = bool(qset & self.entries[i][3])
            s = float(score) + (0.15 if kw_hit else 0.0)
            if len(qset & self._docs[i]) < MIN_SHARED:
                continue
            if best is None or s > best[0]:
                best = (s, i)
        if best is None or best[0] < MIN_SCORE:
            return None
        text, source, q, _ = self.entries[best[1]]
        return Answer(text=text, score=round(best[0], 3), source=source, question=q)


def split_questions(text: str) -> list[str]:
    """Question sentences of a text (those ending with «?»)."""
    parts = re.split(r"(?<=[.!?…])\s+", text.strip())
    return [p.strip() for p in parts if p.strip().endswith("?")]
