"""The customer's own words, re-inflected into a clause a reply can use after «рады, что…» / «простите, что…».

An aspect's evidence is the span of the review that triggered it («села идеально», «ткань приятная»,
«маломерят», «дыркой на рукаве»). A reply that names it in the customer's terms is specific; one that
mangles it is worse than the aspect's stock phrase. So only shapes whose grammar is sure are used:

* a subject with its predicate, after the noun («ткань приятная», «швы разошлись») — as written;
* a predicate without a subject («села идеально», «маломерят», «не подключается») — the product
  becomes the subject and the verb agrees with it («брюки маломерят», «рубашка маломерит»);
* an adjective without a noun («приятная к телу») — agreed with the product;
* «с» + a noun in the instrumental, for a complaint («с дыркой на рукаве») — «{thing} пришла с …»;
* «не хватает» + what is missing, for a complaint («не хватает баса») — «колонке не хватает баса».

Anything else (first person, names, typos, Latin, numbers, long fragments) gives None, and the
composer uses the aspect's phrase instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from otklik.compose.morph import Morph

_TOKEN = re.compile(r"[а-яё]+(?:-[а-яё]+)*")
_PERSONAL = frozenset({"я", "мне", "меня", "мной", "мы", "нам", "нас", "нами", "мой", "моя", "моё", "мое", "мои",
                       "ты", "тебе", "вы", "вам", "вас", "ваш", "ваша", "ваши", "свой", "своя", "свои", "он", "она",
                       "оно", "они", "его", "её", "ее", "их", "это", "этот", "эта", "всё", "все", "весь"})
_LINKS = frozenset({"не", "очень", "так", "слишком", "совсем", "чуть", "немного", "вообще", "идеально", "отлично",
                    "хорошо", "быстро", "плохо", "сразу"})
_PREPS = frozenset({"в", "во", "на", "по", "с", "со", "к", "ко", "у", "о", "об", "от", "до", "из", "за", "при", "для"})
_IMPERSONAL = frozenset({"хватать", "хватить", "приходиться", "прийтись", "казаться", "удаваться", "получаться",
                         "нравиться", "понравиться", "стоить"})
_NEEDS_COMPLEMENT = frozenset({"соответствовать", "отличаться", "совпадать", "напоминать", "походить"})
# a verb that alone reads two ways («рубашка села» = it fits, or it shrank) or says nothing («колонка звучит»):
# said back only with more words
_AMBIGUOUS_ALONE = frozenset({"сесть", "садиться", "звучать", "работать", "выглядеть", "смотреться"})
# the customer's rough words are theirs: a business never says back «колонка тупая» or «барахло»
_RUDE = frozenset({"тупой", "тупить", "тупо", "дебильный", "идиотский", "отстойный", "отстой", "говно", "дерьмо",
                   "хрень", "фигня", "убогий", "мерзкий", "отвратный", "позорный", "лажа", "хлам", "мусор",
                   "барахло", "шлак", "кал", "развод", "лохотрон", "кидалово"})
# a size adjective's short form says "too …" («юбка длинна» = too long, «мала» = too small): never praise
_TOO_WHEN_SHORT = frozenset({"длинный", "короткий", "большой", "маленький", "малый", "великий", "широкий", "узкий",
                             "тесный", "высокий", "низкий", "тяжёлый", "тяжелый", "толстый", "тонкий"})
MAX_WORDS = 5


@dataclass(frozen=True, slots=True)
class EvidenceClause:
    text: str  # the clause, lower case, ready after «что»
    shape: str  # "subject", "predicate", "adjective", "with"


class EvidencePhrases:
    """Turns an aspect's evidence into a safe clause, or None."""

    def __init__(self, morph: Morph) -> None:
        self.morph = morph
        self._clause = lru_cache(maxsize=20_000)(self._clause_uncached)

    def clause(
        self, evidence: str, kind: str, thing: str | None, *, product_subject: bool = True, with_noun: bool = False
    ) -> EvidenceClause | None:
        """A clause for a praise (``kind="praise"``) or complaint of ``thing`` (the product's head noun).

        ``product_subject=False``: the aspect is not about the product itself (service, food, waiting), so
        the product never becomes the subject of the customer's words. ``with_noun``: a bare noun of a
        complaint is what the product came with («пятно» → «платье пришло с пятном»)."""
        return self._clause(evidence.strip().lower(), kind, thing if product_subject and thing else "", with_noun)

    # -- internals ------------------------------------------------------------------------
    def _best(self, word: str) -> Any:
        """The likeliest parse, but a verb reading wins when there is one («села» = сесть, not село)."""
        parses = self.morph.parse(word)
        top = parses[0]
        if top.tag.POS == "NOUN" and top.tag.case == "nomn":
            return top  # «запах» is the smell, not «запахнуть»
        verb = next((p for p in parses if p.tag.POS == "VERB" and p.score >= 0.1), None)
        if verb is not None:
            return verb
        # «качество», «качественные»: the nominative reading of the same word, when there is one
        nomn = next((p for p in parses if p.tag.POS == top.tag.POS and p.tag.case == "nomn"), None)
        return nomn or top

    def _known(self, word: str) -> bool:
        if len(word) < 2:
            return word in ("с", "в", "к", "у", "о")
        if self.morph.analyzer.word_is_known(word):
            return True
        p = self.morph.parse(word)[0]  # marketplace verbs the dictionary lacks: «маломерит», «большемерят»
        return p.tag.POS == "VERB" and p.tag.person == "3per" and p.tag.tense == "pres"

    def _clause_uncached(self, evidence: str, kind: str, thing: str, with_noun: bool) -> EvidenceClause | None:
        fragments = [f.strip() for f in re.split(r"[,;:]|\s+(?:но|а)\s+", evidence) if f.strip()]
        # a bare noun among the fragments («еда, вкусная», «атмосфера, уютная»): the other words are about it
        bare = [f for f in fragments if len(f.split()) == 1 and self._best(f).tag.POS == "NOUN"
                and self._best(f).tag.case == "nomn" and "Name" not in self._best(f).tag and self._known(f)]
        for noun, nxt in zip(fragments, fragments[1:], strict=False):
            if noun in bare and len(nxt.split()) == 1:
                n, a = self._best(noun), self._best(nxt)
                if a.tag.POS in ("ADJF", "ADJS") and a.tag.case in (None, "nomn") and n.tag.case == "nomn" \
                        and self._agrees(a, n) and self._known(nxt):
                    return EvidenceClause(f"{noun} {nxt}", "subject")  # «атмосфера уютная»
        if bare and with_noun and kind == "complaint" and thing:
            noun = self.morph.inflect_phrase(bare[0], "ablt")
            verb = self.morph.agree("пришёл", self.morph.agreement(thing))
            return EvidenceClause(f"{thing} {verb} с {noun}", "with")
        if bare:
            thing = ""
        found = [c for f in fragments if (c := self._fragment(f, kind, thing))]
        if not found:
            return None
        rank = {"subject": 0, "np": 1, "predicate": 2, "adjective": 2, "with": 3}
        found.sort(key=lambda c: rank[c.shape])
        first = found[0]
        second = next((c for c in found[1:] if c.shape in ("predicate", "adjective")), None)
        if first.shape in ("predicate", "adjective") and second is not None and thing:
            # «фонарь ярко светит» + «фонарь держит заряд» → «фонарь ярко светит и держит заряд»
            rest = second.text[len(thing) + 1 :]
            if rest not in first.text:
                return EvidenceClause(f"{first.text} и {rest}", first.shape)
        return first

    def _fragment(self, fragment: str, kind: str, thing: str) -> EvidenceClause | None:
        words = fragment.split()
        if not words or len(words) > MAX_WORDS or any(not _TOKEN.fullmatch(w) for w in words):
            return None
        if kind == "complaint" and thing and len(words) >= 3 and words[0] == "не" \
                and words[1] in ("хватает", "хватило", "хватало"):
            return self._lacks(words, thing)
        if any(w in _PERSONAL or not self._known(w) for w in words):
            return None
        parses = [self._best(w) for w in words]
        if len(words) == 1 and parses[0].normal_form in _AMBIGUOUS_ALONE:
            return None
        if any(p.normal_form in _RUDE or w in _RUDE for w, p in zip(words, parses, strict=True)):
            return None
        if kind == "praise" and any(p.tag.POS == "ADJS" and p.normal_form in _TOO_WHEN_SHORT for p in parses):
            return None
        if any({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr"} & set(str(p.tag).replace(" ", ",").split(","))
               for p in parses):
            return None
        if any(p.tag.POS == "VERB" and (p.tag.person in ("1per", "2per") or p.tag.mood == "impr") for p in parses):
            return None
        if any(p.tag.POS in ("INFN", "GRND", "NPRO", "COMP") or "Apro" in p.tag or p.normal_form in _IMPERSONAL
               for p in parses) or words[-1] in _PREPS or "чем" in words:
            return None
        if parses[-1].normal_form in _NEEDS_COMPLEMENT:
            return None  # «цвет соответствует» — соответствует чему? the span cut the customer short
        for i, p in enumerate(parses):  # a noun in an oblique case needs its preposition («на 30 градусах»)
            oblique = p.tag.POS == "NOUN" and p.tag.case in ("loct", "ablt")
            if oblique and not (i and parses[i - 1].tag.POS == "PREP") and not (i == 0 and p.tag.case == "ablt"):
                return None
        nouns = [i for i, p in enumerate(parses) if p.tag.POS == "NOUN" and p.tag.case == "nomn"
                 and not self._genitive_attribute(words, parses, i)]
        preds = [i for i, p in enumerate(parses) if p.tag.POS in ("VERB", "ADJS", "PRTS")
                 or (p.tag.POS in ("ADJF", "PRTF") and p.tag.case == "nomn")]
        np = self._noun_phrase(parses)
        if np is not None and kind == "praise":  # «хорошее качество», «вкусная пицца» → «Вы отметили хорошее качество»
            return EvidenceClause(f"Вы отметили {self.morph.inflect_phrase(fragment, 'accs')}", "np")
        if len(nouns) > 1:
            return None  # «колонка не плохая звук»: a fragment of two sentences
        for i, p in enumerate(parses):  # «упакована в отдельный»: a preposition without its noun
            if p.tag.POS == "PREP" and not any(q.tag.POS == "NOUN" for q in parses[i + 1 :]):
                return None
        # a subject with its predicate: «ткань приятная», «швы разошлись», «не подошёл фасон»
        if nouns and preds:
            n = nouns[0]
            after = [i for i in preds if i > n]
            if after and self._agrees(parses[after[0]], parses[n]):
                return EvidenceClause(fragment, "subject")
            verbs = [i for i in preds if i < n and parses[i].tag.POS == "VERB"]
            if not verbs or not thing:
                return None
            v = parses[verbs[0]]
            if "intr" in v.tag and self._agrees(v, parses[n]):
                return EvidenceClause(fragment, "subject")  # «не подошёл фасон»: the noun is the subject
            accs = any(p.tag.case == "accs" for p in self.morph.parse(words[n]))
            if "tran" in v.tag and accs and self._verb_ok(v, thing):  # «держит заряд»: the product is the subject
                return self._predicate(words, verbs[0], thing)
            return None
        if nouns or not thing:
            return self._with(words, parses, kind, thing) if not nouns else None
        verbs = [i for i, p in enumerate(parses) if p.tag.POS == "VERB"]
        # a predicate without a subject: «села идеально», «маломерят», «не подключается», «ярко светит»
        if verbs:
            head = parses[verbs[0]]
            if any(p.tag.POS == "NOUN" and p.tag.case in ("nomn", "accs", "gent") and not (i and parses[i - 1].tag.POS == "PREP")
                   and not ("tran" in head.tag and head.tag.tense == "pres" and i > verbs[0]) for i, p in enumerate(parses)):
                return None  # «нитки не торчат»: another noun may be the subject
            if not self._verb_ok(head, thing) or (head.tag.tense == "past" and not self._same(head, thing)):
                return None  # «пришло быстро» was about the order, not the shirt
            if any(p.tag.POS in ("ADJF", "PRTF", "ADJS") for p in parses[: verbs[0]]):
                return None  # «плотная не просвечивает»: two predicates glued
            return self._predicate(words, verbs[0], thing)
        first = next((i for i, w in enumerate(words) if w not in _LINKS), None)
        if first is None:
            return None
        head = parses[first]
        # an adjective without a noun: «приятная к телу», «качественные»
        if head.tag.POS in ("ADJF", "PRTF", "ADJS", "PRTS") and (head.tag.case in (None, "nomn")):
            if any(p.tag.POS in ("ADJF", "PRTF", "NOUN") and not (i and parses[i - 1].tag.POS == "PREP")
                   for i, p in enumerate(parses) if i > first):
                return None
            if not self._same(head, thing):
                return None  # «благородный» was about the colour, «плотный» about the linen
            return self._predicate(words, first, thing, "adjective")
        return self._with(words, parses, kind, thing)

    def _lacks(self, words: list[str], thing: str) -> EvidenceClause | None:
        """«не хватает баса и звука» → «колонке не хватает баса и звука»: what is missing, in the genitive."""
        rest = words[2:]
        for w in rest:
            if w == "и":
                continue
            if w in _PERSONAL or not self._known(w) or not any(p.tag.POS in ("NOUN", "ADJF") and p.tag.case == "gent" for p in self.morph.parse(w)):
                return None
        if rest[-1] == "и" or not any(p.tag.POS == "NOUN" for p in self.morph.parse(rest[-1])):
            return None
        return EvidenceClause(f"{self.morph.inflect_phrase(thing, 'datv')} {' '.join(words)}", "predicate")

    def _predicate(self, words: list[str], at: int, thing: str, shape: str = "predicate") -> EvidenceClause:
        out = list(words)
        agr = self.morph.agreement(thing)
        p = self._best(words[at])
        same = (p.tag.number == "plur") == agr.plural and (agr.plural or p.tag.gender in (None, agr.gender))
        if not same:  # re-inflect only when the customer's form does not already agree («лучшая» stays)
            out[at] = self.morph.agree(words[at], agr)
        return EvidenceClause(f"{thing} {' '.join(out)}", shape)

    def _same(self, word: Any, thing: str) -> bool:
        """The customer's form already agrees with the product: they wrote it about the product."""
        agr = self.morph.agreement(thing)
        if word.tag.number == "plur" or agr.plural:
            return word.tag.number == "plur" and agr.plural
        return word.tag.gender is None or str(word.tag.gender) == str(agr.gender)

    def _verb_ok(self, verb: Any, thing: str) -> bool:
        """Whether the product can be the subject of the customer's verb."""
        agr = self.morph.agreement(thing)
        if verb.tag.tense == "past" and ("tran" in verb.tag or (verb.tag.number == "plur" and not agr.plural)):
            return False  # «привезли», «подключил», «отменили заказ»: someone else did it, not the thing
        # «пришлось менять», «понравилось»: impersonal, not about the thing
        return not (verb.tag.tense == "past" and verb.tag.gender == "neut" and agr.gender != "neut")

    def _genitive_attribute(self, words: list[str], parses: list[Any], i: int) -> bool:
        """«блок питания»: a noun right after a nominative one that reads as its genitive is no second subject."""
        if not i or parses[i - 1].tag.POS != "NOUN" or parses[i - 1].tag.case != "nomn":
            return False
        return any(q.tag.POS == "NOUN" and q.tag.case == "gent" and q.normal_form == parses[i].normal_form
                   for q in self.morph.parse(words[i]))

    @staticmethod
    def _noun_phrase(parses: list[Any]) -> int | None:
        """Adjectives and then one noun, all nominative and agreeing: an attributive phrase."""
        if len(parses) < 2 or parses[-1].tag.POS != "NOUN" or parses[-1].tag.case != "nomn":
            return None
        noun = parses[-1]
        for p in parses[:-1]:
            if p.tag.POS not in ("ADJF", "PRTF") or p.tag.case != "nomn" or p.tag.number != noun.tag.number:
                return None
            if noun.tag.number == "sing" and str(p.tag.gender) != str(noun.tag.gender):
                return None
        return len(parses) - 1

    def _with(self, words: list[str], parses: list[Any], kind: str, thing: str) -> EvidenceClause | None:
        """«с дыркой на рукаве» / «дыркой на рукаве» in a complaint → «{thing} пришла с дыркой на рукаве»."""
        if kind != "complaint" or not thing:
            return None
        start = 1 if words[0] in ("с", "со") else 0
        if start >= len(words):
            return None
        p = parses[start]
        if p.tag.POS != "NOUN" or p.tag.case != "ablt":
            return None
        verb = self.morph.agree("пришёл", self.morph.agreement(thing))
        prep = "со" if words[0] == "со" else "с"
        return EvidenceClause(f"{thing} {verb} {prep} {' '.join(words[start:])}", "with")

    @staticmethod
    def _agrees(pred: Any, noun: Any) -> bool:
        """A predicate agrees in number (and gender in the past / short forms) with its subject."""
        if noun.tag.number == "plur" or pred.tag.number == "plur":
            return noun.tag.number == pred.tag.number or (noun.tag.number is None)
        if (pred.tag.POS == "VERB" and pred.tag.tense != "past") or "Fixd" in pred.tag:
            return True
        return pred.tag.gender is None or str(pred.tag.gender) == str(noun.tag.gender) or "ms-f" in str(noun.tag)
