"""Throughput and peak memory of `otklik analyze` and `otklik draft` on 10,000 items.

Run: .venv/bin/python benchmarks/pipeline_bench.py [--n 10000]
Each phase runs in its own process so peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _phase(phase: str, n: int) -> dict:
    from common import peak_rss_mb, realistic_items

    from otklik.compose import ReplyMemory
    from otklik.profile import load_profile
    from otklik.workflow.pipeline import Pipeline

    items = realistic_items(n)
    t0 = time.perf_counter()
    pipe = Pipeline(load_profile(None), seed=1)
    pipe.analyzer.analyze(items[:1])  # load models
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    analyses = pipe.analyze(items)
    analyze_s = time.perf_counter() - t1
    out = {"phase": phase, "items": n, "load_s": round(load_s, 2), "analyze_items_per_s": round(n / analyze_s, 1)}
    if phase == "draft":
        t2 = time.perf_counter()
        drafted = pipe.draft(items, analyses, memory=ReplyMemory())
        draft_s = time.perf_counter() - t2
        out["draft_items_per_s"] = round(n / draft_s, 1)
        out["end_to_end_items_per_s"] = round(n / (analyze_s + draft_s), 1)
        texts = [d.draft.text for d in drafted if d.draft.text]
        out["identical_replies"] = len(texts) - len(set(texts))
        out["needs_human"] = sum(1 for d in drafted if d.draft.needs_human)
        out["handed_off_to_avoid_a_clone"] = sum(1 for d in drafted if d.draft.reasons and d.draft.reasons[0].startswith("R-UNIQUE: каждый"))
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--phase", choices=["analyze", "draft"])
    args = ap.parse_args()
    if args.phase:
        print(json.dumps(_phase(args.phase, args.n)))
        return
    for phase in ("analyze", "draft"):
        res = subprocess.run([sys.executable, __file__, "--phase", phase, "--n", str(args.n)],
                             capture_output=True, text=True, check=True)
        r = json.loads(res.stdout.strip().splitlines()[-1])
        if phase == "analyze":
            print(f"analyze: {r['items']} items, {r['analyze_items_per_s']} items/s after {r['load_s']} s load, "
                  f"peak memory {r['peak_rss_mb']} MB")
        else:
            print(f"draft:   {r['items']} items, {r['draft_items_per_s']} items/s drafting "
                  f"({r['end_to_end_items_per_s']} items/s analyse+draft), peak memory {r['peak_rss_mb']} MB, "
                  f"identical replies: {r['identical_replies']}, need a person: {r['needs_human']} "
                  f"(of them {r['handed_off_to_avoid_a_clone']} handed off because every variant repeated an earlier reply)")


if __name__ == "__main__":
    main()
