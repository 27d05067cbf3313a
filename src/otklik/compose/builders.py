"""Reply structures per kind of item, in the order the rules ask for (docs/reply-rules.md).

Each builder returns the reply as a list of :class:`Part` — a sentence with a drop rank: rank 0
is essential, higher ranks are dropped first when the profile's sentence count or the platform's
length limit is exceeded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from otklik.compose.details import DetailFinder, Details
from otklik.compose.evidence import EvidencePhrases
from otklik.compose.faq import Answer, FaqIndex
from otklik.compose.licence import evidence_sentences
from otklik.compose.noted import NotedFinder
from otklik.compose.phrasebank import PhraseBank, Renderer, sentence_case
from otklik.domain import Analysis, AspectMention, Case, Item
from otklik.profile import BusinessProfile, Remedy
from otklik.understand.resources import read_yaml

if TYPE_CHECKING:
    from otklik.lint.fit import FitChecker

DETAILED_WORDS = 25  # a review shorter than this is not thanked «за подробный отзыв»
IN_REVIEW_MIN_SCORE = 0.6  # a FAQ answer to a question inside a review needs a surer match than a plain question
IN_REVIEW_MAX_WORDS = 12  # real questions inside reviews are short («повар поменялся?»)

# word stems a reader notices when they come back in the next sentences («Очень рады… Всегда рады Вам!»)
_ECHO = ("приятн", "рад", "здоров", "разбер", "исправ", "жаль", "по душе", "подвел", "оценил", "снова", "спасиб",
         "очень")


@dataclass(slots=True)
class Part:
    text: str
    rank: int = 0  # 0 = essential; larger = dropped earlier


@dataclass
class Built:
    parts: list[Part]
    unanswered: list[str] = field(default_factory=list)  # questions with no known answer
    answers: list[Answer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what a person must do (e.g. find the cause)
    hold: bool = False  # a person must look before it goes out
    leaving: bool = False  # the customer says they will not come back: no «ждём снова», no next-visit offer


@dataclass
class Builders:
    profile: BusinessProfile
    bank: PhraseBank
    faq: FaqIndex
    fit: FitChecker | None = None  # R-FIT: only clauses that fit what the customer wrote
    evidence: EvidencePhrases | None = None  # the customer's own words as clauses
    _praise_words: set[str] | None = field(default=None, init=False, repr=False)

    # -- shared pieces --------------------------------------------------------------------
    def _add(self, parts: list[Part], text: str | None, rank: int = 0) -> None:
        if text:
            parts.append(Part(sentence_case(text), rank))

    def _fresh(self, options: list[str], parts: list[Part], *more: str | None) -> list[str]:
        """Options that do not echo a stem already said in this reply (or in `more`); all if none fit."""
        said = " ".join([p.text for p in parts] + [m for m in more if m]).lower()
        stems = [s for s in _ECHO if s in said]
        keep = [t for t in options if not any(s in t.lower() for s in stems)]
        return keep or options

    def _specific(self, r: Renderer, options: list[str], item: Item | None = None) -> str | None:
        """Prefer templates that name the product (R-SPECIFIC) when the product is known.

        Thanks must fit the review (common.yaml ``thanks_fit``): «за подробный отзыв» only for a detailed
        one (DETAILED_WORDS or more), «за высокую оценку» only under 4–5★, no «тёплый отзыв» to «пойдёт»."""
        if item is not None:
            fit = self.bank.common.get("thanks_fit", {})
            banned: list[str] = []
            if len(item.full_text.split()) < DETAILED_WORDS:
                banned += fit.get("detailed", [])
            if item.rating is not None and item.rating < 4:
                banned += fit.get("high_stars", [])
            if self._says(r, item, self.bank.common.get("mild_cues", [])):
                banned += fit.get("warm", [])
            options = [t for t in options if not any(b in t for b in banned)] or options
        named = [t for t in options if "{product" in t or "{thing" in t]
        if named and r.context.get("product") and r.rng.random() < 0.85:
            text = r.pick(named)
            if text:
                return text
        return r.pick(options)

    @property
    def _family(self) -> str:
        return "venue" if self.profile.business.kind == "restaurant" else "goods"

    def _slot(self, name: str) -> list[str]:
        """A common slot plus its variant for goods or for a venue («покупка» vs «визит»)."""
        return [*self.bank.common.get(name, []), *self.bank.common.get(f"{name}_{self._family}", [])]

    def _applies(self, aspect_id: str, r: Renderer | None = None, item: Item | None = None) -> bool:
        """Whether an aspect can concern this business: no «еда» for a shirt, no «упаковка» in a café,
        no «доставка» in a café review that never speaks of delivery (aspects.yaml ``venue_needs``)."""
        entry = self.bank.aspects.get(aspect_id) or {}
        applies = entry.get("applies", "both")
        kind = self.profile.business.kind
        if kind == "restaurant":
            needs = entry.get("venue_needs")
            if needs and r is not None and item is not None and not self._says(r, item, needs):
                return False
            return applies != "goods"
        if kind in ("marketplace_seller", "shop"):
            return applies != "venue"
        return True

    def _named_here(self, item: Item, aspect_id: str) -> bool:
        """The review speaks of what the aspect's phrases claim (aspects.yaml ``needs_words``): «приложение
        Мой дом» is the device's app, not our ordering, so no «с оформлением заказа всё прошло гладко»."""
        needs = (self.bank.aspects.get(aspect_id) or {}).get("needs_words")
        return not needs or bool(re.search(needs, item.full_text, re.IGNORECASE))

    def _said_of_other(self, item: Item, aspect: AspectMention) -> bool:
        """The evidence words were said of something else just before them (aspects.yaml ``not_after``)."""
        other = (self.bank.aspects.get(aspect.id) or {}).get("not_after")
        terms = [t.strip().lower() for t in aspect.evidence.split(",") if t.strip()]
        if not other or not terms:
            return False
        text = item.full_text.lower()
        for t in terms:
            at = text.find(t)
            if at < 0 or not re.search(other, text[max(0, at - 40) : at]):
                return False
        return True

    def _second(self, r: Renderer) -> dict[str, str | None]:
        """Context for a second mention of the product: «модель» instead of repeating its name."""
        ref = self.bank.common["second_ref"].get(self.profile.business.kind)
        return {"thing": ref, "product": ref} if ref and r.context.get("thing") else {}

    def _tidy(self, r: Renderer) -> None:
        """A marketplace title the composer passed through («Рубашка/с широкими рукавами/оверсайз»,
        «рубашка Женская Офисная Классическая») reads badly inflected: keep only its head noun."""
        product = r.context.get("product") or ""
        words = product.split()
        capitals = [w for w in words[1:] if re.fullmatch(r"[А-ЯЁ][а-яё-]+", w)]
        if "/" not in product and not capitals:
            return
        noun = r.morph.head_noun(product.split("/")[0].strip()).split()
        if not noun or not re.fullmatch(r"[А-Яа-яЁё-]+", noun[-1]):
            return
        head = noun[-1].lower()
        r.context["product"] = r.context["thing"] = head

    def _regret(self, aspect_id: str) -> bool:
        """A complaint about a perception (price, taste): acknowledged with regret, not apologised for."""
        return aspect_id in self.bank.aspects and self.bank.aspect(aspect_id).get("apology") == "regret"

    def _greeting(self, r: Renderer, parts: list[Part]) -> None:
        if not self.profile.tone.greeting:
            return
        slot = "greeting_named" if r.context.get("name") else "greeting_anonymous"
        self._add(parts, r.pick(self.bank.common[slot]))

    def _signature(self, r: Renderer, parts: list[Part]) -> None:
        if r.context.get("signature"):
            self._add(parts, r.pick(self.bank.common["signature"]))

    def _clause(
        self, r: Renderer, aspect: AspectMention, kind: str, *, second: bool = False, parts: list[Part] | None = None,
        item: Item | None = None, a: Analysis | None = None,
    ) -> str | None:
        extra: dict[str, str | None] = {"evidence": aspect.evidence.strip().strip("«»\"'") or None}
        if second:
            extra |= self._second(r)
        fit = self.fit
        accept = None
        if fit is not None and item is not None and a is not None:
            def accept(text: str) -> bool:
                return fit.clause_fits(text, kind, item, a)
        if kind == "complaint" and r.recast.get(aspect.id):  # its words were about another aspect: no echo
            return r.pick(self._fresh(r.recast[aspect.id], parts or []), accept=accept, **extra)
        if not r.context.get("echoed") and self.evidence is not None and aspect.evidence.strip():
            # the customer's own words, re-inflected («рады, что брюки сели идеально»), when that is safe
            entry = self.bank.aspects.get(aspect.id) or {}
            thing = r.context.get("short") if r.named and r.context.get("short") else r.context.get("thing")
            said = _with_particle(_spelled(aspect.evidence, item), item)
            how = "praise" if kind == "praise" else "complaint"
            own = None
            subject = self._subject_before(r, said, item) if item is not None else None
            if subject is not None:  # «Блок питания пищит»: the customer's own subject, not «колонка пищит»
                own = self.evidence.clause(f"{subject} {said}", how, thing)
                own = own if own is not None and own.shape == "subject" else None
            if own is None:
                own = self.evidence.clause(said, how, thing, product_subject=entry.get("product_subject", True),
                                           with_noun=entry.get("evidence_with", False))
            if own is not None and kind == "praise" and self._bare_verb(r, own.text):
                own = None  # «рады, что колонка играет»: a bare verb praises nothing; the aspect's phrase does
            if own is not None and kind != "praise" and self._praises(r, own.text):
                own = None  # «извиняемся за то, что роллы вкусные»: words of praise are never apologised for
            if own is not None and (accept is None or accept(own.text)):
                r.context["echoed"] = "yes"  # one echo per reply: the rest in the aspects' phrases
                return own.text
        if aspect.id in self.bank.aspects:
            entry = self.bank.aspect(aspect.id)
            options = [*entry.get(kind, []), *entry.get(f"{kind}_{self._family}", [])]
            around = " ".join([aspect.evidence, *(evidence_sentences(item.full_text, aspect) if item is not None else [])])
            for case in entry.get("when", []):  # «нет баса» is about the sound, not a device that failed
                # the aspect's own words decide («Звук хороший. Иногда не понимает» is no sound complaint);
                # ``scope: sentence`` lets the words around them decide (delivery: «пришла быстро»)
                said = around if case.get("scope") == "sentence" else aspect.evidence
                beside = case.get("except_beside")
                if beside and kind != "praise" and re.search(beside, around, re.IGNORECASE):
                    continue  # «Звук хороший. Иногда не понимает»: the sound was praised, the trouble is elsewhere
                if case.get(kind) and re.search(case["evidence"], said, re.IGNORECASE):
                    options = list(case[kind])
                    break
            return r.pick(self._fresh(options, parts or []), accept=accept, **extra)
        # an aspect the bank does not know: name it only when the profile defines it (its own words);
        # the customer's raw text is not quoted — analysed evidence is often a fragment
        custom = next((c for c in self.profile.aspects if c.id == aspect.id), None)
        if custom is None or not re.fullmatch(r"[А-Яа-яЁё][А-Яа-яЁё -]{1,40}", custom.name.strip()):
            return None
        return r.pick(self.bank.aspect("_generic")[kind], accept=accept, aspect=custom.name.strip().lower(), **extra)

    @staticmethod
    def _subject_before(r: Renderer, evidence: str, item: Item) -> str | None:
        """The noun (with its genitive: «блок питания») right before a one-fragment predicate in the review."""
        if not re.fullmatch(r"[а-яё]+(?: [а-яё]+)?", evidence):
            return None
        found = re.search(r"(?:([а-яё]+)\s+)?([а-яё]+)\s+" + re.escape(evidence) + r"(?![а-яё])", item.full_text.lower())
        if found is None:
            return None
        first, last = found.group(1), found.group(2)

        def nominative(word: str | None) -> bool:
            return bool(word) and any(p.tag.POS == "NOUN" and p.tag.case == "nomn" and "Name" not in p.tag
                                      for p in r.morph.parse(word)[:1])

        if nominative(first) and any(p.tag.POS == "NOUN" and p.tag.case == "gent" for p in r.morph.parse(last)):
            return f"{first} {last}"
        return last if nominative(last) else None

    def _noted(self, r: Renderer, item: Item, a: Analysis, parts: list[Part]) -> set[str] | None:
        """Name the things the customer praised in their own words (compose/noted.py).

        Returns None when nothing was named, else the praised aspects the named words belong to (their
        stock praise would say the same thing again)."""
        if self.evidence is None:
            return None
        said = " ".join(p.text for p in parts)
        exclude = {r.morph.lemma(w) for w in re.findall(r"[а-яё]+", " ".join(
            [said.lower(), (r.context.get("product") or "").lower(), (r.context.get("thing") or "").lower()]))}
        only = None
        if self._family == "venue":  # a long story: only what the analysis itself found praised, or a dish
            only = {r.morph.lemma(w) for x in a.praises if x.sentiment.value == "positive"
                    for w in re.findall(r"[а-яё]+", x.evidence.lower())}
            only |= {r.morph.lemma(w) for w in self.bank.details.get("dishes", [])}
        nouns = NotedFinder(r.morph, self.bank.noted).find(item.full_text, exclude=exclude, only=only)
        if not nouns:
            return None
        noted = " и ".join(r.morph.inflect_phrase(n, "accs") for n in nouns)
        fit = self.fit
        accept = (lambda t: fit.sentence_fits(t, item, a)) if fit is not None else None
        text = r.pick(self._fresh(self.bank.noted["noted"], parts), accept=accept, noted=noted)
        if text is None:
            return None
        self._add(parts, text, 2)
        lemmas = {r.morph.lemma(n) for n in nouns}
        return {x.id for x in a.praises if lemmas & {r.morph.lemma(w) for w in re.findall(r"[а-яё]+", x.evidence.lower())}}

    def _setup(self, r: Renderer, item: Item, a: Analysis, parts: list[Part]) -> set[str] | None:
        """«Легко и быстро настроили» → «Рады, что колонку удалось настроить легко и быстро» (goods only).

        None when nothing was said; else the aspects the sentence covers."""
        if self._family != "goods" or not r.context.get("thing"):
            return None
        found = NotedFinder(r.morph, self.bank.noted).setup(item.full_text)
        if found is None:
            return None
        fit = self.fit
        accept = (lambda t: fit.sentence_fits(t, item, a)) if fit is not None else None
        text = r.pick(self._fresh(self.bank.noted["setup"], parts), accept=accept, inf=found[0], how=found[1])
        if text is None:
            return None
        # «быстро подключилась» is said once: the praise whose words are the set-up's is covered,
        # and the sentence then stands in for it (kept within the length budget like the praise)
        stem = found[0][:6]
        covered = {x.id for x in a.praises if any(w.startswith(stem) for w in re.findall(r"[а-яё]+", x.evidence.lower()))}
        self._add(parts, text, 1 if covered else 2)
        return covered

    @staticmethod
    def _bare_verb(r: Renderer, text: str) -> bool:
        """«колонка играет», «всё работает»: a subject and one verb with no word for how well."""
        words = text.split()
        return len(words) <= 2 and r.morph.tag(words[-1].lower()).POS == "VERB"

    def _praises(self, r: Renderer, text: str) -> bool:
        """Whether the words hold an unnegated word of praise (the analyser's cues and the dish praise words)."""
        if self._praise_words is None:
            cues = read_yaml("patterns.yaml")["sentiment_cues"]["positive"]
            words = [*cues, *self.bank.details.get("dish_praise", [])]
            self._praise_words = {r.morph.lemma(w) for w in words if " " not in w}
        lemmas = [r.morph.lemma(w) for w in re.findall(r"[а-яё]+", text.lower())]
        return any(lem in self._praise_words and (i == 0 or lemmas[i - 1] not in ("не", "ни"))
                   for i, lem in enumerate(lemmas))

    def _details(self, r: Renderer, item: Item, a: Analysis) -> Details:
        """A venue's occasion, thanked staff and praised dishes (nothing for goods)."""
        if self._family != "venue" or self.evidence is None:
            return Details()
        praised = {x.id for x in a.aspects if x.sentiment.value == "positive"}
        # a review with no problem at all: each clause's own words decide (the finder skips negative ones)
        glad = not a.problem and a.sentiment.value == "positive"
        finder = DetailFinder(r.morph, self.bank.details)
        return finder.find(item.full_text, food_praised=glad or "food" in praised,
                           staff_praised=glad or "staff_service" in praised)

    def _venue_praise(self, r: Renderer, d: Details, parts: list[Part], *, occasion: bool = True) -> set[str]:
        """Occasion, staff and dishes said back; the aspects they already cover (not praised twice)."""
        bank = self.bank.details
        covered: set[str] = set()
        if occasion and d.occasion:
            self._add(parts, r.pick(bank["occasion_positive"], occasion=d.occasion), 2)
        if d.staff:
            staff = " и ".join(DetailFinder(r.morph, bank).dative(n) for n in d.staff[:2])
            self._add(parts, r.pick(bank["staff_thanks"], staff_datv=staff), 2)
            covered.add("staff_service")
        if d.dishes:
            self._add(parts, r.pick(bank["dishes_praise"], dishes=" и ".join(d.dishes)), 2)
            covered.add("food")
        return covered

    def _praise(
        self, r: Renderer, item: Item, a: Analysis, parts: list[Part], rank: int = 0, *, generic: bool = True,
        skip: set[str] | None = None, beside_complaint: bool = False,
    ) -> None:
        praises = [x for x in a.praises if self._applies(x.id, r, item) and x.id not in (skip or set())
                   and self._named_here(item, x.id)]
        positive = [x for x in praises if x.sentiment.value == "positive"]
        # beside an apology, an aspect also complained of is never praised («приятно, что оказалась велика»)
        praised = positive[:2] if beside_complaint else positive[:2] or praises[:1]
        added = 0
        for aspect in praised:
            clause = self._clause(r, aspect, "praise", second=added > 0, parts=parts, item=item, a=a)
            if clause:  # «Приятно и то, что…» only after a first praise was said
                slot = "praise_lead" if added == 0 else "praise_more"
                options = self._fresh(self.bank.common[slot], parts, clause)
                self._add(parts, r.pick(options, clause=clause), rank if added == 0 else rank + 2)
                added += 1
        if not added and generic:
            self._add(parts, r.pick(self._fresh(self._slot("praise_generic"), parts)), rank)

    def _complaint(self, r: Renderer, item: Item, a: Analysis, parts: list[Part], built: Built, *, surprise: bool,
                   occasion: str | None = None) -> bool:
        """Surprise → apology → cause with caveat → remedy → dialogue (N-SURPRISE … N-DIALOGUE).

        Returns whether there was a grievance: False when every complaint was a wish for a missing
        feature, which is thanked for and passed on, with no dialogue about «solving» it."""
        # what we apologise for comes first, the gravest first; a matter of taste («цена показалась высокой») after it
        order = self.bank.common.get("complaint_order", [])
        fitting_complaints = [self._becomes(r, item, x) for x in a.complaints
                              if self._applies(x.id, r, item) and not self._said_of_other(item, x)
                              and self._named_here(item, x.id)]
        complaints = sorted(
            fitting_complaints,
            key=lambda x: (self._regret(x.id), order.index(x.id) if x.id in order else len(order)),
        )[:2]
        main = complaints[0].id if complaints else None
        cause = self.profile.causes.get(main) if main else None
        cause_ok, why = (False, "")
        if cause is not None and main is not None:
            cause_ok, why = cause.applies(item, self.profile, complaint_ids={x.id for x in a.complaints}, aspect=main)
        own = {c.id for c in complaints if self._own_choice(r, item, c.id)}
        high = item.rating == 5  # a five-star remark is passed on, not investigated
        kept = (item.rating or 0) >= 4 and self._says(r, item, self.bank.common.get("kept_cues", []))
        tips = {c.id for c in complaints if kept and c.id not in own and self.bank.aspect(c.id).get("tip_at_high_stars")}
        wish = {c.id for c in complaints if c.id not in own and self._wish(r, item, c)}
        # «this is unusual for us» only when it holds for every complaint named: no known, recurring cause
        causes = [self.profile.causes.get(c.id) for c in complaints]
        fitting = bool(complaints) and not wish and all(
            self.bank.aspect(c.id).get("surprise", True) for c in complaints)
        if (surprise and fitting and not any(c and c.recurring for c in causes) and not self._repeated(r, item)
                and r.rng.random() < 0.6):
            self._add(parts, r.pick(self.bank.common["surprise"]), 4)
        apologised = False
        for aspect_id in own:  # «с размером ошиблась»: no apology, no cause to find out
            self._add(parts, r.pick(self._fresh(self.bank.aspect(aspect_id)["own_choice"], parts)), 0)
            apologised = True
        for aspect_id in sorted(tips):  # «маломерит, но оставила» under 4–5★: thanks for the tip
            self._add(parts, r.pick(self._fresh(self.bank.aspect(aspect_id)["tip_at_high_stars"], parts)), 0)
            apologised = True
        own |= tips
        for aspect_id in sorted(wish):  # «жаль, нельзя подключить…»: a wish, passed on
            self._add(parts, r.pick(self._fresh(self.bank.aspect(aspect_id)["wish"], parts)), 0)
            apologised = True
        if high and self._says(r, item, self.bank.common.get("overall_cues", [])):
            # «иногда ошибается… В целом ооочень доволен» under 5★: a remark, thanked for and passed on —
            # no «Вас разочаровала», no remedy, no promise to investigate
            remarks = {c.id for c in complaints if c.id not in own | wish}
            if remarks:
                self._add(parts, r.pick(self._fresh(self.bank.common["remark_at_5"], parts)), 0)
                wish |= remarks
                apologised = True
        if main in own | wish:
            cause = None
        complaints = [c for c in complaints if c.id not in own | wish]
        for i, aspect in enumerate(complaints):
            clause = self._clause(r, aspect, "complaint", second=i > 0, parts=parts, item=item, a=a)
            if clause:
                # a matter of perception (price, taste): acknowledge and regret, not «простите, что…»
                slot = ("regret" if self._regret(aspect.id) else "apology") + ("_lead" if i == 0 else "_more")
                leads = self._fresh(self.bank.common[slot], parts)  # no «жаль… жаль…» in a row
                self._add(parts, r.pick(leads, clause=clause), 0 if i == 0 else 3)
                apologised = True
        if not apologised:
            self._add(parts, r.pick(self.bank.common["apology_generic"]))
        if occasion:  # «отмечали день рождения»: the day mattered, and the reply knows it
            self._add(parts, r.pick(self.bank.details["occasion_negative"]), 2)
        if cause is not None and cause_ok:
            self._add(parts, r.pick(self.bank.common["cause_lead"], cause=r.polite(cause.text)), 1)
            self._add(parts, r.pick(self.bank.common["cause_caveat"]), 1)
            if cause.fix and r.rng.random() < 0.6:
                self._add(parts, r.pick(self.bank.common["cause_fix"], fix=r.polite(cause.fix)), 3)
        elif cause is not None and main is not None and not self._regret(main):
            # a configured cause that does not fit this review is never pasted: promise to find out, ask a person
            # under 5★ the remark is passed on, not investigated: no promise, so no person is needed for it
            self._add(parts, r.pick(self.bank.common["cause_noted" if high else "cause_unknown"]), 1)
            if not high:
                hold = self.bank.common["hold"]
                name = str(self.bank.aspect(main).get("name", main))
                built.notes.append(hold["cause_unknown"].format(aspect=name, why=hold[why]))
                built.hold = True
        remedies: list[tuple[str | None, Remedy]] = []
        leaving = self._says(r, item, self.bank.common.get("leaving_cues", []))
        for aspect_id in [c.id for c in complaints] or sorted(own) or ([] if wish else [None]):
            fitting = self._fitting_remedies(aspect_id)
            if leaving:  # «больше не придём»: no offer that only works on a next visit or order
                fitting = [x for x in fitting if not self._next_time(x)] or [
                    x for x in self.profile.remedies_for(None) if not self._next_time(x)]
            fitting = list(fitting)
            r.rng.shuffle(fitting)  # the profile's offers for one problem, in turn: not one template for all
            for remedy in fitting:
                if remedy.text not in [x.text for _, x in remedies]:
                    remedies.append((aspect_id, remedy))
        # a concrete offer before a promise to look into it; never two promises («разберёмся… разберёмся…»)
        remedies.sort(key=lambda x: x[1].type == "contact")
        if len(remedies) > 1 and remedies[1][1].type == "contact":
            remedies = remedies[:1] if remedies[0][1].type == "contact" else remedies
        remedies = remedies[: r.rng.choice((1, 2))]  # one concrete step is enough; two vary the text
        if remedies:
            first = remedies[0][1]
            text = r.polite(first.text)
            if len(remedies) > 1:
                (a_id, _), (b_id, second) = remedies
                # two options for one problem are alternatives («или»); steps for two problems add up
                alternative = a_id == b_id and "contact" not in (first.type, second.type)
                join = "remedy_join" if alternative else "remedy_also"
                text = r.pick(self.bank.common[join], a=text, b=r.polite(second.text)) or text
            lead = "remedy_contact_lead" if first.type == "contact" else "remedy_lead"
            leads = self.bank.common[lead]
            if not self._we_do(r, text):  # «управляющая лично проверит зал»: no «Мы обязательно управляющая…»
                leads = [x for x in leads if not re.search(r"\bмы(?: [а-яё]+)? \{remedy\}", x, re.I)] or leads
            self._add(parts, r.pick(leads, remedy=text))
        if not complaints and not own and wish and not occasion:
            return False
        if leaving:
            built.leaving = True
        dialogue = self._fresh(self.bank.common["dialogue"], parts)
        self._add(parts, r.pick(dialogue, contact=r.polite(self.profile.business.contact_hint)))
        return True

    def _next_time(self, remedy: Remedy) -> bool:
        """An offer redeemed only by coming back («скидка на следующий визит», «угостим при следующем визите»)."""
        return remedy.type == "discount" or any(
            cue in remedy.text.lower() for cue in self.bank.common.get("next_time_cues", []))

    @staticmethod
    def _we_do(r: Renderer, remedy: str) -> bool:
        """Whether a profile's remedy reads after «мы» («вернём деньги»), not with its own subject."""
        words = remedy.lower().split()
        if len(words) > 1 and any(p.tag.POS == "ADVB" for p in r.morph.parse(words[0])[:1]):
            words = words[1:]  # «лично проверим зал»: the verb after the adverb decides
        first = words[0] if words else ""
        return any(p.tag.POS == "VERB" and p.tag.person == "1per" and p.tag.number == "plur"
                   for p in r.morph.parse(first))

    @staticmethod
    def _says(r: Renderer, item: Item, cues: list[str]) -> bool:
        """Whether the review contains one of these lemma sequences (cue lists of the phrase banks)."""
        text = r.morph.lemma_line(item.full_text)
        return any(r.morph.lemma_line(cue) in text for cue in cues)

    def _own_choice(self, r: Renderer, item: Item, aspect_id: str) -> bool:
        """The customer says the problem was their own choice (aspects.yaml ``own_choice_cues``)."""
        return self._says(r, item, (self.bank.aspects.get(aspect_id) or {}).get("own_choice_cues", []))

    def _becomes(self, r: Renderer, item: Item, aspect: AspectMention) -> AspectMention:
        """The complaint as what its sentence shows it is (aspects.yaml ``becomes``): a colour that
        «пришёл беж вместо мяты» is a wrong item sent; one that ran in the wash, a defect."""
        for rule in (self.bank.aspects.get(aspect.id) or {}).get("becomes", []):
            if self._in_sentence(r, item, aspect, rule.get("cues", [])) and not self._says(
                    r, item, rule.get("unless", [])):
                r.recast[rule["as"]] = list(rule.get("complaint", []))
                return AspectMention(rule["as"], aspect.sentiment, aspect.evidence)
        return aspect

    def _in_sentence(self, r: Renderer, item: Item, aspect: AspectMention, cues: list[str]) -> bool:
        """Whether a sentence holding the aspect's evidence has one of the cues (lemma sequences)."""
        if not cues:
            return False
        return any(self._says(r, Item(item.external_id, text=x), cues) for x in evidence_sentences(item.full_text, aspect))

    def _wish(self, r: Renderer, item: Item, aspect: AspectMention) -> bool:
        """The complaint's own sentence asks for a feature the product lacks (aspects.yaml ``wish_cues``)."""
        return self._in_sentence(r, item, aspect, (self.bank.aspects.get(aspect.id) or {}).get("wish_cues", []))

    def _repeated(self, r: Renderer, item: Item) -> bool:
        """The customer says it keeps happening («опять», «уже третий раз»): no claim it is rare."""
        return self._says(r, item, self.bank.common.get("repeated_cues", []))

    def _fitting_remedies(self, aspect_id: str | None) -> list[Remedy]:
        """The profile's remedies for a complaint, only of the kinds that fit it (aspects.yaml ``remedies``):
        a defect gets a replacement or a refund, never an exchange for another size."""
        offered = self.profile.remedies_for(aspect_id)
        if aspect_id is None or aspect_id not in self.bank.aspects:
            return offered
        kinds = self.bank.aspect(aspect_id).get("remedies")
        if not kinds:
            return offered
        fit = [x for x in offered if x.type in kinds]
        if fit:
            return fit
        return [x for x in self.profile.remedies_for(None) if x.type in (*kinds, "contact")]

    def _answers(self, r: Renderer, a: Analysis, item: Item, parts: list[Part], *, in_review: bool) -> Built:
        built = Built(parts)
        questions = list(a.questions)
        if not questions and not in_review:
            questions = [item.text.strip()]
        seen: set[str] = set()
        for q in questions:
            ans = self.faq.answer(q)
            if ans is not None and in_review and (ans.score < IN_REVIEW_MIN_SCORE or len(q.split()) > IN_REVIEW_MAX_WORDS):
                # a question inside a review is often rhetorical or a story («Вы помните мультик…?»): only a
                # short one with a sure match is answered; the rest goes to a person
                ans = None
            if ans is None:
                built.unanswered.append(q)
                continue
            if ans.source in seen:
                continue
            seen.add(ans.source)
            built.answers.append(ans)
            answer = r.polite(ans.text)
            lead = "answer_in_review_lead" if in_review else "answer_lead"
            self._add(parts, r.pick(self.bank.common[lead], answer=answer, answer_lc=_lc(answer)))
        if in_review and built.unanswered:
            self._add(parts, r.pick(self.bank.common["unknown_question_in_review"]), 1)
        return built

    def _cross_sell(self, r: Renderer, parts: list[Part]) -> None:
        if not self.profile.cross_sell or not r.context.get("related"):
            return
        venue = self.profile.business.kind == "restaurant"
        slot = "cross_sell_venue" if venue else "cross_sell_goods"
        self._add(parts, r.pick(self._fresh(self.bank.common[slot], parts)), 5)

    # -- kinds ----------------------------------------------------------------------------
    def _who(self, r: Renderer, item: Item) -> tuple[str, str] | None:
        """Who the purchase was for, in the dative as the customer meant it («сыну», «детям»), and the
        slot that says it (liked, a liked gift, a gift); None when nobody is named or the clause is
        negated («сыну не подошло»)."""
        common = self.bank.common
        people = {x.replace("ё", "е") for x in common.get("recipients", [])}
        gifts = {r.morph.lemma(w) for w in common.get("gift_words", [])}
        likes = {r.morph.lemma(w) for w in common.get("recipient_likes", [])}
        # «заказывал в подарок, теперь у сестрёнки играет музыка»: the gift may be named in another clause
        gift_review = bool({r.morph.lemma(w) for w in re.findall(r"[а-яё]+", item.full_text.lower())} & gifts)
        for clause in re.split(r"[.!?;,()]|\bно\b|\bа\b", item.full_text.lower()):
            words = re.findall(r"[а-яё]+", clause)
            if "не" in words or "нет" in words:
                continue
            lemmas = {r.morph.lemma(w) for w in words}
            gift = bool(lemmas & gifts) or gift_review
            for k, w in enumerate(words):
                parse = next((p for p in r.morph.parse(w) if p.tag.POS == "NOUN"), None)
                if parse is None or str(parse.normal_form).replace("ё", "е") not in people:
                    continue
                if k > 0 and words[k - 1] in ("как", "словно", "будто"):
                    continue  # «радуюсь как ребёнок»: a comparison, not a recipient
                # «сыну понравилось», «подарили маме»; «ребёнок доволен», «у сестрёнки играет»; not «для всех в семье»
                owner = k > 0 and words[k - 1] == "у" and any(p.tag.case == "gent" for p in r.morph.parse(w))
                if not (parse.tag.case == "datv" and (bool(lemmas & gifts) or lemmas & likes)
                        or parse.tag.case == "nomn" and lemmas & likes or owner and lemmas & likes):
                    continue
                if owner:
                    parse = next(p for p in r.morph.parse(w) if p.tag.case == "gent")
                form = parse.inflect({"datv", "plur" if parse.tag.number == "plur" else "sing"})
                if form is not None:
                    liked = bool(lemmas & likes)
                    slot = ("praise_who_gift" if liked else "praise_who_chosen") if gift else "praise_who"
                    return str(form.word), slot
        return None

    def _bought_as_gift(self, r: Renderer, item: Item) -> bool:
        """«Брала на подарок», «На подарок»: the purchase itself was a gift — not «резинка в подарок от
        продавца» (a gift word in a clause with a purchase verb, or a review of a few words)."""
        gifts = {r.morph.lemma(w) for w in self.bank.common.get("gift_words", [])}
        buy = {r.morph.lemma(w) for w in self.bank.common.get("purchase_verbs", [])}
        short = len(re.findall(r"[а-яё]+", item.full_text.lower())) <= 3
        for clause in re.split(r"[.!?;,()]", item.full_text.lower()):
            lemmas = {r.morph.lemma(w) for w in re.findall(r"[а-яё]+", clause)}
            if not lemmas & gifts or "продавец" in lemmas or "магазин" in lemmas:
                continue
            if short or lemmas & buy or "подарить" in lemmas or self._gift_liked(r, clause):
                return True
        return False

    def _gift_liked(self, r: Renderer, clause: str) -> bool:
        """«Подарок понравился», «подарок зашёл»: the gift word beside a word of liking."""
        likes = {r.morph.lemma(w) for w in self.bank.common.get("recipient_likes", [])} | {"зайти", "удаться", "угодить"}
        gifts = {r.morph.lemma(w) for w in self.bank.common.get("gift_words", [])}
        lemmas = {r.morph.lemma(w) for w in re.findall(r"[а-яё]+", clause.lower())}
        return bool(lemmas & gifts) and bool(lemmas & likes)

    def _gift_received(self, r: Renderer, item: Item) -> bool:
        """«Жена подарила», «мне подарили»: the customer got the gift (a person in the nominative, or «мне»,
        beside the gift verb)."""
        people = {x.replace("ё", "е") for x in self.bank.common.get("recipients", [])}
        for clause in re.split(r"[.!?;()]", item.full_text.lower()):
            words = re.findall(r"[а-яё]+", clause)
            if not any(r.morph.lemma(w) == "подарить" for w in words):
                continue
            if "мне" in words or "нам" in words:
                return True
            if any(p.tag.case == "nomn" and str(p.normal_form).replace("ё", "е") in people
                   for w in words for p in r.morph.parse(w)[:1]):
                return True
        return False

    def positive(self, r: Renderer, item: Item, a: Analysis) -> Built:
        parts: list[Part] = []
        self._tidy(r)
        self._greeting(r, parts)
        self._add(parts, self._specific(r, self._slot("thanks_positive"), item))
        at = len(parts)
        who = self._who(r, item) if (item.rating or 5) >= 4 else None
        if who is not None:  # «сыну понравилось»: the person the customer named, before any stock praise
            self._add(parts, r.pick(self._fresh(self.bank.common[who[1]], parts), who_datv=who[0]), 2)
        gift = self._family == "goods" and who is None and self._bought_as_gift(r, item)
        if gift:  # «брала на подарок»: no «Вам понравилась», no «пусть служит Вам»; «жена подарила»: a gift received
            liked = any(self._gift_liked(r, c) for c in re.split(r"[.!?;,()]", item.full_text))
            slot = ("praise_gift_received" if self._gift_received(r, item)
                    else "praise_gift_liked" if liked else "praise_gift_unnamed")
            self._add(parts, r.pick(self._fresh(self.bank.common[slot], parts)), 2)
        covered = self._venue_praise(r, self._details(r, item, a), parts)
        again = self._family == "goods" and self._says(r, item, self.bank.common.get("repeat_purchase_cues", []))
        noted = self._noted(r, item, a, parts)
        setup = self._setup(r, item, a, parts)
        if setup is not None:
            noted = (noted or set()) | setup
        self._praise(r, item, a, parts, generic=who is None and not gift and not covered and not again and noted is None,
                     skip=covered | (noted or set()))
        if again:  # «заказываю уже второй раз»: the customer came back, and the reply knows it
            self._add(parts, r.pick(self._fresh(self.bank.common["repeat_purchase"], parts)), 2)
        if self._applies("size_fit") and self._own_choice(r, item, "size_fit"):  # «с размером ошиблась, перезакажу»
            self._add(parts, r.pick(self._fresh(self.bank.aspect("size_fit")["own_choice"], parts)), 1)
        if (r.context.get("echoed") and len(parts) > at and r.rng.random() < 0.4
                and not parts[at].text.lower().startswith(tuple(self.bank.common.get("relative_leads", [])))):
            parts.insert(at - 1, parts.pop(at))  # open with what the customer liked, in their words, then thank
        built = self._answers(r, a, item, parts, in_review=True)
        self._cross_sell(r, parts)
        closings = self._fresh(self._slot("closing_positive"), parts)
        if gift or who is not None:  # the thing serves someone else
            closings = [c for c in closings if "Вам {agree:служит}" not in c and "радует Вас" not in c] or closings
        self._add(parts, r.pick(closings), 6)
        self._signature(r, parts)
        return built

    def mixed(self, r: Renderer, item: Item, a: Analysis) -> Built:
        parts: list[Part] = []
        self._tidy(r)
        self._greeting(r, parts)
        self._add(parts, self._specific(r, self._slot("thanks_mixed"), item))
        details = self._details(r, item, a)
        covered = self._venue_praise(r, details, parts, occasion=False)
        # no «рады, что понравилось» beside a complaint
        self._praise(r, item, a, parts, rank=1, generic=False, skip=covered, beside_complaint=True)
        pending = Built(parts)
        grievance = self._complaint(r, item, a, parts, pending, surprise=False, occasion=details.occasion)
        built = self._answers(r, a, item, parts, in_review=True)
        built.notes, built.hold = pending.notes, pending.hold
        closing = ("closing_leaving" if pending.leaving else "closing_negative") if grievance else "closing_positive"
        self._add(parts, r.pick(self._fresh(self._slot(closing), parts)), 6)
        self._signature(r, parts)
        return built

    def negative(self, r: Renderer, item: Item, a: Analysis) -> Built:
        parts: list[Part] = []
        self._tidy(r)
        self._greeting(r, parts)
        self._add(parts, self._specific(r, self._slot("thanks_negative"), item))
        pending = Built(parts)
        grievance = self._complaint(r, item, a, parts, pending, surprise=True,
                                    occasion=self._details(r, item, a).occasion)
        built = self._answers(r, a, item, parts, in_review=True)
        built.notes, built.hold = pending.notes, pending.hold
        closing = ("closing_leaving" if pending.leaving else "closing_negative") if grievance else "closing_positive"
        self._add(parts, r.pick(self._fresh(self._slot(closing), parts)), 6)
        self._signature(r, parts)
        return built

    def careful(self, r: Renderer, item: Item, a: Analysis) -> Built:
        """Stars and text disagree, or the reading is unsure: thanks, a neutral acknowledgement and an
        invitation — no apology for a problem not stated. Always held for a person.

        Where the stars agree with the text (the doubt is elsewhere: a reservation the analyser cannot
        name, a long review), what the customer clearly praised is still thanked for, in their words;
        under stars that contradict the text nothing is praised (the praise may be sarcasm)."""
        parts: list[Part] = []
        self._tidy(r)
        self._greeting(r, parts)
        self._add(parts, self._specific(r, self._slot("thanks_careful"), item))
        disagree = a.rating_disagrees or "stars_text_disagree" in a.doubts
        at = len(parts)
        if not disagree and (item.rating is None or item.rating >= 3):
            # generic «рады, что понравилось» only with no complaint at all (R-FIT: no joy beside a complaint)
            liked = (item.rating or 0) >= 4 and str(a.text_sentiment) in ("positive", "mixed") and not a.problem
            self._praise(r, item, a, parts, rank=2, generic=liked)
        own = [x for x in ("size_fit",) if not disagree and self._applies(x) and self._own_choice(r, item, x)]
        if own:  # «с размером ошиблась, перезакажу»: the remark is the customer's own size choice
            self._add(parts, r.pick(self._fresh(self.bank.aspect(own[0])["own_choice"], parts)), 3)
        elif len(parts) > at and (a.problem or a.complaints):  # praise said back, and the remarks noted
            self._add(parts, r.pick(self._fresh(self._slot("ack_reservation"), parts)), 3)
        elif len(parts) == at:  # nothing said back: a neutral acknowledgement
            self._add(parts, r.pick(self.bank.common["ack_careful"]), 4)
        built = self._answers(r, a, item, parts, in_review=True)
        contact = r.polite(self.profile.business.contact_hint)
        glad = not disagree and (item.rating or 0) >= 4 and not a.problem and not a.complaints
        invite = "invite_careful_high" if glad else "invite_careful"
        self._add(parts, r.pick(self.bank.common[invite], contact=contact))
        self._signature(r, parts)
        return built

    def rating_only(self, r: Renderer, item: Item, a: Analysis) -> Built:
        """Stars without a word: a short thanks for the rating, never «добрые слова» nobody wrote."""
        parts: list[Part] = []
        self._tidy(r)
        self._greeting(r, parts)
        rating = item.rating or 0
        band = "high" if rating >= 4 else "mid" if rating == 3 else "low"
        self._add(parts, self._specific(r, self._slot(f"rating_only_{band}")))
        contact = r.polite(self.profile.business.contact_hint)
        if band == "high":
            self._add(parts, r.pick(self._slot("rating_only_close")), 6)
        else:
            self._add(parts, r.pick(self._slot(f"rating_only_{band}_more"), contact=contact))
        self._signature(r, parts)
        return Built(parts)

    def question(self, r: Renderer, item: Item, a: Analysis) -> Built:
        parts: list[Part] = []
        self._tidy(r)
        self._greeting(r, parts)
        self._add(parts, self._specific(r, self._slot("thanks_question"), item), 3)
        built = self._answers(r, a, item, parts, in_review=False)
        self._add(parts, r.pick(self.bank.common["closing_question"]), 5)
        self._signature(r, parts)
        return built

    def fake(self, r: Renderer, a: Analysis, evidence: str) -> Built:
        parts: list[Part] = []
        bank = self.bank.fake
        self._greeting(r, parts)
        self._add(parts, r.pick(bank["public_thanks"]))
        self._add(parts, r.pick(bank["public_fact"], evidence=evidence))
        self._add(parts, r.pick(bank["public_invite"], contact=r.polite(self.profile.business.contact_hint)))
        self._add(parts, r.pick(bank["public_close"]), 4)
        self._signature(r, parts)
        return Built(parts)

    def follow_up(self, r: Renderer, case: Case) -> Built:
        parts: list[Part] = []
        self._tidy(r)
        bank = self.bank.common
        self._greeting(r, parts)
        self._add(parts, r.pick(bank["follow_up_open"]))
        self._add(parts, r.pick(bank["follow_up_done"], resolution=_strip_dot(r.polite(case.resolution))))
        prevention = case.prevention
        if not prevention and case.cause and case.cause in self.profile.causes:
            prevention = self.profile.causes[case.cause].fix
        if prevention:
            self._add(parts, r.pick(bank["follow_up_prevention"], prevention=_strip_dot(r.polite(prevention))))
        self._add(parts, r.pick(bank["follow_up_thanks"]), 3)
        self._signature(r, parts)
        return Built(parts)


def _spelled(evidence: str, item: Item | None) -> str:
    """The evidence as the customer spelled it («лён», not the analyser's «лен»), word by word."""
    if item is None or "е" not in evidence:
        return evidence
    text = item.full_text.lower()

    def restore(m: re.Match[str]) -> str:
        word = m.group(0)
        if "е" not in word:
            return word
        found = re.search(r"(?<![а-яё])" + word.replace("е", "[её]") + r"(?![а-яё])", text)
        return found.group(0) if found else word

    return re.sub(r"[а-яё]+", restore, evidence.lower())


def _with_particle(evidence: str, item: Item | None) -> str:
    """«разу не зависла» → «ни разу не зависла»: a span cut after the particle «ни» gets it back."""
    if item is None or not evidence:
        return evidence
    first = re.match(r"[а-яё]+", evidence)
    if first and re.search(r"(?<![а-яё])ни\s+" + re.escape(first.group(0)) + r"(?![а-яё])", item.full_text.lower()):
        return "ни " + evidence
    return evidence


def _lc(text: str) -> str:
    if len(text) > 1 and text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _strip_dot(text: str) -> str:
    return text.strip().rstrip(".")
