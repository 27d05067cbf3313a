"""Concrete details of a visit, found in the review for the reply to name (R-SPECIFIC).

A venue review is full of things a good manager answers to, and a generic reply ignores: the
occasion («отмечали день рождения»), the employee thanked by name («менеджеру Екатерине спасибо»),
the dishes praised («очень вкусные хачапури»). Each is taken only where the text says it plainly
and in the writer's own clause; anything unsure is left out, so a detail is never invented.
The lexicons live in ``phrases/details.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PHRASES_DIR
from otklik.datafiles import load_yaml_mapping
from otklik.errors import ComposeError
from otklik.understand.resources import read_yaml

_CLAUSE = re.compile(r"[.!?;()\n]+|,\s*(?:но|а|однако)\s|\s(?:но|однако)\s")
_TOKEN = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")
_NEGATORS = frozenset({"не", "нет", "ни", "никакой"})


@dataclass
class Details:
    occasion: str | None = None  # «день рождения», nominative
    staff: list[str] = field(default_factory=list)  # first names of thanked employees, nominative
    dishes: list[str] = field(default_factory=list)  # praised dishes as written, nominative, at most two


NOMINATIVE_MIN = 0.25  # a nominative reading at least this likely is taken as written


class DetailFinder:
    def __init__(self, morph: Morph, data: dict[str, Any] | None = None) -> None:
        self.morph = morph
        if data is not None:
            self.data = data

    @cached_property
    def data(self) -> dict[str, Any]:
        return load_yaml_mapping(PHRASES_DIR / "details.yaml", ComposeError, "phrase bank")

    @cached_property
    def negative(self) -> set[str]:
        """One-word complaint cues of the analyser («нахамить», «холодный»): a clause with one is no praise."""
        pats = read_yaml("patterns.yaml")
        words = [*pats["sentiment_cues"]["negative"], *pats["problem_cues"], *self.data.get("negative", [])]
        return {w for w in words if " " not in w} | _NEGATORS

    def _lemmas(self, key: str) -> set[str]:
        return {self.morph.lemma(w) for w in self.data.get(key, [])}

    def find(self, text: str, *, food_praised: bool, staff_praised: bool) -> Details:
        out = Details()
        occasions = {tuple(k.split()): v for k, v in self.data.get("occasions", {}).items()}
        verbs, roles = self._lemmas("occasion_verbs"), self._lemmas("staff_roles")
        thanks, dishes = self._lemmas("thanks_words"), self._lemmas("dishes")
        praise = self._lemmas("dish_praise")
        for clause in _CLAUSE.split(text):
            words = _TOKEN.findall(clause)
            lemmas = [self.morph.lemma(w) for w in words]
            if out.occasion is None and set(lemmas) & verbs:
                for i in range(len(lemmas)):
                    for key, phrase in occasions.items():
                        if tuple(lemmas[i : i + len(key)]) == key:
                            out.occasion = phrase
            negative = bool(set(lemmas) & self.negative)
            if staff_praised and not negative:
                for i, w in enumerate(words):
                    near = set(lemmas[max(0, i - 2) : i + 3])
                    if w[:1].isupper() and i > 0 and (near & roles or near & thanks):
                        name = self._first_name(w)
                        if name and name not in out.staff:
                            out.staff.append(name)
            if food_praised and not negative and set(lemmas) & praise:
                for w, lem in zip(words, lemmas, strict=True):
                    if lem in dishes and len(out.dishes) < 2:
                        nomn = self._nominative(w)
                        if nomn and self.morph.lemma(nomn) not in {self.morph.lemma(d) for d in out.dishes}:
                            out.dishes.append(nomn)
        return out

    def _first_name(self, word: str) -> str | None:
        for p in self.morph.parse(word.lower()):
            if "Name" in p.tag and p.score >= 0.2:
                return str(p.normal_form).capitalize()
        return None

    def _nominative(self, word: str) -> str | None:
        low = word.lower()
        if low in self.data.get("dishes", []):
            return low  # «сашими», «суши»: the lexicon's own spelling
        parses = [p for p in self.morph.parse(low) if p.tag.POS == "NOUN"]
        if not parses:
            return None
        top = parses[0]
        # «баранины», «вина», «форели» are far likelier genitive singular than a plural → «баранина», «вино»,
        # «форель»; a plausible nominative of the same noun («устрицы», «курицы») stays as written
        if top.tag.case == "nomn" or any("Fixd" in p.tag for p in parses) or any(
                p.tag.case == "nomn" and p.normal_form == top.normal_form and p.score >= NOMINATIVE_MIN for p in parses):
            return low
        for p in parses[:1]:
            if p.tag.POS == "NOUN":
                form = p.inflect({"nomn", "plur" if p.tag.number == "plur" else "sing"})
                return str(form.word) if form is not None else None
        return None

    def dative(self, name: str) -> str:
        for p in self.morph.parse(name.lower()):
            if "Name" in p.tag:
                form = p.inflect({"datv"})
                if form is not None:
                    return str(form.word).capitalize()
        return name
