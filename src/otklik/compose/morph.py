"""Russian morphology for replies: inflect noun phrases and make words agree with them.

Replies must say «за отзыв о рубашке», «рады, что брюки подошли», «рубашка подошла» — so product
names and aspect nouns are parsed with pymorphy3: the head noun and the adjectives before it are
inflected into the case a phrase needs; verbs and adjectives of a template agree in gender and
number with the head noun. Words after the head («оверсайз из льна») stay as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_FIXED_PREFIXES = {"бизнес", "онлайн", "экспресс", "мини", "макси", "топ", "фитнес", "спорт", "арт", "поло"}
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


@dataclass(frozen=True, slots=True)
class Agreement:
    """Gender and number of a noun phrase's head, for agreeing verbs and adjectives."""

    gender: str | None  # "masc", "femn", "neut" or None (plural-only / unknown)
    plural: bool
    animate: bool = False


# things sold and worn in pairs: «кроссовки подошли», never «кроссовка подошла»
_PAIRED = frozenset({"сапог", "кроссовок", "кроссовка", "ботинок", "туфля", "кед", "кеда", "носок", "гольф", "перчатка",
                     "варежка", "наушник", "серьга", "тапок", "тапочка", "босоножка", "сандалия", "бутса", "лыжа",
                     "коньки", "конёк", "конек", "шлепанец", "шлёпанец", "валенок", "угги", "чешка", "бахила"})


class Morph:
    """A lazily created pymorphy3 analyser with caches; one per Composer / linter, never global."""

    def __init__(self) -> None:
        self._analyzer: Any = None
        self._lemma = lru_cache(maxsize=50_000)(self._lemma_uncached)
        self.parse = lru_cache(maxsize=20_000)(self._parse_uncached)
        self.inflect_phrase = lru_cache(maxsize=20_000)(self._inflect_phrase_uncached)  # type: ignore[method-assign]
        self.agree = lru_cache(maxsize=20_000)(self._agree_uncached)  # type: ignore[method-assign]
        self.lemma_line = lru_cache(maxsize=4_096)(self._lemma_line_uncached)  # type: ignore[method-assign]

    def _parse_uncached(self, word: str) -> tuple[Any, ...]:
        return tuple(self.analyzer.parse(word))

    @property
    def analyzer(self) -> Any:
        if self._analyzer is None:
            import pymorphy3

            self._analyzer = pymorphy3.MorphAnalyzer()
        return self._analyzer

    # -- lemmas -------------------------------------------------------------------------
    def _lemma_uncached(self, word: str) -> str:
        w = word.lower().replace("ё", "е")
        if not re.search(r"[а-я]", w):
            return w
        return str(self.parse(w)[0].normal_form).replace("ё", "е")

    def lemma(self, word: str) -> str:
        return self._lemma(word)

    def _lemma_line_uncached(self, text: str) -> str:
        return " " + " ".join(self.lemmas(text)) + " "

    def lemma_line(self, text: str) -> str:
        """« lemma lemma … » with spaces at both ends, for cue look-ups by substring (cached per text)."""
        return self._lemma_line_uncached(text)

    def lemmas(self, text: str) -> list[str]:
        """Lemmas of all words (Cyrillic via pymorphy3, Latin and digits lowercased)."""
        return [self._lemma(w) for w in re.findall(r"[A-Za-zА-Яа-яЁё0-9]+", text)]

    def tag(self, word: str) -> Any:
        return self.parse(word)[0].tag

    def is_name(self, word: str) -> tuple[bool, str | None]:
        """Whether a word is a first name (with a reasonable score), and the name's gender."""
        for p in self.parse(word):
            if "Name" in p.tag and p.score >= 0.2:
                g = "f" if "femn" in p.tag else "m" if "masc" in p.tag else None
                return True, g
        return False, None

    # -- noun phrases -------------------------------------------------------------------
    def _nomn_parse(self, word: str, pos: set[str]) -> Any:
        found = [p for p in self.parse(word) if p.tag.POS in pos and p.tag.case == "nomn"]
        inanimate = [p for p in found if p.tag.animacy != "anim" or "Name" in p.tag]
        return (inanimate or found or [None])[0]

    def _head_index(self, words: list[str]) -> int | None:
        for i, w in enumerate(words):
            if not _WORD.fullmatch(w):
                continue
            part = w.split("-")[0] if w.split("-")[0].lower() not in _FIXED_PREFIXES else w.split("-")[-1]
            if self._nomn_parse(part.lower(), {"NOUN"}) is not None:
                return i
        return None

    def agreement(self, phrase: str) -> Agreement:
        if " и " in phrase:  # «мясо и десерты»: coordinated nouns take the plural
            return Agreement(None, True, False)
        words = phrase.split()
        i = self._head_index(words)
        if i is None:
            return Agreement("masc", False)
        w = words[i].lower()
        parts = w.split("-")
        part = parts[-1] if parts[0] in _FIXED_PREFIXES else parts[0]
        p = self._nomn_parse(part, {"NOUN"})
        tag = p.tag
        plural = tag.number == "plur"
        gender = None if plural else (tag.gender if tag.gender in ("masc", "femn", "neut") else "masc")
        return Agreement(gender, plural, False)  # products and aspects are things

    def _inflect_word(self, word: str, case: str, pos: set[str], agr: Agreement) -> str:
        if case == "nomn":
            return word
        parts = word.split("-")
        out = []
        for j, part in enumerate(parts):
            if len(parts) > 1 and part.lower() in _FIXED_PREFIXES and j < len(parts) - 1:
                out.append(part)
                continue
            p = self._nomn_parse(part.lower(), pos)
            if p is None:
                out.append(part)
                continue
            grams = {case}
            if p.tag.POS == "NOUN" and case == "accs" and (p.tag.gender != "femn" or p.tag.number == "plur"):
                out.append(part)  # inanimate masculine/neuter/plural: accusative = nominative
                continue
            if p.tag.POS in ("ADJF", "PRTF"):
                grams |= {"plur"} if agr.plural else {agr.gender or "masc", "sing"}
                if case == "accs" and (agr.plural or agr.gender == "masc"):
                    grams.add("anim" if agr.animate else "inan")
            elif p.tag.number == "plur":
                grams.add("plur")
            inflected = p.inflect(grams)
            new = inflected.word if inflected is not None else part.lower()
            out.append(_match_case(part, new))
        return "-".join(out)

    def _inflect_phrase_uncached(self, phrase: str, case: str) -> str:
        """Inflect a noun phrase: adjectives before the head and the head itself; the rest stays."""
        if case not in CASES:
            raise ValueError(f"unknown case {case!r}")
        words = phrase.split()
        i = self._head_index(words)
        if i is None or case == "nomn":
            return phrase
        agr = self.agreement(phrase)
        out = list(words)
        for j in range(i):
            if _WORD.fullmatch(words[j]):
                out[j] = self._inflect_word(words[j], case, {"ADJF", "PRTF"}, agr)
        out[i] = self._inflect_word(words[i], case, {"NOUN"}, agr)
        for j in range(i + 1, len(words)):  # «блузка женская белая»: trailing adjectives agree too
            if not _WORD.fullmatch(words[j]) or self._nomn_parse(words[j].lower(), {"ADJF", "PRTF"}) is None:
                break
            out[j] = self._inflect_word(words[j], case, {"ADJF", "PRTF"}, agr)
        return " ".join(out)

    def head_noun(self, phrase: str) -> str:
        """The head noun of a phrase with its adjectives, e.g. «домашний хлеб» of «домашний хлеб из печи»."""
        words = phrase.split()
        i = self._head_index(words)
        if i is None:
            return phrase
        start = i
        while start > 0 and self._nomn_parse(words[start - 1].lower(), {"ADJF", "PRTF"}) is not None:
            start -= 1
        return " ".join(words[start : i + 1])

    def singular(self, noun: str) -> str:
        """A category in the plural («Рубашки», «Блузки») as one thing («рубашка»); nouns with no
        singular («брюки», «джинсы») and anything unparsed stay as they are."""
        word = noun.strip()
        if not _WORD.fullmatch(word) or " " in word or self.lemma(word.lower()) in _PAIRED:
            return noun
        for p in self.parse(word.lower()):
            if p.tag.POS == "NOUN" and p.tag.number == "plur" and p.tag.case == "nomn" and "Pltm" not in p.tag:
                one = p.inflect({"sing", "nomn"})
                return one.word if one is not None else noun
        return noun

    def inflect_phrase(self, phrase: str, case: str) -> str:  # replaced by a cached version per instance
        return self._inflect_phrase_uncached(phrase, case)

    def agree(self, word: str, agr: Agreement) -> str:  # replaced by a cached version per instance
        return self._agree_uncached(word, agr)

    def _agree_uncached(self, word: str, agr: Agreement) -> str:
        """Make a verb (past tense or 3rd person) or adjective agree with a noun phrase."""
        parses = self.parse(word.lower())
        fitting = [x for x in parses if x.tag.POS in ("VERB", "ADJF", "ADJS", "PRTF", "PRTS")]
        # templates give words in the masculine singular: prefer that reading («такой» = nomn, not femn gent)
        fitting.sort(key=lambda x: (x.tag.gender != "masc" or x.tag.number != "sing", x.tag.case not in (None, "nomn")))
        p = fitting[0] if fitting else parses[0]
        grams = {"plur"} if agr.plural else {agr.gender or "masc", "sing"}
        if p.tag.POS == "VERB" and p.tag.tense != "past":
            grams = {"plur"} if agr.plural else {"sing"}
        if p.tag.POS in ("ADJF", "PRTF") and p.tag.case:
            grams.add(p.tag.case)
        inflected = p.inflect(grams)
        return _match_case(word, inflected.word if inflected is not None else word)


def _match_case(template: str, word: str) -> str:
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
