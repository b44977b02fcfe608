"""The facts the forecast learns from: each child's date of birth in use, periods looked after,
placements and personal adviser support, as plain values (no Django), and what they say about
who was in care or a supported care leaver on a given day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import IntEnum

from ..ages import add_months, birthday

DAYS_PER_QUARTER = 365.25 / 4
ADULT_AGE = 18
# A former relevant child is supported to 21, and to 25 if they ask (Children Act 1989 s23C and
# s23CZB, inserted by the Children and Social Work Act 2017 s3; reference.md 3.1 and 3.2 [primary]).
SUPPORT_TO = 21
SUPPORT_ON_REQUEST_TO = 25
CHILD_AGE_QUARTERS = ADULT_AGE * 4  # ages 0 to 17, in quarters of a year
LEAVER_AGE_QUARTERS = (SUPPORT_ON_REQUEST_TO - ADULT_AGE) * 4  # ages 18 to 24
# SSDA903 legal statuses for short breaks: a period made only of them is not counted as being in
# care (reference.md 2.7; the DfE counts of children looked after leave out short breaks).
SHORT_BREAK_STATUSES = frozenset({"V3", "V4"})


class PlacementGroup(IntEnum):
    """Placement types grouped for costing (SSDA903 PLACE codes, reference.md 4.3)."""

    FOSTER = 0
    RESIDENTIAL = 1
    SUPPORTED = 2
    OTHER = 3


GROUP_LABELS = {
    PlacementGroup.FOSTER: "Foster care",
    PlacementGroup.RESIDENTIAL: "Children's homes and residential care",
    PlacementGroup.SUPPORTED: "Supported accommodation",
    PlacementGroup.OTHER: "Other placements",
}
GROUPS = tuple(PlacementGroup)
_RESIDENTIAL = frozenset({"K1", "K2", "R1", "R2", "R5", "S1"})
_SUPPORTED = frozenset({"K3", "H5", "P2"})


def placement_group(code: str) -> PlacementGroup:
    """The group of an SSDA903 placement type: U1 to U6 foster care; K1, K2, R1, R2, R5 and S1
    residential; K3, H5 and P2 supported accommodation (16 and 17 only); anything else other."""
    code = code.strip().upper()
    if code.startswith("U"):
        return PlacementGroup.FOSTER
    if code in _RESIDENTIAL:
        return PlacementGroup.RESIDENTIAL
    if code in _SUPPORTED:
        return PlacementGroup.SUPPORTED
    return PlacementGroup.OTHER


@dataclass(frozen=True)
class Spell:
    """A stretch of time from ``start`` to ``end`` inclusive (None: still going)."""

    start: date
    end: date | None
    code: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class ChildHistory:
    """One child's facts. ``legal_statuses`` carry the SSDA903 code in ``code``; ``placements`` the
    PLACE code; ``adviser`` the personal adviser's allocations."""

    date_of_birth: date
    is_uasc: bool
    periods: Sequence[Spell]
    placements: Sequence[Spell] = ()
    legal_statuses: Sequence[Spell] = ()
    adviser: Sequence[Spell] = field(default_factory=tuple)

    def counted_periods(self) -> list[Spell]:
        """The periods looked after that count: not those made only of short breaks."""
        counted = []
        for period in self.periods:
            statuses = [s.code for s in self.legal_statuses
                        if s.start <= (period.end or date.max) and (s.end is None or s.end >= period.start)]
            if statuses and all(code in SHORT_BREAK_STATUSES for code in statuses):
                continue
            counted.append(period)
        return sorted(counted, key=lambda p: p.start)

    def turns(self, age: int) -> date:
        return birthday(self.date_of_birth, age)

    def aged_out(self, period: Spell) -> bool:
        """Whether this period ended because the child turned 18 (on the eve of the birthday or after)."""
        return period.end is not None and period.end >= self.turns(ADULT_AGE) - timedelta(days=1)

    def group_on(self, day: date) -> PlacementGroup:
        placement = max((p for p in self.placements if p.covers(day)), key=lambda p: p.start, default=None)
        return placement_group(placement.code) if placement else PlacementGroup.OTHER

    def in_care_on(self, day: date) -> bool:
        return any(p.covers(day) for p in self.counted_periods()) and day < self.turns(ADULT_AGE)

    def supported_leaver_on(self, day: date) -> bool:
        """A care leaver the council supports on ``day``: left care at 18, and under 21, or under 25
        with a personal adviser allocated that day (support to 25 is on request)."""
        if not self.turns(ADULT_AGE) <= day < self.turns(SUPPORT_ON_REQUEST_TO):
            return False
        periods = self.counted_periods()
        if not periods or not self.aged_out(periods[-1]) or periods[-1].end is None or periods[-1].end >= day:
            return False
        if day < self.turns(SUPPORT_TO):
            return True
        return any(spell.covers(day) for spell in self.adviser)


def age_in_quarters(date_of_birth: date, on: date) -> int:
    """Completed quarters of a year of age: 0 in the first three months, 71 in the last three before 18."""
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    return max(months, 0) // 3


def add_quarters(day: date, quarters: int) -> date:
    return add_months(day, 3 * quarters)
