"""Only complaints the customer made are apologised for (compose/licence.py): a long glowing review that
mentions other people's complaints or a passing «дороговато» gets thanks, not an apology; rough words
are never said back; a dish is praised only where the guest praised it."""

from __future__ import annotations

import re

import pytest

from otklik.compose import Composer, ReplyMemory
from otklik.domain import Analysis, AspectMention, Item, ItemKind, Sentiment
from otklik.profile import BusinessProfile
from otklik.understand import Analyzer

APOLOGY = re.compile(r"прост|прощ|извин|сожале|жаль|неловко", re.I)
POS, NEG, MIX = Sentiment.POSITIVE, Sentiment.NEGATIVE, Sentiment.MIXED

GLOWING = (
    "Отмечали с друзьями встречу выпускников, столик бронировали заранее. Хочу сказать, что остались очень "
    "довольны. Интерьер спокойный и уютный, музыка тихая, не мешает разговаривать. Меню большое, всё очень "
    "вкусно, особенно запомнились драники со сметаной. В интернете много жалоб на плохое обслуживание, но нас "
    "обслуживала очень внимательная девушка, вежливая и весёлая. В таких местах обычно приходится долго ждать, "
    "а здесь горячее принесли минут через десять. Для нас ценник дороговат, но мы ни капли не пожалели. "
    "Обязательно придём ещё!"
)


def _reply(composer: Composer, profile: BusinessProfile, item: Item) -> str:
    an = Analyzer(profile).analyze([item])[0]
    return composer.draft(item, an, memory=ReplyMemory()).text or ""


@pytest.mark.parametrize("stars", [4, 5])
def test_a_long_glowing_venue_review_gets_no_apology(cafe: Composer, restaurant: BusinessProfile, stars: int) -> None:
    for i in range(6):
        text = _reply(cafe, restaurant, Item(f"glow{stars}-{i}", text=GLOWING, rating=stars, author="Оксана"))
        assert text and not APOLOGY.search(text), text


def test_the_same_review_under_few_stars_with_a_firm_complaint_keeps_its_apology(cafe: Composer) -> None:
    # a firm complaint (the food) beside an aspect praised and criticised (the staff): only the food is apologised for
    item = Item("firm", text=GLOWING, rating=3)
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[
        AspectMention("food", NEG, "холодный суп"), AspectMention("staff_service", MIX, "плохое обслуживание, вежливая")])
    text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
    assert APOLOGY.search(text), text
    assert not re.search(r"сотрудник|персонал|официант|обслуживан", text.split("\n")[0].split("!", 1)[-1]), text


def test_price_under_five_stars_is_an_aside_not_a_grievance(cafe: Composer) -> None:
    item = Item("price5", text="Дороговато, но всё было очень вкусно, спасибо поварам!", rating=5)
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[
        AspectMention("price", NEG, "дороговато"), AspectMention("food", POS, "очень вкусно")])
    for i in range(6):
        item.external_id = f"price5-{i}"
        text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
        assert not APOLOGY.search(text) and not re.search(r"\bцен[аыуе]|деньг|стоимост", text), text


def test_a_real_complaint_in_a_short_review_is_still_apologised_for(shop: Composer) -> None:
    item = Item("big", text="Оказалась велика, ношу 44, а эта как 48", rating=4, product="Рубашка")
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[AspectMention("size_fit", MIX, "оказалась велика, в размер")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert APOLOGY.search(text), text
    assert not re.search(r"(рады|приятно)[^.]*велика", text), text  # the complaint is never praised


def test_rough_words_are_never_said_back(shop: Composer) -> None:
    item = Item("rude", text="Колонка тупая, с первого раза не слышит", rating=2, product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("functionality", NEG, "колонка тупая")])
    for i in range(6):
        item.external_id = f"rude-{i}"
        text = shop.draft(item, an, memory=ReplyMemory()).text or ""
        assert "тупая" not in text and APOLOGY.search(text), text


def test_a_dish_is_said_back_only_from_a_clause_that_praises_it(cafe: Composer, restaurant: BusinessProfile) -> None:
    text_ = ("Персонал приветливый, всё приносили быстро. Салат — тарелка капусты и два ломтика курицы. "
             "А вот хинкали просто обалденные!")
    for i in range(6):
        text = _reply(cafe, restaurant, Item(f"dish-{i}", text=text_, rating=4))
        assert "куриц" not in text and "салат" not in text.lower(), text


@pytest.mark.parametrize("text_", [
    "Ждали горячее больше часа, а нас даже не предупредили.",
    "Обычно всё хорошо, но в этот раз суп принесли холодным.",
    "Пишу отзыв, потому что ждали заказ больше часа.",
])
def test_the_customers_own_complaint_is_never_set_aside(cafe: Composer, text_: str) -> None:
    first = text_.split(",")[0].split(" ")[-1]
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("wait_time", NEG, "ждали")])
    text = cafe.draft(Item("own", text=text_, rating=2), an, memory=ReplyMemory()).text or ""
    assert APOLOGY.search(text) and re.search(r"ожидани|ждать|долго", text), (first, text)


def test_a_remedy_with_its_own_subject_is_never_put_after_we(restaurant: BusinessProfile) -> None:
    # a profile whose cleanliness remedy has its own subject: «управляющая лично проверит зал…»
    from otklik.profile import Remedy

    own = Remedy(type="contact", text="управляющая лично проверит зал и свяжется с вами")
    cafe = Composer(restaurant.model_copy(update={"remedies": {**restaurant.remedies, "cleanliness": [own]}}), seed=1)
    for i in range(12):
        item = Item(f"dirty-{i}", text="На столе крошки, пол липкий", rating=2)
        an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("cleanliness", NEG, "пол липкий")])
        text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
        assert "управляющая лично" in text and not re.search(r"\bмы (обязательно )?управляющая", text, re.I), text


def test_a_long_review_with_many_complaints_is_not_answered_by_arguing_a_fact(
        cafe: Composer, restaurant: BusinessProfile) -> None:
    text_ = ("Были в пятницу вечером компанией. Салат несли минут сорок, горячее ещё полчаса, официантка ничего "
             "не могла рассказать о вине, а на десерт мы уже не остались. Атмосфера приятная, но не более того, "
             "а на втором этаже очень душно и накурено. Музыка играла так громко, что приходилось кричать, "
             "счёт принесли с чужим блюдом, и пришлось ждать, пока его пересчитают. Больше не придём.")
    item = Item("long-fact", text=text_, rating=2)
    an = Analyzer(restaurant).analyze([item])[0]
    draft = cafe.draft(item, an, memory=ReplyMemory())
    assert draft.moderator_report is not None and draft.needs_human  # the fact still goes to the moderator
    assert "этаж" not in (draft.text or "") and APOLOGY.search(draft.text or ""), draft.text


@pytest.mark.parametrize("rating", [1, 3, 5])
def test_a_two_word_review_is_never_thanked_for_its_detail(shop: Composer, rating: int) -> None:
    aspects = [AspectMention("quality", NEG if rating < 4 else POS, "плохое качество" if rating < 4 else "отличное качество")]
    for i in range(12):
        item = Item(f"short-{rating}-{i}", text="Плохое качество" if rating < 4 else "Отличное качество",
                    rating=rating, product="Рубашка")
        an = Analysis(ItemKind.REVIEW, NEG if rating < 4 else POS, problem=rating < 4, aspects=aspects)
        text = shop.draft(item, an, memory=ReplyMemory()).text or ""
        assert not re.search(r"подробн\w* (отзыв|рассказа|описал)|подробно", text), text


@pytest.mark.parametrize("i", range(8))
def test_a_missing_feature_is_a_wish_passed_on_not_a_fault(shop: Composer, i: int) -> None:
    item = Item(f"wish-{i}", text="Из того, что есть на рынке, нормально. Жаль, нельзя подключить Apple Music",
                rating=4, product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[AspectMention("functionality", NEG, "нельзя подключить")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert "пожелани" in text or "не хватает" in text, text
    assert not re.search(r"извин|прост|не так, как|замен|вернём|разберёмся", text, re.I), text


def test_a_fault_beside_a_wish_elsewhere_is_still_apologised_for(shop: Composer) -> None:
    item = Item("fault", text="Через неделю перестала включаться. Жаль, нельзя вернуть без коробки", rating=1,
                product="Умная колонка")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True,
                  aspects=[AspectMention("functionality", NEG, "перестала включаться")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert APOLOGY.search(text) and "пожелани" not in text, text


@pytest.mark.parametrize("i", range(6))
def test_a_wrong_colour_sent_is_our_mistake_with_the_right_one_sent(shop: Composer, i: int) -> None:
    item = Item(f"mint-{i}", text="Качество понравилось, но отказ: цвет заказывала мятный, пришёл бежевый", rating=4,
                product="Рубашка")
    an = Analysis(ItemKind.REVIEW, MIX, problem=True,
                  aspects=[AspectMention("quality", POS, "качество"), AspectMention("color", NEG, "цвет")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert re.search(r"не тот цвет|не того цвета", text) and "правильную вещь" in text, text
    assert "не таким, как Вы ожидали" not in text, text


@pytest.mark.parametrize("i", range(6))
def test_a_colour_that_ran_in_the_wash_is_a_defect_with_a_replacement_or_refund(shop: Composer, i: int) -> None:
    item = Item(f"wash-{i}", text="После первой стирки чёрная рубашка стала серой, цвет ужасный", rating=2,
                product="Рубашка")
    an = Analysis(ItemKind.REVIEW, NEG, problem=True, aspects=[AspectMention("color", NEG, "стала серой, цвет")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert re.search(r"заменим|вернём", text) and "не таким, как Вы ожидали" not in text, text
    assert re.search(r"краск|стирк", text) and "пришла с" not in text, text


@pytest.mark.parametrize("i", range(6))
def test_a_size_remark_under_high_stars_is_a_tip_not_an_incident(shop: Composer, i: int) -> None:
    item = Item(f"tip-{i}", text="Очень красивая и качественно сшита. Немного маломерит, но не критично, оставила",
                rating=5, product="Блузка")
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[
        AspectMention("quality", POS, "качественно сшита"), AspectMention("size_fit", NEG, "маломерит")])
    draft = shop.draft(item, an, memory=ReplyMemory())
    text = draft.text or ""
    assert "подска" in text or "поможет другим" in text or "пригодится" in text, text
    assert not re.search(r"выясн|причин|извин|прост", text, re.I), text


@pytest.mark.parametrize("i", range(6))
def test_a_customer_who_buys_again_is_thanked_for_coming_back(shop: Composer, i: int) -> None:
    item = Item(f"again-{i}", text="Заказываю уже второй раз, теперь в другом цвете. Ткань мягкая", rating=5,
                product="Рубашка")
    an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("material", POS, "ткань мягкая")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert re.search(r"снова выбираете|возвращаетесь|не в первый раз", text), text


def test_a_venue_review_that_never_speaks_of_delivery_gets_no_delivery_praise(cafe: Composer) -> None:
    for i in range(6):
        item = Item(f"tidy-{i}", text="Обслуживание на высоте, всё убирали вовремя, еда вкусная", rating=5)
        an = Analysis(ItemKind.REVIEW, POS, aspects=[
            AspectMention("delivery", POS, "вовремя"), AspectMention("food", POS, "еда вкусная")])
        text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
        assert not re.search(r"доставк|не заставил себя ждать|курьер|пришёл вовремя", text), text


def test_a_story_told_as_a_question_inside_a_review_gets_no_faq_answer(cafe: Composer, restaurant: BusinessProfile) -> None:
    text_ = ("Вы помните мультик про мышонка-повара из Парижа, который работал в заведении и приготовил критику "
             "самый обычный рататуй? Я испытала такие же ощущения! Интерьер сделан со вкусом, салат очень вкусный.")
    for i in range(4):
        reply = _reply(cafe, restaurant, Item(f"story-{i}", text=text_, rating=5))
        assert not re.search(r"\d\d:\d\d|работаем|забронир", reply), reply


BIRTHDAY = (
    "Решили день рождения отметить семьёй. Обслуживал молодой человек Антон. Выбрали хачапури — очень вкусные. "
    "Официант Антон работал чётко. Очень приятно, когда хорошую кухню не подводит плохое обслуживание. "
    "Интерьер домашний и уютный. Спасибо вам огромное."
)


def test_no_problem_in_a_glowing_review_means_no_apology_for_a_misread_word(cafe: Composer) -> None:
    # the complaint detector found no problem; «плохое обслуживание» was read negative by the aspect step
    an = Analysis(ItemKind.REVIEW, POS, problem=False, aspects=[
        AspectMention("ambience", POS, "интерьер, уютный"), AspectMention("staff_service", NEG, "плохое обслуживание")])
    for i in range(6):
        item = Item(f"bday-{i}", text=BIRTHDAY, rating=5, author="connect")
        text = cafe.draft(item, an, memory=ReplyMemory()).text or ""
        assert text and not APOLOGY.search(text), text
        assert "скидк" not in text, text


def test_the_thanked_waiter_and_the_occasion_are_named_in_a_glowing_review(cafe: Composer) -> None:
    an = Analysis(ItemKind.REVIEW, POS, problem=False, aspects=[AspectMention("ambience", POS, "интерьер, уютный")])
    texts = [cafe.draft(Item(f"bday-n{i}", text=BIRTHDAY, rating=5), an, memory=ReplyMemory()).text or ""
             for i in range(4)]
    assert all("день рождения" in t or "дня рождения" in t for t in texts), texts
    assert all("Антону" in t for t in texts), texts


LEAVING = ("Ждали горячее больше часа, официант забыл про напитки, суп принесли холодным. "
           "Больше сюда не придём.")


def test_a_guest_who_will_not_come_back_gets_no_next_visit_offer(cafe: Composer, restaurant: BusinessProfile) -> None:
    for i in range(8):
        text = _reply(cafe, restaurant, Item(f"leave-{i}", text=LEAVING, rating=1))
        assert APOLOGY.search(text), text
        assert not re.search(r"следующ|снова|ещё один шанс|ждём Вас", text, re.I), text


def test_a_complaint_is_never_voiced_in_words_of_praise(cafe: Composer) -> None:
    # a long review, the food both praised and criticised, and the guest not coming back: the food is apologised
    # for, but never as «извиняемся за то, что роллы вкусные»
    text_ = ("Пробовали разные роллы, роллы вкусные, но их было то пять, то семь в порции. "
             "Интерьер уютный, встретили сразу. В целом понравилось, но сюда я больше не пойду: суши есть и лучше.")
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[
        AspectMention("ambience", POS, "уютный"), AspectMention("food", MIX, "роллы, вкусные, роллов")])
    for i in range(6):
        text = cafe.draft(Item(f"rolls-{i}", text=text_, rating=4), an, memory=ReplyMemory()).text or ""
        assert APOLOGY.search(text), text
        assert not re.search(r"(извин|прост|прощ|жаль)[^.]*вкусн", text), text


def test_the_remedies_for_one_kind_of_complaint_vary_between_reviews(cafe: Composer, restaurant: BusinessProfile) -> None:
    offers = set()
    for i in range(12):
        item = Item(f"wait-{i}", text="Горячее ждали больше часа, официант ни разу не подошёл.", rating=2)
        text = _reply(cafe, restaurant, item)
        offers |= {x.text for x in [*restaurant.remedies["wait_time"], *restaurant.remedies["staff_service"]]
                   if x.text.split()[0] in text and x.text.split()[-1].rstrip(".") in text}
    assert len(offers) >= 2, offers


def test_a_remark_in_a_satisfied_five_star_review_is_passed_on_not_apologised_for(shop: Composer) -> None:
    text_ = "Все понравилось, спасибо! Хотя иногда может ответить не правильно. В целом очень доволен"
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[AspectMention("functionality", NEG, "ответить не правильно")])
    for i in range(6):
        text = shop.draft(Item(f"remark-{i}", text=text_, rating=5, product="Умная колонка"), an,
                          memory=ReplyMemory()).text or ""
        assert "замечани" in text, text
        assert not re.search(r"разочаров|простите|извин|разберёмся|замен|верн", text, re.I), text


def test_a_five_star_review_that_reads_as_a_grievance_is_never_answered_as_praise(shop: Composer) -> None:
    """The complaint was pinned to an aspect the reply cannot name; the grievance still stands: a careful
    reply that thanks for the praise and notes the remark, held for a person — not «спасибо за добрый отзыв»."""
    text = ("подключилась быстро, упаковка отличная, но я разочаровалась в ней, ожидала большего, просишь одно, "
            "делает другое, возможно, верну, к чайнику не смогли подключить, для меня не айс")
    item = Item("grievance5", text=text, rating=5)
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, text_sentiment=MIX, aspects=[
        AspectMention("functionality", MIX, "подключилась быстро, подключить"), AspectMention("packaging", POS, "упаковка отличная")])
    d = shop.draft(item, an, memory=ReplyMemory())
    assert d.needs_human, d
    assert d.text and not re.search(r"добр\w+ отзыв|высокую оценку|не подвод", d.text), d.text


def test_a_bare_works_read_negative_is_not_apologised_for(shop: Composer) -> None:
    """«…углы мятые, станция работает»: «работает» is the good news in a packaging complaint."""
    item = Item("works", text="все хорошо, но упаковка ужас, у коробки все углы сбитые и мятые, станция работает", rating=4)
    an = Analysis(ItemKind.REVIEW, MIX, problem=True, aspects=[
        AspectMention("packaging", NEG, "коробки"), AspectMention("wrinkles", NEG, "мятые"),
        AspectMention("functionality", NEG, "работает")])
    text = shop.draft(item, an, memory=ReplyMemory()).text or ""
    assert re.search(r"упаков", text), text
    assert not re.search(r"работ\w+ не так|с работой|подвел|мн[её]тся|глад", text), text


@pytest.mark.parametrize(("said", "fast"), [("Пришла в целости и сохранности, упаковка хорошая.", False),
                                            ("Доставка быстрая, пришла на следующий день.", True)])
def test_delivery_speed_is_praised_only_when_the_customer_spoke_of_it(shop: Composer, said: str, fast: bool) -> None:
    speed = []
    for seed in range(5):
        item = Item(f"deliv{seed}{fast}", text=said, rating=5)
        an = Analysis(ItemKind.REVIEW, POS, aspects=[AspectMention("delivery", POS, "пришла")])
        text = Composer(shop.profile, seed=seed).draft(item, an, memory=ReplyMemory()).text or ""
        assert re.search(r"доставк|доехал|пришл|привёз|заказ", text), text  # the delivery is still thanked for
        speed.append(bool(re.search(r"быстр|вовремя|не заставил себя ждать", text)))
    assert any(speed) if fast else not any(speed)
