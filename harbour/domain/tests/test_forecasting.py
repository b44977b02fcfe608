"""The forecasting model on small cases whose answers are known by hand: a closed cohort that only
ages, a constant flow reaching its steady state, the NTS threshold stopping transfers, rates
learnt from a made-up history, money, and bad scenario input refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from harbour.domain.forecasting.history import (
    CHILD_AGE_QUARTERS,
    LEAVER_AGE_QUARTERS,
    ChildHistory,
    PlacementGroup,
    Spell,
    age_in_quarters,
    placement_group,
)
from harbour.domain.forecasting.model import G, Rates, State, fit, simulate, state_on
from harbour.domain.forecasting.money import CostSettings, money_forecast, nightly_rate
from harbour.domain.forecasting.scenario import Scenario, ScenarioError, make_scenario, preset
from harbour.domain.funding import DatedRate

START = date(2026, 4, 1)


def rates(*, exit_p: float = 0.0, move_p: float = 0.0, entry_quarter: int = 64, group: int = 0) -> Rates:
    mix = np.zeros((2, CHILD_AGE_QUARTERS, G))
    mix[:, entry_quarter, group] = 1.0
    destination = np.zeros((2, CHILD_AGE_QUARTERS, G, G))
    destination[..., 0, 1] = 1.0  # foster care moves only to residential
    return Rates(fit_start=date(2020, 4, 1), fit_end=START, exit=np.full((2, CHILD_AGE_QUARTERS), exit_p),
                 move=np.full((2, CHILD_AGE_QUARTERS, G), move_p), destination=destination, entry_mix=mix,
                 entries_per_year=(0.0, 0.0), share_supported_to_25=None, counts={})


def scenario(**changes: object) -> Scenario:
    base = Scenario(horizon_years=2, runs=1000, seed=7, child_population=100_000, threshold_percent=Decimal("0.1"),
                    uasc_arrivals_per_year=Decimal(0), spontaneous_uasc_per_year=Decimal(0),
                    other_entries_per_year=Decimal(0), percent_supported_to_25=Decimal(0))
    return replace(base, **changes)  # type: ignore[arg-type]


def start_with(care: dict[tuple[int, int, int], int], leavers: dict[tuple[int, int], int] | None = None) -> State:
    state = State(on=START, care=np.zeros((2, CHILD_AGE_QUARTERS, G), dtype=np.int64),
                  leavers=np.zeros((2, LEAVER_AGE_QUARTERS), dtype=np.int64))
    for key, count in care.items():
        state.care[key] = count
    for place, count in (leavers or {}).items():
        state.leavers[place] = count
    return state


# --- A closed cohort that only ages ------------------------------------------------------------


def test_a_closed_cohort_only_ages_and_each_child_becomes_a_care_leaver_at_18() -> None:
    # 10 unaccompanied children 17 and a half (age quarter 70) and 5 aged 17 and three-quarters (71).
    result = simulate(rates(), start_with({(1, 70, 0): 10, (1, 71, 0): 5}), scenario(horizon_years=1))
    assert (result.uasc_in_care[:, 0] == 10).all()  # the five turn 18 in the first quarter
    assert (result.care_leavers[:, 0] == 5).all()
    assert (result.uasc_in_care[:, 1] == 0).all()  # the ten turn 18 in the second
    assert (result.care_leavers[:, 1] == 15).all()
    assert (result.uasc_care_leavers_under_21[:, 3] == 15).all()


@pytest.mark.parametrize(("percent", "after_21"), [(Decimal(0), 0), (Decimal(100), 10)],
                         ids=["nobody-asks-for-support-to-25", "everyone-asks"])
def test_support_ends_at_21_unless_asked_for_and_at_25_in_any_case(percent: Decimal, after_21: int) -> None:
    # 10 care leavers 20 and three-quarters turn 21 in the first quarter.
    result = simulate(rates(), start_with({}, {(0, 11): 10}), scenario(percent_supported_to_25=percent,
                                                                       horizon_years=5))
    assert (result.care_leavers[:, 0] == after_21).all()
    # Those who stayed turn 25 after 16 more quarters (17 in all) and leave.
    assert (result.care_leavers[:, 15] == after_21).all()
    assert (result.care_leavers[:, 16] == 0).all()


def test_moves_change_the_placement_group_and_keep_every_child() -> None:
    result = simulate(rates(move_p=1.0), start_with({(0, 20, 0): 30}), scenario(horizon_years=1))
    assert (result.in_care_by_group[:, 0, PlacementGroup.FOSTER] == 0).all()
    assert (result.in_care_by_group[:, 0, PlacementGroup.RESIDENTIAL] == 30).all()
    assert (result.children_in_care == 30).all()


# --- A constant flow reaching a steady state ---------------------------------------------------


@pytest.mark.parametrize(("exit_p", "expected"), [(0.0, 70.0), (0.1, 10 * (1 - 0.9**7) / 0.1)],
                         ids=["no-exits-7-quarters-of-10", "10%-leave-each-quarter"])
def test_a_constant_flow_of_16_year_olds_reaches_its_steady_state(exit_p: float, expected: float) -> None:
    # 40 a year arrive aged 16 (age quarter 64): 10 a quarter, each cohort in care for 7 quarter-ends.
    result = simulate(rates(exit_p=exit_p), start_with({}), scenario(other_entries_per_year=Decimal(40),
                                                                     horizon_years=4))
    settled = result.children_in_care[:, 8:].mean()
    assert abs(settled - expected) < 1.0
    assert result.children_in_care[:, 0].mean() < settled  # it starts empty and fills up


# --- The NTS threshold --------------------------------------------------------------------------


def test_transfers_stop_at_the_threshold_and_arrivals_in_the_area_do_not() -> None:
    at_threshold = start_with({(1, 40, 0): 10})  # 10 UASC: 0.1% of 10,000 children
    stopped = simulate(rates(), at_threshold, scenario(child_population=10_000, uasc_arrivals_per_year=Decimal(100)))
    assert stopped.uasc_arrivals.sum() == 0
    local = simulate(rates(), at_threshold, scenario(child_population=10_000, spontaneous_uasc_per_year=Decimal(8)))
    assert abs(local.uasc_arrivals.mean() - 2.0) < 0.2  # 8 a year is 2 a quarter
    below = simulate(rates(), at_threshold, scenario(child_population=20_000, uasc_arrivals_per_year=Decimal(8)))
    assert below.uasc_arrivals[:, 0].mean() > 1.5
    # Once at 20 (0.1% of 20,000) no run takes more: each quarter's arrivals start below the threshold.
    assert (below.uasc_in_care.max(axis=1) <= 20 + below.uasc_arrivals.max()).all()


def test_the_same_seed_gives_the_same_runs_and_another_seed_does_not() -> None:
    flow = scenario(other_entries_per_year=Decimal(40), uasc_arrivals_per_year=Decimal(20))
    first = simulate(rates(exit_p=0.05), start_with({(0, 30, 0): 50}), flow)
    again = simulate(rates(exit_p=0.05), start_with({(0, 30, 0): 50}), flow)
    other = simulate(rates(exit_p=0.05), start_with({(0, 30, 0): 50}), replace(flow, seed=8))
    assert np.array_equal(first.children_in_care, again.children_in_care)
    assert not np.array_equal(first.children_in_care, other.children_in_care)


# --- Learning from a history --------------------------------------------------------------------


def child(born: date, periods: list[tuple[date, date | None]], *, uasc: bool = False, place: str = "U4",
          adviser: list[tuple[date, date | None]] | None = None, legal: str = "C2") -> ChildHistory:
    spells = [Spell(a, b) for a, b in periods]
    return ChildHistory(date_of_birth=born, is_uasc=uasc, periods=spells,
                        placements=[Spell(a, b, place) for a, b in periods],
                        legal_statuses=[Spell(a, b, legal) for a, b in periods],
                        adviser=[Spell(a, b) for a, b in adviser or []])


def test_fit_learns_entries_exits_and_support_to_25_from_the_history() -> None:
    history = [
        # 4 ten-year-olds enter on 1 April 2024; two go home after exactly a year; two stay.
        *[child(date(2014, 1, 1), [(date(2024, 4, 1), date(2025, 3, 31) if i < 2 else None)]) for i in range(4)],
        # 2 unaccompanied 16-year-olds arrive in 2025 and stay.
        *[child(date(2009, 1, 1), [(date(2025, 4, 1), None)], uasc=True) for _ in range(2)],
        # A care leaver who turned 21 in 2025 with a personal adviser after it; one without.
        child(date(2004, 6, 1), [(date(2019, 1, 1), date(2022, 5, 31))],
              adviser=[(date(2022, 6, 1), None)]),
        child(date(2004, 7, 1), [(date(2019, 1, 1), date(2022, 6, 30))],
              adviser=[(date(2022, 7, 1), date(2025, 6, 30))]),
    ]
    fitted = fit(history, fit_start=date(2024, 4, 1), fit_end=date(2026, 4, 1))
    assert fitted.entries_per_year == pytest.approx((2.0, 1.0), abs=0.01)
    assert fitted.counts["exits"] == 2 and fitted.counts["entries"] == 6
    # Ten-year-olds: 2 exits in 4 + 4 + 4 + 4 + 4 + 4 = 24 quarters... (2 children 4 quarters, 2 children 8)
    exposure = (2 * 365 + 2 * 730) / (365.25 / 4)
    assert fitted.exit[0, 10 * 4] == pytest.approx(1 - np.exp(-2 / exposure), rel=0.01)
    assert fitted.share_supported_to_25 == 0.5
    assert fitted.entry_mix[1, 16 * 4 + 1, PlacementGroup.FOSTER] == 1.0  # 16 and 3 months on arrival


STATE_CASES = [
    # (case, history, day, in care, supported care leaver)
    ("in-care-the-day-before-the-18th-birthday",
     child(date(2008, 5, 10), [(date(2024, 1, 1), date(2026, 5, 9))], uasc=True), date(2026, 5, 9), True, False),
    ("care-leaver-on-the-18th-birthday",
     child(date(2008, 5, 10), [(date(2024, 1, 1), date(2026, 5, 9))], uasc=True), date(2026, 5, 10), False, True),
    ("born-29-february-turns-18-on-1-march",
     child(date(2008, 2, 29), [(date(2024, 1, 1), date(2026, 2, 28))]), date(2026, 3, 1), False, True),
    ("supported-the-day-before-21",
     child(date(2005, 5, 10), [(date(2020, 1, 1), date(2023, 5, 9))]), date(2026, 5, 9), False, True),
    ("not-supported-at-21-without-asking",
     child(date(2005, 5, 10), [(date(2020, 1, 1), date(2023, 5, 9))]), date(2026, 5, 10), False, False),
    ("supported-at-21-with-a-personal-adviser",
     child(date(2005, 5, 10), [(date(2020, 1, 1), date(2023, 5, 9))], adviser=[(date(2026, 5, 1), None)]),
     date(2026, 5, 10), False, True),
    ("support-ends-at-25",
     child(date(2001, 5, 10), [(date(2016, 1, 1), date(2019, 5, 9))], adviser=[(date(2022, 5, 1), None)]),
     date(2026, 5, 10), False, False),
    ("went-home-at-15-is-not-a-care-leaver",
     child(date(2006, 5, 10), [(date(2020, 1, 1), date(2021, 5, 9))]), date(2025, 1, 1), False, False),
    ("short-breaks-only-are-not-in-care",
     child(date(2015, 5, 10), [(date(2025, 1, 1), None)], legal="V4"), date(2026, 1, 1), False, False),
]


@pytest.mark.parametrize(("history", "day", "in_care", "leaver"), [c[1:] for c in STATE_CASES],
                         ids=[c[0] for c in STATE_CASES])
def test_who_is_in_care_or_a_supported_care_leaver(history: ChildHistory, day: date, in_care: bool,
                                                   leaver: bool) -> None:
    assert history.in_care_on(day) is in_care
    assert history.supported_leaver_on(day) is leaver
    state = state_on([history], day)
    assert (state.children_in_care, state.care_leavers) == (int(in_care), int(leaver))


@pytest.mark.parametrize(("code", "group"), [("U4", PlacementGroup.FOSTER), ("K2", PlacementGroup.RESIDENTIAL),
                                             ("K3", PlacementGroup.SUPPORTED), ("P1", PlacementGroup.OTHER),
                                             ("", PlacementGroup.OTHER)],
                         ids=["foster", "childrens-home", "supported-accommodation", "with-parents", "no-code"])
def test_placement_groups(code: str, group: PlacementGroup) -> None:
    assert placement_group(code) == group


def test_age_in_quarters() -> None:
    assert age_in_quarters(date(2010, 1, 31), date(2010, 4, 30)) == 0
    assert age_in_quarters(date(2010, 1, 31), date(2010, 5, 1)) == 1
    assert age_in_quarters(date(2008, 5, 10), date(2026, 5, 9)) == 71


# --- Money --------------------------------------------------------------------------------------

RATES = [DatedRate("a", date(2019, 5, 1), date(2020, 5, 31), 0, 17, Decimal("114")),
         DatedRate("b", date(2020, 6, 1), date(2023, 2, 28), 0, 17, Decimal("143")),
         DatedRate("c", date(2016, 7, 1), date(2019, 4, 30), 16, 17, Decimal("91"))]


@pytest.mark.parametrize(("age", "on", "expected"), [
    (16, date(2018, 1, 1), (Decimal("91"), False)),
    (12, date(2018, 1, 1), (Decimal(0), False)),
    (17, date(2022, 8, 24), (Decimal("143"), False)),
    (17, date(2027, 1, 1), (Decimal("143"), True)),
    (18, date(2022, 8, 24), (Decimal(0), False)),
], ids=["in-force-for-16", "no-rate-for-that-age", "in-force-2022", "carried-forward-after-the-last-rate",
        "none-at-18"])
def test_nightly_rate(age: int, on: date, expected: tuple[Decimal, bool]) -> None:
    assert nightly_rate(RATES, age=age, on=on) == expected


def costs(**changes: object) -> CostSettings:
    base = CostSettings(social_worker_caseload=15, personal_adviser_caseload=20, iro_caseload=60,
                        supported_lodgings_caseload=10, social_worker_cost=Decimal(60_000),
                        personal_adviser_cost=Decimal(40_000), iro_cost=Decimal(65_000),
                        supported_lodgings_cost=Decimal(35_000),
                        weekly_cost={g: Decimal(100 * (g + 1)) for g in PlacementGroup},
                        care_leaver_weekly_funding=Decimal(270))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_posts_cost_and_funding_for_a_cohort_that_does_not_change() -> None:
    # 30 unaccompanied 10-year-olds in foster care for a year: nothing happens to them.
    result = simulate(rates(), start_with({(1, 40, 0): 30}), scenario(horizon_years=1))
    money = money_forecast(result, settings=costs(), rates=[DatedRate("x", date(2020, 1, 1), None, 0, 17,
                                                                          Decimal("143"))],
                           in_care_now=30, care_leavers_now=0, supported_now=0)
    year = money.years[0].figures
    assert year["social_workers"].p50 == 2.0 and year["iros"].p50 == 0.5
    weeks = 365.25 / 7
    assert year["placement_cost"].p50 == pytest.approx(30 * 100 * weeks, rel=1e-6)
    days = (date(2027, 4, 1) - START).days
    assert year["funding"].p50 == pytest.approx(30 * 143 * days, rel=1e-6)
    assert year["staff_cost"].p50 == pytest.approx(2 * 60_000 + 0.5 * 65_000)
    assert year["gap"].p50 == pytest.approx(year["staff_cost"].p50 + year["placement_cost"].p50
                                            - year["funding"].p50, rel=1e-6)
    assert money.posts_now["social_workers"] == 2.0 and not money.notes


def test_cost_settings_refuse_an_iro_caseload_outside_the_handbook_range() -> None:
    assert "iro_caseload" in costs(iro_caseload=80).problems()
    assert costs().problems() == {}


# --- Scenario input -----------------------------------------------------------------------------

GOOD = {"horizon_years": "5", "runs": "1000", "seed": "1", "child_population": "60000", "threshold_percent": "0.1",
        "uasc_arrivals_per_year": "12", "spontaneous_uasc_per_year": "0", "other_entries_per_year": "40",
        "percent_supported_to_25": "30"}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("uasc_arrivals_per_year", "-3", "must be 0 or more"),
    ("other_entries_per_year", "-0.5", "must be 0 or more"),
    ("horizon_years", "0", "must be between 1 and 10"),
    ("threshold_percent", "150", "must be 100% or less"),
    ("threshold_percent", "0", "must be more than 0%"),
    ("runs", "10", "must be between 1,000 and 20,000"),
    ("horizon_years", "2.5", "must be a whole number"),
    ("percent_supported_to_25", "abc", "must be a number"),
    ("child_population", "", "Enter children aged 0 to 17"),
], ids=["negative-arrivals", "negative-entries", "horizon-of-0", "threshold-over-100%", "threshold-of-0",
        "too-few-runs", "part-years", "not-a-number", "missing"])
def test_bad_scenario_input_is_refused_naming_the_field(field: str, value: str, message: str) -> None:
    with pytest.raises(ScenarioError) as refused:
        make_scenario({**GOOD, field: value})
    assert list(refused.value.errors) == [field]
    assert message.lower() in refused.value.errors[field].lower()


def test_a_good_scenario_and_its_presets() -> None:
    central = make_scenario(GOOD)
    assert central.threshold_count == 60
    low, high = preset("low", learnt=central), preset("high", learnt=central)
    assert low.uasc_arrivals_per_year == 6 and high.uasc_arrivals_per_year == 18
    with pytest.raises(ScenarioError):
        preset("extreme", learnt=central)
