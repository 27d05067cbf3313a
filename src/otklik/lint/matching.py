"""Matching on lemmas: a reply's words are reduced to lemmas with pymorphy3, so one pattern
covers all word forms. Patterns live in ``data/patterns.yaml``; they are lemmatised on load."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from otklik.compose.morph import Morph

_TOKEN = re.compile(r"[A-Za-zА-Яа-яЁё0-9]+")
MAX_GAP = 2  # other words allowed between the words of a phrase


@dataclass
class Tokens:
    """A text as words and their lemmas, with the character span of each word."""

    words: list[str]
    lemmas: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)
    _set: frozenset[str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, text: str, morph: Morph) -> Tokens:
        ms = list(_TOKEN.finditer(text))
        words = [m.group(0) for m in ms]
        return cls(words, [morph.lemma(w) for w in words], [m.span() for m in ms])

    @property
    def lemma_set(self) -> frozenset[str]:
        if self._set is None:
            self._set = frozenset(self.lemmas)
        return self._set


def find_phrase(tokens: Tokens, phrase: list[str], *, negatable: bool = False) -> tuple[int, int] | None:
    """(first, last) word index of a match of a lemma phrase (gaps ≤ MAX_GAP), or None.

    With ``negatable``, a match right after «не»/«нельзя» does not count («не можем вернуть»)."""
    if not phrase or not tokens.lemma_set.issuperset(phrase):
        return None  # a word of the phrase is missing: no need to scan
    lem = tokens.lemmas
    n = len(lem)
    for start in range(n):
        if lem[start] != phrase[0]:
            continue
        pos, ok = start, True
        for word in phrase[1:]:
            nxt = next((j for j in range(pos + 1, min(n, pos + 2 + MAX_GAP)) if lem[j] == word), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if not ok:
            continue
        if negatable and any(x in ("не", "нельзя") for x in lem[max(0, start - 3) : start]):
            continue
        return start, pos
    return None


class Patterns:
    """The linter's pattern data, lemmatised once per instance."""

    def __init__(self, morph: Morph, path: Path | None = None) -> None:
        self.morph = morph
        self.path = path or Path(__file__).parent / "data" / "patterns.yaml"
        self._words: dict[str, frozenset[str]] = {}
        self._regexes: dict[str, list[re.Pattern[str]]] = {}

    @cached_property
    def raw(self) -> dict[str, Any]:
        data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}

    def phrases(self, group: str) -> list[tuple[str, list[str]]]:
        entry = self.raw.get(group, {})
        items = entry.get("phrases", []) if isinstance(entry, dict) else []
        return [(p, self.morph.lemmas(p)) for p in items]

    def regexes(self, group: str) -> list[re.Pattern[str]]:
        cached = self._regexes.get(group)
        if cached is None:
            entry = self.raw.get(group, {})
            items = entry.get("regex", []) if isinstance(entry, dict) else []
            cached = self._regexes[group] = [re.compile(p, re.IGNORECASE) for p in items]
        return cached

    def words(self, group: str) -> frozenset[str]:
        cached = self._words.get(group)
        if cached is None:
            cached = self._words[group] = frozenset(self.morph.lemma(w) for w in self.raw.get(group, []))
        return cached

    @cached_property
    def attack(self) -> list[tuple[str, list[str]]]:
        return self.phrases("attack")

    @cached_property
    def delete_demand(self) -> list[tuple[str, list[str]]]:
        return self.phrases("delete_demand")

    @cached_property
    def fake_accusation(self) -> list[tuple[str, list[str]]]:
        return self.phrases("fake_accusation")

    @cached_property
    def remedy_types(self) -> dict[str, list[tuple[str, list[str]]]]:
        out: dict[str, list[tuple[str, list[str]]]] = {}
        for kind, entry in self.raw.get("remedy_types", {}).items():
            out[kind] = [(p, self.morph.lemmas(p)) for p in entry.get("phrases", [])]
        return out

    @cached_property
    def placeholders(self) -> list[re.Pattern[str]]:
        return [re.compile(p, re.IGNORECASE) for p in self.raw.get("placeholders", [])]

    @cached_property
    def caps_allow(self) -> set[str]:
        return {w.upper() for w in self.raw.get("caps_allow", [])}

    def first_match(self, tokens: Tokens, text: str, group: str) -> str | None:
        """The first phrase or regex of a group found in the text, as the words found."""
        for _phrase, lemmas in getattr(self, group):
            found = find_phrase(tokens, lemmas)
            if found is not None:
                return " ".join(tokens.words[found[0] : found[1] + 1])
        low = text.lower()
        for rx in self.regexes(group):
            m = rx.search(low)
            if m:
                return m.group(0)
        return None
