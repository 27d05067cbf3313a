"""Draw the gold set's sample from ../shared/data and write labelling sheets outside the repo.

    python training/make_gold_sample.py [--data-dir ../shared/data] [--out /work/gold_work]

The sample is fixed (salted hashes of each row's key), so re-running draws the same items.
Sheets hold the texts for the labellers; only refs, hashes and labels enter the repo
(tests/understand/data/gold.jsonl, built by training/merge_gold_labels.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from otklik.understand import gold

SIZES = {"ozon": 280, "wb": 200, "bank": 160, "restaurants": 130, "cars": 70, "fin_apps": 90, "auto": 90}
CHUNKS = 6


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("/work/gold_work"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    picked = []
    for corpus, n in SIZES.items():
        its = gold.corpus_items(args.data_dir, corpus)
        keys = [k for k, it in its.items() if it.text.strip() or it.pros.strip() or it.cons.strip()]
        for k in gold.select(keys, n, f"gold-{corpus}"):
            it = its[k]
            picked.append({"id": f"{corpus}:{k}", "corpus": corpus, "ref": k, "sha1": gold.text_hash(it),
                           "author": it.author, "rating": it.rating, "product": it.product,
                           "text": it.text, "pros": it.pros, "cons": it.cons})
    # interleave corpora so each labeller sees every kind
    picked.sort(key=lambda r: hashlib.sha1(f"sheet:{r['id']}".encode()).hexdigest())
    with (args.out / "refs.jsonl").open("w", encoding="utf-8") as f:
        for r in picked:
            f.write(json.dumps({k: r[k] for k in ("id", "corpus", "ref", "sha1")}, ensure_ascii=False) + "\n")
    for c in range(CHUNKS):
        with (args.out / f"sheet_{c + 1}.jsonl").open("w", encoding="utf-8") as f:
            for r in picked[c::CHUNKS]:
                f.write(json.dumps({k: v for k, v in r.items() if k not in ("corpus", "ref", "sha1")},
                                   ensure_ascii=False) + "\n")
    print(f"{len(picked)} items in {CHUNKS} sheets under {args.out}")


if __name__ == "__main__":
    main()
