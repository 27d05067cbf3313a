"""Fake-review signals, each with evidence a moderator can read (F-REPORT).

Only a claim that contradicts a profile fact proves a review false (F-PROVEN-ONLY); the other
signals (duplicates, rating bursts, rating/text mismatch, cancelled order) are grounds to look
closer, never an accusation.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import timedelta

from otklik.domain import FakeSignal, Item, Sentiment
from otklik.understand.components.base import Batch
from otklik.understand.text import normalize, tokens

DUP_MIN_WORDS = 6
DUP_JACCARD = 0.8
SHINGLE_MAX_DOCS = 40
BURST_WINDOW = timedelta(hours=24)
BURST_MIN = 5
BURST_FACTOR = 4.0
MISMATCH_PROB = 0.7


def _quote(text: str, limit: int = 80) -> str:
    t = " ".join(text.split())
    if len(t) <= limit:
        return t
    cut = t[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # end at a word boundary, never mid-word
        cut = cut[:space]
    return cut.rstrip(" ,;:—-") + "…"


def _author_key(item: Item, placeholders: Sequence[re.Pattern[str]]) -> str:
    a = (item.author or "").strip().lower()
    if not a or any(r.search(a) for r in placeholders):
        return f"anon:{item.external_id}"  # hidden authors are different people as far as we know
    return a


def _shingles(words: list[str]) -> set[int]:
    grams = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") for g in grams}


class FakeSignalComponent:
    name = "fake_signals"

    def run(self, batch: Batch) -> None:
        out: list[list[FakeSignal]] = [[] for _ in batch.items]
        self._facts(batch, out)
        self._duplicates(batch, out)
        self._bursts(batch, out)
        self._mismatch(batch, out)
        for i, item in enumerate(batch.items):
            if (item.order_status or "").strip().upper() == "CANCELLED":
                out[i].append(FakeSignal("cancelled_order", "заказ по этому отзыву был отменён: покупатель мог не получить товар"))
        for an, sig in zip(batch.results, out, strict=True):
            an.fake_signals = sig

    @staticmethod
    def _facts(batch: Batch, out: list[list[FakeSignal]]) -> None:
        if batch.profile is None or not batch.profile.fact_claims:
            return
        compiled = [(c, [re.compile(p, re.IGNORECASE) for p in c.patterns]) for c in batch.profile.fact_claims]
        for i, item in enumerate(batch.items):
            text = item.full_text
            for claim, pats in compiled:
                m = next((mm for mm in (p.search(text) for p in pats) if mm), None)
                if m is None:
                    continue
                lo, hi = max(0, m.start() - 30), min(len(text), m.end() + 30)
                out[i].append(FakeSignal(
                    "fact_contradiction",
                    f"в отзыве сказано «{_quote(text[lo:hi].strip())}», но {claim.evidence}",
                    proves_false=True,
                ))

    @staticmethod
    def _duplicates(batch: Batch, out: list[list[FakeSignal]]) -> None:
        placeholders = batch.res.placeholder_res
        pool: list[Item] = list(batch.items) + list(batch.history)
        n_batch = len(batch.items)
        words = [tokens(normalize(it.full_text)) for it in pool]
        sh = [_shingles(w) if len(w) >= DUP_MIN_WORDS else set() for w in words]
        index: dict[int, list[int]] = {}
        for k, s in enumerate(sh):
            for h in s:
                index.setdefault(h, []).append(k)
        for i in range(n_batch):
            if not sh[i]:
                continue
            counts: dict[int, int] = {}
            for h in sh[i]:
                docs = index[h]
                if len(docs) > SHINGLE_MAX_DOCS:
                    continue
                for k in docs:
                    if k != i:
                        counts[k] = counts.get(k, 0) + 1
            me = _author_key(pool[i], placeholders)
            for k, c in sorted(counts.items()):
                if c < DUP_JACCARD * min(len(sh[i]), len(sh[k])):
                    continue
                jac = len(sh[i] & sh[k]) / len(sh[i] | sh[k])
                if jac < DUP_JACCARD or _author_key(pool[k], placeholders) == me:
                    continue
                other = pool[k]
                where = "в этой же выборке" if k < n_batch else "среди ранее полученных отзывов"
                out[i].append(FakeSignal(
                    "duplicate_text",
                    f"почти такой же текст ({jac:.0%} совпадения) {where} от другого автора "
                    f"«{other.author or 'без имени'}» (отзыв {other.external_id}): «{_quote(other.full_text, 60)}»",
                ))
                break

    @staticmethod
    def _bursts(batch: Batch, out: list[list[FakeSignal]]) -> None:
        pool = list(batch.items) + list(batch.history)
        groups: dict[tuple[str, int], list[int]] = {}
        for k, it in enumerate(pool):
            key = it.product_id or it.product
            if key and it.rating in (1, 5) and it.created_at is not None:
                groups.setdefault((key, it.rating), []).append(k)
        for (product, stars), idx in groups.items():
            if len(idx) < BURST_MIN:
                continue
            idx.sort(key=lambda k: pool[k].created_at)  # type: ignore[arg-type, return-value]
            times = [pool[k].created_at for k in idx]
            span = times[-1] - times[0]  # type: ignore[operator]
            expected = len(idx) * (BURST_WINDOW / span) if span > BURST_WINDOW else 0.0
            need = max(BURST_MIN, BURST_FACTOR * expected)
            lo = 0
            for hi in range(len(idx)):
                while times[hi] - times[lo] > BURST_WINDOW:  # type: ignore[operator]
                    lo += 1
                if hi - lo + 1 >= need:
                    for k in idx[lo : hi + 1]:
                        if k < len(batch.items) and not any(s.id == "rating_burst" for s in out[k]):
                            out[k].append(FakeSignal(
                                "rating_burst",
                                f"всплеск оценок {stars}★ на товар «{product}»: {hi - lo + 1} шт. за 24 часа "
                                f"(с {times[lo]:%d.%m %H:%M} по {times[hi]:%d.%m %H:%M})",
                            ))

    @staticmethod
    def _mismatch(batch: Batch, out: list[list[FakeSignal]]) -> None:
        for i, (item, an) in enumerate(zip(batch.items, batch.results, strict=True)):
            if item.rating is None:
                continue
            probs = batch.notes[i]["doc_probs"]
            if item.rating <= 2 and an.text_sentiment == Sentiment.POSITIVE and probs.get("positive", 0) >= MISMATCH_PROB:
                out[i].append(FakeSignal(
                    "rating_text_mismatch", f"оценка {item.rating}★, а текст восторженный: «{_quote(item.full_text)}»"))
            elif item.rating == 5 and an.text_sentiment == Sentiment.NEGATIVE and probs.get("negative", 0) >= MISMATCH_PROB:
                out[i].append(FakeSignal(
                    "rating_text_mismatch", f"оценка 5★, а текст резко отрицательный: «{_quote(item.full_text)}»"))
