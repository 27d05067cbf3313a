"""Everything the analyser loads once: models, YAML data, compiled patterns, name dictionaries.

Owned by one ``Analyzer`` instance and built lazily on first use (no import-time work, no
module-level caches), so two analysers with different profiles never share mutable state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from otklik.datafiles import load_yaml_mapping
from otklik.errors import ModelError
from otklik.understand.components.aspect_polarity import AspectHead, MentionPolarity
from otklik.understand.components.decision import DecisionModel
from otklik.understand.features import NAVEC_FILE, natasha_data_dir
from otklik.understand.lexicon import PatternSet
from otklik.understand.modelfile import MODELS_DIR, TrainedModel, load_model
from otklik.understand.names import NameBook
from otklik.understand.text import Lemmatizer

DATA_DIR = Path(__file__).parent / "data"


@dataclass(slots=True, frozen=True)
class AspectInfo:
    id: str
    name: str
    applies: str  # goods / services / both / custom
    requires: str = ""  # a domain_cues family the text must show («apparel» for size and fabric)
    patterns_only: bool = False  # a plain term in a negative clause names nothing («поэтому возврат»)


def read_yaml(name: str) -> dict[str, Any]:
    return load_yaml_mapping(DATA_DIR / name, ModelError, "analyser data file")


class Resources:
    """Lazily loaded models and data for one analyser."""

    def __init__(self, models_dir: Path | None = None) -> None:
        self.models_dir = models_dir or MODELS_DIR
        self.lemmatizer = Lemmatizer()
        self.decision_required = True
        self.aspect_head_required = True  # training turns this off to compute the heads' inputs first

    # -- models ---------------------------------------------------------------------------
    def _model(self, name: str) -> TrainedModel:
        model = load_model(name, self.models_dir)
        model.featurizer.attach(self.lemmatizer)
        return model

    @cached_property
    def sentiment_model(self) -> TrainedModel:
        return self._model("sentiment")

    @cached_property
    def problem_model(self) -> TrainedModel:
        """Whole-review complaint model (finance apps, cars): scored on the public rows by evaluation."""
        return self._model("problem")

    @cached_property
    def clause_model(self) -> TrainedModel:
        """Clause-level complaint model (weakly labelled clauses, see clause_data.py)."""
        return self._model("complaint_clause")

    @cached_property
    def aspect_polarity(self) -> MentionPolarity:
        """Polarity of one aspect mention from its window (aspect_polarity.py)."""
        return MentionPolarity.load(self.models_dir)

    @cached_property
    def aspect_head(self) -> AspectHead | None:
        """The review-level aspect decision; None while ``otklik train`` computes its inputs."""
        if not self.aspect_head_required:
            return None
        return AspectHead.load(self.models_dir)

    @cached_property
    def decision(self) -> DecisionModel | None:
        """The review-level heads (decision.py); None while ``otklik train`` computes their inputs."""
        if not self.decision_required:
            return None
        return DecisionModel.load(self.models_dir)

    # -- data files -----------------------------------------------------------------------
    @cached_property
    def taxonomy(self) -> dict[str, Any]:
        return read_yaml("taxonomy.yaml")

    @cached_property
    def patterns(self) -> dict[str, Any]:
        return read_yaml("patterns.yaml")

    @cached_property
    def aspect_info(self) -> dict[str, AspectInfo]:
        return {a["id"]: AspectInfo(a["id"], a["name"], a.get("applies", "both"), a.get("requires", ""),
                                    bool(a.get("patterns_only")))
                for a in self.taxonomy["aspects"]}

    def _patternset(self, items: dict[str, list[str]]) -> PatternSet:
        ps = PatternSet()
        for key, pats in items.items():
            ps.extend(key, pats or [], self.lemmatizer)
        return ps

    @cached_property
    def aspect_terms(self) -> PatternSet:
        return self._patternset({a["id"]: a.get("terms", []) for a in self.taxonomy["aspects"]})

    @cached_property
    def aspect_negative(self) -> PatternSet:
        return self._patternset({a["id"]: a.get("negative", []) for a in self.taxonomy["aspects"]})

    @cached_property
    def aspect_positive(self) -> PatternSet:
        return self._patternset({a["id"]: a.get("positive", []) for a in self.taxonomy["aspects"]})

    @cached_property
    def cues(self) -> PatternSet:
        c = self.patterns["sentiment_cues"]
        return self._patternset({"negative": c["negative"], "positive": c["positive"]})

    @cached_property
    def taken_back(self) -> PatternSet:
        """Phrases where a complaint word means none («жаль, что раньше не купила», «к сожалению, не
        знаю всех имён»): patterns.yaml ``reservations.exclude``."""
        return self._patternset({"exclude": self.patterns.get("reservations", {}).get("exclude", [])})

    @cached_property
    def contrast(self) -> PatternSet:
        return self._patternset({"contrast": self.patterns["sentiment_cues"]["contrast"]})

    @cached_property
    def negators(self) -> frozenset[str]:
        return frozenset(self.patterns["sentiment_cues"]["negators"])

    @cached_property
    def domain_cues(self) -> dict[str, frozenset[str]]:
        """Lemmas that say an item is about goods or about a service (used without a profile)."""
        d = self.patterns["domain_cues"]
        return {k: frozenset(v) for k, v in d.items()}

    @cached_property
    def no_cons(self) -> re.Pattern[str]:
        """A «Недостатки» field that says there are none («нет», «минусов не нашла», «без нареканий»)."""
        return re.compile(r"^\W*(?:" + "|".join(self.patterns["no_cons"]) + r")\W*$", re.IGNORECASE)

    @cached_property
    def problem_denied(self) -> re.Pattern[str]:
        """A clause saying a typical trouble did not happen («не пришлось ждать», «ни разу не подвёл»)."""
        return re.compile("|".join(f"(?:{p})" for p in self.patterns["problem_denied"]), re.IGNORECASE)

    @cached_property
    def failure_cues(self) -> PatternSet:
        """A device failure said outright («подвисает», «отключается»): a complaint under any stars."""
        return self._patternset({"failure": self.patterns["failure_cues"]})

    @cached_property
    def problem_cues(self) -> PatternSet:
        return self._patternset({"problem": self.patterns["problem_cues"]})

    @cached_property
    def question_openers(self) -> PatternSet:
        q = self.patterns["questions"]
        return self._patternset({"opener": q["openers"], "inside": q["inside"], "rhetorical": q["rhetorical"],
                                 "direct": q["direct"], "address": q["address"]})

    @cached_property
    def question_topics(self) -> PatternSet:
        return self._patternset(self.patterns["question_topics"])

    @cached_property
    def placeholder_res(self) -> list[re.Pattern[str]]:
        return [re.compile(p, re.IGNORECASE) for p in self.patterns["name_placeholders"]]

    @cached_property
    def names(self) -> NameBook:
        """First names: pymorphy3 plus natasha's list read from the installed wheel, fixes from names.yaml."""
        data = natasha_data_dir()
        return NameBook(self.lemmatizer.morph, read_yaml("names.yaml"), data / "dict", data / "emb" / NAVEC_FILE)

    def warm(self) -> None:
        """Load everything now (for benchmarks and servers that want a predictable first call)."""
        _ = (self.sentiment_model, self.clause_model, self.decision, self.aspect_polarity, self.aspect_head, self.aspect_terms, self.aspect_negative,
             self.aspect_positive, self.cues, self.contrast, self.problem_cues, self.failure_cues, self.question_openers,
             self.question_topics, self.placeholder_res, self.names, self.names.news_counts)
        self.sentiment_model.featurizer.dense(["прогрев"])
        self.clause_model.featurizer.dense(["прогрев"])
