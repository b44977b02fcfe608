"""Small value types shared by the domain rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Period:
    """A spell of time, such as a period looked after.

    Both ends count: a child looked after from 1 March to 3 March was looked after on
    three days. ``end`` is ``None`` while the period is still open.
    """

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        check_period(self.start, self.end)

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def end_or(self, default: date) -> date:
        """The end date, or ``default`` for an open period."""
        return default if self.end is None else self.end

    def clipped_to(self, last_day: date) -> Period:
        """The part up to ``last_day`` (an open period is closed there); the period must
        start on or before ``last_day``."""
        return Period(self.start, min(self.end_or(last_day), last_day))


@dataclass(frozen=True)
class PlacementSpell(Period):
    """A placement; ``long_term`` means it is intended to last until the child is 18.

    The long-term flag changes the visiting interval after the first year
    (SI 2010/959 reg 28(2)(c)).
    """

    long_term: bool = False


@dataclass(frozen=True)
class SchoolTerm:
    """A school term, both ends included. Councils set their own term dates."""

    start: date
    end: date
    name: str = ""

    def __post_init__(self) -> None:
        check_period(self.start, self.end)

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def check_period(start: date, end: date | None) -> None:
    """Raise ``ValueError`` when a period ends before it starts."""
    if end is not None and end < start:
        raise ValueError(
            f"period ends on {end.isoformat()}, before it starts on {start.isoformat()}"
        )
