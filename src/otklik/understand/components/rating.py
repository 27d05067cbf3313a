"""Fuse the text's sentiment with the star rating: the text wins where they disagree.

The stars decide when the text has no opinion («Норм», «Пришло») or when only the whole-text
model has one (no cue word, polar clause or aspect backs it). A disagreement is recorded when
the text is polar against the stars, or two-sided under an extreme rating with the wrong side
heavier (a 5★ whose complaint outweighs its praise, a 1★ that is mostly praise). A 5★ with praise
and one reservation («всё отлично, только курьер опоздал», «хорошая, но большемерит») is the
ordinary mixed review, not a disagreement; nor is a 4★ that lists only what could be better.

A two-sided text under 1–2★ whose complaint side is at least as heavy as its praise is a
complaint («ужасное качество… не покупайте, деньги на ветер», «цвет не как на фото»): a word
of praise inside an angry review does not make it "mixed".
"""

from __future__ import annotations

from otklik.domain import Sentiment
from otklik.understand.components.base import Batch


def stars_sentiment(rating: int | None) -> Sentiment | None:
    if rating is None:
        return None
    return Sentiment.POSITIVE if rating >= 4 else Sentiment.NEGATIVE if rating <= 2 else Sentiment.NEUTRAL


LOW_STARS_NEG_SHARE = 0.5  # complaint mass ≥ this × praise mass under 1–2★ → negative


def fuse(text: Sentiment, rating: int | None, mass: tuple[float, float] = (0.0, 0.0),
         model_only: bool = False) -> tuple[Sentiment, bool]:
    stars = stars_sentiment(rating)
    if stars is None:
        return text, False
    if model_only and stars != Sentiment.NEUTRAL and text != stars:
        # no cue word, clause or aspect backs the whole-text model: the customer's stars are the
        # better evidence («Рубашка вся кривая» 1★ is not praise because a tweet model says so)
        return stars, False
    pos_mass, neg_mass = mass
    if text == Sentiment.MIXED and stars == Sentiment.NEGATIVE and neg_mass >= LOW_STARS_NEG_SHARE * pos_mass > 0:
        return Sentiment.NEGATIVE, False
    if text == Sentiment.NEUTRAL:
        return stars, False
    if text == Sentiment.NEGATIVE and rating == 5 and pos_mass > 0:
        return Sentiment.MIXED, False  # «Блуза симпатичная, но не подошёл размер» 5★: praise and a reservation
    disagrees = (
        (text == Sentiment.NEGATIVE and rating == 5)
        or (text == Sentiment.POSITIVE and stars == Sentiment.NEGATIVE)
        or (text == Sentiment.MIXED and rating == 5 and neg_mass > pos_mass)
        or (text == Sentiment.MIXED and rating == 1 and pos_mass > neg_mass)
    )
    return text, disagrees


class RatingFusionComponent:
    name = "rating_fusion"

    def run(self, batch: Batch) -> None:
        for item, an, note in zip(batch.items, batch.results, batch.notes, strict=True):
            an.sentiment, an.rating_disagrees = fuse(an.text_sentiment or Sentiment.NEUTRAL, item.rating,
                                                     note.get("sentiment_mass", (0.0, 0.0)),
                                                     model_only=note.get("text_basis") == "model")
