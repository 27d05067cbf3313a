"""Which of the analyser's complaints a reply may apologise for (R-FIT, «never contradict the review»).

The analyser marks an aspect *mixed* when it found words of both kinds about it. In a short review
that is a real complaint beside praise («велика, но ткань приятная»). In a long, glowing review it
is mostly other people's opinions, general remarks and praise with a negation in it («много
комментариев про плохое обслуживание, но нас обслуживал очень приятный молодой человек», «в таких
заведениях обычно приходится долго ждать»). Graded blind, every apology for a mixed aspect in a
long 4–5★ venue review was for something the guest never complained of. A matter of perception
(price, ambience) under 5★ is the guest's aside («дороговато, но мы не пожалели»), not a grievance;
and a complaint found only in sentences that report hearsay or take it back at once is not the
customer's own (phrase bank common.yaml ``hearsay_cues``, ``worth_it_cues``).

When the complaint detector found no problem in a positive 4–5★ review, an aspect word read
negative there is the aspect reader's mistake, and it is set aside too.

So before a reply is composed, the complaints no honest reader would apologise for are set aside:
the reply neither apologises for them nor praises them. What is left is an ordinary analysis.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from otklik.compose.morph import Morph
from otklik.domain import Analysis, AspectMention, Item, Sentiment

LONG_WORDS = 60  # a review this long talks about many things, most in passing
# «…углы мятые, станция работает»: a bare «работает» read negative from the clause around it says the
# opposite of a complaint; it is one only with a negation or a qualifier in the text itself
_WORKS = re.compile(r"(?:вс[её]\s+)?работа(?:ет|ют|л|ла|ло|ли)", re.IGNORECASE)
_WORKS_BADLY = re.compile(r"(?:не|плохо|криво|странно|через раз|с перебоями|неправильно|некорректно)\s+работа",
                          re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True, slots=True)
class Licensed:
    """The analysis the reply is composed from, and the aspect ids set aside."""

    analysis: Analysis
    set_aside: tuple[str, ...] = ()


class Licence:
    """Sets aside the complaints that are not the customer's own grievance (see module docstring)."""

    def __init__(self, morph: Morph, *, asides_at_5: set[str], hearsay: Sequence[str], worth_it: Sequence[str],
                 leaving: Sequence[str] = ()) -> None:
        self.morph = morph
        self.asides_at_5 = asides_at_5
        self.leaving = [self._seq(c) for c in leaving]
        self.hearsay = [self._seq(c) for c in hearsay]
        self.worth_it = [self._seq(c) for c in worth_it]

    def _seq(self, text: str) -> str:
        return self.morph.lemma_line(text)

    def apply(self, item: Item, analysis: Analysis) -> Licensed:
        stars = item.rating
        long_text = len(item.full_text.split()) >= LONG_WORDS
        firm = [a for a in analysis.complaints if a.sentiment == Sentiment.NEGATIVE]
        drop: list[str] = []
        # «…но сюда я больше не пойду»: whatever the praise around it, the customer's verdict is a grievance
        leaving = any(c in self._seq(item.full_text) for c in self.leaving)
        if self._no_problem(stars, analysis) and not leaving:
            drop = [a.id for a in analysis.complaints]
        for aspect in analysis.complaints if not drop else ():
            diffuse = stars is not None and aspect.sentiment == Sentiment.MIXED and not leaving and (
                stars == 5 or long_text and (stars >= 4 or bool(firm)))
            aside = stars == 5 and aspect.id in self.asides_at_5 and not leaving
            heard = aspect.sentiment == Sentiment.NEGATIVE and not self._own(item.full_text, aspect)
            works = bool(_WORKS.fullmatch(aspect.evidence.strip())) and not _WORKS_BADLY.search(item.full_text)
            if diffuse or aside or heard or works:
                drop.append(aspect.id)
        if not drop:
            return Licensed(analysis)
        aspects = [a for a in analysis.aspects if a.id not in drop]
        left = [a for a in aspects if a.sentiment in (Sentiment.NEGATIVE, Sentiment.MIXED)]
        changes: dict[str, object] = {"aspects": aspects}
        # the complaint detector found a problem and the text itself does not read as praise
        # («подключилась быстро… но я разочаровалась, просишь одно — делает другое»): the aspect it
        # was pinned to is set aside, the grievance is not — the careful reply, held for a person
        unplaced = analysis.problem and analysis.text_sentiment != Sentiment.POSITIVE
        if not left and (stars or 0) >= 4 and analysis.text_sentiment != Sentiment.NEGATIVE and not unplaced:
            # nothing left to apologise for in a 4–5★ review: it is answered as the praise it is
            changes |= {"problem": False, "sentiment": Sentiment.POSITIVE}
        return Licensed(dataclasses.replace(analysis, **changes), tuple(drop))

    @staticmethod
    def _no_problem(stars: int | None, analysis: Analysis) -> bool:
        """The complaint detector (a learned whole-review reading, far surer than one aspect word) found
        no problem in a positive 4–5★ review: an aspect word read negative there is a misreading
        («очень приятно, когда хорошую кухню не подводит плохое обслуживание»), not a grievance."""
        return not analysis.problem and analysis.sentiment == Sentiment.POSITIVE and (stars is None or stars >= 4)

    def _own(self, text: str, aspect: AspectMention) -> bool:
        """Whether some sentence with the complaint's evidence is the customer's own, standing complaint."""
        found = evidence_sentences(text, aspect)
        if not found:
            return True  # nothing to check against: the analyser's word stands
        for sentence in found:
            lemmas = self._seq(sentence)
            if not any(c in lemmas for c in self.hearsay) and not any(c in lemmas for c in self.worth_it):
                return True
        return False


def evidence_sentences(text: str, aspect: AspectMention) -> list[str]:
    """The sentences of a review that hold one of the aspect's evidence words (the complaint's own sentence)."""
    terms = [t.strip().lower() for t in aspect.evidence.split(",") if t.strip()]
    return [x for x in _SENTENCE.split(text) if any(t in x.lower() for t in terms)]
