"""The council's working-day calendar, made once per process and handed to the domain rules."""

from __future__ import annotations

from functools import lru_cache

from harbour.domain.calendar import WorkingDayCalendar

# Records are kept to the 75th birthday of the oldest child (security.md, retention), so historic
# periods in care go back to the 1950s; the load scenario found a 500 with 2000 here.
FIRST_YEAR = 1950
LAST_YEAR = 2100


@lru_cache(maxsize=1)
def council_calendar() -> WorkingDayCalendar:
    """English bank holidays (the holidays package, England subdivision) for every year we compute."""
    return WorkingDayCalendar.england(range(FIRST_YEAR, LAST_YEAR + 1))
