"""Questions: the whole item on the Q&A channel, and question sentences inside reviews.

A sentence is a question when it ends with «?» (rhetorical complaints like «сколько можно?»
excluded, and a «?» inside quotes: retold speech) or holds an asking phrase («подскажите»,
«хотелось бы узнать»). Topics are the
question-topic patterns (data/patterns.yaml) plus taxonomy aspects named in the question.
"""

from __future__ import annotations

import re

from otklik.domain import ItemKind
from otklik.understand.components.base import Batch
from otklik.understand.lexicon import PatternSet
from otklik.understand.text import sentences

LONG_SENTENCE = 35  # words
_FIRST_PERSON = frozenset({"я", "мы"})  # «Понравилось ли мне?» is the writer asking themself
_ASKING = re.compile(r"подскаж(?:ите|и|ете)\b|узнать|интересует", re.IGNORECASE)
_QUOTED = re.compile(r"[\"«„“][^\"«»„“”]*[\"»“”]")


def _unquoted(sentence: str) -> str:
    return _QUOTED.sub(" ", sentence)


class QuestionComponent:
    name = "questions"

    def __init__(self, custom: PatternSet | None = None) -> None:
        self.custom = custom

    def run(self, batch: Batch) -> None:
        res = batch.res
        lem = res.lemmatizer
        for item, an in zip(batch.items, batch.results, strict=True):
            is_qa = item.kind == ItemKind.QUESTION
            found: list[str] = []
            topics: list[str] = []
            for sent in sentences(item.text or item.full_text):
                lemmas = lem.lemmas(sent)
                kinds = {m.key: m.start for m in res.question_openers.find(lemmas)}
                # «?» inside quotes is someone's words retold («говорят "Как???"»), not a question to us
                asks = "?" in _unquoted(sent) and "rhetorical" not in kinds
                yes_no = ("ли" in lemmas or "можно" in lemmas) and not _FIRST_PERSON & set(lemmas)
                if asks and not is_qa and (len(sent.split()) > LONG_SENTENCE
                                           or not ("direct" in kinds or "address" in kinds or yes_no)):
                    # a «?» at the end of a long retelling («…можно вас?») quotes the scene, and one
                    # that neither speaks to the business nor asks for an answer is rhetoric
                    asks = False
                if not asks and "inside" in kinds and _ASKING.search(sent):
                    asks = True  # «подскажите…» asks; «знакомые подсказали» tells
                if not asks and "opener" in kinds and kinds["opener"] == 0 and is_qa:
                    asks = True
                if not asks:
                    continue
                found.append(sent)
                for key in self._topics(lemmas, batch):
                    if key not in topics:
                        topics.append(key)
            if is_qa and not found and item.text.strip():
                found = [item.text.strip()]
                topics = self._topics(lem.lemmas(item.text), batch)
            an.questions = found
            an.question_topics = topics
            an.is_question = is_qa or bool(found)

    def _topics(self, lemmas: list[str], batch: Batch) -> list[str]:
        res = batch.res
        out: list[str] = []
        sets = [res.question_topics, res.aspect_negative, res.aspect_positive, res.aspect_terms]
        if self.custom is not None:
            sets.append(self.custom)
        for ps in sets:
            for m in ps.find(lemmas):
                if m.key not in out:
                    out.append(m.key)
        return out
