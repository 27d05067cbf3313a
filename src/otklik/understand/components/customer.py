"""Customer first name and gender, from the author field or a signature at the end of the text.

A reply that addresses a nickname or the wrong name is worse than one without a name, so a word
counts only if the name book (understand/names.py) knows it as a first name. Placeholders
(«Покупатель», «Пользователь предпочёл скрыть свои данные») give no name; usernames do when their
parts are a name plus digits, initials or a surname («Irina78», «anna_k», «olga.petrova»), and
Latin spellings are given the Russian spelling of the name they stand for («Yulia» → «Юлия»).
The customer's own Cyrillic spelling is kept («Артём», «Алена»); only the capitals are fixed.
A surname-first form («Иванова Мария», «ivanova_maria», «Рыбников Р.») and a shared account with
two first names («olga+sergey») give no name: which word, or whom, to address is a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from otklik.domain import Gender
from otklik.understand.components.base import Batch
from otklik.understand.names import NameBook, NameEntry
from otklik.understand.resources import Resources

# Only Cyrillic words, spaces, commas and initials' dots: the author typed a name, not a username.
_PLAIN = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*\.?(?:[\s,]+[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*\.?)*")
_CYR_WORD = re.compile(r"[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*")
_CHUNK = re.compile(r"[A-Za-zА-ЯЁа-яё]+(?:-[A-Za-zА-ЯЁа-яё]+)*|\d+")
# Username parts: «IrinaPetrova» → Irina, Petrova; «xXx» → x, Xx; «ANNA» stays whole.
_PART = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[А-ЯЁ]?[а-яё]+|[А-ЯЁ]+(?![а-яё])|\d+")
_LATIN = re.compile(r"[A-Za-z]+")
_MAX_WORDS = 3  # more words than «Фамилия Имя Отчество» is a phrase, not a name
_TAIL = re.compile(
    r"(?P<lead>^|[.!?…)\n]|,)\s*(?P<name>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
    r"(?:[ \t]+(?P<second>[А-ЯЁ]\.?|[А-ЯЁ][а-яё]+))?[ \t]*(?P<trail>[.!)]*)\s*$"
)
_CACHE_LIMIT = 100_000


@dataclass(slots=True, frozen=True)
class Person:
    name: str
    gender: Gender | None


@dataclass(slots=True, frozen=True)
class _Found:
    spelling: str  # as the reply should write it
    entry: NameEntry
    key: str  # Cyrillic form for the surname-first test


def _capital(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


# pet forms a reply never uses: «Васька», «Светулька», «Стеллочка», «Лёлик», «Эдик» («Эрик», «Патрик», «Ник» are names)
_FAMILIAR = re.compile(r"(?:[^и]ька|улька|юшка|ушка|енька|онька|ленка|ёнка|очка|ечка|ичка|ишка|\w[^р]ик|ёк|уся|юся)$",
                       re.IGNORECASE)


class NameFinder:
    """Decides which first name, if any, an author field or a signature gives; cached per author."""

    def __init__(self, res: Resources) -> None:
        self.res = res
        self.book: NameBook = res.names
        self._authors: dict[str, Person | None] = {}

    def _cyrillic(self, word: str) -> _Found | None:
        parts = word.split("-")
        entries = [self.book.name(p) for p in parts]
        if not entries or any(e is None for e in entries):
            return None
        first = entries[0]
        assert first is not None
        return _Found(_capital(word), first, parts[0])

    def _latin(self, word: str) -> _Found | None:
        entries = [self.book.latin_name(p) for p in word.split("-")]
        # a Latin spelling is read by guesswork: both name sources must vouch for the reading
        # («Visca» → «Висса» pymorphy3 alone, «nata» → «Ната» natasha alone: no name)
        if not entries or any(e is None or e.doubt for e in entries):
            return None
        spelling = "-".join(_capital(e.spelling) for e in entries if e is not None)
        first = entries[0]
        assert first is not None
        return _Found(spelling, first, first.spelling)

    def from_author(self, author: str | None) -> Person | None:
        if not author or not author.strip():
            return None
        a = " ".join(author.split())
        if a in self._authors:
            return self._authors[a]
        if len(self._authors) > _CACHE_LIMIT:
            self._authors.clear()
        found = self._authors[a] = self._from_author(a)
        return found

    def _from_author(self, a: str) -> Person | None:
        if any(r.search(a) for r in self.res.placeholder_res):
            return None
        plain = bool(_PLAIN.fullmatch(a))
        names = self._plain_names(a) if plain else self._username_names(a)
        if not names:
            return None
        chosen = names[0]
        # «Корнеева Алла», «Ким Анна», «Рыбников Р.»: a surname-first form gives no name (GUIDE.md):
        # the first word must itself be the first name
        if self.book.surname_first(chosen.key) or (plain and not self._starts_with(a, chosen)):
            return None
        if not plain and len({n.entry.spelling for n in names}) > 1:
            return None  # «Nataly+Andrey»: a shared account, and we cannot tell who wrote
        if "-" in chosen.spelling and self._two_people(chosen.spelling):
            return None  # «Natalia-Dima»: two people, not a double name like «Анна-Мария»
        if _FAMILIAR.search(chosen.spelling):  # «Васька», «Светулька»: a reply never calls anyone that
            return None
        parts = chosen.spelling.split("-")
        spelling = parts[0] if len(parts) == 2 and parts[0].lower() == parts[1].lower() else chosen.spelling
        return Person(spelling, chosen.entry.gender)  # «lika-lika» → Лика

    @staticmethod
    def _tail(a: str, found: list[_Found], part: str) -> bool:
        """A surname-like tail right after a first name of 4+ letters, joined in camel case or by a
        space: «RitaSea», «OlyaSummer», «Artur Korol» (not «Nik_Lan», «Ameli_Berluscon»)."""
        if len(found) != 1 or len(found[0].spelling) < 4 or not part[:1].isupper():
            return False
        at = a.find(part)
        return at > 0 and (a[at - 1] == " " or a[at - 1].isalpha())

    def _two_people(self, spelling: str) -> bool:
        genders = {e.gender for p in spelling.split("-") if (e := self.book.name(p)) is not None}
        return {"m", "f"} <= genders

    @staticmethod
    def _starts_with(a: str, found: _Found) -> bool:
        words = [w for w in _CYR_WORD.findall(a) if len(w) > 1]
        return bool(words) and _capital(words[0]) == found.spelling

    def _plain_names(self, a: str) -> list[_Found]:
        """Names among the words of «Анна К.», «Мария Иванова», «Рыбников Р.» (the last has none)."""
        words = _CYR_WORD.findall(a)
        if len(words) > _MAX_WORDS:
            return []
        return [f for w in words if len(w) > 1 and (f := self._cyrillic(w)) is not None]

    def _username_names(self, a: str) -> list[_Found] | None:
        """Names in a username; any Latin part that is not a name, surname or initial makes it a nickname."""
        found: list[_Found] = []
        words = 0
        for chunk in _CHUNK.findall(a):
            if chunk.isdigit():
                continue
            whole = None
            if "-" in chunk:  # «Anna-Maria», «Анна-Мария»: a double name, else separate parts
                whole = self._latin(chunk) if _LATIN.fullmatch(chunk.replace("-", "")) else self._cyrillic(chunk)
            if whole is not None:
                found.append(whole)
                words += 1
                continue
            for part in _PART.findall(chunk.replace("-", " ")):
                if part.isdigit() or len(part) == 1:
                    continue
                words += 1
                if words > _MAX_WORDS + 1:
                    return None
                if _LATIN.fullmatch(part):
                    f = self._latin(part)
                    if f is None and not self.book.latin_surname(part) and not self._tail(a, found, part):
                        return None  # «Zorg», «Diller4», «Nik_Lan»: a nickname
                else:
                    f = self._cyrillic(part)
                if f is None and not found:
                    return None  # «ivanova_maria», «Петрова.Анна»: surname first, no name
                if f is not None:
                    found.append(f)
        return found

    def from_signature(self, text: str) -> Person | None:
        """A name alone at the very end («… Спасибо! Ольга», «С уважением, Анна К.»).

        A name that is also an ordinary word (Вера, Надежда, Любовь, Роза, Лев) must stand alone in
        the last sentence (or follow «С уважением,») and not end with «!», or «Любовь!» would be one.
        """
        body = text.strip()
        m = _TAIL.search(body)
        if not m:
            return None
        found = self._cyrillic(m.group("name"))
        if found is None:
            return None
        second = m.group("second")
        if second and len(second.rstrip(".")) > 1 and not self.book.is_surname(second):
            return None
        lead = m.group("lead")
        if found.entry.common:
            before = body[: m.start()].rstrip().lower()
            if not before or m.group("trail") not in ("", "."):
                return None
            if lead == "," and not before.endswith(self.book.signature_leads):
                return None
        return Person(found.spelling, found.entry.gender)


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
