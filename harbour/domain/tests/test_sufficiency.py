"""Sufficiency (Children Act 1989 s22G): age bands, who needs a placement, and the gaps."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.sufficiency import (
    AgeBand,
    Capacity,
    ChildNeedingPlacement,
    Demand,
    Gap,
    PlacementSituation,
    age_band,
    can_take,
    cover_by_band,
    gap_headline,
    most_placed,
    out_of_area_headline,
    percentage,
    placement_demand,
    sufficiency_gaps,
    turns_18_within,
)
from harbour.domain.tests.support import d, property_test

TODAY = d("2026-11-20")

AGE_BANDS = [
    # (date of birth, on, band, case)
    (None, "2026-11-20", AgeBand.NOT_KNOWN, "no-date-of-birth"),
    ("2027-01-01", "2026-11-20", AgeBand.NOT_KNOWN, "date-of-birth-after-today-is-not-trusted"),
    ("2026-11-20", "2026-11-20", AgeBand.UNDER_10, "born-today"),
    ("2016-11-21", "2026-11-20", AgeBand.UNDER_10, "day-before-10th-birthday"),
    ("2016-11-20", "2026-11-20", AgeBand.AGED_10_TO_15, "on-10th-birthday"),
    ("2010-11-21", "2026-11-20", AgeBand.AGED_10_TO_15, "day-before-16th-birthday"),
    ("2010-11-20", "2026-11-20", AgeBand.AGED_16_AND_17, "on-16th-birthday"),
    ("2008-11-21", "2026-11-20", AgeBand.AGED_16_AND_17, "day-before-18th-birthday"),
    ("2008-11-20", "2026-11-20", None, "on-18th-birthday-no-longer-a-child"),
    ("2010-02-28", "2026-02-28", AgeBand.AGED_16_AND_17, "16-on-28-feb"),
    ("2008-02-29", "2026-02-28", AgeBand.AGED_16_AND_17, "leap-day-born-still-17-on-28-feb"),
    ("2008-02-29", "2026-03-01", None, "leap-day-born-18-on-1-march"),
]


@pytest.mark.parametrize(("born", "on", "band"), [r[:3] for r in AGE_BANDS], ids=[r[3] for r in AGE_BANDS])
def test_age_band(born: str | None, on: str, band: AgeBand | None) -> None:
    assert age_band(d(born) if born else None, d(on)) == band


TURNING_18 = [
    (None, False, "no-date-of-birth"),
    ("2008-11-20", False, "already-18-today"),
    ("2008-11-21", True, "18-tomorrow"),
    ("2009-05-20", True, "18-in-exactly-6-months"),
    ("2009-05-21", False, "18-a-day-after-6-months"),
    ("2010-01-01", False, "16-year-old"),
]


@pytest.mark.parametrize(("born", "expected"), [r[:2] for r in TURNING_18], ids=[r[2] for r in TURNING_18])
def test_turns_18_within_6_months(born: str | None, expected: bool) -> None:
    assert turns_18_within(d(born) if born else None, TODAY) is expected


def situation(born: str | None = "2010-05-01", *, request: bool = False, referral: bool = False,
              place: str = "", intake: bool = False, ends: str | None = None) -> PlacementSituation:
    return PlacementSituation(date_of_birth=d(born) if born else None, open_request=request,
                              referral_awaiting_request=referral, placement_type=place, at_intake_base=intake,
                              placement_ends_on=d(ends) if ends else None)


DEMAND = [
    # (situation, demand or None, case)
    (situation(request=True), Demand.NOW, "open-request"),
    (situation(referral=True), Demand.NOW, "nts-referral-without-request"),
    (situation(request=True, place="T4"), Demand.NOW, "request-counts-before-a-temporary-placement"),
    (situation(born=None, request=True), Demand.NOW, "no-date-of-birth-still-counted"),
    (situation(born="2008-11-20", request=True), None, "18-today-not-a-child"),
    (situation(place="T4"), Demand.SOON, "temporary-placement"),
    (situation(place="T0"), Demand.SOON, "temporary-all-types"),
    (situation(place="K2", intake=True), Demand.SOON, "at-the-intake-base"),
    (situation(place="U6", ends="2026-11-20"), Demand.SOON, "placement-ends-today"),
    (situation(place="U6", ends="2027-02-19"), Demand.SOON, "placement-ends-in-91-days"),
    (situation(place="U6", ends="2027-02-20"), None, "placement-ends-in-92-days"),
    (situation(place="U6"), None, "settled-foster-placement"),
    (situation(place="K3"), None, "supported-accommodation-is-not-demand-by-itself"),
    (situation(), None, "no-placement-no-request"),
    (situation(intake=True), None, "intake-flag-without-a-placement-is-ignored"),
]


@pytest.mark.parametrize(("facts", "expected"), [r[:2] for r in DEMAND], ids=[r[2] for r in DEMAND])
def test_placement_demand(facts: PlacementSituation, expected: Demand | None) -> None:
    result = placement_demand(facts, TODAY)
    assert (result.demand if result else None) == expected
    if result:
        assert result.reason


def cap(ages_from: int = 0, ages_to: int = 17, sexes: str = "any", sa: bool = False, vacancies: int = 1) -> Capacity:
    return Capacity(ages_from=ages_from, ages_to=ages_to, sexes=sexes, supported_accommodation=sa, vacancies=vacancies)


CAN_TAKE = [
    (cap(), 0, "M", True, "any-age-any-sex-baby"),
    (cap(), None, "M", False, "age-not-known"),
    (cap(16, 17, sa=True), 15, "M", False, "under-16-never-in-supported-accommodation"),
    (cap(0, 17, sa=True), 15, "M", False, "under-16-never-in-supported-accommodation-even-if-approved-wider"),
    (cap(16, 17, sa=True), 16, "M", True, "16-in-supported-accommodation"),
    (cap(12, 15), 11, "F", False, "below-the-range"),
    (cap(12, 15), 16, "F", False, "above-the-range"),
    (cap(sexes="M"), 12, "F", False, "girl-at-boys-only"),
    (cap(sexes="M"), 12, "M", True, "boy-at-boys-only"),
    (cap(sexes="F"), 12, "U", False, "sex-not-known-at-girls-only"),
    (cap(), 12, "U", True, "sex-not-known-at-any"),
]


@pytest.mark.parametrize(("capacity", "age", "sex", "expected"), [r[:4] for r in CAN_TAKE],
                         ids=[r[4] for r in CAN_TAKE])
def test_can_take(capacity: Capacity, age: int | None, sex: str, expected: bool) -> None:
    assert can_take(capacity, age, sex) is expected


def kids(*pairs: tuple[int | None, str]) -> list[ChildNeedingPlacement]:
    return [ChildNeedingPlacement(age=age, sex=sex) for age, sex in pairs]


def row(gaps: list[Gap], band: AgeBand, sex: str) -> tuple[int, int, int, int]:
    found = next(g for g in gaps if g.band == band and g.sex == sex)
    return found.children, found.matching_vacancies, found.covered, found.gap


B16, B10, U10, NK = AgeBand.AGED_16_AND_17, AgeBand.AGED_10_TO_15, AgeBand.UNDER_10, AgeBand.NOT_KNOWN

GAPS = [
    # (children, capacity, band, sex, (children, matching vacancies, covered, gap), case)
    ([], [], B16, "M", (0, 0, 0, 0), "nothing-at-all"),
    (kids((16, "M"), (17, "M"), (16, "M")), [cap(16, 17, sa=True, vacancies=2)], B16, "M", (3, 2, 2, 1),
     "three-boys-two-supported-places"),
    (kids((15, "M")), [cap(16, 17, sa=True, vacancies=5)], B10, "M", (1, 0, 0, 1),
     "supported-accommodation-never-counts-for-a-15-year-old"),
    (kids((16, "F")), [cap(sexes="M", vacancies=3)], B16, "F", (1, 0, 0, 1), "boys-only-places-do-not-cover-a-girl"),
    (kids((16, "F")), [cap(sexes="M", vacancies=3)], B16, "M", (0, 3, 0, 0),
     "spare-boys-places-shown-with-no-demand"),
    (kids((10, "M"), (15, "M")), [cap(14, 17, vacancies=2)], B10, "M", (2, 2, 1, 1),
     "vacancy-overlaps-the-band-but-only-fits-the-older-child"),
    (kids((10, "M"), (14, "M")), [cap(10, 17, vacancies=1), cap(14, 15, vacancies=1)], B10, "M", (2, 2, 2, 0),
     "greedy-keeps-the-wide-place-for-the-younger-child"),
    (kids((14, "M"), (10, "M")), [cap(14, 15, vacancies=1), cap(10, 17, vacancies=1)], B10, "M", (2, 2, 2, 0),
     "order-given-does-not-matter"),
    (kids((5, "M")), [cap(vacancies=0)], U10, "M", (1, 0, 0, 1), "no-vacancy-at-a-provider"),
    (kids((None, "M"), (None, "F")), [cap(vacancies=9)], NK, "M", (1, 0, 0, 1),
     "no-date-of-birth-cannot-be-matched"),
    (kids((12, "U")), [cap(sexes="M"), cap(sexes="F")], B10, "U", (1, 0, 0, 1),
     "sex-not-known-only-at-any-sex-providers"),
    (kids((12, "U")), [cap()], B10, "U", (1, 1, 1, 0), "sex-not-known-at-any-sex"),
]


@pytest.mark.parametrize(("children", "capacity", "band", "sex", "expected"), [r[:5] for r in GAPS],
                         ids=[r[5] for r in GAPS])
def test_gap_rows(children: list[ChildNeedingPlacement], capacity: list[Capacity], band: AgeBand, sex: str,
                  expected: tuple[int, int, int, int]) -> None:
    assert row(sufficiency_gaps(children, capacity), band, sex) == expected


def test_gap_rows_always_show_boys_and_girls_in_the_three_bands_and_the_rest_only_when_needed() -> None:
    plain = sufficiency_gaps([], [])
    assert [(g.band, g.sex) for g in plain] == [(U10, "M"), (U10, "F"), (B10, "M"), (B10, "F"), (B16, "M"), (B16, "F")]
    more = sufficiency_gaps(kids((12, "U"), (None, "F")), [])
    assert (B10, "U") in [(g.band, g.sex) for g in more] and (NK, "F") in [(g.band, g.sex) for g in more]
    assert (NK, "M") not in [(g.band, g.sex) for g in more]


def test_a_vacancy_for_any_child_counts_in_every_row() -> None:
    gaps = sufficiency_gaps([], [cap(vacancies=2)])
    assert {g.matching_vacancies for g in gaps} == {2}


def test_one_vacancy_cannot_take_a_boy_and_a_girl_of_the_same_band() -> None:
    children = kids((16, "M"), (16, "F"))
    gaps = sufficiency_gaps(children, [cap(vacancies=1)])
    assert row(gaps, B16, "M")[2] == row(gaps, B16, "F")[2] == 1  # each row alone
    assert [(b.band, b.children, b.covered) for b in cover_by_band(children, [cap(vacancies=1)])] == [
        (U10, 0, 0), (B10, 0, 0), (B16, 2, 1)]


def test_the_age_not_known_band_appears_only_with_such_children() -> None:
    assert [b.band for b in cover_by_band(kids((None, "F")), [])][-1] == NK
    assert NK not in [b.band for b in cover_by_band(kids((3, "F")), [])]


HEADLINES = [
    ([], [], "No child needs a placement now", "no-demand"),
    (kids((16, "M")), [cap(vacancies=1)], "Vacancies could cover the 1 child who needs a placement now", "one-covered"),
    (kids((16, "M"), (3, "F")), [cap(vacancies=2)], "Vacancies could cover all 2 children who need a placement now",
     "all-covered"),
    (kids(*[(16, "M")] * 4, *[(17, "F")] * 3), [cap(16, 17, sa=True, vacancies=3)],
     "Vacancies for 16 and 17 year olds cover 3 of the 7 children who need them", "the-brief's-example"),
    (kids((16, "M"), (8, "F"), (9, "F")), [cap(16, 17, sa=True, vacancies=1)],
     "Vacancies for children under 10 cover 0 of the 2 children who need them", "largest-gap-wins"),
    (kids((8, "F"), (16, "M")), [], "Vacancies for children under 10 cover 0 of the 1 child who needs them",
     "equal-gaps-youngest-band-first"),
    (kids((None, "F"), (None, "M")), [cap()],
     "No vacancy can be matched to the 2 children whose age is not known: record a date of birth", "ages-not-known"),
    (kids((16, "M"), (8, "F")), [cap(vacancies=1)],
     "Vacancies could cover 1 of the 2 children who need a placement now: the same vacancies are counted for "
     "more than one age group", "one-vacancy-two-bands"),
    (kids((20, "M")), [], "No child needs a placement now", "adults-are-not-counted"),
]


@pytest.mark.parametrize(("children", "capacity", "expected"), [r[:3] for r in HEADLINES], ids=[r[3] for r in HEADLINES])
def test_gap_headline(children: list[ChildNeedingPlacement], capacity: list[Capacity], expected: str) -> None:
    assert gap_headline(children, capacity) == expected


PERCENTAGES = [(0, 0, 0, "nothing-of-nothing"), (1, 3, 33, "a-third"), (2, 3, 67, "two-thirds"),
               (1, 8, 13, "half-rounds-up"), (5, 5, 100, "all")]


@pytest.mark.parametrize(("part", "whole", "expected"), [r[:3] for r in PERCENTAGES], ids=[r[3] for r in PERCENTAGES])
def test_percentage(part: int, whole: int, expected: int) -> None:
    assert percentage(part, whole) == expected


OUT_OF_AREA = [
    (0, 0, "No child is in a placement", "nobody-placed"),
    (1, 1, "1 of the 1 child in a placement (100%) lives outside the council's area", "one-child"),
    (4, 20, "4 of the 20 children in a placement (20%) live outside the council's area", "a-fifth"),
    (1, 3, "1 of the 3 children in a placement (33%) lives outside the council's area", "one-of-three"),
]


@pytest.mark.parametrize(("out", "placed", "expected"), [r[:3] for r in OUT_OF_AREA], ids=[r[3] for r in OUT_OF_AREA])
def test_out_of_area_headline(out: int, placed: int, expected: str) -> None:
    assert out_of_area_headline(out, placed) == expected


ages = st.one_of(st.none(), st.integers(min_value=0, max_value=17))
children_st = st.lists(st.builds(ChildNeedingPlacement, age=ages, sex=st.sampled_from(["M", "F", "U"])), max_size=30)
capacity_st = st.lists(
    st.builds(lambda lo, span, sexes, sa, v: cap(lo, min(lo + span, 17), sexes, sa, v),
              st.integers(0, 17), st.integers(0, 17), st.sampled_from(["any", "M", "F"]), st.booleans(),
              st.integers(0, 4)),
    max_size=12,
)


@property_test
@given(children_st, capacity_st)
def test_gaps_are_never_negative_and_cover_no_more_than_the_places(
        children: list[ChildNeedingPlacement], capacity: list[Capacity]) -> None:
    gaps = sufficiency_gaps(children, capacity)
    assert sum(g.children for g in gaps) == len(children)
    for g in gaps:
        assert 0 <= g.covered <= min(g.children, g.matching_vacancies)
        assert g.gap >= 0
    assert sum(b.children for b in cover_by_band(children, capacity)) == len(children)
    everyone = most_placed(children, capacity)
    assert everyone <= sum(b.covered for b in cover_by_band(children, capacity))
    assert everyone <= sum(c.vacancies for c in capacity)


@property_test
@given(children_st, capacity_st)
def test_covered_matches_a_brute_force_count_for_small_groups(
        children: list[ChildNeedingPlacement], capacity: list[Capacity]) -> None:
    """The greedy count equals the best assignment found by trying every one (small groups only)."""
    few, some = children[:6], capacity[:4]
    for g in sufficiency_gaps(few, some):
        group = [c for c in few if c.sex == g.sex and c.age is not None and age_band(_born(c.age), TODAY) == g.band]
        assert g.covered == _best(group, [c.vacancies for c in some], some)
    known = [c for c in few if c.age is not None]
    assert most_placed(few, some) == _best(known, [c.vacancies for c in some], some)


def _born(age: int) -> date:
    return date(TODAY.year - age, 1, 1)


def _best(group: list[ChildNeedingPlacement], left: list[int], capacity: list[Capacity]) -> int:
    if not group:
        return 0
    first, rest = group[0], group[1:]
    best = _best(rest, left, capacity)  # leave the first child unplaced
    for i, item in enumerate(capacity):
        if left[i] > 0 and can_take(item, first.age, first.sex):
            left[i] -= 1
            best = max(best, 1 + _best(rest, left, capacity))
            left[i] += 1
    return best
