"""A small rule-based analysis for linting a reply when no Analysis is at hand (the `lint` CLI).

Rating → sentiment, the author's first name (only a real name, via pymorphy3), questions
(sentences ending «?»), aspects by lemma keywords of the phrase bank and the profile, and fact
claims of the profile as proven fake signals. The full analysers (otklik.understand) do better;
this is enough to check a reply against the rules.
"""

from __future__ import annotations

import re

from otklik.compose.faq import split_questions
from otklik.compose.morph import Morph
from otklik.compose.phrasebank import PhraseBank
from otklik.domain import Analysis, AspectMention, FakeSignal, Item, ItemKind, Sentiment
from otklik.profile import BusinessProfile

_NEGATIVE_CUES = re.compile(r"\b(но|однако|минус|жаль|разочаров|не понрав|маломер|большемер|брак)", re.I)


def quick_analysis(item: Item, profile: BusinessProfile, morph: Morph, bank: PhraseBank | None = None) -> Analysis:
    bank = bank or PhraseBank()
    text = item.full_text
    if item.kind == ItemKind.QUESTION:
        sentiment = Sentiment.NEUTRAL
    elif item.rating is None:
        sentiment = Sentiment.NEGATIVE if _NEGATIVE_CUES.search(text) else Sentiment.POSITIVE
    elif item.rating >= 5:
        sentiment = Sentiment.POSITIVE
    elif item.rating == 4:
        sentiment = Sentiment.MIXED if _NEGATIVE_CUES.search(text) else Sentiment.POSITIVE
    elif item.rating == 3:
        sentiment = Sentiment.MIXED
    else:
        sentiment = Sentiment.NEGATIVE
    words = re.findall(r"[А-Яа-яЁё]+", text)
    by_lemma: dict[str, str] = {}
    for w in words:
        by_lemma.setdefault(morph.lemma(w), w.lower())
    lemmas = set(by_lemma)
    aspects: list[AspectMention] = []
    aspect_sentiment = Sentiment.NEGATIVE if sentiment in (Sentiment.NEGATIVE, Sentiment.MIXED) else Sentiment.POSITIVE
    for aspect_id in bank.aspects:
        if aspect_id.startswith("_"):
            continue
        hits = lemmas & {morph.lemma(w) for w in bank.aspect_lemmas(aspect_id) if " " not in w}
        if hits:
            aspects.append(AspectMention(aspect_id, aspect_sentiment, " ".join(by_lemma[h] for h in sorted(hits))))
    for custom in profile.aspects:
        hits = lemmas & {morph.lemma(w) for w in custom.keywords}
        if hits and all(a.id != custom.id for a in aspects):
            aspects.append(AspectMention(custom.id, aspect_sentiment, " ".join(by_lemma[h] for h in sorted(hits))))
    name, gender = None, None
    if item.author:
        first = item.author.strip().split()[0].strip(".,")
        is_name, g = morph.is_name(first.lower())
        if is_name and first[:1].isupper():
            name, gender = first, g
    questions = split_questions(item.text)
    if item.kind == ItemKind.QUESTION and not questions and item.text.strip():
        questions = [item.text.strip()]
    signals = []
    for claim in profile.fact_claims:
        for pattern in claim.patterns:
            if re.search(pattern, text, re.I):
                signals.append(FakeSignal("fact_contradiction", claim.evidence, proves_false=True))
                break
    return Analysis(
        kind=item.kind,
        sentiment=sentiment,
        problem=sentiment in (Sentiment.NEGATIVE, Sentiment.MIXED),
        aspects=aspects,
        customer_name=name,
        customer_gender=gender,
        is_question=bool(questions),
        questions=questions,
        fake_signals=signals,
    )
