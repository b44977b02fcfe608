"""Shared test helpers: one England calendar, built once, and a short date constructor."""

from __future__ import annotations

from datetime import date

from hypothesis import settings

from harbour.domain.calendar import WorkingDayCalendar

ENGLAND = WorkingDayCalendar.england(range(2020, 2031))

# No example database, so a test run writes nothing into the working tree.
property_test = settings(database=None)


def d(text: str) -> date:
    """``d("2026-12-28")``: keeps the tables readable."""
    return date.fromisoformat(text)
