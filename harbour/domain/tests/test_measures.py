"""Every measure against a hand-built council, each figure counted by hand (the rows say why).

Today is 1 June 2026 unless a row says otherwise. Months are calendar months; Q4 2025-26 is
January to March 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from harbour.domain.measures import (
    MEASURES,
    AllocationSpell,
    CareSpell,
    ChildFacts,
    Figure,
    FundingClaimFacts,
    LeaverContact,
    MeasureData,
    PlacementSpell,
    Transfer,
    figures,
)
from harbour.domain.review_measures import (
    Occurrence,
    ReportingPeriod,
    ReviewHeld,
    months_between,
    quarters_between,
)
from harbour.domain.tests.support import d

TODAY = d("2026-06-01")
MONTHS = {p.key: p for p in months_between(d("2025-01-01"), d("2026-06-30"))}
Q4 = quarters_between(d("2026-01-01"), d("2026-03-31"))[0]


def period(key: str) -> ReportingPeriod:
    return Q4 if key == Q4.key else MONTHS[key]


TRANSFERS = (
    Transfer("t1", d("2026-01-02"), d("2026-01-09"), d("2026-01-08")),  # a day early: in time
    Transfer("t2", d("2026-01-13"), d("2026-01-20"), d("2026-01-22")),  # two days late
    Transfer("t3", d("2026-01-16"), d("2026-01-23"), None),  # never arrived, deadline passed: late
    Transfer("t4", d("2026-01-21"), d("2026-01-28"), None, withdrawn=True),  # withdrawn: left out
    Transfer("t5", d("2026-01-29"), d("2026-02-05"), d("2026-02-05")),  # on the deadline day: in time
    Transfer("t6", d("2026-05-27"), d("2026-06-03"), None),  # not due yet on 1 June: left out
    Transfer("t7", d("2026-05-22"), d("2026-06-01"), d("2026-06-01")),  # arrived today, due today: in time
)

OCCURRENCES = (
    Occurrence("r1", "review", d("2026-01-10"), d("2026-01-09")),  # in time
    Occurrence("r2", "review", d("2026-01-20"), d("2026-01-25"), "Staff sickness"),  # late
    Occurrence("r3", "review", d("2026-02-01"), None),  # not held, overdue: late
    Occurrence("r1", "visit", d("2026-01-15"), d("2026-01-15")),  # a visit, not a review
    Occurrence("r1", "health_assessment", d("2026-02-10"), d("2026-02-11")),  # a day late
    Occurrence("r2", "pep", d("2026-03-31"), d("2026-03-01")),  # early: in time
    Occurrence("r3", "review", d("2026-06-20"), None),  # not due yet: left out
)
HELD = (
    ReviewHeld("r1", d("2026-01-09"), "PN1"),  # took part
    ReviewHeld("r2", d("2026-01-25"), "PN7"),  # did not take part
    ReviewHeld("r4", d("2026-01-28"), "PN0"),  # under 4: not counted at all
    ReviewHeld("r3", d("2026-02-03"), "PN6"),  # took part (February)
)

# Short-term stability on 31 March 2026: the year is 1 April 2025 to 31 March 2026.
STABILITY_CARE = (
    CareSpell("a", d("2024-01-01"), None),
    CareSpell("b", d("2025-06-01"), None),
    CareSpell("c", d("2025-01-01"), d("2026-03-01")),  # left care before 31 March: not counted
    CareSpell("dd", d("2026-03-31"), None),  # came into care on the last day: counted, one placement
)
STABILITY_PLACEMENTS = (
    PlacementSpell("a", d("2024-01-01"), d("2025-03-31")),  # ended the day before the year: not counted
    PlacementSpell("a", d("2025-04-01"), d("2025-08-01")),
    PlacementSpell("a", d("2025-08-02"), d("2026-01-10")),
    PlacementSpell("a", d("2026-01-11"), None),  # a: 3 placements in the year
    PlacementSpell("b", d("2025-06-01"), d("2025-06-30")),
    PlacementSpell("b", d("2025-07-01"), None),  # b: 2
    *(PlacementSpell("c", d(f"2025-{m:02d}-01"), d(f"2025-{m:02d}-20")) for m in range(4, 9)),  # c: 5, left care
    PlacementSpell("dd", d("2026-03-31"), None),
)

# Long-term stability on 31 March 2026: looked after since 30 September 2023 or earlier, under 16.
LONG_CHILDREN = {
    "e": ChildFacts("e", d("2012-05-01")),
    "f": ChildFacts("f", d("2012-05-01")),
    "g": ChildFacts("g", d("2010-03-31")),  # 16 on 31 March 2026: out
    "h": ChildFacts("h", d("2012-05-01")),
}
LONG_CARE = (
    CareSpell("e", d("2023-01-01"), None),
    CareSpell("f", d("2023-09-30"), None),  # exactly 2 and a half years: in
    CareSpell("g", d("2020-01-01"), None),
    CareSpell("h", d("2023-10-01"), None),  # a day short of 2 and a half years: out
)
LONG_PLACEMENTS = (
    PlacementSpell("e", d("2024-03-31"), None),  # exactly 2 years: stable
    PlacementSpell("f", d("2024-04-01"), None),  # a day short of 2 years
    PlacementSpell("g", d("2020-01-01"), None),
    PlacementSpell("h", d("2023-10-01"), None),
)

# Care leavers with a birthday in February or March 2026 (today 1 June 2026: the 60-day windows of
# February and early March birthdays have closed).
LEAVERS = {
    "l1": ChildFacts("l1", d("2007-02-10")),  # 19 on 10 February 2026
    "l2": ChildFacts("l2", d("2005-03-05")),  # 21 on 5 March 2026
    "l3": ChildFacts("l3", d("2006-03-20")),  # 20 on 20 March 2026
    "l4": ChildFacts("l4", d("2008-03-10")),  # 18 in March: not 19 to 21
    "l5": ChildFacts("l5", d("2006-03-15")),  # never looked after
    "l6": ChildFacts("l6", d("2006-03-28")),  # looked after a month at 16: not 13 weeks, not in the cohort
    "l7": ChildFacts("l7", d("2006-04-25")),  # 20 on 25 April: window open, no contact yet: left out
}
LEAVER_CARE = (
    CareSpell("l1", d("2021-01-01"), d("2025-02-10")),
    CareSpell("l2", d("2020-01-01"), d("2023-03-05")),
    CareSpell("l3", d("2020-01-01"), d("2024-03-20")),
    CareSpell("l4", d("2022-01-01"), d("2026-03-10")),
    CareSpell("l6", d("2022-04-01"), d("2022-05-01")),
    CareSpell("l7", d("2020-01-01"), d("2024-04-25")),
)
LEAVER_CONTACTS = (
    LeaverContact("l1", d("2026-02-01"), "YES", "F1", True),  # in touch, suitable, university
    LeaverContact("l2", d("2026-05-15"), "YES", "F5", True),  # 71 days after the birthday: too late
    LeaverContact("l3", d("2026-03-01"), "YES", "G5", False),  # 19 days before: not the nearest
    LeaverContact("l3", d("2026-03-25"), "YES", "F5", True),  # 5 days after: the nearest
    LeaverContact("l4", d("2026-03-10"), "YES", "F1", True),
    LeaverContact("l6", d("2026-03-28"), "YES", "F1", True),
)

ALLOCATIONS = (
    AllocationSpell("a", "sw1", "social_worker", d("2025-01-01"), None),
    AllocationSpell("b", "sw1", "social_worker", d("2025-01-01"), d("2026-03-31")),  # ends on the day: still open
    AllocationSpell("c", "sw2", "social_worker", d("2025-01-01"), d("2026-03-30")),  # ended the day before
    AllocationSpell("e", "sw2", "social_worker", d("2026-04-01"), None),  # started the day after
    AllocationSpell("f", "sw3", "social_worker", d("2026-03-31"), None),
    AllocationSpell("a", "iro1", "iro", d("2025-01-01"), None),
    AllocationSpell("l1", "pa1", "personal_adviser", d("2025-01-01"), None),
)

# Funding in March 2026 (31 nights). u1 is looked after all month; the claim runs from 10 March (22
# nights at £143) with a £1,000 one-off; u2 arrived on 20 March (12 nights at £100). Placements: u1 £700 a
# week (£100 a night, 31 nights), u2 £1,400 a week from 20 March (12 nights at £200).
FUNDING_CARE = (CareSpell("u1", d("2025-06-01"), None), CareSpell("u2", d("2026-03-20"), None))
FUNDING_PLACEMENTS = (
    PlacementSpell("u1", d("2025-06-01"), None, Decimal("700")),
    PlacementSpell("u2", d("2026-03-20"), None, Decimal("1400")),
    PlacementSpell("u2", d("2026-03-19"), d("2026-03-19"), None),  # no cost recorded: nothing spent
)
FUNDING = (
    FundingClaimFacts("u1", d("2026-03-10"), Decimal("143"), Decimal("1000")),
    FundingClaimFacts("u2", d("2026-03-20"), Decimal("100"), Decimal("0")),
)

DATA = MeasureData(
    children={**LONG_CHILDREN, **LEAVERS},
    occurrences=OCCURRENCES, reviews=HELD, transfers=TRANSFERS,
    care=STABILITY_CARE + LONG_CARE + LEAVER_CARE + FUNDING_CARE,
    placements=STABILITY_PLACEMENTS + LONG_PLACEMENTS + FUNDING_PLACEMENTS,
    contacts=LEAVER_CONTACTS, allocations=ALLOCATIONS, funding=FUNDING,
)

# Short-term stability counts every child in care, so it is counted on its own four children (in
# the whole council above, the long-term, care leaver and funding children in care would join them).
ALONE = {"placements_3_plus": MeasureData(care=STABILITY_CARE, placements=STABILITY_PLACEMENTS)}


@pytest.mark.parametrize(("case", "measure", "key", "numerator", "denominator", "children"), [
    ("NTS, January: 1 in time; late, never arrived; withdrawn left out", "nts_transfers", "2026-01", 1, 3,
     ("t1", "t2", "t3")),
    ("NTS, February: arrived on the deadline day", "nts_transfers", "2026-02", 1, 1, ("t5",)),
    ("NTS, quarter: January and February together", "nts_transfers", "2025-26-Q4", 2, 4, ("t1", "t2", "t3", "t5")),
    ("NTS, June: due today and arrived counts, not yet due left out", "nts_transfers", "2026-06", 1, 1, ("t7",)),
    ("Reviews, January: one in time, one late", "reviews", "2026-01", 1, 2, ("r1", "r2")),
    ("Reviews, February: not held and overdue is late", "reviews", "2026-02", 0, 1, ("r3",)),
    ("Reviews, June: not due yet, nothing to count", "reviews", "2026-06", 0, 0, ()),
    ("Participation, January: PN1 of PN1 and PN7; PN0 left out", "participation", "2026-01", 1, 2, ("r1", "r2")),
    ("Participation, February: PN6 took part", "participation", "2026-02", 1, 1, ("r3",)),
    ("Visits, January: on the due day", "visits", "2026-01", 1, 1, ("r1",)),
    ("Health assessments, February: a day late", "health", "2026-02", 0, 1, ("r1",)),
    ("PEPs, March: held early", "peps", "2026-03", 1, 1, ("r2",)),
    ("3+ placements, 31 March: a (3) of a, b, dd; c left care", "placements_3_plus", "2026-03", 1, 3,
     ("a", "b", "dd")),
    ("Same placement 2 years, 31 March: e of e and f; g is 16, h too recent", "placement_2_years", "2026-03", 1, 2,
     ("e", "f")),
    ("In touch, February: l1's contact 9 days before", "leavers_in_touch", "2026-02", 1, 1, ("l1",)),
    ("In touch, March: l3 yes; l2's contact too late counts as not", "leavers_in_touch", "2026-03", 1, 2,
     ("l2", "l3")),
    ("Suitable accommodation, March: the nearest contact (l3 suitable)", "leavers_suitable_accommodation",
     "2026-03", 1, 2, ("l2", "l3")),
    ("EET, March: l3 in work at the nearest contact", "leavers_eet", "2026-03", 1, 2, ("l2", "l3")),
    ("Higher education, February: l1 at university", "leavers_higher_education", "2026-02", 1, 1, ("l1",)),
    ("Higher education, March: nobody", "leavers_higher_education", "2026-03", 0, 2, ("l2", "l3")),
    ("Care leavers, April: l7's window still open, no contact: left out", "leavers_in_touch", "2026-04", 0, 0, ()),
    ("Social workers, 31 March: sw1 has a and b, sw3 has f", "caseload_social_worker", "2026-03", 3, 2,
     ("a", "b", "f")),
    ("IROs, 31 March", "caseload_iro", "2026-03", 1, 1, ("a",)),
    ("Personal advisers, 31 March", "caseload_personal_adviser", "2026-03", 1, 1, ("l1",)),
    # Claimed: u1 22 x 143 = 3,146 + 1,000 one-off; u2 12 x 100 = 1,200: 5,346.
    # Spent: u1 31 x 100 = 3,100; u2 12 x 200 = 2,400: 5,500.
    ("Home Office funding, March", "home_office_funding", "2026-03", 5346, 5500, ("u1", "u2")),
    # February: u1 only; the claim starts 10 March, so nothing is claimed; spent 28 x 100.
    ("Home Office funding, February: before the claim", "home_office_funding", "2026-02", 0, 2800, ("u1", "u2")),
])
def test_measure_figure(case: str, measure: str, key: str, numerator: int, denominator: int,
                        children: tuple[str, ...]) -> None:
    figure = MEASURES[measure].compute(ALONE.get(measure, DATA), period(key), TODAY)
    assert (figure.numerator, figure.denominator, figure.child_ids) == (numerator, denominator, children), case


@pytest.mark.parametrize(("case", "measure", "key", "counted"), [
    ("NTS in time", "nts_transfers", "2025-26-Q4", ("t1", "t5")),
    ("3+ placements", "placements_3_plus", "2026-03", ("a",)),
    ("Care leavers in EET", "leavers_eet", "2026-03", ("l3",)),
    ("Participation took part", "participation", "2026-01", ("r1",)),
])
def test_counted_children(case: str, measure: str, key: str, counted: tuple[str, ...]) -> None:
    assert MEASURES[measure].compute(ALONE.get(measure, DATA), period(key), TODAY).counted_ids == counted, case


def test_figures_gives_every_measure_one_figure_per_period_in_order() -> None:
    periods = [MONTHS["2026-01"], MONTHS["2026-02"]]
    found = figures(DATA, periods, TODAY)
    assert list(found) == list(MEASURES)
    assert all([f.period for f in row] == periods for row in found.values())
    assert list(figures(DATA, periods, TODAY, keys=["reviews", "nts_transfers"])) == ["nts_transfers", "reviews"]


@pytest.mark.parametrize(("case", "measure", "figure", "shown"), [
    ("percent rounds half to even", "reviews", Figure("reviews", Q4, 1, 8, ()), "12%"),
    ("nothing to count", "reviews", Figure("reviews", Q4, 0, 0, ()), "No data"),
    ("per worker, one decimal", "caseload_iro", Figure("caseload_iro", Q4, 7, 3, ()), "2.3"),
    ("no workers", "caseload_iro", Figure("caseload_iro", Q4, 0, 0, ()), "No data"),
    ("pounds", "home_office_funding", Figure("home_office_funding", Q4, 6633, 5500, ()), "£6,633"),
])
def test_display(case: str, measure: str, figure: Figure, shown: str) -> None:
    assert MEASURES[measure].display(figure) == shown, case


def test_every_measure_says_what_it_counts() -> None:
    for measure in MEASURES.values():
        assert measure.key and measure.title and measure.definition and measure.source, measure
        assert measure.unit in {"percent", "count", "pounds", "per worker"}


def test_the_late_reasons_of_reviews() -> None:
    reviews = MEASURES["reviews"]
    assert reviews.reasons(DATA, MONTHS["2026-01"], TODAY) == [("Staff sickness", 1)]  # type: ignore[attr-defined]


def test_date_of_birth_missing_for_long_term_stability_leaves_the_child_out() -> None:
    data = MeasureData(care=(CareSpell("x", date(2020, 1, 1), None),),
                       placements=(PlacementSpell("x", date(2020, 1, 1), None),))
    assert MEASURES["placement_2_years"].compute(data, MONTHS["2026-03"], TODAY).denominator == 0


@pytest.mark.parametrize("measure", list(MEASURES))
def test_a_measure_counts_the_same_from_only_the_records_it_says_it_needs(measure: str) -> None:
    """The pages load only what a measure's ``needs`` names: nothing else may change its figure."""
    data = ALONE.get(measure, DATA)
    assert MEASURES[measure].needs <= set(MeasureData.__dataclass_fields__) - {"cache"}
    trimmed = MeasureData(**{name: getattr(data, name) for name in MEASURES[measure].needs})
    for key in ("2026-01", "2026-02", "2026-03", "2025-26-Q4"):
        assert MEASURES[measure].compute(trimmed, period(key), TODAY) == MEASURES[measure].compute(
            data, period(key), TODAY), key
