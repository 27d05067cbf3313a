"""Blind grading of drafted replies (../shared/docs/reply-rubric.md): sample, draft, sheets, report.

    python benchmarks/reply_grading.py draft --label after        # drafts for the fixed sample
    python benchmarks/reply_grading.py draft --round 2 --label r2_after  # a new sample, unseen
    python benchmarks/reply_grading.py sheets --a before --b after # blind X/Y sheets for readers
    python benchmarks/reply_grading.py report                      # figures from the graded sheets

The sample is fixed (salted hashes of each row's key) and excludes the understanding gold set, so
the reply code is never tuned on it: Ozon speaker reviews and Wildberries shirt reviews (goods,
clothing profile), SentiRuEval restaurant reviews (venue, restaurant profile), and Ozon ratings
with the text left out (stars only). Review texts stay in ../shared/data; the files under benchmarks/reply_grades/ hold ids,
the drafts and the grades. ``draft`` only needs ``otklik`` importable, so an older checkout
(PYTHONPATH=old/src) drafts the "before" replies with the same sample.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

from otklik.compose import ReplyMemory
from otklik.domain import Item
from otklik.profile import bundled_profile_path, load_profile
from otklik.understand.gold import gold_split
from otklik.workflow.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "benchmarks" / "reply_grades"
GOLD = ROOT / "tests" / "understand" / "data" / "gold.jsonl"
SIZES = {"ozon": 55, "wb": 55, "restaurants": 45, "ozon_empty": 10}
# from round 5 the Wildberries and restaurant rows are used up: more of the Ozon rows left instead
ROUND_SIZES = {5: {"ozon": 110}, 6: {"ozon": 110}, 7: {"ozon": 110}}


def _pick(keys: list[str], n: int, salt: str, skip: set[str]) -> list[str]:
    keys = [k for k in keys if k not in skip]
    return sorted(keys, key=lambda k: hashlib.sha1(f"{salt}:{k}".encode()).hexdigest())[:n]


def sample(data: Path = DATA, round_: int = 1) -> list[tuple[str, str, Item]]:
    """(id, profile, item) for the fixed grading sample of one round.

    Round 1 is the sample the reply code has since been tuned on; each later round draws new rows
    (other salts) and leaves out every earlier round's rows and the gold set's dev part, so it is
    unseen by the code."""
    gold_ids = set()
    if GOLD.exists():
        gold_ids = {json.loads(x)["id"] for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()}
    if round_ > 1:  # the gold set's test part is never tuned on: later rounds may draw from it
        gold_ids = {g for g in gold_ids if gold_split(g) == "dev"}
    for earlier in range(1, round_):
        gold_ids |= {gid for gid, _p, _i in sample(data, earlier)}
    salt = "" if round_ == 1 else f"-r{round_}"
    sizes = {**SIZES, **ROUND_SIZES.get(round_, {})}
    out: list[tuple[str, str, Item]] = []
    with (data / "ozon_station_reviews" / "ozon_station_reviews.csv").open(encoding="utf-8") as f:
        oz = {r["review_id"]: r for r in csv.DictReader(f)}
    skip = {i.split(":", 1)[1] for i in gold_ids if i.startswith(("ozon:", "ozon_empty:"))}
    for k in _pick(list(oz), sizes["ozon"], "grade-ozon" + salt, skip):
        r = oz[k]
        out.append((f"ozon:{k}", "clothing", Item(
            k, source="ozon", text=r["text"].strip(), pros=r["pros"].strip(), cons=r["cons"].strip(),
            rating=int(r["rating"]), author=r["author"] or None, product="Умная колонка")))
    # the data has no rating without text, yet marketplaces are full of them: keep author and stars only
    for k in _pick(list(oz), sizes["ozon_empty"], "grade-ozon-empty" + salt, skip | {i.external_id for _g, _p, i in out}):
        r = oz[k]
        out.append((f"ozon_empty:{k}", "clothing", Item(
            k, source="ozon", rating=int(r["rating"]), author=r["author"] or None, product="Умная колонка")))
    with (data / "wb_shirt_reviews" / "wb_shirt_reviews.csv").open(encoding="utf-8") as f:
        wb = {r["Unnamed: 0"]: r for r in csv.DictReader(f) if r["text"].strip()}
    for k in _pick(list(wb), sizes["wb"], "grade-wb" + salt, {i.split(":", 1)[1] for i in gold_ids if i.startswith("wb:")}):
        r = wb[k]
        out.append((f"wb:{k}", "clothing", Item(
            k, source="wildberries", text=r["text"].strip(), rating=int(float(r["mark"])),
            author=r["reviewerName"] or None, product=r["name"] or None, extra={"subject": "Рубашки"})))
    root = ET.parse(data / "sentirueval2015_reviews" / "SentiRuEval_rest_markup_train.xml").getroot()
    revs = {rev.get("id", ""): rev for rev in root.iter("review")}
    skip = {i.split(":", 1)[1] for i in gold_ids if i.startswith("restaurants:")}
    for k in _pick(list(revs), sizes["restaurants"], "grade-rest" + salt, skip):
        rev = revs[k]
        scores = [int(s.text) for s in rev.findall("scores/*") if (s.text or "").strip().isdigit()]
        stars = min(5, max(1, round(sum(scores) / len(scores) / 2))) if scores else None
        out.append((f"restaurants:{k}", "restaurant", Item(
            k, source="file", text=(rev.findtext("text") or "").strip(), rating=stars,
            author=(rev.findtext("meta/user") or "").strip() or None)))
    return out


def draft(label: str, round_: int = 1) -> Path:
    rows = sample(round_=round_)
    pipes = {p: Pipeline(load_profile(bundled_profile_path(p)), seed=1) for p in ("clothing", "restaurant")}
    memory = ReplyMemory()
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"drafts_{label}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for gid, prof, item in rows:
            pipe = pipes[prof]
            an = pipe.analyze([item])
            d = pipe.draft([item], an, memory=memory)[0].draft
            f.write(json.dumps({"id": gid, "profile": prof, "reply": d.text, "reply_type": str(d.reply_type),
                                "needs_human": bool(d.needs_human), "reasons": list(d.reasons)},
                               ensure_ascii=False) + "\n")
    print(f"{len(rows)} drafts → {path}")
    return path


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def sheets(a: str, b: str, n_sheets: int, round_: int = 1) -> None:
    """Blind sheets: per review, the two replies as X and Y in a seeded random order; the key
    (which is which) goes to a separate file the readers never see."""
    items = {gid: item for gid, _p, item in sample(round_=round_)}
    da = {r["id"]: r for r in _read(OUT / f"drafts_{a}.jsonl")}
    db = {r["id"]: r for r in _read(OUT / f"drafts_{b}.jsonl")}
    ids = [i for i in da if i in db]
    rng = random.Random(f"{a}|{b}")
    key = {}
    sheets_out: list[list[dict[str, Any]]] = [[] for _ in range(n_sheets)]
    for k, gid in enumerate(ids):
        it = items[gid]
        flip = rng.random() < 0.5
        x, y = (db[gid], da[gid]) if flip else (da[gid], db[gid])
        key[gid] = {"X": b if flip else a, "Y": a if flip else b}
        sheets_out[k % n_sheets].append({
            "id": gid, "review": {"author": it.author, "rating": it.rating, "product": it.product,
                                  "text": it.text, "pros": it.pros, "cons": it.cons},
            "X": _shown(x), "Y": _shown(y)})
    work = OUT / "work"
    work.mkdir(parents=True, exist_ok=True)
    for s, rows in enumerate(sheets_out, 1):
        (work / f"sheet_{s}.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                                encoding="utf-8")
    (OUT / f"key_{a}_vs_{b}.json").write_text(json.dumps(key, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(ids)} pairs in {n_sheets} sheets under {work}; key in {OUT}")


def _shown(d: dict[str, Any]) -> str:
    if d["reply"]:
        return d["reply"] + ("\n[черновик отложен для человека]" if d["needs_human"] else "")
    return "[ответа нет: передано человеку — " + "; ".join(d["reasons"])[:200] + "]"


def report(a: str, b: str) -> None:
    """Mean, share 4–5, count of 1, tags and the preference split per version."""
    key = json.loads((OUT / f"key_{a}_vs_{b}.json").read_text(encoding="utf-8"))
    grades = _read(OUT / f"grades_{a}_vs_{b}.jsonl")
    per: dict[str, list[int]] = {a: [], b: []}
    tags: dict[str, Counter[str]] = {a: Counter(), b: Counter()}
    by_kind: dict[str, dict[str, list[int]]] = {}
    pref: Counter[str] = Counter()
    for g in grades:
        k = key[g["id"]]
        kind = g["id"].split(":", 1)[0]
        for side in ("X", "Y"):
            version = k[side]
            per[version].append(int(g[side]["score"]))
            tags[version].update(g[side].get("tags", []))
            by_kind.setdefault(kind, {a: [], b: []})[version].append(int(g[side]["score"]))
        pref[k[g["prefer"]] if g.get("prefer") in ("X", "Y") else "tie"] += 1
    print(f"{'version':10} {'n':>4} {'mean':>5} {'4–5':>6} {'=1':>3}")
    for v, sc in per.items():
        n = len(sc)
        print(f"{v:10} {n:4d} {sum(sc) / n:5.2f} {sum(s >= 4 for s in sc) / n:6.1%} {sum(s == 1 for s in sc):3d}")
    for kind, d in sorted(by_kind.items()):
        print("  " + kind + ": " + ", ".join(f"{v} {sum(s) / len(s):.2f} (n={len(s)})" for v, s in d.items() if s))
    print("preferred:", dict(pref))
    for v, c in tags.items():
        print(f"tags {v}:", dict(c.most_common()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("draft")
    d.add_argument("--label", required=True)
    s = sub.add_parser("sheets")
    s.add_argument("--a", default="before")
    s.add_argument("--b", default="after")
    s.add_argument("--n", type=int, default=4)
    r = sub.add_parser("report")
    r.add_argument("--a", default="before")
    r.add_argument("--b", default="after")
    for p in (d, s):
        p.add_argument("--round", type=int, default=1, help="1: the tuned-on sample; 2+: a new, unseen one")
    args = ap.parse_args()
    if args.cmd == "draft":
        draft(args.label, args.round)
    elif args.cmd == "sheets":
        sheets(args.a, args.b, args.n, args.round)
    else:
        report(args.a, args.b)


if __name__ == "__main__":
    main()
