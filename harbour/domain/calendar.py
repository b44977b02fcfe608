"""Working days in England.

A working day is any day except Saturday, Sunday, Christmas Day, Good Friday and a bank
holiday in England (reference.md 2.8, the definition used by comparable English SIs; the
text of SI 2010/959 reg 2 is [unconfirmed]). The ``holidays`` package lists all of these
for England, including substitute ("observed") days and one-off days such as the State
Funeral on 19 September 2022 and the Coronation on 8 May 2023 (reference.md 7).

A calendar built for England knows which years it covers and raises
:class:`CalendarCoverageError` for any day outside them, rather than silently treating an
uncovered year as having no bank holidays. Build it with :func:`england_calendar_for`
over the dates in use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import holidays as holiday_rules

ONE_DAY = timedelta(days=1)
SATURDAY = 5


class CalendarCoverageError(ValueError):
    """A date fell outside the years the working-day calendar was built for."""


class WorkingDayCalendar:
    """Which days are working days, given an explicit set of holidays.

    ``holidays`` may be a mapping of date to name (names feed :meth:`holiday_name`).
    ``covered_years`` limits the calendar: any day outside those years raises
    :class:`CalendarCoverageError`. Without it the holiday set is trusted for every year,
    which suits tests that inject a handful of holidays.
    """

    def __init__(
        self,
        holidays: Iterable[date],
        *,
        covered_years: Iterable[int] | None = None,
    ) -> None:
        if isinstance(holidays, Mapping):
            self._names: dict[date, str] = {day: str(name) for day, name in holidays.items()}
        else:
            self._names = {day: "Holiday" for day in holidays}
        self._covered_years = None if covered_years is None else frozenset(covered_years)
        # Holidays on a weekday, in order: those that take a working day away.
        self._weekday_holidays = sorted(day for day in self._names if day.weekday() < SATURDAY)

    @classmethod
    def england(cls, years: Iterable[int]) -> WorkingDayCalendar:
        """The calendar for England covering exactly ``years``."""
        year_list = sorted(set(years))
        if not year_list:
            raise ValueError("an England calendar needs at least one year")
        rules = holiday_rules.country_holidays("GB", subdiv="ENG", years=year_list)
        return cls({day: name for day, name in rules.items()}, covered_years=year_list)

    @property
    def covered_years(self) -> frozenset[int] | None:
        return self._covered_years

    def is_working_day(self, day: date) -> bool:
        self._check_covered(day)
        return day.weekday() < SATURDAY and day not in self._names

    def holiday_name(self, day: date) -> str | None:
        self._check_covered(day)
        return self._names.get(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``.

        A period of N working days counts from the first working day after the event, and
        the due date is the Nth working day; the day of the event itself never counts,
        even when it is a working day.
        """
        if n < 1:
            raise ValueError("the number of working days must be 1 or more")
        day = start
        remaining = n
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``.

        Negative when ``end`` is before ``start``, so that
        ``working_days_between(a, b) == -working_days_between(b, a)``.
        """
        if end < start:
            return -self.working_days_between(end, start)
        if end == start:
            return 0
        # Counted, not walked: the home page asks how late each overdue duty is, and a record
        # overdue for years took a thousand steps a row.
        for year in range((start + ONE_DAY).year, end.year + 1):
            self._check_covered(date(year, 1, 1))
        holidays = bisect_right(self._weekday_holidays, end) - bisect_right(self._weekday_holidays, start)
        return _weekdays_up_to(end) - _weekdays_up_to(start) - holidays

    def _check_covered(self, day: date) -> None:
        if self._covered_years is not None and day.year not in self._covered_years:
            first, last = min(self._covered_years), max(self._covered_years)
            raise CalendarCoverageError(
                f"the working-day calendar covers {first} to {last} only, "
                f"so it cannot say whether {day.isoformat()} is a working day; "
                "build it with england_calendar_for() over the dates in use"
            )


def _weekdays_up_to(day: date) -> int:
    """Monday to Friday from 1 January of year 1 (a Monday, ordinal 1) up to and including ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def england_calendar_for(*dates: date, margin_years: int = 1) -> WorkingDayCalendar:
    """An England calendar covering every year from the earliest to the latest date given,
    plus ``margin_years`` either side (deadlines run forward from events, and "days
    overdue" run back from today)."""
    if not dates:
        raise ValueError("give at least one date to build a calendar for")
    first = min(dates).year - margin_years
    last = max(dates).year + margin_years
    return WorkingDayCalendar.england(range(first, last + 1))
