"""Uniqueness of the embedded composer's drafts (R-UNIQUE), and the speed of ReplyMemory.

    .venv/bin/python benchmarks/uniqueness_bench.py [--n 1000] [--memory 50000]

1. Composes N drafts for very similar reviews — half are 5★ praise of the same shirt, half are
   «маломерит» complaints (4★ mixed and 2★ negative) about the same trousers — recording every
   draft in the memory as the real flow does. Prints: identical drafts, the share of pairs at or
   above the near-duplicate threshold (Jaccard of word 3-grams), the mean and 99th percentile of
   pair similarity, drafts that needed a re-sample or a person, and time per draft.
2. Fills a ReplyMemory with M reply texts (sentences of the drafts recombined) and times
   ``nearest`` look-ups against it.
"""

from __future__ import annotations

import argparse
import random
import time

import numpy as np
from scipy import sparse

from otklik.compose import Composer, ReplyMemory
from otklik.compose.uniqueness import NEAR_DUPLICATE, shingles
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.profile import bundled_profile_path, load_profile

NAMES = ["Анна", "Мария", "Ольга", "Елена", "Наталья", "Ирина", "Татьяна", "Светлана", "Юлия", "Дарья", None, None]
PRAISE = [("size_fit", "села идеально"), ("quality", "ткань приятная"), ("description_mismatch", "как на фото")]


def reviews(n: int) -> list[tuple[Item, Analysis]]:
    rng = random.Random(7)
    out = []
    for i in range(n):
        name = rng.choice(NAMES)
        if i % 2 == 0:
            aspects = [AspectMention(a, Sentiment.POSITIVE, e) for a, e in rng.sample(PRAISE, rng.randint(1, 2))]
            item = Item(f"p{i}", text="Отличная рубашка, села идеально!", rating=5, author=name, product="Рубашка оверсайз из льна")
            an = Analysis(ItemKind.REVIEW, Sentiment.POSITIVE, aspects=aspects, customer_name=name)
        else:
            mixed = i % 4 == 1
            aspects = [AspectMention("size_fit", Sentiment.NEGATIVE, "маломерит")]
            if mixed:
                aspects.insert(0, AspectMention("quality", Sentiment.POSITIVE, "ткань хорошая"))
            item = Item(f"n{i}", text="Ткань хорошая, но маломерит", rating=4 if mixed else 2, author=name,
                        product="Брюки палаццо из льна")
            an = Analysis(ItemKind.REVIEW, Sentiment.MIXED if mixed else Sentiment.NEGATIVE, problem=True,
                          aspects=aspects, customer_name=name)
        out.append((item, an))
    return out


def pair_stats(texts: list[str]) -> tuple[int, float, float, float, int]:
    """(identical pairs, share of pairs ≥ threshold, mean similarity, p99 similarity, pairs)."""
    sets = [shingles(t) for t in texts]
    vocab: dict[int, int] = {}
    rows, cols = [], []
    for i, s in enumerate(sets):
        for h in s:
            rows.append(i)
            cols.append(vocab.setdefault(h, len(vocab)))
    x = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(sets), len(vocab)))
    inter = (x @ x.T).toarray()
    sizes = np.array([len(s) for s in sets], dtype=np.float32)
    union = sizes[:, None] + sizes[None, :] - inter
    jac = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
    iu = np.triu_indices(len(sets), k=1)
    pairs = jac[iu]
    identical = sum(1 for i, j in zip(*iu, strict=True) if texts[i] == texts[j])
    return identical, float((pairs >= NEAR_DUPLICATE).mean()), float(pairs.mean()), float(np.percentile(pairs, 99)), len(pairs)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--memory", type=int, default=50_000)
    args = ap.parse_args()

    composer = Composer(load_profile(bundled_profile_path("clothing")), seed=42)
    memory = ReplyMemory()
    texts, needs_human, resampled = [], 0, 0
    t0 = time.perf_counter()
    for item, an in reviews(args.n):
        draft = composer.draft(item, an, memory=memory, platform="ozon")
        assert draft.text is not None
        needs_human += draft.needs_human
        resampled += any(f.rule == "R-UNIQUE" for f in draft.lint)
        memory.add(draft.text)
        texts.append(draft.text)
    per_draft = (time.perf_counter() - t0) / args.n

    identical, near_share, mean_sim, p99, n_pairs = pair_stats(texts)
    print(f"drafts: {args.n} (5★ praise of one shirt + «маломерит» complaints about one pair of trousers)")
    print(f"distinct texts: {len(set(texts))}; identical pairs: {identical}")
    print(f"pairs: {n_pairs}; near-duplicate pairs (Jaccard of word 3-grams ≥ {NEAR_DUPLICATE}): {near_share:.3%}")
    print(f"pair similarity: mean {mean_sim:.3f}, 99th percentile {p99:.3f}")
    print(f"drafts marked needs_human: {needs_human}; drafts whose kept version still had R-UNIQUE: {resampled}")
    print(f"time per draft (compose + lint + memory check): {per_draft * 1000:.1f} ms")

    # the phrase banks alone: every draft composed with an empty memory (no re-sampling against earlier replies)
    raw = [composer.draft(item, an, memory=ReplyMemory(), platform="ozon").text or "" for item, an in reviews(args.n)]
    identical, near_share, mean_sim, p99, _ = pair_stats(raw)
    print(f"without the memory check (banks alone): distinct {len(set(raw))}; identical pairs {identical}; "
          f"near-duplicate pairs {near_share:.3%}; mean {mean_sim:.3f}; p99 {p99:.3f}")

    rng = random.Random(1)
    sentences = [s for t in texts for s in t.replace("\n", " ").split(". ") if s]
    t0 = time.perf_counter()
    big = ReplyMemory(". ".join(rng.sample(sentences, 6)) for _ in range(args.memory))
    build = time.perf_counter() - t0
    queries = texts[:200]
    t0 = time.perf_counter()
    for q in queries:
        big.nearest(q)
    per_query = (time.perf_counter() - t0) / len(queries)
    print(f"ReplyMemory with {len(big)} replies: built in {build:.1f} s; nearest() {per_query * 1000:.2f} ms per query")


if __name__ == "__main__":
    main()
