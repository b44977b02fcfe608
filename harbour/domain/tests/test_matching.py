"""Matching: the hard rules, then the score per criterion with its words. Each table row names its case."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.ages import age_on, birthday
from harbour.domain.matching import (
    CRITERIA,
    NEEDS,
    ChildProfile,
    Contribution,
    OfferToScore,
    ProviderProfile,
    ScoredOffer,
    Weights,
    format_money,
    hard_rule_refusals,
    score_offers,
)
from harbour.domain.tests.support import d, property_test

NEEDED = d("2026-12-01")
SUPPORTED_UNDER_16 = "Supported accommodation is only for 16 and 17 year olds: the child will be"
NO_DATE_OF_BIRTH = "The child's date of birth is not recorded, so the age range cannot be checked"


def child(**changes: Any) -> ChildProfile:
    """A 15-year-old Afghan boy who speaks Pashto and Dari (16 on 2 March 2027)."""
    base = ChildProfile(
        date_of_birth=d("2011-03-02"),
        sex="M",
        first_language="Pashto",
        other_languages=("Dari",),
        faith="Muslim",
        communities=("Afghan",),
        needs=frozenset({"trauma", "education", "missing"}),
        area_wanted="Chapeltown",
    )
    return replace(base, **changes)


def provider(**changes: Any) -> ProviderProfile:
    """A council foster carer in Chapeltown approved for any child of 0 to 17 who fits him exactly."""
    base = ProviderProfile(
        name="Carer",
        supported_accommodation=False,
        ages_from=0,
        ages_to=17,
        sexes="any",
        vacancies=1,
        languages=("Pashto", "English"),
        faith="Muslim",
        communities=("Afghan",),
        needs_met=frozenset({"trauma", "education", "missing"}),
        area="Chapeltown",
        out_of_area=False,
    )
    return replace(base, **changes)


def supported(**changes: Any) -> ProviderProfile:
    """Registered supported accommodation (PLACE K3), registered for 16 and 17 year olds."""
    return provider(**{"supported_accommodation": True, "ages_from": 16, "ages_to": 17, **changes})


def offer(key: str, cost: str = "950", **changes: Any) -> OfferToScore:
    return OfferToScore(key, provider(**changes), Decimal(cost), available_from=NEEDED)


# ---------------------------------------------------------------------------------------------
# Hard rules
# ---------------------------------------------------------------------------------------------

HARD_RULES: list[tuple[str, ChildProfile, ProviderProfile, date, tuple[str, ...]]] = [
    ("an offer that breaks no rule", child(), provider(), NEEDED, ()),
    # An under-16 is never offered supported accommodation.
    ("supported accommodation: 15 on the date needed",
     child(date_of_birth=d("2011-03-02")), supported(), NEEDED,
     (f"{SUPPORTED_UNDER_16} 15 on 1 December 2026", "Approved for ages 16 to 17: the child will be 15")),
    ("supported accommodation: refused under 16 even when its range is set wrongly to 0 to 17",
     child(date_of_birth=d("2011-03-02")), supported(ages_from=0), NEEDED,
     (f"{SUPPORTED_UNDER_16} 15 on 1 December 2026",)),
    ("supported accommodation: 16th birthday the day after the date needed",
     child(date_of_birth=d("2010-12-02")), supported(), NEEDED,
     (f"{SUPPORTED_UNDER_16} 15 on 1 December 2026", "Approved for ages 16 to 17: the child will be 15")),
    ("supported accommodation: 16th birthday on the date needed",
     child(date_of_birth=d("2010-12-01")), supported(), NEEDED, ()),
    ("supported accommodation: 17 on the date needed",
     child(date_of_birth=d("2009-06-30")), supported(), NEEDED, ()),
    ("supported accommodation: born 29 February, 15 on the 28th in the year they turn 16",
     child(date_of_birth=d("2008-02-29")), supported(ages_from=0), d("2024-02-28"),
     (f"{SUPPORTED_UNDER_16} 15 on 28 February 2024",)),
    ("supported accommodation: born 29 February, 16 on 29 February in a leap year",
     child(date_of_birth=d("2008-02-29")), supported(), d("2024-02-29"), ()),
    ("supported accommodation: born 29 February, in a non-leap year (2100) still 15 on 28 February",
     child(date_of_birth=d("2084-02-29")), supported(ages_from=0), d("2100-02-28"),
     (f"{SUPPORTED_UNDER_16} 15 on 28 February 2100",)),
    ("supported accommodation: born 29 February, in a non-leap year (2100) 16 on 1 March",
     child(date_of_birth=d("2084-02-29")), supported(), d("2100-03-01"), ()),
    ("supported accommodation: no date of birth, so not shown to be 16",
     child(date_of_birth=None), supported(), NEEDED,
     ("Supported accommodation is only for 16 and 17 year olds: the child's date of birth is not "
      "recorded, so they cannot be shown to be 16", NO_DATE_OF_BIRTH)),
    ("supported accommodation: a date needed before the recorded birth is refused, not let through",
     child(date_of_birth=d("2027-01-01")), supported(ages_from=0), NEEDED,
     (f"{SUPPORTED_UNDER_16} 0 on 1 December 2026",)),
    # Vacancies.
    ("no vacancy", child(), provider(vacancies=0), NEEDED, ("No vacancy",)),
    ("fewer than no vacancies (over capacity)", child(), provider(vacancies=-1), NEEDED, ("No vacancy",)),
    ("one vacancy is enough", child(), provider(vacancies=1), NEEDED, ()),
    # The approval range, at its edges.
    ("age at the bottom of the range", child(), provider(ages_from=15, ages_to=17), NEEDED, ()),
    ("age at the top of the range", child(), provider(ages_from=0, ages_to=15), NEEDED, ()),
    ("a year over the range", child(), provider(ages_from=0, ages_to=12), NEEDED,
     ("Approved for ages 0 to 12: the child will be 15",)),
    ("a year under the range", child(), provider(ages_from=16, ages_to=17), NEEDED,
     ("Approved for ages 16 to 17: the child will be 15",)),
    ("a range of a single age", child(), provider(ages_from=12, ages_to=12), NEEDED,
     ("Approved for age 12 only: the child will be 15",)),
    ("the age is on the date needed, not today: 16 by then",
     child(), provider(ages_from=16, ages_to=17), d("2027-03-02"), ()),
    ("born 29 February: still 12 on 28 February of a non-leap year",
     child(date_of_birth=d("2012-02-29")), provider(ages_from=0, ages_to=12), d("2025-02-28"), ()),
    ("born 29 February: 13 on 1 March of a non-leap year",
     child(date_of_birth=d("2012-02-29")), provider(ages_from=0, ages_to=12), d("2025-03-01"),
     ("Approved for ages 0 to 12: the child will be 13",)),
    ("no date of birth: the age range cannot be checked", child(date_of_birth=None), provider(), NEEDED,
     (NO_DATE_OF_BIRTH,)),
    # Sex.
    ("boys only, a boy", child(sex="M"), provider(sexes="M"), NEEDED, ()),
    ("boys only, a girl", child(sex="F"), provider(sexes="M"), NEEDED, ("Approved for boys only",)),
    ("girls only, a boy", child(sex="M"), provider(sexes="F"), NEEDED, ("Approved for girls only",)),
    ("girls only, a girl", child(sex="F"), provider(sexes="F"), NEEDED, ()),
    ("girls only, sex not recorded", child(sex="U"), provider(sexes="F"), NEEDED,
     ("Approved for girls only: the child's sex is not recorded",)),
    ("boys only, sex blank", child(sex=""), provider(sexes="M"), NEEDED,
     ("Approved for boys only: the child's sex is not recorded",)),
    ("any sex, sex not recorded", child(sex="U"), provider(sexes="any"), NEEDED, ()),
    ("codes in lower case are read the same", child(sex="f"), provider(sexes="m"), NEEDED,
     ("Approved for boys only",)),
    # Every rule broken is listed, in order.
    ("several rules broken at once, in order",
     child(sex="M"), supported(vacancies=0, sexes="F"), NEEDED,
     (f"{SUPPORTED_UNDER_16} 15 on 1 December 2026", "No vacancy",
      "Approved for ages 16 to 17: the child will be 15", "Approved for girls only")),
    ("no date of birth and no vacancy", child(date_of_birth=None), provider(vacancies=0), NEEDED,
     ("No vacancy", NO_DATE_OF_BIRTH)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("the_child", "the_provider", "on", "expected"),
    [row[1:] for row in HARD_RULES],
    ids=[row[0] for row in HARD_RULES],
)
def test_hard_rule_refusals(
    the_child: ChildProfile, the_provider: ProviderProfile, on: date, expected: tuple[str, ...]
) -> None:
    assert hard_rule_refusals(the_child, the_provider, on) == expected


def test_an_under_16_is_never_offered_supported_accommodation() -> None:
    """The issue's acceptance test: a 15-year-old's supported accommodation offer is refused, unscored."""
    offers = [
        OfferToScore("flat", supported(ages_from=0), Decimal("500"), NEEDED),
        OfferToScore("carer", provider(), Decimal("950"), NEEDED),
    ]
    results = {result.key: result for result in score_offers(child(), offers, weights(), NEEDED)}
    assert results["flat"].score is None
    assert results["flat"].rank is None
    assert results["flat"].refusals == (f"{SUPPORTED_UNDER_16} 15 on 1 December 2026",)
    assert results["carer"].rank == 1
    # The refused flat's low cost does not make the carer look dear.
    assert contribution(results["carer"], "Cost per week").words == "£950 a week, the only offer"


# ---------------------------------------------------------------------------------------------
# Scoring, criterion by criterion
# ---------------------------------------------------------------------------------------------


def weights(
    language: int = 3,
    faith_and_culture: int = 2,
    community_and_distance: int = 2,
    needs: int = 3,
    cost: int = 1,
) -> Weights:
    return Weights(language, faith_and_culture, community_and_distance, needs, cost)


def contribution(scored: ScoredOffer, criterion: str) -> Contribution:
    return next(item for item in scored.contributions if item.criterion == criterion)


def only(the_child: ChildProfile, the_provider: ProviderProfile, criterion: str, weight: int) -> Contribution:
    """The contribution of one criterion for one offer."""
    the_weights = Weights(**{name: 0 for name in ("language", "faith_and_culture", "community_and_distance",
                                                  "needs", "cost")} | {_FIELD[criterion]: weight})
    [scored] = score_offers(the_child, [OfferToScore("a", the_provider, Decimal(950), NEEDED)], the_weights,
                            NEEDED)
    return contribution(scored, criterion)


_FIELD = {
    "Language": "language",
    "Faith and culture": "faith_and_culture",
    "Community and distance": "community_and_distance",
    "Needs": "needs",
    "Cost per week": "cost",
}

CRITERION_ROWS: list[tuple[str, str, ChildProfile, ProviderProfile, int, str, str]] = [
    # Language
    ("language: speaks the first language", "Language", child(), provider(), 3, "3.00",
     "Speaks Pashto, the child's first language"),
    ("language: case and spacing do not matter", "Language", child(first_language=" pashto"),
     provider(languages=("PASHTO  ",)), 3, "3.00", "Speaks pashto, the child's first language"),
    ("language: another of the child's languages only is half", "Language", child(),
     provider(languages=("Dari", "English")), 3, "1.50",
     "Speaks Dari, one of the child's other languages, but not Pashto, their first"),
    ("language: two other languages is still half", "Language", child(other_languages=("Dari", "Urdu")),
     provider(languages=("Urdu", "Dari")), 2, "1.00",
     "Speaks Dari and Urdu, two of the child's other languages, but not Pashto, their first"),
    ("language: none of the child's languages", "Language", child(), provider(languages=("English",)), 3,
     "0.00", "Speaks none of the child's languages (Pashto, Dari)"),
    ("language: the provider's languages not recorded", "Language", child(), provider(languages=()), 3,
     "0.00", "The provider's languages are not recorded"),
    ("language: the child's languages not recorded gives every offer the same", "Language",
     child(first_language="", other_languages=()), provider(languages=("English",)), 3, "3.00",
     "The child's languages are not recorded, so language does not change the order"),
    ("language: first language not recorded, another spoken, is full", "Language",
     child(first_language=""), provider(languages=("Dari",)), 3, "3.00",
     "Speaks Dari, the child's languages (their first language is not recorded)"),
    ("language: a weight of nought gives nought", "Language", child(), provider(), 0, "0.00",
     "Speaks Pashto, the child's first language"),
    # Faith and culture
    ("faith and culture: same faith and community", "Faith and culture", child(), provider(), 2, "2.00",
     "Shares the child's faith (Muslim); shares the child's community (Afghan)"),
    ("faith and culture: same faith only", "Faith and culture", child(), provider(communities=("Eritrean",)),
     2, "1.00", "Shares the child's faith (Muslim); does not share the child's community (Afghan)"),
    ("faith and culture: community only, case-insensitive", "Faith and culture",
     child(communities=("Afghan", "Pashtun")), provider(faith="Christian", communities=("pashtun",)), 3,
     "1.50", "Does not share the child's faith (Muslim); shares the child's community (Pashtun)"),
    ("faith and culture: neither", "Faith and culture", child(),
     provider(faith="Christian", communities=("Eritrean",)), 2, "0.00",
     "Does not share the child's faith (Muslim); does not share the child's community (Afghan)"),
    ("faith and culture: faith case and spacing do not matter", "Faith and culture", child(faith="muslim "),
     provider(faith="MUSLIM"), 2, "2.00",
     "Shares the child's faith (muslim); shares the child's community (Afghan)"),
    ("faith and culture: the same faith with the child's tradition recorded", "Faith and culture",
     child(faith="Muslim (Shia)"), provider(faith="Muslim"), 2, "2.00",
     "Shares the child's faith (Muslim; the child's is Muslim (Shia), the provider's Muslim); "
     "shares the child's community (Afghan)"),
    ("faith and culture: two traditions of one faith", "Faith and culture",
     child(faith="Christian (Orthodox)"), provider(faith="Christian (Pentecostal)", communities=()), 2, "1.00",
     "Shares the child's faith (Christian; the child's is Christian (Orthodox), the provider's "
     "Christian (Pentecostal)); the provider's communities are not recorded"),
    ("faith and culture: the child's faith not recorded gives every offer that half", "Faith and culture",
     child(faith=""), provider(faith="Christian", communities=()), 2, "1.00",
     "The child's faith is not recorded, so faith does not change the order; "
     "the provider's communities are not recorded"),
    ("faith and culture: no religion gives every offer that half", "Faith and culture",
     child(faith="No religion"), provider(faith="Muslim"), 2, "2.00",
     "The child's faith is recorded as No religion, so faith does not change the order; "
     "shares the child's community (Afghan)"),
    ("faith and culture: the provider's faith not recorded", "Faith and culture", child(),
     provider(faith=""), 2, "1.00",
     "The provider's faith is not recorded (the child's is Muslim); shares the child's community (Afghan)"),
    ("faith and culture: the child's communities not recorded", "Faith and culture", child(communities=()),
     provider(faith="Christian"), 2, "1.00",
     "Does not share the child's faith (Muslim); "
     "the child's community is not recorded, so it does not change the order"),
    # Community and distance (no geocoding: named areas and the council's boundary)
    ("community and distance: the area wanted", "Community and distance", child(), provider(), 2, "2.00",
     "In Chapeltown, the area wanted"),
    ("community and distance: the area wanted, case-insensitive", "Community and distance",
     child(area_wanted="chapeltown"), provider(area="CHAPELTOWN "), 2, "2.00",
     "In CHAPELTOWN, the area wanted"),
    ("community and distance: another area of the council is half", "Community and distance", child(),
     provider(area="Headingley"), 2, "1.00",
     "In Headingley, within the council's area but not Chapeltown, the area wanted"),
    ("community and distance: the council's area, its own area not recorded, is half",
     "Community and distance", child(), provider(area=""), 3, "1.50",
     "Within the council's area, but its area is not recorded (Chapeltown was wanted)"),
    ("community and distance: outside the council's area", "Community and distance", child(),
     provider(area="Bradford", out_of_area=True), 2, "0.00",
     "Outside the council's area (Bradford), not Chapeltown, the area wanted"),
    ("community and distance: an area wanted outside the council's area counts in full",
     "Community and distance", child(area_wanted="Bradford"), provider(area="Bradford", out_of_area=True),
     2, "2.00", "In Bradford, the area wanted"),
    ("community and distance: no area wanted, in the council's area", "Community and distance",
     child(area_wanted=" "), provider(area="Headingley"), 2, "2.00",
     "Within the council's area (Headingley); no area was asked for"),
    ("community and distance: no area wanted, outside the council's area", "Community and distance",
     child(area_wanted=""), provider(area="", out_of_area=True), 2, "0.00",
     "Outside the council's area; no area was asked for"),
    # Needs
    ("needs: all met", "Needs", child(), provider(), 3, "3.00", "Can meet all 3 needs"),
    ("needs: 2 of 3, the unmet need in words", "Needs", child(),
     provider(needs_met=frozenset({"trauma", "education", "diet"})), 3, "2.00",
     "Can meet 2 of 3 needs; not: risk of going missing"),
    ("needs: 1 of 3 rounds to the penny", "Needs", child(), provider(needs_met=frozenset({"education"})), 2,
     "0.67", "Can meet 1 of 3 needs; not: trauma-informed care and risk of going missing"),
    ("needs: none met, listed in the order of the needs list", "Needs",
     child(needs=frozenset({"missing", "health", "esol"})), provider(needs_met=frozenset()), 3, "0.00",
     "Can meet 0 of 3 needs; not: physical health needs, English language support and risk of going missing"),
    ("needs: the child's one need", "Needs", child(needs=frozenset({"diet"})),
     provider(needs_met=frozenset({"diet"})), 3, "3.00", "Can meet the need"),
    ("needs: the child's one need unmet", "Needs", child(needs=frozenset({"diet"})),
     provider(needs_met=frozenset()), 3, "0.00", "Can meet 0 of 1 need; not: dietary needs"),
    ("needs: none recorded is full", "Needs", child(needs=frozenset()), provider(needs_met=frozenset()), 3,
     "3.00", "The child has no needs recorded"),
    ("needs: a code outside the list is named by its code", "Needs", child(needs=frozenset({"pets"})),
     provider(), 1, "0.00", "Can meet 0 of 1 need; not: pets"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("criterion", "the_child", "the_provider", "weight", "points", "words"),
    [row[1:] for row in CRITERION_ROWS],
    ids=[row[0] for row in CRITERION_ROWS],
)
def test_criterion(
    criterion: str,
    the_child: ChildProfile,
    the_provider: ProviderProfile,
    weight: int,
    points: str,
    words: str,
) -> None:
    result = only(the_child, the_provider, criterion, weight)
    assert (result.points, result.weight, result.words) == (Decimal(points), weight, words)


COST_ROWS: list[tuple[str, list[str], int, int, str, str]] = [
    ("the lowest of three", ["1200", "950", "1000"], 1, 4, "4.00", "£950 a week, the lowest of the 3 offers"),
    ("dearer than the lowest: weight times lowest over this", ["1200", "950", "1000"], 0, 4, "3.17",
     "£1,200 a week, £250 more than the lowest (£950)"),
    ("pence shown only when not whole", ["950", "1000.50"], 1, 2, "1.90",
     "£1,000.50 a week, £50.50 more than the lowest (£950)"),
    ("the only offer", ["1500"], 0, 3, "3.00", "£1,500 a week, the only offer"),
    ("two at the same lowest cost both get full", ["950", "950"], 1, 2, "2.00",
     "£950 a week, the lowest of the 2 offers"),
    ("no cost is full", ["0", "950"], 0, 2, "2.00", "£0 a week, the lowest of the 2 offers"),
    ("against an offer at no cost, any cost is nought", ["0", "950"], 1, 2, "0.00",
     "£950 a week, £950 more than the lowest (£0)"),
    ("thousands separated in large sums", ["12500", "2500"], 0, 1, "0.20",
     "£12,500 a week, £10,000 more than the lowest (£2,500)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("costs", "which", "weight", "points", "words"),
    [row[1:] for row in COST_ROWS],
    ids=[row[0] for row in COST_ROWS],
)
def test_cost_per_week(costs: list[str], which: int, weight: int, points: str, words: str) -> None:
    offers = [offer(f"o{i}", cost) for i, cost in enumerate(costs)]
    results = {result.key: result for result in score_offers(child(), offers, weights(cost=weight), NEEDED)}
    result = contribution(results[f"o{which}"], "Cost per week")
    assert (result.points, result.words) == (Decimal(points), words)


def test_refused_offers_do_not_count_towards_the_lowest_cost() -> None:
    offers = [offer("cheap but full", "500", vacancies=0), offer("a", "950"), offer("b", "1900")]
    results = {result.key: result for result in score_offers(child(), offers, weights(), NEEDED)}
    assert contribution(results["a"], "Cost per week").words == "£950 a week, the lowest of the 2 offers"
    assert contribution(results["b"], "Cost per week").points == Decimal("0.50")


@pytest.mark.parametrize(
    ("amount", "expected"),
    [("0", "£0"), ("950", "£950"), ("950.00", "£950"), ("1200", "£1,200"), ("1000.5", "£1,000.50"),
     ("1234567.89", "£1,234,567.89"), ("0.05", "£0.05")],
)  # fmt: skip
def test_format_money(amount: str, expected: str) -> None:
    assert format_money(Decimal(amount)) == expected


# ---------------------------------------------------------------------------------------------
# The score and the ranking
# ---------------------------------------------------------------------------------------------


def test_contributions_come_in_the_fixed_order() -> None:
    [scored] = score_offers(child(), [offer("a")], weights(), NEEDED)
    assert tuple(item.criterion for item in scored.contributions) == CRITERIA == (
        "Language", "Faith and culture", "Community and distance", "Needs", "Cost per week",
    )  # fmt: skip


def test_a_perfect_offer_scores_100() -> None:
    [scored] = score_offers(child(), [offer("a")], weights(), NEEDED)
    assert (scored.score, scored.rank, scored.refusals) == (100, 1, ())


def test_the_score_is_the_share_of_the_weights_earned() -> None:
    # Language 1.50 of 3, faith 1.00 of 2, community 1.00 of 2, needs 2.00 of 3, cost 1.00 of 1:
    # 6.50 of 11 is 59.09, so 59.
    the_offer = offer("a", languages=("Dari",), communities=(), area="Headingley",
                      needs_met=frozenset({"trauma", "education"}))  # fmt: skip
    [scored] = score_offers(child(), [the_offer], weights(), NEEDED)
    assert [item.points for item in scored.contributions] == [
        Decimal("1.50"), Decimal("1.00"), Decimal("1.00"), Decimal("2.00"), Decimal("1.00"),
    ]  # fmt: skip
    assert scored.score == 59


def test_a_half_rounds_up() -> None:
    # 1.00 of 40 is 2.5 per cent: rounded half up to 3 (round() would give 2).
    the_offer = offer("a", languages=("Dari",), faith="Christian", communities=("Eritrean",))
    [scored] = score_offers(child(), [the_offer], Weights(2, 38, 0, 0, 0), NEEDED)
    assert scored.score == 3


def test_all_weights_at_nought_score_every_offer_nought_in_the_order_given() -> None:
    offers = [offer("a", "1200", languages=()), offer("b", "950"), offer("c", "500", vacancies=0)]
    results = score_offers(child(), offers, Weights(0, 0, 0, 0, 0), NEEDED)
    assert [(r.key, r.score, r.rank) for r in results] == [("a", 0, 1), ("b", 0, 2), ("c", None, None)]
    assert all(item.points == 0 for item in results[0].contributions)


def test_ties_keep_the_order_given() -> None:
    offers = [offer("first"), offer("second"), offer("third")]
    results = score_offers(child(), offers, weights(), NEEDED)
    assert [(r.key, r.score, r.rank) for r in results] == [("first", 100, 1), ("second", 100, 2),
                                                           ("third", 100, 3)]  # fmt: skip


def test_ranking_puts_refused_offers_last_in_the_order_given() -> None:
    offers = [
        offer("girls only", sexes="F"),
        offer("no language", "950", languages=("English",)),
        offer("perfect", "950"),
        offer("full", vacancies=0),
        offer("dear", "1900"),
    ]
    results = score_offers(child(), offers, weights(), NEEDED)
    assert [(r.key, r.rank) for r in results] == [
        ("perfect", 1), ("dear", 2), ("no language", 3), ("girls only", None), ("full", None),
    ]  # fmt: skip
    refused = results[3:]
    assert [r.refusals for r in refused] == [("Approved for girls only",), ("No vacancy",)]
    assert all(r.score is None and r.contributions == () for r in refused)


def test_no_offers() -> None:
    assert score_offers(child(), [], weights(), NEEDED) == []


def test_negative_weights_and_costs_are_errors() -> None:
    with pytest.raises(ValueError, match="Needs"):
        score_offers(child(), [offer("a")], weights(needs=-1), NEEDED)
    with pytest.raises(ValueError, match="offer a"):
        score_offers(child(), [offer("a", "-1")], weights(), NEEDED)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
words = st.sampled_from(["Pashto", "dari", " Tigrinya ", "Arabic", "Kurdish", "", "Muslim", "Christian",
                         "No religion", "Afghan", "Eritrean", "Chapeltown", "Headingley"])  # fmt: skip
need_sets = st.frozensets(st.sampled_from([*NEEDS, "other"]))

children = st.builds(
    ChildProfile,
    date_of_birth=st.none() | dates,
    sex=st.sampled_from(["M", "F", "U", ""]),
    first_language=words,
    other_languages=st.tuples(words, words),
    faith=words,
    communities=st.tuples(words),
    needs=need_sets,
    area_wanted=words,
)
providers = st.builds(
    ProviderProfile,
    name=st.just("Provider"),
    supported_accommodation=st.booleans(),
    ages_from=st.integers(0, 18),
    ages_to=st.integers(0, 25),
    sexes=st.sampled_from(["any", "M", "F"]),
    vacancies=st.integers(-1, 3),
    languages=st.tuples(words, words),
    faith=words,
    communities=st.tuples(words),
    needs_met=need_sets,
    area=words,
    out_of_area=st.booleans(),
)
offer_lists = st.lists(
    st.builds(
        OfferToScore,
        key=st.just(""),
        provider=providers,
        cost_per_week=st.decimals(min_value=0, max_value=20000, places=2),
        available_from=dates,
    ),
    max_size=6,
).map(lambda offers: [replace(o, key=f"o{i}") for i, o in enumerate(offers)])
weight_sets = st.builds(Weights, *[st.integers(0, 10)] * 5)


@property_test
@given(the_child=children, offers=offer_lists, the_weights=weight_sets, on=dates)
def test_scores_are_0_to_100_and_refused_offers_are_never_scored_or_ranked(
    the_child: ChildProfile, offers: list[OfferToScore], the_weights: Weights, on: date
) -> None:
    results = score_offers(the_child, offers, the_weights, on)
    assert sorted(r.key for r in results) == sorted(o.key for o in offers)
    ranked = [r for r in results if not r.refusals]
    refused = [r for r in results if r.refusals]
    assert results == ranked + refused
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    scores = [r.score or 0 for r in ranked]
    assert scores == sorted(scores, reverse=True)
    for result in ranked:
        assert result.score is not None and 0 <= result.score <= 100
        assert tuple(item.criterion for item in result.contributions) == CRITERIA
        for item in result.contributions:
            assert 0 <= item.points <= item.weight
            assert item.points == item.points.quantize(Decimal("0.01"))
            assert item.words
    for result in refused:
        assert (result.score, result.rank, result.contributions) == (None, None, ())
    if the_weights.total == 0:
        assert all(r.score == 0 for r in ranked)


under_16 = st.tuples(dates, st.integers(0, 16 * 366 - 1)).map(
    lambda pair: (pair[0], pair[0] + timedelta(days=pair[1]))
)


@property_test
@given(the_child=children, the_provider=providers, born_and_needed=under_16)
def test_supported_accommodation_is_refused_for_any_child_under_16(
    the_child: ChildProfile, the_provider: ProviderProfile, born_and_needed: tuple[date, date]
) -> None:
    born, needed = born_and_needed
    if age_on(born, needed) >= 16:  # 16 * 366 days can pass a 16th birthday
        return
    k3_child = replace(the_child, date_of_birth=born)
    k3 = replace(the_provider, supported_accommodation=True)
    refusals = hard_rule_refusals(k3_child, k3, needed)
    assert refusals and refusals[0].startswith(SUPPORTED_UNDER_16)
    [scored] = score_offers(k3_child, [OfferToScore("k3", k3, Decimal(0), needed)], weights(), needed)
    assert (scored.score, scored.rank) == (None, None)


@property_test
@given(
    the_child=children,
    the_provider=providers,
    born=dates,
    years=st.integers(16, 17),
    days=st.integers(0, 364),
)
def test_supported_accommodation_is_not_refused_for_its_age_at_16_or_17(
    the_child: ChildProfile, the_provider: ProviderProfile, born: date, years: int, days: int
) -> None:
    needed = birthday(born, years) + timedelta(days=days)
    if age_on(born, needed) != years:
        return
    refusals = hard_rule_refusals(replace(the_child, date_of_birth=born),
                                  replace(the_provider, supported_accommodation=True), needed)  # fmt: skip
    assert not any(refusal.startswith("Supported accommodation") for refusal in refusals)


def test_offers_given_the_same_key_are_still_scored_apart() -> None:
    results = score_offers(child(), [offer("same", vacancies=0), offer("same")], weights(), NEEDED)
    assert [(r.key, r.rank, r.refusals) for r in results] == [
        ("same", 1, ()),
        ("same", None, ("No vacancy",)),
    ]
