"""Aspects with their own sentiment, from the taxonomy (data/taxonomy.yaml) and the profile's own aspects.

Per clause: a taxonomy "negative"/"positive" pattern gives the aspect and its sentiment at once
(«маломерит» → size_fit negative); a plain term takes the clause's polarity. Longer matches win
over shorter overlapping ones («маленькая порция» is food, not size); an aspect's ``exclude``
patterns («смотреться дорого» is not about price) win their words and name nothing. A profile
aspect on the same words as a taxonomy pattern takes the pattern's polarity. Mentions without
polarity are dropped, except in questions, where every mention is neutral: it names what is
asked about («есть синтетика?» is not a complaint). Patterns after «если» are hypothetical and
only name the aspect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from otklik.domain import AspectMention, Sentiment
from otklik.understand.components.aspect_polarity import AspectHead, head_row, mention_features
from otklik.understand.components.base import Batch
from otklik.understand.components.fastpatterns import TwoLemmaIndex
from otklik.understand.components.scope import Scope
from otklik.understand.lexicon import Match, PatternSet
from otklik.understand.resources import Resources

POLAR = 0.75
_MARKETPLACES = frozenset({"ozon", "wildberries", "yandex_market"})
_SKIP_BY_KIND = {"restaurant": "goods", "service": "goods", "marketplace_seller": "services", "shop": "services"}


@dataclass(slots=True)
class _Hit:
    aspect: str
    sentiment: Sentiment
    evidence: str
    via_pattern: bool
    clause: int = -1
    p: tuple[float, float, float] | None = None  # a plain term's learned (negative, neutral, positive)


def _select(matches: list[tuple[Match, str]]) -> list[tuple[Match, str]]:
    """Greedy: longest first (the profile's own aspects win ties, exclusions lose them), no overlaps."""
    taken: list[tuple[int, int]] = []
    out = []
    for m, kind in sorted(matches, key=lambda x: (-(x[0].end - x[0].start), x[0].start, x[1] != "custom",
                                                  x[1] == "excl", x[1])):
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        taken.append((m.start, m.end))
        out.append((m, kind))
    return sorted(out, key=lambda x: x[0].start)


def candidate_rows(hits: list[_Hit], merged: list[AspectMention], rating: int | None) -> list[tuple[str, list[float]]]:
    """(aspect id, head features) for every aspect with a hit, polar or not, in first-hit order."""
    old = {m.id: str(m.sentiment) for m in merged}
    by: dict[str, list[_Hit]] = {}
    for h in hits:
        by.setdefault(h.aspect, []).append(h)
    out = []
    for aspect, hs in by.items():
        pat = [h for h in hs if h.via_pattern]
        terms = [h for h in hs if not h.via_pattern]
        out.append((aspect, head_row(
            sum(h.sentiment == Sentiment.POSITIVE for h in pat), sum(h.sentiment == Sentiment.NEGATIVE for h in pat),
            [h.p for h in terms if h.p is not None], sum(h.sentiment == Sentiment.POSITIVE for h in terms),
            sum(h.sentiment == Sentiment.NEGATIVE for h in terms), old.get(aspect, "none"), rating, len(by))))
    return out


class AspectComponent:
    name = "aspects"

    def __init__(self, custom: PatternSet | None = None) -> None:
        self.custom = custom
        self._scope: Scope | None = None
        self._all: TwoLemmaIndex | None = None

    def _data(self, res: Resources) -> tuple[Scope, TwoLemmaIndex]:
        """The scope rules, and every taxonomy pattern in one set (one scan per clause, not four)."""
        if self._scope is None or self._all is None:
            self._scope = Scope.from_patterns(res.patterns)
            ps = PatternSet()
            for a in res.taxonomy["aspects"]:
                for field, kind in (("negative", "neg"), ("positive", "pos"), ("terms", "term"), ("exclude", "excl")):
                    ps.extend(f"{kind}:{a['id']}", a.get(field, []) or [], res.lemmatizer)
            self._all = TwoLemmaIndex(ps)
        return self._scope, self._all

    @staticmethod
    def _mention_p(res: Resources, lemmas: list[str], m: Match, score: float, cue: float) -> tuple[float, float, float]:
        """A plain term's own polarity from the learned mention model (aspect_polarity.py)."""
        p = res.aspect_polarity.proba(mention_features(lemmas, m.start, m.end, score, cue,
                                                       res.sentiment_model.featurizer.lexicon, res.negators))
        return p["negative"], p["neutral"], p["positive"]

    @staticmethod
    def guess_skip(item_source: str, lemmas: list[str], res: Resources) -> str:
        """Without a profile: which aspect family cannot apply to this one item.

        A marketplace review is about goods; otherwise the words decide («официант», «зал»,
        «банк» → a service; «заказ», «размер», «упаковка» → goods); a tie leaves every aspect.
        """
        if item_source in _MARKETPLACES:
            return "services"
        cues = res.domain_cues
        goods = sum(1 for w in lemmas if w in cues["goods"])
        services = sum(1 for w in lemmas if w in cues["services"])
        if services > goods:
            return "goods"
        if goods > services:
            return "services"
        return ""

    def run(self, batch: Batch) -> None:
        res = batch.res
        info = res.aspect_info
        fixed = _SKIP_BY_KIND.get(batch.profile.business.kind, "") if batch.profile else None
        scope, patterns = self._data(res)
        for i, doc in enumerate(batch.docs):
            lemma_set = set(doc.lemmas)
            # the product's own name counts for the domain checks («Большая очень» under a shirt)
            context = lemma_set | set(res.lemmatizer.lemmas(batch.items[i].product or ""))
            skip = fixed if fixed is not None else self.guess_skip(batch.items[i].source, doc.lemmas, res)
            # an aspect that needs its family's words («рукав», «ткань» for size_fit) stays silent without them
            on_marketplace = batch.items[i].source in _MARKETPLACES
            silent = {a.id for a in info.values()
                      if a.requires and fixed is None and not (a.requires == "shipping" and on_marketplace)
                      and not (context & res.domain_cues.get(a.requires, frozenset()))}
            scores = batch.notes[i]["clause_scores"]
            cues = batch.notes[i]["clause_cues"]
            question = batch.results[i].kind == "question"
            hits: list[_Hit] = []
            for c, lemmas in enumerate(doc.clause_lemmas):
                toks = doc.clause_tokens[c]
                found: list[tuple[Match, str]] = []
                for m in patterns.find(lemmas):
                    kind, key = m.key.split(":", 1)
                    a = info.get(key)
                    if a is None or (a.applies != skip and key not in silent):
                        found.append((Match(key, m.start, m.end, m.pattern), kind))
                polar_spans = {(m.start, m.end): k for m, k in found if k in ("neg", "pos")}
                if self.custom is not None:
                    found += [(m, "custom") for m in self.custom.find(lemmas)]
                for m, kind in _select(found):
                    if kind == "excl":
                        continue
                    words = " ".join(toks[m.start : m.end])
                    if kind == "custom" and (m.start, m.end) in polar_spans:
                        kind = polar_spans[(m.start, m.end)]  # «громко»: the profile's «music», a complaint
                    if question:
                        hits.append(_Hit(m.key, Sentiment.NEUTRAL, words, False, c))
                        continue
                    if kind in ("neg", "pos") and scope.is_hypothetical(lemmas, m):
                        kind = "term"
                    elif kind == "neg" and scope.expected_before(lemmas, m.start):
                        kind = "term"  # «думал, что пришёл брак»: what the writer feared, not what happened
                    if kind == "term" and info[m.key].patterns_only:
                        continue  # «поэтому возврат»: a return in passing is no complaint about returns
                    if kind in ("term", "custom"):
                        s = scores[c]
                        sent = Sentiment.POSITIVE if s >= POLAR else Sentiment.NEGATIVE if s <= -POLAR else Sentiment.NEUTRAL
                        hits.append(_Hit(m.key, sent, words, False, c, self._mention_p(res, lemmas, m, s, cues[c])))
                        continue
                    if kind == "neg" and scope.denied_after(lemmas, m):
                        continue  # «брака нет»: no complaint, and not praise worth a mention either
                    negated = scope.negated_before(lemmas, m)
                    positive = (kind == "pos") != negated
                    if negated:
                        words = " ".join(toks[max(0, m.start - 2) : m.end])
                    hits.append(_Hit(m.key, Sentiment.POSITIVE if positive else Sentiment.NEGATIVE, words, True, c))
            about_app = bool(lemma_set & res.domain_cues["app"])
            if not about_app:
                # «зависает», «тормозит» about a speaker or a car: the device works badly, not an app
                hits = [replace(h, aspect="functionality") if h.aspect == "app_website"
                        else h for h in hits]
            elif fixed is None and not on_marketplace and not (context & res.domain_cues["goods"]):
                # a review of an app or an online bank: «работает стабильно» is about the app
                hits = [replace(h, aspect="app_website") if h.aspect == "functionality"
                        else h for h in hits]
            merged = self._merge(hits, keep_neutral=question)
            cands = [] if question else candidate_rows(hits, merged, batch.items[i].rating)
            batch.notes[i]["aspect_candidates"] = cands
            batch.notes[i]["rule_aspects"] = [m.sentiment for m in merged]
            head = res.aspect_head
            batch.results[i].aspects = merged if question or head is None else self._decide(cands, hits, merged, head)

    @staticmethod
    def _decide(cands: list[tuple[str, list[float]]], hits: list[_Hit], merged: list[AspectMention],
                head: AspectHead) -> list[AspectMention]:
        """The learned head's verdict on each aspect the matcher named: keep it, relabel it, or drop it."""
        old = {m.id: m for m in merged}
        out = []
        for aspect, row in cands:
            if aspect not in old:
                continue  # no polar word for it («на случай, если сломается»): the head never invents one
            label = head.predict(row)
            if label != "none" and old[aspect].sentiment == Sentiment.MIXED:
                label = "mixed"  # praised here, criticised there: the head may drop it, not pick a side
            if label != "none":
                out.append(AspectMention(id=aspect, sentiment=Sentiment(label), evidence=old[aspect].evidence))
        return out

    @staticmethod
    def _merge(hits: list[_Hit], *, keep_neutral: bool) -> list[AspectMention]:
        by: dict[str, list[_Hit]] = {}
        explained = {h.clause for h in hits if h.via_pattern}  # a pattern owns its clause's polarity
        for h in hits:
            by.setdefault(h.aspect, []).append(h)
        out: list[AspectMention] = []
        for aspect, hs in by.items():
            sents = {h.sentiment for h in hs} - {Sentiment.NEUTRAL}
            if Sentiment.POSITIVE in sents and Sentiment.NEGATIVE in sents:
                # a pattern-based polarity beats a clause-polarity guess; a guess from a clause no
                # pattern explains is a second opinion: «разгон слабый… двигатель работает отлично»
                # («…, а горячее ждали час»: the waiting pattern owns that clause, food stays praised)
                pat = {h.sentiment for h in hs if h.via_pattern} - {Sentiment.NEUTRAL}
                own = any(not h.via_pattern and h.sentiment not in pat and h.sentiment != Sentiment.NEUTRAL
                          and h.clause not in explained for h in hs)
                sent = pat.pop() if len(pat) == 1 and not own else Sentiment.MIXED
            elif sents:
                sent = sents.pop()
            elif keep_neutral:
                sent = Sentiment.NEUTRAL
            else:
                continue
            ev: list[str] = []
            for h in hs:
                if (h.sentiment == sent or sent in (Sentiment.MIXED, Sentiment.NEUTRAL)) and h.evidence not in ev:
                    ev.append(h.evidence)
            out.append(AspectMention(id=aspect, sentiment=sent, evidence=", ".join(ev[:3])))
        return out
