"""Sentiment fused with stars: the text wins where they disagree, and the disagreement is recorded."""

from __future__ import annotations

from otklik.domain import Sentiment


def test_five_stars_with_a_complaint_inside_is_not_positive(one):
    an = one("Рубашка красивая, но после первой стирки полиняла и на рукаве появилась дырка. Очень обидно", rating=5)
    assert an.sentiment in (Sentiment.NEGATIVE, Sentiment.MIXED)
    assert an.rating_disagrees
    assert an.problem
    assert "defect" in {a.id for a in an.complaints}


def test_one_star_with_praise_reads_as_praise_and_flags_the_mismatch(one):
    an = one("Отличная рубашка, качество супер, сидит идеально, всем рекомендую!", rating=1)
    assert an.text_sentiment == Sentiment.POSITIVE
    assert an.sentiment == Sentiment.POSITIVE
    assert an.rating_disagrees
    assert not an.problem
    assert "rating_text_mismatch" in {s.id for s in an.fake_signals}


def test_four_stars_likes_everything_but_runs_small_is_mixed_with_size_complaint(one):
    an = one("Всё нравится, но маломерит", rating=4)
    assert an.sentiment == Sentiment.MIXED
    size = [a for a in an.aspects if a.id == "size_fit"]
    assert size and size[0].sentiment == Sentiment.NEGATIVE
    assert "маломерит" in size[0].evidence
    assert not an.rating_disagrees


def test_short_text_without_opinion_takes_the_stars(one):
    an = one("Норм", rating=5)
    assert an.sentiment == Sentiment.POSITIVE
    assert not an.rating_disagrees


def test_plain_complaint_without_stars(one):
    an = one("Ужасное качество, швы кривые, пахнет химией. Верните деньги")
    assert an.sentiment == Sentiment.NEGATIVE
    assert an.problem
    assert {"quality", "smell"} <= {a.id for a in an.complaints}


def test_cons_field_counts_as_a_complaint(one):
    an = one("Хорошая рубашка, ткань приятная", rating=5, cons="сильно мнётся после стирки")
    assert an.sentiment in (Sentiment.MIXED, Sentiment.NEGATIVE)


def test_empty_cons_is_not_a_complaint(one):
    an = one("Отличная рубашка, сидит идеально", rating=5, cons="нет")
    assert an.sentiment == Sentiment.POSITIVE
    assert not an.problem


def test_model_scores_are_kept_for_audit(one):
    an = one("Очень довольна покупкой", rating=5)
    assert abs(sum(v for k, v in an.scores.items() if k.startswith("sentiment_")) - 1) < 1e-3
    assert 0 <= an.scores["problem"] < 0.5


def test_one_word_without_opinion_does_not_overrule_five_stars(one):
    an = one("Нет", rating=5)
    assert an.sentiment == Sentiment.POSITIVE
    assert not an.rating_disagrees and not an.fake_signals


def test_five_stars_with_praise_and_one_reservation_is_mixed_not_a_disagreement(one):
    for text in ("Хорошая рубашка, но большемерит. Оставила, рекомендую",
                 "Блуза очень симпатичная, но мне, к сожалению, не подошёл размер"):
        an = one(text, rating=5)
        assert an.sentiment == Sentiment.MIXED, text
        assert not an.rating_disagrees and "stars_text_disagree" not in an.doubts, text


def test_four_stars_that_list_only_what_could_be_better_is_not_a_disagreement(one):
    an = one("Резинка на рукавах сильно давит, рукав коротковат", rating=4)
    assert an.problem and not an.rating_disagrees
