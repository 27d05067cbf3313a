"""Weakly labelled clauses for the clause-level complaint model (training only).

No data set here labels clauses, but several say which parts of a review complain:

- Ozon: the «Недостатки» (cons) field is a complaint, «Достоинства» (pros) praise; a cons field
  that says there are none («нет», «минусов не нашла») is skipped. Text clauses of 5★ reviews
  with no cons count as non-complaints, of 1–2★ reviews as complaints (at lower weight: a
  1★ review also says neutral things).
- Wildberries: text clauses under 5★ / 1–2★ the same way (low weight, star labels are noisy).
- banki.ru: clauses of 5★ reviews as non-complaints only (low weight). Clauses of 1★ bank reviews
  are mostly the story around the complaint («Оформили ипотеку, подписали договор в банке»);
  labelled complaints they taught the model that narration complains (dev CV, 4 seeds: problem
  F1 0.913 → 0.919, complaints read positive 14 → 11 without them).
- SentiRuEval restaurant and car reviews: a clause holding an aspect term marked negative is a
  complaint, a clause whose terms are all positive is not (spans given by the annotators).
- problem_reviews (finance apps, cars): whole short reviews, problem / noproblem.

Clauses are cut by the analyser's own splitter (``text.make_doc``), so training sees what the
analyser scores. Gold items are left out by their corpus key (a gold review's clauses must not
leak one by one, which a text filter would miss) and by text (``training.GoldFilter``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from otklik.understand import datasets as D
from otklik.understand import gold as G
from otklik.understand.resources import read_yaml
from otklik.understand.text import clauses

LOW_STARS_WEIGHT = 0.5
BANK_WEIGHT = 0.3
MIN_CHARS = 3


@dataclass(slots=True)
class ClauseRows:
    texts: list[str]
    labels: list[int]  # 1 complaint, 0 not
    weights: list[float]
    sources: list[str]

    def add(self, text: str, label: int, weight: float, source: str) -> None:
        text = text.strip()
        if len(text) >= MIN_CHARS:
            self.texts.append(text)
            self.labels.append(label)
            self.weights.append(weight)
            self.sources.append(source)


def no_cons_re() -> re.Pattern[str]:
    pats = read_yaml("patterns.yaml")["no_cons"]
    return re.compile(r"^\W*(?:" + "|".join(pats) + r")\W*$", re.IGNORECASE)


def gold_refs(path: Path = G.GOLD_PATH) -> set[tuple[str, str]]:
    if not Path(path).exists():
        return set()
    return {(r["corpus"], str(r["ref"])) for r in G.read_rows(path)}


def _aspect_clauses(data_dir: Path, name: str, corpus: str, skip: set[tuple[str, str]],
                    exclude: Container[str], rows: ClauseRows, heldout_only: bool) -> None:
    root = ET.parse(data_dir / "sentirueval2015_reviews" / name).getroot()
    for rev in root.iter("review"):
        text = rev.findtext("text") or ""
        if (corpus, rev.get("id", "")) in skip or text.strip() in exclude or (heldout_only and D.is_heldout(text.strip())):
            continue
        marks = [(int(a.get("from", "0")), a.get("sentiment", "")) for a in rev.iter("aspect")]
        pos = 0
        for cl in clauses(text):
            start = text.find(cl, pos)
            if start < 0:
                continue
            end = start + len(cl)
            pos = end
            inside = {s for f, s in marks if start <= f < end}
            if "negative" in inside or "both" in inside:
                rows.add(cl, 1, 1.0, corpus)
            elif "positive" in inside:
                rows.add(cl, 0, 1.0, corpus)


def clause_rows(data_dir: Path, exclude: Container[str] = frozenset(), gold_path: Path = G.GOLD_PATH, *,
                heldout_only: bool = False) -> ClauseRows:
    """Every weakly labelled clause of ``data_dir``, gold items left out; ``heldout_only``: also the
    reviews of the public held-out splits (``datasets.is_heldout``), as the other models do."""
    data_dir = Path(data_dir)
    skip = gold_refs(gold_path)
    denial = no_cons_re()
    rows = ClauseRows([], [], [], [])
    for r in D.ozon_rows(data_dir):
        if ("ozon", r.get("review_id", "")) in skip:
            continue
        text, pros, cons = ((r.get(k) or "").strip() for k in ("text", "pros", "cons"))
        joined = " ".join(p for p in (text, pros, cons) if p)
        if text in exclude or joined in exclude or (heldout_only and D.is_heldout(joined)):
            continue
        real_cons = bool(cons) and not denial.match(cons)
        if real_cons:
            for cl in clauses(cons):
                if not denial.match(cl):
                    rows.add(cl, 1, 1.0, "ozon_cons")
        for cl in clauses(pros):
            rows.add(cl, 0, 1.0, "ozon_pros")
        stars = int(r["rating"]) if (r.get("rating") or "").isdigit() else None
        if stars == 5 and not real_cons:
            for cl in clauses(text):
                rows.add(cl, 0, LOW_STARS_WEIGHT, "ozon_5")
        elif stars is not None and stars <= 2:
            for cl in clauses(text):
                if not denial.match(cl):
                    rows.add(cl, 1, LOW_STARS_WEIGHT, "ozon_low")
    for text, stars, r in D.wb_rows(data_dir):
        if ("wb", r.get("Unnamed: 0", "")) in skip or text in exclude or (heldout_only and D.is_heldout(text)):
            continue
        if stars == 5 or stars <= 2:
            for cl in clauses(text):
                if not denial.match(cl):
                    rows.add(cl, int(stars <= 2), LOW_STARS_WEIGHT, "wb")
    bank = G.corpus_items(data_dir, "bank")
    for key, item in bank.items():
        body = re.sub(r"\.\.\.\s*\d+\s*$", "", item.text)
        if ("bank", key) in skip or item.text in exclude or item.rating != 5 or (heldout_only and D.is_heldout(body)):
            continue
        for cl in clauses(body):
            rows.add(cl, 0, BANK_WEIGHT, "bank")
    _aspect_clauses(data_dir, "SentiRuEval_rest_markup_train.xml", "restaurants", skip, exclude, rows, heldout_only)
    _aspect_clauses(data_dir, "SentiRuEval_car_markup_train.xml", "cars", skip, exclude, rows, heldout_only)
    for domain in ("fin_apps", "auto"):
        with (data_dir / "problem_reviews" / f"{domain}.jsonl").open(encoding="utf-8") as f:
            for i, line in enumerate(f):
                if not line.strip() or (domain, str(i)) in skip:
                    continue
                r = json.loads(line)
                text = r["text"].strip()
                if text not in exclude and not (heldout_only and D.is_heldout(text)):
                    rows.add(text, int(r["problemscore"] == "problem"), 1.0, domain)
    return rows
