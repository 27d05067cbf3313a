"""Readers for the review data under ``../shared/data`` (training and evaluation only).

Every reader returns plain ``(text, label)`` lists and applies the label mapping documented in
models/MODEL_CARD.md, so training and evaluation read the data the same way.
Held-out splits are fixed (seeded hash of the text), so they never change between runs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from otklik.errors import InputError

DEFAULT_DATA_DIR = Path("../shared/data")
HELDOUT_SHARE = 0.2

Pairs = list[tuple[str, str]]


@dataclass(slots=True)
class Split:
    train: Pairs
    test: Pairs


def is_heldout(text: str, share: float = HELDOUT_SHARE, salt: str = "otklik-2026") -> bool:
    """A fixed, order-independent split: the text's hash decides, not a random state."""
    h = hashlib.sha1(f"{salt}:{text}".encode()).digest()
    return int.from_bytes(h[:4], "big") / 2**32 < share


def fixed_split(rows: Pairs) -> Split:
    train = [r for r in rows if not is_heldout(r[0])]
    test = [r for r in rows if is_heldout(r[0])]
    return Split(train, test)


def _need(path: Path) -> Path:
    if not path.exists():
        raise InputError("data file not found (pass --data-dir pointing at shared/data)", file=path)
    return path


# -- SentiRuEval-2016 bank / telecom tweets --------------------------------------------------
_TWEET_META = {"id", "twitid", "date", "text"}


def read_tweets_xml(path: Path) -> Pairs:
    """One label per tweet from its company columns (1/0/-1/NULL).

    A tweet with a polar value for some company takes that polarity (a neutral mention of a
    second company does not cancel it); a tweet with both +1 and -1 is dropped (ambiguous).
    """
    root = ET.parse(_need(path)).getroot()
    out: Pairs = []
    for table in root.iter("table"):
        cols = {c.get("name"): (c.text or "") for c in table.findall("column")}
        text = cols.get("text", "").strip()
        vals = {v.strip() for k, v in cols.items() if k not in _TWEET_META and v.strip() in {"1", "0", "-1"}}
        if not text or not vals:
            continue
        if {"1", "-1"} <= vals:
            continue
        label = "positive" if "1" in vals else "negative" if "-1" in vals else "neutral"
        out.append((text, label))
    return out


def tweets(data_dir: Path, domain: str) -> Split:
    base = data_dir / "sentirueval_banks_telecom_2015"
    prefix = "banks" if domain == "banks" else "telecoms"
    return Split(read_tweets_xml(base / f"{prefix}_train.xml"), read_tweets_xml(base / f"{prefix}_test_etalon.xml"))


# -- RuSentiTweet --------------------------------------------------------------------------
def rusentitweet(data_dir: Path) -> Split:
    """positive / negative / neutral kept; 'speech' (greetings, thanks) and 'skip' dropped."""
    rows: Pairs = []
    with _need(data_dir / "rusentitweet" / "rusentitweet_train.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            lab = (r.get("label") or "").strip()
            if lab in {"positive", "negative", "neutral"} and (r.get("text") or "").strip():
                rows.append((r["text"].strip(), lab))
    return fixed_split(rows)


# -- Problem reviews (Tutubalina 2016) --------------------------------------------------------
def problem_reviews(data_dir: Path, domain: str) -> Split:
    name = "fin_apps.jsonl" if domain == "fin_apps" else "auto.jsonl"
    rows: Pairs = []
    with _need(data_dir / "problem_reviews" / name).open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                rows.append((r["text"].strip(), "problem" if r["problemscore"] == "problem" else "noproblem"))
    return fixed_split(rows)


# -- Star-rated reviews (weak sentiment labels) -----------------------------------------------
def stars_to_label(stars: int) -> str:
    return "negative" if stars <= 2 else "neutral" if stars == 3 else "positive"


_BANK_TAIL = re.compile(r"\.\.\.\s*\d+\s*$")


def rated_reviews(data_dir: Path) -> list[tuple[str, int, str]]:
    """(text, stars, source) from banki.ru, Ozon and Wildberries reviews."""
    out: list[tuple[str, int, str]] = []
    with _need(data_dir / "bank_reviews" / "bank_reviews.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = _BANK_TAIL.sub("", r.get("Review Text") or "").strip()
            if text and (r.get("Rating") or "").strip().isdigit():
                out.append((text, int(r["Rating"]), "bank"))
    with _need(data_dir / "ozon_station_reviews" / "ozon_station_reviews.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            parts = [r.get("text") or "", r.get("pros") or "", r.get("cons") or ""]
            text = " ".join(p.strip() for p in parts if p.strip())
            if text and (r.get("rating") or "").strip().isdigit():
                out.append((text, int(r["rating"]), "ozon"))
    for text, stars, _row in wb_rows(data_dir):
        out.append((text, stars, "wb"))
    return out


def wb_rows(data_dir: Path) -> list[tuple[str, int, dict[str, str]]]:
    rows = []
    with _need(data_dir / "wb_shirt_reviews" / "wb_shirt_reviews.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = (r.get("text") or "").strip()
            try:
                stars = int(float(r.get("mark") or ""))
            except ValueError:
                continue
            if text:
                rows.append((text, stars, r))
    return rows


def ozon_rows(data_dir: Path) -> list[dict[str, str]]:
    with _need(data_dir / "ozon_station_reviews" / "ozon_station_reviews.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- SentiRuEval-2015 aspect-annotated reviews --------------------------------------------------
ASPECT_CATEGORIES = {
    "restaurants": ["Food", "Interior", "Price", "Service", "Whole"],
    "cars": ["Appearance", "Comfort", "Costs", "Driveability", "Reliability", "Safety", "Whole"],
}


def aspect_reviews(data_dir: Path, domain: str) -> tuple[list[tuple[str, dict[str, str]]], list[tuple[str, dict[str, str]]]]:
    """(text, {category: positive/negative/neutral/both/absence}) per review, fixed split."""
    name = "SentiRuEval_rest_markup_train.xml" if domain == "restaurants" else "SentiRuEval_car_markup_train.xml"
    root = ET.parse(_need(data_dir / "sentirueval2015_reviews" / name)).getroot()
    rows: list[tuple[str, dict[str, str]]] = []
    for rev in root.iter("review"):
        text = (rev.findtext("text") or "").strip()
        cats = {c.get("name", ""): c.get("sentiment", "absence") for c in rev.iter("category")}
        labels = {k: cats.get(k, "absence") for k in ASPECT_CATEGORIES[domain]}
        if text:
            rows.append((text, labels))
    train = [r for r in rows if not is_heldout(r[0])]
    test = [r for r in rows if is_heldout(r[0])]
    return train, test
