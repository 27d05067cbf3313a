"""R-FIT: a reply must fit what the customer actually wrote (the Item and its Analysis).

Any reply — the composer's, an LLM's, a person's — is split into sentences, and each sentence is
read as praise («рады, что…»), as an apology or regret («простите, что…»), or as neither. A
sentence is mapped to the taxonomy aspects whose phrase lemmas (compose/phrases/aspects.yaml,
``lemmas``) it uses. Then:

* praise of an aspect the analysis does not have as praised is an error; so is praise of a
  detail (``detail`` lemmas: «сшит», «швы», «ткань») the customer never wrote about;
* an apology for a problem that is not among the analysis' complaints is an error, and so is an
  apology in a review that complains of nothing, or one that names a detail the customer never
  wrote about («отличается от фото» to a complaint about the description);
* «добрые слова» / «тёплый отзыв» for an empty or not positive text, «высокая оценка» for 1–3★;
* cheerful wishes or «рады, что понравилось» to a complaint or a 1–2★ rating;
* an answer to a question when the customer asked none;
* a remedy for another problem (an exchange for another size when the size was not the problem);
* a profile cause stated where it does not apply to this review (see ``profile.Cause.applies``);
* against the text itself, whatever the analysis says: praise of an aspect that the customer only
  wrote against («Кухня… нам не понравилась» → «рады, что Вы оценили нашу кухню»). A clause of the
  review reads by the analyser's cue words (understand/data/patterns.yaml ``sentiment_cues``).

Hypothetical sentences («если…», «чтобы…», «надеемся…», «будем рады…») are not claims and are
not read as praise or apology. Patterns live in ``data/patterns.yaml`` under ``fit``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.lint.matching import Patterns, Tokens, find_phrase
from otklik.profile import BusinessProfile
from otklik.understand.resources import read_yaml

_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_WORDS = re.compile(r"[A-Za-zА-Яа-яЁё]{2,}")
# a review's clauses: the pieces between commas, dashes and sentence ends, and the two sides of «но / однако / хотя / а»;
# a one-word piece belongs to the next («Кухня, к сожалению, …»), an ellipsis continues («Кухня… не понравилась»)
_ELLIPSIS = re.compile(r"\.{2,}|…")
_CLAUSE = re.compile(r"[.!?;,\n]+|\s*[-–—]\s+|\s+(?:но|однако|зато|хотя|а)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReviewClause:
    """One clause of the review: its lemmas and whether its cue words praise or complain."""

    text: str
    lemmas: frozenset[str]
    positive: bool
    negative: bool

Add = Callable[[str, str], None]


@dataclass(slots=True)
class SentenceReading:
    """How R-FIT reads one sentence of a reply."""

    text: str
    kind: str  # "praise", "problem" (apology, regret) or ""
    aspects: set[str]
    details: set[str]  # detail lemmas the sentence names
    hypothetical: bool
    lemmas: frozenset[str] = frozenset()


@dataclass
class FitChecker:
    profile: BusinessProfile
    morph: Morph
    bank: PhraseBank
    patterns: Patterns

    # -- data ---------------------------------------------------------------------------
    @cached_property
    def _fit(self) -> dict[str, object]:
        data = self.patterns.raw.get("fit", {})
        return data if isinstance(data, dict) else {}

    def _lemma_set(self, key: str) -> set[str]:
        words = self._fit.get(key, [])
        return {self.morph.lemma(w) for w in words} if isinstance(words, list) else set()

    @cached_property
    def praise_markers(self) -> set[str]:
        return self._lemma_set("praise_markers")

    @cached_property
    def problem_markers(self) -> set[str]:
        return self._lemma_set("problem_markers")

    @cached_property
    def hypothetical_lemmas(self) -> set[str]:
        return self._lemma_set("hypothetical")

    @cached_property
    def hypothetical_words(self) -> set[str]:
        words = self._fit.get("hypothetical_words", [])
        return {w.lower() for w in words} if isinstance(words, list) else set()

    def _phrases(self, key: str) -> list[list[str]]:
        items = self._fit.get(key, [])
        return [self.morph.lemmas(p) for p in items] if isinstance(items, list) else []

    @cached_property
    def kind_words(self) -> list[list[str]]:
        return self._phrases("kind_words")

    @cached_property
    def idioms(self) -> list[list[str]]:
        return self._phrases("idioms")

    @cached_property
    def high_rating(self) -> list[list[str]]:
        return self._phrases("high_rating")

    @cached_property
    def cheerful(self) -> list[list[str]]:
        return self._phrases("cheerful")

    @cached_property
    def answer_markers(self) -> list[re.Pattern[str]]:
        items = self._fit.get("answer_markers", [])
        return [re.compile(p, re.I) for p in items] if isinstance(items, list) else []

    @cached_property
    def remedy_needs(self) -> list[tuple[list[str], set[str]]]:
        """Remedy phrases that fit only some complaints: (phrase lemmas, aspect ids)."""
        items = self._fit.get("remedy_needs", {})
        if not isinstance(items, dict):
            return []
        return [(self.morph.lemmas(phrase), set(ids)) for phrase, ids in items.items()]

    @cached_property
    def aspect_index(self) -> dict[str, set[str]]:
        """lemma → aspect ids whose phrase lemmas include it (single words; «не» and the like skipped)."""
        stop = self.patterns.words("content_stop")
        index: dict[str, set[str]] = {}
        for aspect_id, entry in self.bank.aspects.items():
            if aspect_id.startswith("_") or not isinstance(entry, dict):
                continue
            for phrase in entry.get("lemmas", []):
                for lem in self.morph.lemmas(str(phrase)):
                    if lem not in stop:
                        index.setdefault(lem, set()).add(aspect_id)
        for custom in self.profile.aspects:
            for kw in custom.keywords:
                for lem in self.morph.lemmas(kw):
                    if lem not in stop:
                        index.setdefault(lem, set()).add(custom.id)
        return index

    @cached_property
    def detail_lemmas(self) -> set[str]:
        out: set[str] = set()
        for entry in self.bank.aspects.values():
            if isinstance(entry, dict):
                out |= {self.morph.lemma(w) for w in entry.get("detail", [])}
        return out

    # -- reading ------------------------------------------------------------------------
    @cached_property
    def _thanks(self) -> set[str]:
        return self.patterns.words("thanks")

    @cached_property
    def _noting(self) -> set[str]:
        """Praise markers that, inside a thanks, only describe the review («спасибо, что отметили…»)."""
        return self._lemma_set("noting_markers")

    @cached_property
    def _product_lemmas(self) -> set[str]:
        out: set[str] = set()
        for prod in self.profile.products:
            for name in [prod.name, *prod.aliases]:
                out |= set(self.morph.lemmas(name))
        return out

    def read(self, sentence: str, product: str | None = None) -> SentenceReading:
        """How a sentence reads; the product's own name («брюки из льна») names no aspect."""
        return self._read(sentence, product or "")

    @cached_property
    def _read(self) -> Callable[[str, str], SentenceReading]:
        return lru_cache(maxsize=20_000)(self._read_uncached)

    def _read_uncached(self, sentence: str, product: str) -> SentenceReading:
        tokens = Tokens.of(sentence, self.morph)
        lem = tokens.lemmas
        words = {w.lower() for w in tokens.words}
        hypothetical = bool(set(lem) & self.hypothetical_lemmas or words & self.hypothetical_words)
        name = self._product_lemmas | set(self.morph.lemmas(product))
        idiom: set[int] = set()  # «оправдать ожидания» is about expectations, not about waiting
        for phrase in self.idioms:
            if span := find_phrase(tokens, phrase):
                idiom |= set(range(span[0], span[1] + 1))
        aspects: set[str] = set()
        for i, x in enumerate(lem):
            if x not in name and i not in idiom:
                aspects |= self.aspect_index.get(x, set())
        details = (set(lem) - name) & self.detail_lemmas
        kind = ""
        if set(lem) & self.problem_markers:
            kind = "problem"
        else:
            thanks = bool(set(lem) & self._thanks)
            for i, x in enumerate(lem):
                if x in self.praise_markers and not (thanks and x in self._noting):
                    before = lem[max(0, i - 2) : i]
                    negated = any(y in ("не", "ни") for y in before) and "менее" not in before
                    kind = "problem" if negated else "praise"
                    break
        return SentenceReading(sentence, kind, aspects, details, hypothetical, frozenset(lem))

    def review_lemmas(self, item: Item) -> set[str]:
        return self._review_lemmas(item.full_text)

    @cached_property
    def _review_lemmas(self) -> Callable[[str], set[str]]:
        return lru_cache(maxsize=256)(lambda text: frozenset(self.morph.lemmas(text)))  # type: ignore[return-value]

    def clause_fits(self, clause: str, kind: str, item: Item, a: Analysis) -> bool:
        """Whether a praise or complaint clause the composer is about to use fits the review (R-FIT)."""
        base = self.read(clause, item.product)
        reading = SentenceReading(base.text, "praise" if kind == "praise" else "problem", base.aspects, base.details,
                                  base.hypothetical, base.lemmas)
        return self._misfit(reading, item, a) is None

    def sentence_fits(self, sentence: str, item: Item, a: Analysis) -> bool:
        """Whether a whole sentence, read as the linter reads it, fits the review (R-FIT)."""
        return self._misfit(self.read(sentence, item.product), item, a) is None

    def _misfit(self, reading: SentenceReading, item: Item, a: Analysis) -> str | None:
        """Why a praise or problem sentence does not fit the review, or None."""
        if reading.kind and (why := self._against_text(reading, item)):
            return why
        complaint_ids = {x.id for x in a.complaints}
        praised_ids = {x.id for x in a.praises}
        complaint = a.problem or bool(complaint_ids) or a.sentiment == Sentiment.NEGATIVE
        low = item.rating is not None and item.rating <= 2
        quote = f"«{reading.text[:90]}»"
        said = reading.lemmas
        if reading.kind == "praise" and said & self._evidence(a.praises):
            if missing := reading.details - self.review_lemmas(item):  # but no detail they never wrote
                return f"Похвала детали, о которой покупатель не писал («{sorted(missing)[0]}»): {quote}."
            return None  # it praises what the customer praised, in the customer's words
        if reading.kind == "problem" and said & self._evidence(a.complaints):
            return None
        if reading.kind == "praise":
            named = reading.aspects
            if (complaint or low) and not (named & praised_ids):
                return f"Радость или похвала в ответ на жалобу или низкую оценку: {quote}."
            if named and not (named & praised_ids):
                return f"Ответ хвалит то, чего покупатель не хвалил: {quote}."
            if missing := reading.details - self.review_lemmas(item):
                return f"Похвала детали, о которой покупатель не писал («{sorted(missing)[0]}»): {quote}."
        elif reading.kind == "problem":
            if not complaint and not low:
                return f"Извинение, хотя покупатель ни на что не жаловался: {quote}."
            if reading.aspects and complaint_ids and not (reading.aspects & complaint_ids):
                return f"Извинение за проблему, о которой покупатель не писал: {quote}."
            if missing := reading.details - self.review_lemmas(item):  # «отличается от фото» to a text on the description
                return f"Извинение за деталь, о которой покупатель не писал («{sorted(missing)[0]}»): {quote}."
        return None

    # -- the review's own clauses ----------------------------------------------------------
    @cached_property
    def _cues(self) -> tuple[list[list[str]], list[list[str]]]:
        data = read_yaml("patterns.yaml")["sentiment_cues"]
        return ([self.morph.lemmas(c) for c in data["positive"]], [self.morph.lemmas(c) for c in data["negative"]])

    @cached_property
    def _aspect_lemmas(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for lem, ids in self.aspect_index.items():
            for i in ids:
                out.setdefault(i, set()).add(lem)
        return {i: frozenset(x) for i, x in out.items()}

    @cached_property
    def _review_clauses(self) -> Callable[[str], tuple[ReviewClause, ...]]:
        return lru_cache(maxsize=256)(self._clauses_uncached)

    def _clauses_uncached(self, text: str) -> tuple[ReviewClause, ...]:
        positive, negative = self._cues
        out: list[ReviewClause] = []
        parts: list[str] = []
        carry = ""
        for piece in _CLAUSE.split(_ELLIPSIS.sub(" ", text)):
            piece = " ".join(f"{carry} {piece}".split())
            carry = piece if len(piece.split()) == 1 else ""
            if piece and not carry:
                parts.append(piece)
        for part in [*parts, *([carry] if carry else [])]:
            tokens = Tokens.of(part, self.morph)
            pos = neg = False
            for cue in positive:
                if span := find_phrase(tokens, cue):
                    if self._negated(tokens, span[0]):
                        neg = True  # «не понравилась», «не очень удобно»
                    else:
                        pos = True
            for cue in negative:  # «не плохо», «без задержек» are no complaint
                if (span := find_phrase(tokens, cue)) and (cue[0] == "не" or not self._negated(tokens, span[0], "без")):
                    neg = True
            out.append(ReviewClause(part.strip(), tokens.lemma_set, pos, neg))
        return tuple(out)

    @cached_property
    def _negation_gap(self) -> frozenset[str]:
        return frozenset(read_yaml("patterns.yaml")["scope"]["negation_gap"])

    def _negated(self, tokens: Tokens, start: int, *more: str) -> bool:
        """«не понравилась», «не очень удобно»: a negation right before the cue, or one intensifier apart."""
        neg = ("не", "ни", "нет", "ничто", "ничего", *more)  # «ничего плохого не скажешь»
        lem = tokens.lemmas
        return (start >= 1 and lem[start - 1] in neg) or (
            start >= 2 and lem[start - 2] in neg and lem[start - 1] in self._negation_gap)

    def _against_text(self, reading: SentenceReading, item: Item) -> str | None:
        """Praise of an aspect the customer only wrote against: some clause about it complains, none praises.

        This reads the review itself, not the analysis, so a misread review cannot license the praise.
        (The mirror check — an apology for what was praised — is not made from cue words: a complaint
        often lacks both the aspect's word and a cue word, «приятная атмосфера, но на втором этаже душно».)"""
        if reading.kind != "praise" or not reading.aspects or not item.full_text.strip():
            return None
        clauses = self._review_clauses(item.full_text)
        name = self._product_lemmas | set(self.morph.lemmas(item.product or ""))
        for aspect_id in sorted(reading.aspects):
            words = self._aspect_lemmas.get(aspect_id, frozenset()) - name
            about = [c for c in clauses if c.lemmas & words]
            if not about:
                continue
            if not any(c.positive for c in about):
                against = next((c for c in about if c.negative), None)
                if against is not None:
                    return f"Похвала того, что покупатель ругал («{against.text[:70]}»): «{reading.text[:90]}»."
        return None

    def _evidence(self, mentions: list[AspectMention]) -> frozenset[str]:
        """Content lemmas of what the customer wrote about these aspects (their evidence)."""
        return self._evidence_of(tuple(m.evidence for m in mentions))

    @cached_property
    def _evidence_of(self) -> Callable[[tuple[str, ...]], frozenset[str]]:
        def build(evidence: tuple[str, ...]) -> frozenset[str]:
            stop = self.patterns.words("content_stop")
            return frozenset(x for e in evidence for x in self.morph.lemmas(e) if x not in stop and len(x) > 2)

        return lru_cache(maxsize=4096)(build)

    def sentences(self, body: str) -> list[str]:
        return [s.strip() for s in _SENTENCE.split(body) if s.strip()]

    # -- the rule -----------------------------------------------------------------------
    def check(self, body: str, tokens: Tokens, item: Item, a: Analysis, add: Add) -> None:
        is_question = item.kind == ItemKind.QUESTION or a.kind == ItemKind.QUESTION
        if is_question or a.suspected_fake:
            return  # a question gets an answer, not praise; a fake gets the F-* rules
        has_text = bool(_WORDS.search(item.full_text))
        complaint_ids = {x.id for x in a.complaints}
        complaint = a.problem or bool(complaint_ids) or a.sentiment == Sentiment.NEGATIVE
        low = item.rating is not None and item.rating <= 2
        for sentence in self.sentences(body):
            reading = self.read(sentence, item.product)
            if reading.hypothetical or not reading.kind:
                continue
            if why := self._misfit(reading, item, a):
                add("R-FIT", why)

        positive_text = has_text and a.sentiment in (Sentiment.POSITIVE, Sentiment.MIXED)
        if not positive_text and (found := self._find(tokens, self.kind_words)):
            why = "отзыв без текста" if not has_text else "отзыв не хвалебный"
            add("R-FIT", f"«{found}» — а {why}.")
        if (item.rating is None or item.rating <= 3) and (found := self._find(tokens, self.high_rating)):
            add("R-FIT", f"«{found}» — а оценка не высокая.")
        if (complaint or low) and (found := self._find(tokens, self.cheerful)):
            add("R-FIT", f"Весёлое пожелание в ответ на жалобу или низкую оценку: «{found}».")
        if not a.is_question and not a.questions:
            for rx in self.answer_markers:
                if m := rx.search(body):
                    add("R-FIT", f"Ответ на вопрос, которого покупатель не задавал: «{m.group(0)}».")
                    break
        for phrase, needs in self.remedy_needs:
            if not (needs & complaint_ids) and (span := find_phrase(tokens, phrase, negatable=True)):
                words = " ".join(tokens.words[span[0] : span[1] + 1])
                add("R-FIT", f"Решение не для этой жалобы: «{words}».")
                break
        self._causes(tokens, item, a, add)

    @cached_property
    def _cause_lemmas(self) -> dict[str, frozenset[str]]:
        stop = self.patterns.words("content_stop")
        return {aspect_id: frozenset(x for x in self.morph.lemmas(c.text) if x not in stop and len(x) > 2)
                for aspect_id, c in self.profile.causes.items()}

    def _causes(self, tokens: Tokens, item: Item, a: Analysis, add: Add) -> None:
        """A profile cause stated in the reply must apply to this review (scope, no contradiction)."""
        reply = tokens.lemma_set
        for aspect_id, want in self._cause_lemmas.items():
            if not want or len(want & reply) / len(want) < 0.6:
                continue
            cause = self.profile.causes[aspect_id]
            ok, _why = cause.applies(item, self.profile, complaint_ids={x.id for x in a.complaints}, aspect=aspect_id)
            if not ok:
                add("R-FIT", f"Причина из профиля ({aspect_id}) не относится к этому отзыву: «{cause.text[:70]}».")
                return

    @staticmethod
    def _find(tokens: Tokens, phrases: list[list[str]]) -> str | None:
        for lemmas in phrases:
            if lemmas and (span := find_phrase(tokens, lemmas)):
                return " ".join(tokens.words[span[0] : span[1] + 1])
        return None
