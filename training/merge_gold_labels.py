"""Join the labellers' sheets with the sample's refs into tests/understand/data/gold.jsonl.

    python training/merge_gold_labels.py [--work /work/gold_work]

Checks every label against GUIDE.md's vocabulary (sentiment values, taxonomy aspect ids,
polarities) and that a problem is never labelled positive; stops on the first bad row, naming it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from otklik.understand import gold

SENTIMENTS = {"positive", "negative", "mixed", "neutral"}
POLARITIES = {"positive", "negative", "mixed"}


def check(row_id: str, g: dict, aspect_ids: set[str]) -> dict:
    if g.get("sentiment") not in SENTIMENTS:
        raise SystemExit(f"{row_id}: sentiment {g.get('sentiment')!r}")
    if not isinstance(g.get("problem"), bool):
        raise SystemExit(f"{row_id}: problem must be true/false")
    if g["problem"] and g["sentiment"] == "positive":
        raise SystemExit(f"{row_id}: a problem labelled positive (GUIDE.md §2)")
    aspects = g.get("aspects") or {}
    for k, v in aspects.items():
        if k not in aspect_ids or v not in POLARITIES:
            raise SystemExit(f"{row_id}: aspect {k}={v}")
    name = g.get("name") or None
    return {"sentiment": g["sentiment"], "problem": g["problem"], "aspects": dict(sorted(aspects.items())),
            "question": bool(g.get("question")), "name": name}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, default=Path("/work/gold_work"))
    ap.add_argument("--out", type=Path, default=gold.GOLD_PATH)
    args = ap.parse_args()
    tax = yaml.safe_load((Path(gold.__file__).parent / "data" / "taxonomy.yaml").read_text(encoding="utf-8"))
    aspect_ids = {a["id"] for a in tax["aspects"]}
    labels: dict[str, dict] = {}
    for f in sorted(args.work.glob("labels_*.jsonl")):
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{f}:{n}: {e}") from e
                labels[r["id"]] = check(r["id"], r["gold"], aspect_ids)
    refs = [json.loads(x) for x in (args.work / "refs.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    rows = [{**r, "gold": labels[r["id"]]} for r in refs if r["id"] in labels]
    rows.sort(key=lambda r: (gold.CORPORA.index(r["corpus"]), r["id"]))
    with args.out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} of {len(refs)} sampled items labelled → {args.out}")


if __name__ == "__main__":
    main()
