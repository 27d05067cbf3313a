"""Phrase banks (YAML beside this module) and the renderer that fills their placeholders.

A template names what it needs: ``{product:loct}``, ``{thing}``, ``{agree:подошёл}``,
``{related_agree:понравится}``, ``{name}``, ``{remedy}``… The renderer skips templates whose
placeholders have no value for this item, inflects noun phrases and makes words agree using
:class:`~otklik.compose.morph.Morph`, so the grammar is done by morphology, not string glue.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from otklik.compose.morph import CASES, Morph
from otklik.datafiles import load_yaml_mapping
from otklik.errors import ComposeError

PHRASES_DIR = _PHRASES = Path(__file__).parent / "phrases"
_SLOT = re.compile(r"\{(\w+)(?::([^{}]+))?\}")
_AGREE = {"agree": "product", "related_agree": "related", "occasion_agree": "occasion", "dishes_agree": "dishes"}
_PRONOUN = re.compile(r"(?<![А-Яа-яЁё])(вы|вас|вам|вами|ваш[а-я]*)(?![А-Яа-яЁё])", re.IGNORECASE)


class PhraseBank:
    """The YAML phrase banks, loaded on first use and kept on the instance."""

    def __init__(self, directory: Path = _PHRASES) -> None:
        self.directory = directory

    def _load(self, name: str) -> dict[str, Any]:
        return load_yaml_mapping(self.directory / f"{name}.yaml", ComposeError, "phrase bank")

    @cached_property
    def common(self) -> dict[str, Any]:
        return self._load("common")

    @cached_property
    def aspects(self) -> dict[str, Any]:
        return self._load("aspects")

    @cached_property
    def fake(self) -> dict[str, Any]:
        return self._load("fake")

    @cached_property
    def details(self) -> dict[str, Any]:
        return self._load("details")

    @cached_property
    def noted(self) -> dict[str, Any]:
        return self._load("noted")

    @cached_property
    def asides_at_5(self) -> set[str]:
        """Aspects whose complaint under 5★ is an aside (aspects.yaml ``aside_at_5``), e.g. the price."""
        return {k for k, v in self.aspects.items() if isinstance(v, dict) and v.get("aside_at_5")}

    def aspect(self, aspect_id: str) -> dict[str, Any]:
        return self.aspects.get(aspect_id) or self.aspects["_generic"]

    def aspect_lemmas(self, aspect_id: str) -> list[str]:
        return list((self.aspects.get(aspect_id) or {}).get("lemmas", []))


@dataclass
class Renderer:
    """Fills templates for one draft attempt: the context values, the morphology and the dice."""

    morph: Morph
    rng: random.Random
    context: dict[str, str | None] = field(default_factory=dict)
    formal: bool = True
    used: set[str] = field(default_factory=set)
    named: bool = False  # the product has been named once in this draft
    recast: dict[str, list[str]] = field(default_factory=dict)  # complaint clauses of a recast aspect (``becomes``)

    _SHORTENED = ("product", "thing")

    def available(self, template: str) -> bool:
        for key, arg in _SLOT.findall(template):
            base = _AGREE.get(key, key)
            if self.context.get(base) in (None, ""):
                return False
            if key not in _AGREE and arg and arg not in CASES:
                return False
        return True

    def pick(
        self, options: list[str], *, accept: Callable[[str], bool] | None = None, **extra: str | None
    ) -> str | None:
        """Render a random available template (not one used before in this draft), or None.

        With ``accept``, only a rendering it accepts is returned (e.g. a clause that fits the review)."""
        saved = dict(self.context)
        self.context.update(extra)
        try:
            fits = [t for t in options if self.available(t)]
            fresh = [t for t in fits if t not in self.used] or fits
            if not fresh:
                return None
            if accept is None:
                template = self.rng.choice(fresh)
                self.used.add(template)
                return self.render(template)
            order = list(fresh)
            self.rng.shuffle(order)
            for template in order:
                text = self.render(template)
                if accept(text):
                    self.used.add(template)
                    return text
            return None
        finally:
            self.context = saved

    def render(self, template: str) -> str:
        def fill(m: re.Match[str]) -> str:
            key, arg = m.group(1), m.group(2)
            if key in _AGREE:
                phrase = self.context[_AGREE[key]] or ""
                return self.morph.agree(arg, self.morph.agreement(phrase))
            value = self.context.get(key) or ""
            if key in self._SHORTENED and value:
                # named once in full («об умной колонке»), then by its noun («колонка»): no echo of a title
                if self.named and " " in value:
                    thing = self.context.get("thing")
                    # «рубашка оверсайз из льна» → «рубашка»; «умная колонка» → «колонка»
                    value = (thing if thing and thing != value else None) or self.context.get("short") or value
                self.named = True
            if arg:
                return self.morph.inflect_phrase(value, arg)
            return value

        return fix_prepositions(_SLOT.sub(fill, template))

    def polite(self, text: str) -> str:
        """Capitalise «Вы/Вас/Вам/Ваш…» in formal tone (texts that come from the profile)."""
        if not self.formal:
            return text
        return _PRONOUN.sub(lambda m: m.group(1)[0].upper() + m.group(1)[1:].lower(), text)


_O_BEFORE_VOWEL = re.compile(r"\b([Оо]) (?=[аэиоуыАЭИОУЫ])")
_O_BEFORE_VSE = re.compile(r"\b([Оо]) (?=(?:всём|всем|всех|мне)\b)")


def fix_prepositions(text: str) -> str:
    """«о артикуле» → «об артикуле», «о всём» → «обо всём»: a slot filler can start with anything."""
    text = _O_BEFORE_VSE.sub(lambda m: m.group(1) + "бо ", text)
    return _O_BEFORE_VOWEL.sub(lambda m: m.group(1) + "б ", text)


def sentence_case(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def lower_first(text: str, morph: Morph) -> str:
    """Lower-case a name's first letter for use mid-sentence, unless it is an abbreviation or a name."""
    words = text.split()
    if not words:
        return text
    first = words[0]
    if len(first) > 1 and first[1:2].isupper():  # abbreviation or brand in capitals
        return text
    if first[:1].isupper() and re.fullmatch(r"[А-ЯЁ][а-яё-]+", first):
        tag = morph.tag(first.lower())
        if "Name" in tag or "Geox" in tag or "Surn" in tag:
            return text
        return first[:1].lower() + text[1:]
    return text


def informal(text: str) -> str:
    """Informal tone: «вы» in lower case except at the start of a sentence."""
    def low(m: re.Match[str]) -> str:
        start = m.start()
        before = text[:start].rstrip()
        if not before or before[-1] in ".!?…":
            return m.group(1)
        return m.group(1).lower()

    return _PRONOUN.sub(low, text)
