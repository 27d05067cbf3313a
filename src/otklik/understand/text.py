"""Text plumbing shared by training and the analyser: normalisation, tokens, clauses, lemmas.

Lemmas come from pymorphy3 (pymorphy3-dicts-ru), cached per ``Lemmatizer`` instance, so word
forms («маломерят», «маломерит») match one taxonomy entry and repeated words cost one parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

_URL = re.compile(r"https?://\S+|www\.\S+")
_USER = re.compile(r"@\w+")
_REPEAT = re.compile(r"(.)\1{2,}")
TOKEN = re.compile(r"[a-zа-яё0-9]+(?:-[a-zа-яё0-9]+)*", re.IGNORECASE)
_SENT = re.compile(r"(?<=[.!?…])\s+|\n+")
# Clause boundaries: contrast markers start a new clause (praise and complaint in one sentence);
# so does «, жаль…» («цена приятная, жаль подписки нет»).
_CLAUSE = re.compile(
    r";\s+|(?:,\s*|\s+)(?=(?:но|однако|зато|правда|только вот|а вот|хотя|хоть|к сожалению|единственн(?:ый|ое|ая|о)|из минусов)\b)"
    r"|,\s*(?=жаль\b)|(?<=[.!?…)])\s+|\n+",
    re.IGNORECASE,
)


def normalize(text: str) -> str:
    """Lower-case, ё→е, URLs and @mentions to placeholders, long letter repeats cut to two."""
    s = _URL.sub(" url ", text)
    s = _USER.sub(" user ", s)
    s = s.lower().replace("ё", "е")
    return _REPEAT.sub(r"\1\1", s)


def tokens(text: str) -> list[str]:
    return [t.lower().replace("ё", "е") for t in TOKEN.findall(text)]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.split(text) if s and s.strip()]


def clauses(text: str) -> list[str]:
    return [c.strip(" ,") for c in _CLAUSE.split(text) if c and c.strip(" ,.")]


# pymorphy3's first parse that would split one review word in two: «большая» → «больший»
_LEMMA_FIX = {"больший": "большой"}


class Lemmatizer:
    """pymorphy3 normal forms with an instance cache (no import-time work)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}
        self._known: dict[str, bool] = {}

    @cached_property
    def morph(self) -> Any:
        import pymorphy3

        return pymorphy3.MorphAnalyzer()

    def lemma(self, word: str) -> str:
        w = word.lower().replace("ё", "е")
        hit = self._cache.get(w)
        if hit is None:
            hit = w if w.isascii() or w.isdigit() else self._normal(w)
            hit = _LEMMA_FIX.get(hit, hit)
            self._cache[w] = hit
        return hit

    def _normal(self, w: str) -> str:
        """The first parse's normal form — unless the word is itself a dictionary form: «дорогой»
        is «expensive», not «by road» (which would make every road a price complaint)."""
        parses = self.morph.parse(w)
        for p in parses[:4]:
            if p.normal_form.replace("ё", "е") == w:
                return w
        return parses[0].normal_form.replace("ё", "е")

    def is_known(self, word: str) -> bool:
        """Is the word in the dictionary (not a typo, slang or a transliteration)?"""
        hit = self._known.get(word)
        if hit is None:
            hit = self._known[word] = bool(self.morph.word_is_known(word))
        return hit

    def lemmas(self, text: str) -> list[str]:
        return [self.lemma(t) for t in tokens(text)]


@dataclass(slots=True)
class Doc:
    """One item's text, split once and shared by all components."""

    text: str
    clauses: list[str] = field(default_factory=list)
    clause_lemmas: list[list[str]] = field(default_factory=list)
    clause_tokens: list[list[str]] = field(default_factory=list)

    @property
    def lemmas(self) -> list[str]:
        return [lem for cl in self.clause_lemmas for lem in cl]


def make_doc(text: str, lemmatizer: Lemmatizer) -> Doc:
    cls = clauses(text)
    toks = [tokens(c) for c in cls]
    return Doc(text=text, clauses=cls, clause_tokens=toks, clause_lemmas=[[lemmatizer.lemma(t) for t in ts] for ts in toks])
