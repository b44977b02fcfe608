from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.domain.calendar import CalendarCoverageError, WorkingDayCalendar, england_calendar_for
from harbour.domain.tests.support import ENGLAND, d, property_test

IS_WORKING_DAY = [
    ("2026-12-25", False, "christmas-day-friday"),
    ("2026-12-26", False, "boxing-day-on-saturday"),
    ("2026-12-28", False, "boxing-day-substitute-monday"),
    ("2026-12-29", True, "first-working-day-after-christmas-2026"),
    ("2022-12-27", False, "christmas-substitute-tuesday-2022"),
    ("2026-04-03", False, "good-friday"),
    ("2026-04-06", False, "easter-monday"),
    ("2022-09-19", False, "state-funeral-2022"),
    ("2023-05-08", False, "coronation-2023"),
    ("2022-06-03", False, "platinum-jubilee-2022"),
    ("2026-03-07", False, "saturday"),
    ("2026-03-08", False, "sunday"),
    ("2026-03-06", True, "ordinary-friday"),
    ("2024-02-29", True, "leap-day-thursday"),
    ("2026-12-24", True, "christmas-eve-is-a-working-day"),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(d(day), want) for day, want, _ in IS_WORKING_DAY],
    ids=[i for *_, i in IS_WORKING_DAY],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert ENGLAND.is_working_day(day) is expected


ADD_WORKING_DAYS = [
    ("2026-03-06", 1, "2026-03-09", "friday-clock-next-is-monday"),
    ("2026-03-06", 5, "2026-03-13", "friday-clock-five-days-is-next-friday"),
    ("2026-03-07", 1, "2026-03-09", "event-on-saturday"),
    ("2026-12-23", 2, "2026-12-29", "over-christmas-and-substitute-boxing-day"),
    ("2026-12-25", 1, "2026-12-29", "event-on-christmas-day"),
    ("2026-12-30", 2, "2027-01-04", "over-new-year-2027"),
    ("2026-04-02", 1, "2026-04-07", "over-good-friday-and-easter-monday"),
    ("2022-09-16", 1, "2022-09-20", "over-state-funeral"),
    ("2023-05-05", 1, "2023-05-09", "over-coronation"),
    ("2024-02-28", 1, "2024-02-29", "into-leap-day"),
    ("2026-03-03", 20, "2026-03-31", "twenty-days-plain-month"),
    ("2026-12-01", 20, "2026-12-31", "twenty-days-over-christmas"),
]


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [(d(s), n, d(e)) for s, n, e, _ in ADD_WORKING_DAYS],
    ids=[i for *_, i in ADD_WORKING_DAYS],
)
def test_add_working_days(start: date, n: int, expected: date) -> None:
    assert ENGLAND.add_working_days(start, n) == expected


@pytest.mark.parametrize("n", [0, -1], ids=["zero", "negative"])
def test_add_working_days_needs_at_least_one(n: int) -> None:
    with pytest.raises(ValueError, match="1 or more"):
        ENGLAND.add_working_days(d("2026-03-06"), n)


BETWEEN = [
    ("2026-03-06", "2026-03-09", 1, "friday-to-monday"),
    ("2026-03-06", "2026-03-06", 0, "same-day"),
    ("2026-03-07", "2026-03-08", 0, "weekend-only"),
    ("2026-12-24", "2026-12-29", 1, "over-christmas"),
    ("2026-12-29", "2026-12-24", -1, "backwards-over-christmas"),
    ("2023-05-05", "2023-05-09", 1, "over-coronation"),
    ("2024-02-28", "2024-03-01", 2, "over-leap-day"),
]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(d(s), d(e), n) for s, e, n, _ in BETWEEN],
    ids=[i for *_, i in BETWEEN],
)
def test_working_days_between(start: date, end: date, expected: int) -> None:
    assert ENGLAND.working_days_between(start, end) == expected


HOLIDAY_NAMES = [
    ("2026-12-28", "Boxing Day (observed)", "substitute-day"),
    ("2022-09-19", "State Funeral of Queen Elizabeth II", "state-funeral"),
    ("2026-04-03", "Good Friday", "good-friday"),
    ("2026-03-09", None, "ordinary-monday"),
    ("2026-03-07", None, "saturday-is-not-a-holiday"),
]


@pytest.mark.parametrize(
    ("day", "expected"),
    [(d(s), n) for s, n, _ in HOLIDAY_NAMES],
    ids=[i for *_, i in HOLIDAY_NAMES],
)
def test_holiday_name(day: date, expected: str | None) -> None:
    assert ENGLAND.holiday_name(day) == expected


def test_injected_holidays_are_used() -> None:
    calendar = WorkingDayCalendar([d("2026-03-09")])
    assert calendar.add_working_days(d("2026-03-06"), 1) == d("2026-03-10")
    assert calendar.holiday_name(d("2026-03-09")) == "Holiday"
    assert calendar.covered_years is None


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.is_working_day(d("2027-01-04")),
        lambda c: c.add_working_days(d("2026-12-30"), 2),
        lambda c: c.holiday_name(d("2025-12-25")),
    ],
    ids=["is-working-day-next-year", "add-runs-into-next-year", "holiday-name-last-year"],
)
def test_england_calendar_refuses_days_outside_its_years(
    call: Callable[[WorkingDayCalendar], object],
) -> None:
    calendar = WorkingDayCalendar.england([2026])
    with pytest.raises(CalendarCoverageError, match="covers 2026 to 2026 only"):
        call(calendar)


def test_england_calendar_for_covers_span_plus_margin() -> None:
    calendar = england_calendar_for(d("2026-03-06"), d("2024-02-29"))
    assert calendar.covered_years == frozenset({2023, 2024, 2025, 2026, 2027})


def test_england_calendar_needs_years() -> None:
    with pytest.raises(ValueError):
        WorkingDayCalendar.england([])
    with pytest.raises(ValueError):
        england_calendar_for()


days = st.dates(min_value=date(2021, 1, 1), max_value=date(2029, 6, 30))


@property_test
@given(start=days, n=st.integers(min_value=1, max_value=40))
def test_add_working_days_lands_on_a_working_day_after_start(start: date, n: int) -> None:
    due = ENGLAND.add_working_days(start, n)
    assert due > start
    assert ENGLAND.is_working_day(due)
    assert ENGLAND.working_days_between(start, due) == n
    # The day before the due date leaves one working day still to go.
    assert ENGLAND.working_days_between(start, due - timedelta(days=1)) == n - 1


@property_test
@given(start=days, end=days)
def test_working_days_between_is_antisymmetric(start: date, end: date) -> None:
    assert ENGLAND.working_days_between(start, end) == -ENGLAND.working_days_between(end, start)


def _walked(calendar: WorkingDayCalendar, start: date, end: date) -> int:
    """The definition, day by day: working days after ``start`` up to and including ``end``."""
    if end < start:
        return -_walked(calendar, end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if calendar.is_working_day(start + timedelta(days=n)))


COUNTED = [
    ("2021-01-04", "2028-12-29", "eight-years-overdue"),
    ("2026-12-24", "2027-01-04", "over-christmas-and-new-year"),
    ("2026-12-25", "2026-12-29", "starting-on-christmas-day"),
    ("2026-12-22", "2026-12-28", "ending-on-a-substitute-bank-holiday"),
    ("2026-03-06", "2026-03-13", "a-week-from-a-friday"),
    ("2026-03-07", "2026-03-14", "saturday-to-saturday"),
    ("2024-02-29", "2025-02-28", "from-29-february"),
    ("2022-09-16", "2022-09-20", "over-the-state-funeral"),
]


@pytest.mark.parametrize(("start", "end"), [(d(s), d(e)) for s, e, _ in COUNTED], ids=[i for *_, i in COUNTED])
def test_working_days_between_counts_as_the_walk_does(start: date, end: date) -> None:
    assert ENGLAND.working_days_between(start, end) == _walked(ENGLAND, start, end)
    assert ENGLAND.working_days_between(end, start) == -_walked(ENGLAND, start, end)


@property_test
@given(start=days, end=days)
def test_working_days_between_equals_the_day_by_day_definition(start: date, end: date) -> None:
    assert ENGLAND.working_days_between(start, end) == _walked(ENGLAND, start, end)


@pytest.mark.parametrize(("start", "end"), [(d("2026-12-30"), d("2027-01-05")), (d("2027-01-05"), d("2026-12-30"))],
                         ids=["runs-into-next-year", "backwards-from-next-year"])
def test_working_days_between_refuses_a_span_outside_its_years(start: date, end: date) -> None:
    with pytest.raises(CalendarCoverageError, match="covers 2026 to 2026 only"):
        WorkingDayCalendar.england([2026]).working_days_between(start, end)


def test_working_days_between_needs_only_the_days_after_the_start_covered() -> None:
    # 31 December 2025 itself never counts; 1 January 2026 is a bank holiday and the 2nd a Friday.
    assert WorkingDayCalendar.england([2026]).working_days_between(d("2025-12-31"), d("2026-01-02")) == 1
