"""The concrete things a customer praised, in their own words, for the reply to name (R-SPECIFIC).

«Небольшая, но звук достойный. Подсветка прикалывает», «упаковка суперская», «ткань приятная к телу»:
a stock «рады, что покупка понравилась» ignores all of it. Here a noun is taken only where the
customer's own clause pairs it with a word of praise («звук достойный», «классная подсветка»,
«подсветка радует») and the clause holds no complaint or negation; the reply then names it
(«Спасибо, что отметили звук и подсветку»). The product itself, people and vague words («всё»,
«впечатление») are never taken. Lexicons live in ``phrases/noted.yaml``.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PHRASES_DIR
from otklik.datafiles import load_yaml_mapping
from otklik.errors import ComposeError
from otklik.understand.resources import read_yaml

_CLAUSE = re.compile(r"[.!?;:()\n]+|,|\s[-–—]\s|\s(?:но|а|однако|хотя)\s")
_TOKEN = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")
MAX_NOTED = 2
WINDOW = 3  # the praise word stands this close to its noun («звук очень достойный», «звук и громкость супер»)


_SUCCEEDED = frozenset({"удаться", "смочь", "получиться"})


class NotedFinder:
    def __init__(self, morph: Morph, data: dict[str, Any] | None = None) -> None:
        self.morph = morph
        if data is not None:
            self.data = data

    @cached_property
    def data(self) -> dict[str, Any]:
        return load_yaml_mapping(PHRASES_DIR / "noted.yaml", ComposeError, "phrase bank")

    @cached_property
    def praise(self) -> set[str]:
        """Lemmas and every inflected form of the praise words (pymorphy3 guesses odd lemmas for slang:
        «суперская» → «суперскай», so the forms are matched as written too)."""
        cues = read_yaml("patterns.yaml")["sentiment_cues"]["positive"]
        out: set[str] = set()
        for w in [*cues, *self.data.get("praise", [])]:
            if " " in w:
                continue
            out.add(self.morph.lemma(w))
            out |= {str(f.word) for f in self.morph.parse(w)[0].lexeme}
        out -= {x for w in self.data.get("not_praise", [])
                for x in (w, self.morph.lemma(w), *(str(f.word) for f in self.morph.parse(w)[0].lexeme))}
        return out | set(self.data.get("praise_forms", []))

    @cached_property
    def negative(self) -> set[str]:
        pats = read_yaml("patterns.yaml")
        words = [*pats["sentiment_cues"]["negative"], *pats["problem_cues"], *self.data.get("negative", [])]
        return {self.morph.lemma(w) for w in words if " " not in w} | {"не", "нет", "ни", "но", "только", "бы"}

    @cached_property
    def skip(self) -> set[str]:
        return {self.morph.lemma(w) for w in self.data.get("skip", [])}

    def find(self, text: str, *, exclude: set[str] = frozenset(), only: set[str] | None = None) -> list[str]:  # type: ignore[assignment]
        """Nouns (nominative, as the customer spelled them) praised in the customer's own clauses.

        ``exclude``: lemmas not to take (the product's own name, what the reply already says);
        ``only``: when given, the lemmas that may be taken (a venue: what the analysis found praised)."""
        out: list[str] = []
        seen: set[str] = set()
        for clause in _CLAUSE.split(text):
            words = _TOKEN.findall(clause)
            if not words or len(words) > 8:
                continue  # a long clause is a story, not a verdict on one thing
            lemmas = [self.morph.lemma(w.lower()) for w in words]
            if set(lemmas) & self.negative:
                continue
            praised = [i for i, (w, lem) in enumerate(zip(words, lemmas, strict=True))
                       if lem in self.praise or w.lower() in self.praise]
            if not praised:
                continue
            for i, (w, lem) in enumerate(zip(words, lemmas, strict=True)):
                if lem in seen or lem in exclude or lem in self.skip or i in praised or (only is not None and lem not in only):
                    continue
                if not any(abs(i - j) <= WINDOW for j in praised):
                    continue
                if i > 0 and self.morph.parse(words[i - 1].lower())[0].tag.POS == "NOUN":
                    # «качество звука лучше»: the quality of the sound is the sound's praise; any other noun
                    # after a noun is its genitive, not what was praised («цвет рубашки»)
                    if lemmas[i - 1] in self.skip and lemmas[i - 1] in {"качество", "уровень"} and lem not in self.skip:
                        nomn = self._nominative_of(w)
                        if nomn:
                            out.append(nomn)
                            seen.add(lem)
                            if len(out) >= MAX_NOTED:
                                return out
                    continue
                noun = self._nominative_noun(w)
                if noun is not None:
                    out.append(noun)
                    seen.add(lem)
                    if len(out) >= MAX_NOTED:
                        return out
        return out

    def _nominative_of(self, word: str) -> str | None:
        """«звука» → «звук»: a known inanimate common noun in its nominative singular."""
        p = next((x for x in self.morph.parse(word.lower()) if x.tag.POS == "NOUN" and x.tag.animacy == "inan"), None)
        if p is None or not self.morph.analyzer.word_is_known(word.lower()):
            return None
        form = p.inflect({"nomn", p.tag.number or "sing"})
        return str(form.word) if form is not None else None

    def _nominative_noun(self, word: str) -> str | None:
        """The word when its likeliest reading is a common noun in the nominative («звук», «подсветка»)."""
        low = word.lower()
        parses = self.morph.parse(low)
        top = parses[0]
        nomn = [p for p in parses if p.tag.POS == "NOUN" and p.tag.case == "nomn" and p.score >= 0.2]
        if top.tag.POS != "NOUN" or not nomn:  # «пуговицы» reads genitive first, nominative too
            return None
        if top.tag.animacy != "inan":  # people («соседи довольны», «хорошая девчонка») are not what was noted
            return None
        if {"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"} & set(str(top.tag).replace(" ", ",").split(",")):
            return None
        if not self.morph.analyzer.word_is_known(low) or len(low) < 3:
            return None
        return low


    def setup(self, text: str) -> tuple[str, str] | None:
        """(infinitive, how) when the customer says setting the product up was easy («легко и быстро
        настроили» → ("настроить", "легко и быстро")), in a clause with no complaint."""
        imperfective: dict[str, str] = self.data.get("setup_imperfective", {})
        verbs = {self.morph.lemma(v) for v in self.data.get("setup_verbs", [])} | set(imperfective)
        ease = sorted(self.data.get("ease_words", []), key=len, reverse=True)
        for clause in _CLAUSE.split(text.replace(",", " , ")):
            low = clause.lower()
            words = _TOKEN.findall(low)
            if not words or len(words) > 12:
                continue
            lemmas = [self.morph.lemma(w) for w in words]
            rest = low
            for e in ease:  # «без проблем» is praise here, not a complaint word
                rest = re.sub(rf"(?<![а-яё]){e}(?![а-яё])", " ", rest)
            if {self.morph.lemma(w) for w in _TOKEN.findall(rest)} & self.negative:
                continue
            verb = next((lem for i, (w, lem) in enumerate(zip(words, lemmas, strict=True))
                         if lem in verbs and (self.morph.parse(w)[0].tag.tense in ("past", "pres") or (
                             # «удалось подключить», «смог быстро настроить»: the infinitive after a verb of success
                             self.morph.parse(w)[0].tag.POS == "INFN"
                             and set(lemmas[max(0, i - 3) : i]) & _SUCCEEDED))), None)
            if verb is None:
                continue
            found = [e for e in ease if re.search(rf"(?<![а-яё]){e}(?![а-яё])", low)]
            found = [e for e in found if not any(e != o and e in o for o in found)]
            if not found:
                continue
            found.sort(key=lambda e: low.index(e))
            how = " и ".join(found[:2])
            # «подключилась», «настроились»: the thing is the object in the reply («колонку удалось настроить»)
            verb = imperfective.get(verb, verb)
            verb = re.sub(r"(ся|сь)$", "", verb) if self.morph.parse(re.sub(r"(ся|сь)$", "", verb))[0].tag.POS == "INFN" else verb
            return verb, how
        return None
