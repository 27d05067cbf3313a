"""The reply linter: any reply (Otklik's, an LLM's, a person's) checked against the rules by id.

    findings = lint_reply(text, item=item, analysis=analysis, profile=profile,
                          platform="ozon", memory=memory)

Returns LintFinding(rule, message in Russian, severity). Word forms are matched on pymorphy3
lemmas, so «удалите отзыв» and «удалить Ваш отзыв» are the same violation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from otklik.compose.faq import FaqIndex
from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank
from otklik.compose.uniqueness import NEAR_DUPLICATE, ReplyMemory
from otklik.domain import Analysis, Item, ItemKind, LintFinding, Sentiment
from otklik.lint.fit import FitChecker
from otklik.lint.matching import Patterns, Tokens, find_phrase
from otklik.profile import BusinessProfile

_URL = re.compile(r"(https?://|www\.)\S+|\b[a-z0-9][a-z0-9-]*\.(ru|com|рф|net|org|su|shop|online|store|me|io)\b", re.I)
_PHONE = re.compile(r"(?<!\d)(\+7|8)[\s(–-]*\d{3}[\s)–-]*\d{3}[\s–-]*\d{2}[\s–-]*\d{2}(?!\d)|(?<!\d)\d{3}[\s-]\d{2}[\s-]\d{2}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_CAPS = re.compile(r"(?<![А-Яа-яЁёA-Za-z])[А-ЯЁ]{4,}(?![А-Яа-яЁёA-Za-z])")
_PERCENT = re.compile(r"(\d{1,3})\s*%")
_RESPECTED = re.compile(r"уважаем(ый|ая|ое)\s+([А-ЯЁ][а-яё]+)", re.I)


@dataclass
class Linter:
    """Lint context that can be reused across many replies of one business."""

    profile: BusinessProfile
    morph: Morph
    faq: FaqIndex
    bank: PhraseBank

    @cached_property
    def patterns(self) -> Patterns:
        return Patterns(self.morph)

    @cached_property
    def fit(self) -> FitChecker:
        return FitChecker(self.profile, self.morph, self.bank, self.patterns)

    @cached_property
    def _configured_types(self) -> set[str]:
        return {r.type for rs in self.profile.remedies.values() for r in rs}

    @cached_property
    def _percents(self) -> set[int]:
        out = {r.discount_percent for rs in self.profile.remedies.values() for r in rs if r.discount_percent}
        return {int(x) for x in out}

    @cached_property
    def _known_texts(self) -> list[str]:
        """Texts the business configured: remedies, FAQ answers, facts (removed before R-HONEST)."""
        texts = [r.text for rs in self.profile.remedies.values() for r in rs]
        texts += [e.answer for e in self.profile.faq]
        texts += [str(v) for v in self.profile.facts.values() if isinstance(v, str)]
        return sorted(texts, key=len, reverse=True)

    def content(self, text: str) -> set[str]:
        """Content lemmas of a text (stop words of data/patterns.yaml dropped)."""
        stop = self.patterns.words("content_stop")
        return {lem for lem in self.morph.lemmas(text) if lem not in stop and len(lem) > 2}

    # -- the rules ------------------------------------------------------------------------
    def lint(
        self, text: str, item: Item, a: Analysis, platform: str | None, memory: ReplyMemory | None, follow_up: bool,
        careful: bool = False,
    ) -> list[LintFinding]:
        out: list[LintFinding] = []

        def add(rule: str, message: str, severity: str = "error") -> None:
            out.append(LintFinding(rule, message, severity))  # type: ignore[arg-type]

        body = self._without_signature(text)
        tokens = Tokens.of(body, self.morph)
        lemmas = tokens.lemma_set
        rules = self.profile.platform(platform)
        pat = self.patterns

        # R-NO-BARE
        if not re.search(r"[A-Za-zА-Яа-яЁё]", text):
            add("R-NO-BARE", "Ответ состоит только из эмодзи или знаков: напишите человеку лично.")
            return out
        if len(tokens.words) <= 6 and lemmas <= pat.words("bare_words"):
            add("R-NO-BARE", "Голое «Спасибо!»: ответ ничего не говорит о самом отзыве.")

        # R-PLATFORM
        if len(text) > rules.max_length:
            add("R-PLATFORM", f"Ответ длиннее, чем допускает площадка: {len(text)} > {rules.max_length} символов.")
        if len(text.strip()) < rules.min_length:
            add("R-PLATFORM", f"Ответ короче минимума площадки ({rules.min_length} символов).")
        if not rules.allow_links and (m := _URL.search(text)):
            add("R-PLATFORM", f"Ссылка в ответе запрещена площадкой: «{m.group(0)}».")
        if not rules.allow_phones and (m := _PHONE.search(text)):
            add("R-PLATFORM", f"Номер телефона в ответе запрещён площадкой: «{m.group(0)}».")
        if not rules.allow_emails and (m := _EMAIL.search(text)):
            add("R-PLATFORM", f"Адрес почты в ответе запрещён площадкой: «{m.group(0)}».")

        # R-TONE
        caps = [w for w in _CAPS.findall(body) if w.upper() not in pat.caps_allow]
        if caps:
            add("R-TONE", f"Слова капслоком звучат как крик: «{caps[0]}».")
        if re.search(r"[!?]{2,}", text):
            add("R-TONE", "Несколько восклицательных или вопросительных знаков подряд звучат как крик.")
        if re.search(r"\){3,}|\({3,}", text):
            add("R-TONE", "Скобочки-смайлы «)))» неуместны в ответе бизнеса.", "warning")

        # R-NO-ATTACK, R-NO-DELETE-DEMAND, F-REPORT
        if found := pat.first_match(tokens, body, "attack"):
            add("R-NO-ATTACK", f"Ответ спорит с покупателем или обвиняет его: «{found}».")
        if found := pat.first_match(tokens, body, "delete_demand"):
            add("R-NO-DELETE-DEMAND", f"Нельзя просить удалить или изменить отзыв и угрожать: «{found}».")
        if found := pat.first_match(tokens, body, "fake_accusation"):
            add("F-REPORT", f"Публичное обвинение в фейке недопустимо — сообщите модератору: «{found}».")

        self._personal(text, tokens, a, add)
        self._honest(body, add)

        # R-UNIQUE
        if memory is not None and len(memory):
            score, twin = memory.nearest(text)
            if score >= 1.0:
                add("R-UNIQUE", "Дословный повтор одного из прежних ответов.")
            elif score >= NEAR_DUPLICATE:
                add("R-UNIQUE", f"Почти копия прежнего ответа (сходство {score:.0%}): «{(twin or '')[:80]}…».")

        # R-SPECIFIC
        anchors = self._anchors(item, a)
        if anchors and not (lemmas & anchors) and not a.suspected_fake:
            add("R-SPECIFIC", "Ответ не упоминает ни товар, ни то, о чём написал покупатель: это шаблон.")

        # R-FIT
        if not follow_up:
            self.fit.check(body, tokens, item, a, add)

        is_question = item.kind == ItemKind.QUESTION or a.kind == ItemKind.QUESTION
        complaint = (a.problem or bool(a.complaints) or a.sentiment == Sentiment.NEGATIVE) and not is_question
        has_thanks = bool(lemmas & pat.words("thanks"))
        if a.suspected_fake or follow_up:
            pass
        elif complaint:
            if not has_thanks:
                add("N-THANK", "Нет благодарности за то, что покупатель сообщил о проблеме.")
            # a careful reply (unsure reading, held for a person) names no problem it is not sure of
            level = "warning" if careful else "error"
            if not lemmas & pat.words("apology"):
                add("N-APOLOGY", "Нет извинения за справедливую жалобу.", level)
            if not self._has_remedy(tokens, lemmas, a):
                add("N-REMEDY", "Нет конкретного шага: замены, возврата, скидки или другого решения из профиля.", level)
            if not lemmas & pat.words("dialogue"):
                add("N-DIALOGUE", "Нет приглашения продолжить разговор (в рамках правил площадки).", "warning")
            recurring = [c.id for c in a.complaints if (cause := self.profile.causes.get(c.id)) and cause.recurring]
            if recurring and lemmas & pat.words("surprise"):
                add("N-SURPRISE", "Удивление неуместно: эта проблема известна и повторяется.", "warning")
        elif not is_question and not has_thanks:
            add("P-THANK", "Нет благодарности за отзыв.")

        self._questions(body, lemmas, item, a, is_question, add)
        return out

    # -- helpers --------------------------------------------------------------------------
    def _without_signature(self, text: str) -> str:
        sig = self.profile.business.signature
        return text.replace(sig, " ") if sig else text

    def _personal(self, text: str, tokens: Tokens, a: Analysis, add) -> None:  # type: ignore[no-untyped-def]
        for rx in self.patterns.placeholders:
            if m := rx.search(text):
                add("R-PERSONAL", f"Вместо имени — заглушка: «{m.group(0)}».")
                return
        for m in _RESPECTED.finditer(text):
            is_name, gender = self.morph.is_name(m.group(2))
            adj_gender = {"ый": "m", "ая": "f"}.get(m.group(1).lower())
            if is_name and gender and adj_gender and gender != adj_gender:
                add("R-PERSONAL", f"Обращение не согласовано с именем: «{m.group(0)}».")
                return
        first = re.split(r"(?<=[.!?])\s", self._without_signature(text).strip(), maxsplit=1)[0]
        known = (a.customer_name or "").strip().lower().replace("ё", "е")
        business_words = {w.lower() for w in re.findall(r"[А-ЯЁа-яё]+", self.profile.business.name)}
        for word in re.findall(r"(?<![А-Яа-яЁё])[А-ЯЁ][а-яё]+", first):
            low = word.lower().replace("ё", "е")
            if low == known or low in business_words or self.morph.lemma(low) == self.morph.lemma(known or "-"):
                continue
            is_name, _ = self.morph.is_name(low)
            if is_name and _looks_like_address(first, word):
                if known:
                    add("R-PERSONAL", f"Обращение к другому имени: «{word}» вместо «{a.customer_name}».")
                else:
                    add("R-PERSONAL", f"Имя покупателя неизвестно, а в ответе — «{word}».")
                return
        if known:
            name_lemma = self.morph.lemma(known)
            if not any(w.lower().replace("ё", "е") == known or lem == name_lemma for w, lem in zip(tokens.words, tokens.lemmas, strict=True)):
                add("R-PERSONAL", f"Имя покупателя известно («{a.customer_name}»), но в ответе не использовано.")

    def _honest(self, body: str, add) -> None:  # type: ignore[no-untyped-def]
        rest = body
        for known in self._known_texts:
            rest = re.sub(re.escape(known), " ", rest, flags=re.I)
        tokens = Tokens.of(rest, self.morph)
        for kind, phrases in self.patterns.remedy_types.items():
            if kind in self._configured_types:
                continue
            for _phrase, lemmas in phrases:
                found = find_phrase(tokens, lemmas, negatable=True)
                if found is not None:
                    words = " ".join(tokens.words[found[0] : found[1] + 1])
                    add("R-HONEST", f"Обещание, которого нет в профиле бизнеса: «{words}».")
                    return
        for sentence in re.split(r"(?<=[.!?])\s+", rest):
            low = sentence.lower()
            if not re.search(r"скидк|промокод|купон|кэшб|возврат|верн|компенс|бонус", low):
                continue
            bad = [
                m.group(0) for m in _PERCENT.finditer(sentence)
                if int(m.group(1)) not in self._percents
                and not (int(m.group(1)) == 100 and "refund" in self._configured_types)
            ]
            if bad:
                add("R-HONEST", f"В профиле нет такого предложения: {', '.join(f'«{b}»' for b in bad)}.")
                return

    def _has_remedy(self, tokens: Tokens, lemmas: set[str], a: Analysis) -> bool:
        offered = [r.text for c in (a.complaints or []) for r in self.profile.remedies_for(c.id)]
        offered += [r.text for r in self.profile.remedies_for(None)]
        for text in offered:
            want = self.content(text)
            if want and len(want & lemmas) / len(want) >= 0.5:
                return True
        return bool(lemmas & self.patterns.words("remedy_generic"))

    def _anchors(self, item: Item, a: Analysis) -> set[str]:
        anchors: set[str] = set()
        product = self.profile.product(item.product_id) or self.profile.product(item.product)
        names = [item.product or ""]
        if product:
            names += [product.name, *product.aliases]
        for n in names:
            anchors |= self.content(n)
        for asp in a.aspects:
            anchors |= {self.morph.lemma(w) for w in self.bank.aspect_lemmas(asp.id)}
            anchors |= self.content(asp.evidence)
            custom = next((c for c in self.profile.aspects if c.id == asp.id), None)
            if custom:
                anchors |= {self.morph.lemma(w) for w in custom.keywords}
        for q in a.questions:
            anchors |= self.content(q)
        return anchors

    def _questions(self, body: str, lemmas: set[str], item: Item, a: Analysis, is_question: bool, add) -> None:  # type: ignore[no-untyped-def]
        questions = list(a.questions) or ([item.text] if is_question and item.text.strip() else [])
        for q in questions:
            ans = self.faq.answer(q)
            if ans is None:
                add("Q-EXACT", f"Ответа на вопрос «{q[:80]}» нет в профиле: проверьте, что он не выдуман.", "warning")
                continue
            want = self.content(ans.text)
            if want and len(want & lemmas) / len(want) < 0.34:
                add("Q-EXACT", f"Вопрос оставлен без ответа: «{q[:80]}» (в FAQ есть ответ).")


def _looks_like_address(sentence: str, word: str) -> bool:
    """A name used as an address: at the start, after a greeting, or before a comma."""
    s = sentence.strip()
    return (
        s.startswith(word)
        or bool(re.search(rf"(здравствуйте|добрый день|привет\w*|уважаем\w+|дорог\w+),?\s+{word}", s, re.I))
        or bool(re.search(rf"{word}\s*[,!]", s))
    )


def lint_reply(
    text: str,
    *,
    item: Item,
    analysis: Analysis,
    profile: BusinessProfile,
    platform: str | None = None,
    memory: ReplyMemory | None = None,
    follow_up: bool = False,
    careful: bool = False,
    morph: Morph | None = None,
    faq: FaqIndex | None = None,
    linter: Linter | None = None,
) -> list[LintFinding]:
    """Check a reply against a review and the business profile; findings by rule id.

    ``follow_up`` marks an N-RESULT follow-up (the N-* checks of a first reply do not apply);
    ``careful`` a reply to an unsure reading, held for a person (no apology or remedy is required).
    ``morph``/``faq``/``linter`` let callers reuse loaded resources across many replies.
    """
    if linter is None or linter.profile is not profile:
        m = morph or Morph()
        linter = Linter(profile, m, faq or FaqIndex(profile, m), PhraseBank())
    return linter.lint(text or "", item, analysis, platform, memory, follow_up, careful)
