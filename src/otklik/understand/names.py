"""First names for addressing a customer: pymorphy3's 'Name' words plus natasha's first-name list.

pymorphy3 knows Russian names with their gender but misses many Tatar, Central-Asian and Caucasian
ones (Гульназ, Лейсян, Нуне); natasha's list (read from the installed wheel, never copied) has those
but also nicknames, typos and oblique forms («Андрея»). So a word only natasha lists counts when
pymorphy3 does not know it as something else; data/names.yaml adds the few fixes. Latin spellings
are read through the letter table there and must land on a known name, so «Zorg» never becomes one.
"""

from __future__ import annotations

import gzip
import math
import re
import tarfile
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from otklik.domain import Gender

_CYR = re.compile(r"[а-я]+")  # after lower() and ё→е
_LATIN = re.compile(r"[a-z]+")
_PERSON = frozenset({"Name", "Surn", "Patr"})
_NOT_WORDS = _PERSON | {"Geox"}  # readings that do not make a name an ordinary word
# Latin endings of Russian surnames, for usernames like «olga.rybnikova» pymorphy3 does not know.
_LATIN_SURNAME = re.compile(r"(?:ov|ova|ev|eva|yov|yova|in|ina|yn|yna|sky|skiy|skii|skaya|skaia|enko|"
                            r"chuk|yuk|iuk|vich|ovich|evich|yan|dze|shvili)$")
_STEP = 1.5  # log10 of corpus frequency one Latin reading step is worth
_MAX_STEPS = 3  # Latin readings further than this from the usual one are not tried
_MAX_READINGS = 400  # per word position, lowest cost kept
_MAX_LATIN = 20  # letters; longer Latin words are not names
_CACHE_LIMIT = 100_000


@dataclass(slots=True, frozen=True)
class NameEntry:
    """A first name: its dictionary spelling (lower case, with ё), gender and how sure we are."""

    spelling: str
    gender: Gender | None
    common: bool  # also an ordinary word (Вера, Роза, Лев): a signature needs it to stand alone
    known: bool  # pymorphy3 or names.yaml vouches for it
    listed: bool  # natasha's list or names.yaml has it

    @property
    def doubt(self) -> int:
        """0 when both sources agree, 1 for pymorphy3 alone, 2 for natasha alone (typos live there)."""
        return 0 if self.known and self.listed else 1 if self.known else 2


def _dict_parses(morph: Any, word: str) -> list[Any]:
    """pymorphy3 parses found in its dictionary (guesses for unknown words are no evidence)."""
    return [p for p in morph.parse(word) if len(p.methods_stack) == 1]


def _nominative_like(p: Any) -> bool:
    return "nomn" in p.tag or p.tag.case is None


def read_natasha_names(dict_dir: Path) -> tuple[dict[str, str], frozenset[str]]:
    """natasha's first-name list (normalised form → its spelling) and the words it marks 'maybe'.

    The 'maybe' file lists names that collide with ordinary words («вера», «роман»); its comments
    (after '#') are dropped like natasha's own loader does.
    """

    def read(name: str) -> list[str]:
        try:
            lines = (dict_dir / name).read_text(encoding="utf-8").splitlines()
        except OSError:
            return []
        return [w for w in (line.split("#")[0].strip().lower() for line in lines) if w]

    first = {w.replace("ё", "е"): w for w in read("first.txt") if _CYR.fullmatch(w.replace("ё", "е"))}
    maybe = frozenset(w.replace("ё", "е") for w in read("maybe_first.txt"))
    return first, maybe


def read_news_counts(navec_tar: Path, keep: Collection[str]) -> dict[str, int]:
    """How often each word of ``keep`` occurs in the news corpus behind natasha's navec table.

    Only the vocabulary counts are read (not the vectors); they tell a common spelling from a
    typo both name lists carry («Игорь» 187,814 against «Игор» 563). Missing file: no counts.
    """
    try:
        with tarfile.open(navec_tar) as tar:
            member = tar.extractfile("vocab.bin")
            raw = gzip.decompress(member.read()) if member is not None else b""
    except (OSError, KeyError, EOFError, tarfile.TarError):
        return {}
    if len(raw) < 4:
        return {}
    size = int(np.frombuffer(raw, "<u4", count=1)[0])
    counts = np.frombuffer(raw, "<u4", count=size, offset=4).tolist()
    words = raw[4 + 4 * size :].decode("utf-8").split("\n")
    out: dict[str, int] = {}
    for word, count in zip(words, counts, strict=False):
        key = word.replace("ё", "е")
        if key in keep:
            out[key] = out.get(key, 0) + count
    return out


class Latin:
    """Reads a Latin-letter word as Cyrillic candidates, cheapest first (data/names.yaml 'letters')."""

    def __init__(self, letters: dict[str, list[Any]]) -> None:
        # first letter → (group, start only, end only, [(Cyrillic, cost)]); a nested list is one cost
        self._groups: dict[str, list[tuple[str, bool, bool, list[tuple[str, int]]]]] = {}
        for key, options in letters.items():
            text = key.strip("^$")
            readings = [(str(o), k) for k, opt in enumerate(options) for o in (opt if isinstance(opt, list) else [opt])]
            self._groups.setdefault(text[0], []).append((text, key.startswith("^"), key.endswith("$"), readings))
        missing = set("abcdefghijklmnopqrstuvwxyz") - set(self._groups)
        if missing:
            raise ValueError(f"names.yaml latin letters lack {''.join(sorted(missing))}")

    def readings(self, word: str) -> list[tuple[str, int]]:
        """Cyrillic readings of a lower-case Latin word with their cost (steps away from usual)."""
        n = len(word)
        tails: list[dict[str, int]] = [{} for _ in range(n + 1)]
        tails[n][""] = 0
        for i in range(n - 1, -1, -1):
            out: dict[str, int] = {}
            fits = [(text, options) for text, at_start, at_end, options in self._groups.get(word[i], ())
                    if word.startswith(text, i) and not (at_start and i) and not (at_end and i + len(text) != n)]
            longest = max((len(t) for t, _ in fits), default=0)
            for text, options in fits:
                j = i + len(text)
                split = 0 if len(text) == longest else 1  # «ia» read as «и»+«а» costs a step
                for option, k in options:
                    for tail, cost in tails[j].items():
                        c = cost + k + split
                        s = option + tail
                        if c <= _MAX_STEPS and c < out.get(s, _MAX_STEPS + 1):
                            out[s] = c
            if len(out) > _MAX_READINGS:
                out = dict(sorted(out.items(), key=lambda kv: kv[1])[:_MAX_READINGS])
            tails[i] = out
        return sorted(tails[0].items(), key=lambda kv: (kv[1], kv[0]))


class NameBook:
    """Look-ups of first names and surnames; one per analyser (built by Resources), cached per word."""

    def __init__(self, morph: Any, data: dict[str, Any], natasha_dict_dir: Path, navec_tar: Path | None = None) -> None:
        self.morph = morph
        self.navec_tar = navec_tar
        self.first, self.maybe = read_natasha_names(natasha_dict_dir)
        norm = _normal
        self.ambiguous = frozenset(norm(w) for w in data.get("ambiguous_gender") or [])
        self.signature_leads = tuple(str(x).lower() for x in data.get("signature_leads") or [])
        self.extra: dict[str, tuple[str, Gender | None]] = {
            norm(w): (str(w).lower(), g if g in ("m", "f") else None) for w, g in (data.get("extra_names") or {}).items()
        }
        self.not_names = frozenset(norm(w) for w in data.get("not_names") or [])
        latin = data.get("latin") or {}
        self.latin_words = frozenset(str(w).lower() for w in latin.get("words") or [])
        self.spellings = {str(k).lower(): str(v) for k, v in (latin.get("spellings") or {}).items()}
        self.latin = Latin(latin.get("letters") or {})
        self._names: dict[str, NameEntry | None] = {}
        self._latin_names: dict[str, NameEntry | None] = {}
        self._surnames: dict[str, bool] = {}

    # -- Cyrillic ---------------------------------------------------------------------------
    def name(self, word: str) -> NameEntry | None:
        """The first name this Cyrillic word is, or None («Стол», «Котик», «Андрея», «Иванова»)."""
        w = _normal(word)
        if w in self._names:
            return self._names[w]
        if len(self._names) > _CACHE_LIMIT:
            self._names.clear()
        found = self._names[w] = self._lookup(w)
        return found

    def _lookup(self, w: str) -> NameEntry | None:
        if len(w) < 2 or not _CYR.fullmatch(w) or w in self.not_names:
            return None
        parses = _dict_parses(self.morph, w)
        common = self._is_common(parses) or w in self.maybe
        if w in self.extra:
            spelling, gender = self.extra[w]
            return NameEntry(spelling, gender, common, True, True)
        noms = [p for p in parses if "Name" in p.tag and "nomn" in p.tag and "sing" in p.tag]
        if noms:
            listed = w in self.first or w in self.maybe
            return NameEntry(str(noms[0].normal_form), self._gender(w, noms), common, True, listed)
        if w not in self.first or not self._natasha_only_ok(parses):
            return None
        return NameEntry(self.first[w], None, common, False, True)

    def _gender(self, w: str, noms: list[Any]) -> Gender | None:
        if w in self.ambiguous:
            return None
        genders = {"both" if "ms-f" in p.tag else "m" if "masc" in p.tag else "f" if "femn" in p.tag else "?"
                   for p in noms}
        if genders == {"m"}:
            return "m"
        if genders == {"f"}:
            return "f"
        return None

    @staticmethod
    def _is_common(parses: list[Any]) -> bool:
        """Also an ordinary word in the nominative (вера, лев, дана «given»), gerunds aside (коля)."""
        score = sum(p.score for p in parses
                    if _nominative_like(p) and not (_NOT_WORDS & p.tag.grammemes) and p.tag.POS != "GRND")
        return score >= 0.1

    @staticmethod
    def _natasha_only_ok(parses: list[Any]) -> bool:
        """A word only natasha lists is a name unless pymorphy3 reads it as something else.

        Refused: an ordinary word or place in the nominative (ягода, Астана), a surname (Ильин),
        mostly a form of a common word (вас), or mostly a form of one other name (Андрея, Саш).
        """
        if not parses:
            return True
        if any(_nominative_like(p) and (not (_PERSON & p.tag.grammemes) or "Surn" in p.tag or "Patr" in p.tag)
               for p in parses):
            return False
        person = sum(p.score for p in parses if _PERSON & p.tag.grammemes)
        by_name: Counter[str] = Counter()
        for p in parses:
            if "Name" in p.tag:
                by_name[str(p.normal_form)] += p.score
        return person >= 0.5 and max(by_name.values(), default=0.0) < 0.75

    def is_surname(self, word: str) -> bool:
        """pymorphy3 reads this Cyrillic word as a surname or patronymic in the nominative."""
        w = _normal(word)
        hit = self._surnames.get(w)
        if hit is None:
            if len(self._surnames) > _CACHE_LIMIT:
                self._surnames.clear()
            hit = self._surnames[w] = bool(_CYR.fullmatch(w)) and any(
                ("Surn" in p.tag or "Patr" in p.tag) and "nomn" in p.tag for p in _dict_parses(self.morph, w))
        return hit

    def surname_first(self, word: str) -> bool:
        """Read as a surname more readily than as a first name («Ким», not «Роман» or «Богдан»)."""
        parses = _dict_parses(self.morph, _normal(word))
        surn = sum(p.score for p in parses if "Surn" in p.tag and "nomn" in p.tag)
        name = sum(p.score for p in parses if "Name" in p.tag and "nomn" in p.tag)
        return surn > name

    # -- Latin ------------------------------------------------------------------------------
    @cached_property
    def news_counts(self) -> dict[str, int]:
        """Corpus counts of the listed names, read on the first Latin look-up (about 0.3 s)."""
        if self.navec_tar is None:
            return {}
        return read_news_counts(self.navec_tar, set(self.first) | self.maybe | set(self.extra))

    def latin_name(self, word: str) -> NameEntry | None:
        """The first name a Latin spelling stands for («Yulia» → юлия), or None («Zorg»)."""
        w = word.lower()
        if w in self._latin_names:
            return self._latin_names[w]
        if len(self._latin_names) > _CACHE_LIMIT:
            self._latin_names.clear()
        found = self._latin_names[w] = self._latin_lookup(w)
        return found

    def _latin_lookup(self, w: str) -> NameEntry | None:
        if not 2 <= len(w) <= _MAX_LATIN or not _LATIN.fullmatch(w) or w in self.latin_words:
            return None
        if w in self.spellings:
            return self.name(self.spellings[w])
        # A step away from the usual reading weighs as much as a 30-fold commoner name in the news.
        best: tuple[float, int, NameEntry] | None = None
        counts = self.news_counts
        for reading, cost in self.latin.readings(w):
            key = _normal(reading)
            if key not in self.first and not self.morph.word_is_known(reading):
                continue
            entry = self.name(reading)
            if entry is None:
                continue
            rank = (_STEP * cost - math.log10(counts.get(key, 0) + 1), entry.doubt)
            if best is None or rank < best[:2]:
                best = (rank[0], rank[1], entry)
        return best[2] if best else None

    def latin_surname(self, word: str) -> bool:
        """A Latin word that reads as a surname or patronymic («petrova», «Ivanovich»)."""
        w = word.lower()
        if not 3 <= len(w) <= _MAX_LATIN or not _LATIN.fullmatch(w):
            return False
        if len(w) >= 5 and _LATIN_SURNAME.search(w):
            return True
        return any(self.morph.word_is_known(r) and self.is_surname(r)
                   for r, cost in self.latin.readings(w) if cost <= 1)


def _normal(word: str) -> str:
    return str(word).lower().replace("ё", "е")
