"""The embedded composer: personal, specific, rule-following drafts without network or LLM.

    memory = ReplyMemory(earlier_reply_texts)       # the business's stored replies
    composer = Composer(profile)                     # optional: llm=LLMBackend(...)
    draft = composer.draft(item, analysis, memory=memory, platform="ozon")
    memory.add(draft.text)                           # the caller records accepted drafts

Choices are random but reproducible: the dice are seeded by (seed, item id, attempt). Every draft
passes through the linter; a draft with errors (a clone of an earlier reply included) is
re-sampled, and one that still fails is marked needs_human with the reasons.

Handoffs (a question the FAQ and facts cannot answer) have ``text=None``: Otklik never writes a
holding note that could look like an answer; the person writes the reply.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from otklik.compose.builders import Builders, Built, Part
from otklik.compose.evidence import EvidencePhrases
from otklik.compose.faq import FaqIndex
from otklik.compose.licence import LONG_WORDS, Licence
from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank, Renderer, informal, lower_first
from otklik.compose.reports import moderator_report, proven_evidence
from otklik.compose.uniqueness import ReplyMemory
from otklik.domain import Analysis, Case, Draft, Item, ItemKind, LintFinding, ReplyType, Sentiment
from otklik.profile import BusinessProfile
from otklik.understand.components.confidence import HOLD_BELOW, hold_reasons

if TYPE_CHECKING:
    from otklik.compose.llm import LLMBackend
    from otklik.lint.rules import Linter

MAX_ATTEMPTS = 12
SAYS_NOTHING_WORDS = 3  # a 1–2★ text this short with no complaint found says nothing about what went wrong
CAREFUL_ATTEMPTS = 4
_WORDS = re.compile(r"[A-Za-zА-Яа-яЁё]{2,}")


def unsure(analysis: Analysis) -> bool:
    """Stars and text disagree, or the reading is not sure enough to answer without a person."""
    return analysis.confidence < HOLD_BELOW or analysis.rating_disagrees or "stars_text_disagree" in analysis.doubts
EXACT_RETRY_FACTOR = 4  # up to 48 attempts when every draft so far is a word-for-word clone


class Composer:
    def __init__(
        self,
        profile: BusinessProfile,
        *,
        seed: int | None = None,
        llm: LLMBackend | None = None,
        bank: PhraseBank | None = None,
    ) -> None:
        self.profile = profile
        self.seed = seed
        self.llm = llm
        self.bank = bank or PhraseBank()
        self.morph = Morph()
        self._faq: FaqIndex | None = None
        self._builders: Builders | None = None
        self._linter: Linter | None = None
        self._licence: Licence | None = None

    @property
    def faq(self) -> FaqIndex:
        if self._faq is None:
            self._faq = FaqIndex(self.profile, self.morph)
        return self._faq

    @property
    def linter(self) -> Linter:
        if self._linter is None:
            from otklik.lint.rules import Linter  # lint builds on compose: imported late

            self._linter = Linter(self.profile, self.morph, self.faq, self.bank)
        return self._linter

    @property
    def licence(self) -> Licence:
        if self._licence is None:
            common = self.bank.common
            self._licence = Licence(self.morph, asides_at_5=self.bank.asides_at_5,
                                    hearsay=common.get("hearsay_cues", []), worth_it=common.get("worth_it_cues", []),
                                    leaving=common.get("leaving_cues", []))
        return self._licence

    @property
    def builders(self) -> Builders:
        if self._builders is None:
            self._builders = Builders(self.profile, self.bank, self.faq, self.linter.fit, EvidencePhrases(self.morph))
        return self._builders

    # -- public -------------------------------------------------------------------------
    def draft(
        self, item: Item, analysis: Analysis, *, memory: ReplyMemory, platform: str | None = None
    ) -> Draft:
        """A reply draft for one review or question (see module docstring)."""
        # complaints no honest reader would apologise for are set aside first (compose/licence.py)
        analysis = self.licence.apply(item, analysis).analysis
        if analysis.suspected_fake:
            return self._fake(item, analysis, memory, platform)
        kind = self.kind_of(item, analysis)
        build = getattr(self.builders, kind)
        draft, built = self._compose(item, analysis, memory, platform, lambda r: build(r, item, analysis), kind=kind)
        if kind == "question" and not built.answers:
            return Draft(
                text=None,
                reply_type=ReplyType.HANDOFF,
                needs_human=True,
                reasons=[f"Нет ответа в FAQ и фактах профиля на вопрос: «{q}»" for q in built.unanswered],
            )
        if self.llm is not None and draft.text is not None:
            return self.llm.improve(self, item, analysis, fallback=draft, memory=memory, platform=platform)
        return draft

    def follow_up(
        self, item: Item, analysis: Analysis, case: Case, *, memory: ReplyMemory, platform: str | None = None
    ) -> Draft:
        """The public follow-up of a resolved case (N-RESULT): closed, what was done, what changed."""
        if not case.resolution.strip():
            return Draft(
                text=None,
                reply_type=ReplyType.HANDOFF,
                needs_human=True,
                reasons=["Случай ещё не решён: не указано, что сделано (Case.resolution)"],
            )
        draft, _ = self._compose(
            item, analysis, memory, platform, lambda r: self.builders.follow_up(r, case), follow_up=True
        )
        return draft

    @staticmethod
    def kind_of(item: Item, analysis: Analysis) -> str:
        """Which structure a reply needs: question / rating_only / careful / negative / mixed / positive.

        A complaint or 1–2★ never gets the positive structure; stars that disagree with the text, or an
        unsure reading, get the careful one (held for a person)."""
        if item.kind == ItemKind.QUESTION or analysis.kind == ItemKind.QUESTION:
            return "question"
        if not _WORDS.search(item.full_text):
            return "rating_only"
        if unsure(analysis):
            return "careful"
        low = item.rating is not None and item.rating <= 2
        if low and not analysis.complaints and len(_WORDS.findall(item.full_text)) <= SAYS_NOTHING_WORDS:
            return "rating_only"  # «Нет», «Ужасно» under 1★: we do not know what went wrong — ask, promise nothing
        if analysis.sentiment == Sentiment.NEGATIVE:
            return "negative"
        if analysis.complaints or analysis.problem:
            if not analysis.complaints and not low:
                # a reservation the analyser cannot name («но нужна подписка…»): no apology for an
                # unknown problem — thanks for what was praised, and a person finishes the reply
                return "careful"
            praised = any(x.sentiment == Sentiment.POSITIVE for x in analysis.praises)
            return "mixed" if praised or (analysis.sentiment == Sentiment.MIXED and not low) else "negative"
        if low:
            return "careful"  # 1–2★ and no complaint found: we do not know what went wrong
        return "positive"

    # -- internals ------------------------------------------------------------------------
    def _rng(self, item: Item, attempt: int, salt: str = "") -> random.Random:
        key = f"{self.seed}|{item.source}|{item.external_id}|{attempt}|{salt}".encode()
        return random.Random(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))

    def _context(self, item: Item, analysis: Analysis) -> dict[str, str | None]:
        p = self.profile
        catalogue = p.product(item.product_id) or p.product(item.product)
        product = None
        if catalogue is not None:
            product = lower_first(catalogue.name, self.morph)
        elif usable_product_name(item.product) or usable_product_name(_category(item)):
            raw = item.product if usable_product_name(item.product) else _category(item)
            product = lower_first((raw or "").strip(), self.morph)
            words = product.split()
            # a marketplace title is SEO, not a name: «рубашка женская оверсайз белая», «Рубашка/с рукавами»;
            # two words in natural order («умная колонка») stay
            seo_title = len(words) > 2 or "," in product or "/" in product or self._adjective_after_noun(words)
            if seo_title:  # keep the head noun of its first part
                product = lower_first(product.split("/")[0].split(",")[0].strip() or product, self.morph)
                product = self.morph.head_noun(product).split()[-1]
            product = self.morph.singular(product)  # a category «Рубашки» is one «рубашка» here
        thing = self.morph.head_noun(product) if product else None
        short = thing.split()[-1] if thing and " " in thing else None
        related_of = catalogue or self._mentioned_product(item)
        related = None
        if related_of is not None:
            rel = p.related_products(related_of.id)
            if rel:
                pick = self._rng(item, 0, "related").choice(rel)
                related = lower_first(pick.name, self.morph)
        signature = p.business.signature or p.business.name
        venue = self.bank.common["venue"].get(p.business.kind, "наша работа")
        elsewhere = self.bank.fake["elsewhere"].get(p.business.kind) or self.bank.fake["elsewhere"]["other"]
        return {
            "customers": self.bank.common["customers"].get(p.business.kind, "клиенты"),
            "elsewhere": elsewhere[0],
            "elsewhere_to": elsewhere[1],
            "name": _clean_name(analysis.customer_name),
            "product": product,
            "thing": thing,
            "short": short,
            "related": related,
            "venue": venue,
            "business": p.business.name,
            "signature": signature,
            "signature_lc": signature[:1].lower() + signature[1:] if signature else None,
        }

    def _adjective_after_noun(self, words: list[str]) -> bool:
        """«Рубашка женская»: an adjective after the noun, the word order of a catalogue title."""
        tags = [self.morph.tag(w.lower()) for w in words]
        return any(a.POS == "NOUN" and b.POS in ("ADJF", "PRTF") for a, b in zip(tags, tags[1:], strict=False))

    def _mentioned_product(self, item: Item) -> object | None:
        lemmas = set(self.morph.lemmas(item.full_text))
        for prod in self.profile.products:
            for alias in [prod.name, *prod.aliases]:
                words = self.morph.lemmas(alias)
                if words and len(words) == 1 and words[0] in lemmas:
                    return prod
        return None

    def _renderer(self, item: Item, analysis: Analysis, attempt: int) -> Renderer:
        return Renderer(
            morph=self.morph,
            rng=self._rng(item, attempt),
            context=self._context(item, analysis),
            formal=self.profile.tone.address == "formal",
        )

    def _fit(self, parts: list[Part], platform: str | None, item: Item | None = None) -> str:
        """Join sentences, dropping optional ones to respect the length budget and max_length.

        The budget follows the review: a one-word review gets one or two sentences besides the greeting
        and the signature, a long one up to the profile's max_sentences (essential sentences stay)."""
        rules = self.profile.platform(platform)
        keep = list(parts)
        frame = (1 if self.profile.tone.greeting else 0) + (1 if self.profile.business.signature else 0)
        budget = self.profile.tone.max_sentences
        if item is not None:
            budget = min(budget, sentence_budget(item))
        max_sentences = budget + frame

        def text_of(ps: list[Part]) -> str:
            return _join(ps)

        while keep and (len(keep) > max_sentences or len(text_of(keep)) > rules.max_length):
            too_long = len(text_of(keep)) > rules.max_length
            # the budget drops only what is optional (rank ≥ 2); the platform's limit may drop a cause too
            droppable = [p for p in keep if p.rank > (0 if too_long else 1)]
            if not droppable:
                break
            worst = max(droppable, key=lambda p: p.rank)
            keep.remove(worst)
        text = text_of(keep)
        if self.profile.tone.address != "formal":
            text = informal(text)
        return text

    def _compose(
        self,
        item: Item,
        analysis: Analysis,
        memory: ReplyMemory,
        platform: str | None,
        build: Callable[[Renderer], Built],
        *,
        follow_up: bool = False,
        kind: str = "",
    ) -> tuple[Draft, Built]:
        from otklik.lint.rules import lint_reply

        best: tuple[tuple[bool, int], str, list[LintFinding], Built] | None = None
        # A draft that repeats an earlier reply word for word is never kept while another exists;
        # short generic replies get extra attempts before giving up (R-UNIQUE).
        # a careful draft is held for a person anyway: a few tries for variety, never a word-for-word clone
        tries = CAREFUL_ATTEMPTS if kind == "careful" else MAX_ATTEMPTS
        for attempt in range(MAX_ATTEMPTS * EXACT_RETRY_FACTOR):
            if attempt >= tries and best is not None and not best[0][0]:
                break
            r = self._renderer(item, analysis, attempt)
            built: Built = build(r)
            text = self._fit(built.parts, platform, None if follow_up else item)
            findings = lint_reply(
                text, item=item, analysis=analysis, profile=self.profile, platform=platform,
                memory=memory, follow_up=follow_up, linter=self.linter, careful=kind == "careful",
            )
            score = (memory.contains(text), sum(1 for f in findings if f.severity == "error"))
            if best is None or score < best[0]:
                best = (score, text, findings, built)
            if score == (False, 0):
                break
        assert best is not None
        (clone, errors), text, findings, built = best
        if clone:
            return Draft(
                text=None,
                reply_type=ReplyType.HANDOFF,
                needs_human=True,
                reasons=["R-UNIQUE: каждый возможный вариант дословно повторяет прежний ответ — нужен человек"],
            ), built
        reasons: list[str] = []
        needs_human = False
        if errors:
            needs_human = True
            reasons += [f"{f.rule}: {f.message}" for f in findings if f.severity == "error"]
        if built.unanswered:
            needs_human = True
            reasons += [f"Нет ответа в FAQ и фактах профиля на вопрос: «{q}»" for q in built.unanswered]
        unsure_why = hold_reasons(analysis.confidence, analysis.doubts)
        if unsure_why:
            needs_human = True
            reasons += unsure_why
        if kind == "careful":
            needs_human = True
            hold = self.bank.common["hold"]
            if analysis.rating_disagrees or "stars_text_disagree" in analysis.doubts:
                reasons.append(hold["stars_text_disagree"])
            elif analysis.confidence < HOLD_BELOW:
                reasons.append(hold["unsure"])
            elif analysis.problem and not analysis.complaints:
                reasons.append(hold["unnamed_reservation"])
            else:
                reasons.append(hold["low_stars_no_complaint"])
        reasons += built.notes
        needs_human = needs_human or built.hold
        draft = Draft(text=text, reply_type=ReplyType.REPLY, lint=findings, needs_human=needs_human, reasons=reasons)
        return draft, built

    def _fake(self, item: Item, analysis: Analysis, memory: ReplyMemory, platform: str | None) -> Draft:
        """F-REPORT / F-PROVEN-ONLY: the moderator gets the evidence; the public reply never accuses.

        Only a contradicted profile fact lets the reply state that fact. Weaker signals (duplicates,
        bursts, a rating that contradicts the text, a cancelled order) prove nothing, so the public
        reply is the ordinary one for what the text says, and a person decides about the report.
        """
        evidence = proven_evidence(analysis, self.profile)
        # the fact is stated in public only against a complaint (F-PROVEN-ONLY: «грязно на втором
        # этаже»); a happy guest who names a floor we do not have is not corrected in front of everyone
        low = item.rating is None or item.rating <= 3  # a 4–5★ that names our missing floor is praise, not a claim
        complaint = (low and (analysis.problem or analysis.sentiment == Sentiment.NEGATIVE)) or (item.rating or 5) <= 2
        # a long review with many complaints is not answered by arguing one detail in public («второго
        # этажа нет») while the wait and the cold soup go unanswered: the fact goes to the moderator only
        focused = len(item.full_text.split()) < LONG_WORDS
        if evidence and complaint and focused:
            public = evidence.replace(":", " —")
            draft, _ = self._compose(
                item, analysis, memory, platform, lambda r: self.builders.fake(r, analysis, public)
            )
        else:
            kind = self.kind_of(item, analysis)
            build = getattr(self.builders, kind)
            draft, _ = self._compose(
                item, analysis, memory, platform, lambda r: build(r, item, analysis), kind=kind
            )
        report = moderator_report(item, analysis, self.profile, self.bank, platform)
        return Draft(
            text=draft.text,
            reply_type=ReplyType.MODERATOR_REPORT,
            lint=draft.lint,
            needs_human=True,
            reasons=[*draft.reasons, "Подозрение на недостоверный отзыв: проверьте и отправьте отчёт модератору"],
            moderator_report=report,
        )


_BUDGET = ((3, 2), (12, 4), (40, 6))  # review words up to N → body sentences at most


def sentence_budget(item: Item) -> int:
    """How many sentences (besides greeting and signature) a reply to this review may have."""
    words = len(_WORDS.findall(item.full_text))
    for limit, sentences in _BUDGET:
        if words <= limit:
            return sentences
    return 99


def _join(parts: list[Part]) -> str:
    out = []
    for i, p in enumerate(parts):
        t = p.text.strip()
        if t and t[-1] not in ".!?…»" and i < len(parts) - 1:
            t += "."
        out.append(t)
    if len(out) > 1:  # the signature on its own line
        return " ".join(out[:-1]) + "\n" + out[-1]
    return " ".join(out)


_CODE_NOUNS = frozenset({"артикул", "арт", "sku", "код", "номер", "id", "лот", "позиция", "штрихкод", "баркод"})
_CYR_WORD = re.compile(r"[А-Яа-яЁё]{3,}")


def usable_product_name(name: str | None) -> bool:
    """A name a reply can use as a noun: not an SKU, article number or Latin code
    («Артикул 123456», «SKU-88», «12345678»). Those fall back to the category or to «покупка»."""
    if not name or not name.strip():
        return False
    first = name.strip().split()[0].strip(".,:;№#").lower()
    return first not in _CODE_NOUNS and not any(ch.isdigit() for ch in first) and bool(_CYR_WORD.match(first))


def _category(item: Item) -> str | None:
    """The marketplace's category of the item (WB subjectName, Ozon/YM category), if the source gave one."""
    for key in ("subject", "subject_name", "category", "category_name"):
        value = item.extra.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip()
    if not re.fullmatch(r"[А-ЯЁA-Zа-яёa-z-]{2,30}", name):
        return None
    return "-".join(p[:1].upper() + p[1:].lower() for p in name.split("-"))  # «Анна-Мария», not «Анна-мария»
