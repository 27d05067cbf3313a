"""Customer first name and gender, from the author field or a signature at the end of the text.

A word counts as a first name only if pymorphy3 tags it 'Name' (dictionary names) and natasha's
first-name list agrees; placeholders («Покупатель», «Пользователь OZON») and nicknames (Latin
letters, digits, underscores) give no name, so a reply never addresses a nickname.
Gender comes from the grammemes masc/femn; common-gender names (Саша, Женя) stay None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from otklik.domain import Gender
from otklik.understand.components.base import Batch
from otklik.understand.resources import Resources

_WORD = re.compile(r"^[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)?$")
_INITIAL = re.compile(r"^[А-ЯЁA-Z]\.?$")
_NICK = re.compile(r"[0-9_@#$%&*+=/\\|<>]|[A-Za-z]")
_TAIL = re.compile(r"(?:^|[.!?\n…)]\s*|,\s*)([А-ЯЁа-яё]+(?:\s+[А-ЯЁ]\.?)?)\s*[.!)]*\s*$")


@dataclass(slots=True, frozen=True)
class Person:
    name: str
    gender: Gender | None


def _capital(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


class NameFinder:
    """Decides whether a word is a real first name and which gender it carries."""

    def __init__(self, res: Resources) -> None:
        self.res = res
        self._cache: dict[str, Person | None] = {}

    def person(self, word: str) -> Person | None:
        w = word.lower().replace("ё", "е")
        if w in self._cache:
            return self._cache[w]
        self._cache[w] = found = self._lookup(w)
        return found

    def _lookup(self, w: str) -> Person | None:
        if len(w) < 2 or not _WORD.match(w):
            return None
        parses: list[Any] = [p for p in self.res.lemmatizer.morph.parse(w) if "Name" in p.tag]
        if not parses:
            return None
        nominative = [p for p in parses if "nomn" in p.tag and "sing" in p.tag]
        if not nominative or (w not in self.res.first_names and nominative[0].normal_form not in self.res.first_names):
            return None
        genders: set[str] = set()
        for p in nominative:
            if "ms-f" in p.tag:
                genders.add("both")
            elif "masc" in p.tag:
                genders.add("m")
            elif "femn" in p.tag:
                genders.add("f")
        gender: Gender | None = None
        if genders == {"m"}:
            gender = "m"
        elif genders == {"f"}:
            gender = "f"
        if w in self.res.ambiguous_names:
            gender = None
        return Person(_capital(w), gender)

    def from_author(self, author: str | None) -> Person | None:
        if not author or not author.strip():
            return None
        a = author.strip()
        if any(r.search(a) for r in self.res.placeholder_res) or _NICK.search(a):
            return None
        words = a.replace(",", " ").split()
        if len(words) > 3:
            return None
        for w in words:
            if _INITIAL.match(w):
                continue
            p = self.person(w.strip("."))
            if p is not None:
                return p
        return None

    def from_signature(self, text: str) -> Person | None:
        """A name alone at the very end («... Спасибо! Ольга», «С уважением, Анна К.»)."""
        m = _TAIL.search(text.strip())
        if not m:
            return None
        word = m.group(1).split()[0]
        if not word[:1].isupper():
            return None
        return self.person(word)


class CustomerComponent:
    name = "customer"

    def __init__(self) -> None:
        self._finder: NameFinder | None = None

    def run(self, batch: Batch) -> None:
        if self._finder is None or self._finder.res is not batch.res:
            self._finder = NameFinder(batch.res)
        finder = self._finder
        for item, an in zip(batch.items, batch.results, strict=True):
            p = finder.from_author(item.author) or finder.from_signature(item.text)
            if p is not None:
                an.customer_name, an.customer_gender = p.name, p.gender
