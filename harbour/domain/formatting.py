"""Dates and working-day counts in GOV.UK style ("4 January 2027", no leading zero)."""

from __future__ import annotations

from datetime import date

from harbour.domain.calendar import WorkingDayCalendar

# Spelled out rather than strftime("%B") so the output never depends on the locale.
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: date) -> str:
    """``4 January 2027``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_date_with_day(day: date) -> str:
    """``Monday 4 January 2027``."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


def working_days_left_phrase(due: date, today: date, calendar: WorkingDayCalendar) -> str:
    """How far ``today`` is from ``due``, in working days.

    "2 working days left", "1 working day left", "due today", "1 working day overdue".
    A due date on a weekend or holiday can leave no working day between it and today:
    that reads "no working days left" before it and "overdue" after it.
    """
    if due == today:
        return "due today"
    if due > today:
        left = calendar.working_days_between(today, due)
        return "no working days left" if left == 0 else f"{_working_days(left)} left"
    late = calendar.working_days_between(due, today)
    return "overdue" if late == 0 else f"{_working_days(late)} overdue"


def _working_days(count: int) -> str:
    return "1 working day" if count == 1 else f"{count} working days"
