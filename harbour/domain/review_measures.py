"""The IRO service's measures, counted from plain records: reviews held in time (and why
not), the child's participation by code, and visits, health assessments and PEPs in time,
per month and per quarter.

Pure counting over dataclasses, so the dashboards can reuse it. The due dates come from the
deadlines engine (:func:`harbour.domain.deadlines.compute_deadlines`), which applies the
statutory clocks (SI 2010/959 regs 7, 28 and 33 [primary]; reference.md 2.1 to 2.5).

How an occurrence counts, once for the period its due date falls in:

* **in time** when it was met on or before its due date;
* **late** when it was met after its due date, or its due date has passed and it is not
  met yet (it stays late once held);
* **not decided yet** (left out of the figure) when it is not met and not yet due.

Quarters are financial quarters, April to March, as councils and the DfE report them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import NamedTuple

from harbour.domain.ages import add_months

__all__ = [
    "MEASURES",
    "PARTICIPATION_CODES",
    "DueIndex",
    "Figure",
    "Occurrence",
    "ReportingPeriod",
    "ReviewHeld",
    "late_reasons",
    "late_reasons_of",
    "months_between",
    "participation_by_code",
    "quarters_between",
    "share_in_time",
]

# measure key: (the occurrence kind it counts, its label)
MEASURES: dict[str, tuple[str, str]] = {
    "reviews": ("review", "Reviews held in time"),
    "visits": ("visit", "Social worker visits in time"),
    "health": ("health_assessment", "Health assessments in time"),
    "peps": ("pep", "Personal education plans reviewed in time"),
}
PARTICIPATION_CODES = ("PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7")
TOOK_PART = frozenset({"PN1", "PN2", "PN3", "PN4", "PN5", "PN6"})
NOT_HELD_YET = "Not held yet"
NO_REASON = "No reason recorded"


class Occurrence(NamedTuple):
    """One occurrence of a statutory check for one child: when it was due and when it was met.
    A named tuple, not a dataclass: a dashboard makes tens of thousands a request, and a tuple is
    made about three times faster (ADR 0012, "Speed")."""

    child_id: str
    kind: str
    due: date
    met_on: date | None
    late_reason: str = ""

    def decided(self, today: date) -> bool:
        return self.met_on is not None or self.due < today

    @property
    def in_time(self) -> bool:
        return self.met_on is not None and self.met_on <= self.due


class ReviewHeld(NamedTuple):  # a named tuple, as Occurrence
    child_id: str
    held_on: date
    participation: str


@dataclass(frozen=True)
class ReportingPeriod:
    key: str
    label: str
    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Figure:
    """``count`` of ``of``, with the records behind both."""

    count: int
    of: int
    counted: tuple[Occurrence, ...]
    considered: tuple[Occurrence, ...]

    @property
    def percent(self) -> int | None:
        return None if self.of == 0 else round(100 * self.count / self.of)


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def months_between(first: date, last: date) -> list[ReportingPeriod]:
    """Each calendar month from the one holding ``first`` to the one holding ``last``."""
    found = []
    start = first.replace(day=1)
    while start <= last:
        following = add_months(start, 1)
        end = date.fromordinal(following.toordinal() - 1)
        found.append(ReportingPeriod(f"{start:%Y-%m}", f"{MONTH_NAMES[start.month - 1]} {start.year}", start, end))
        start = following
    return found


def _quarter_start(day: date) -> date:
    # Financial quarters start in April, July, October and January: the calendar quarters'
    # first months, numbered from April.
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarters_between(first: date, last: date) -> list[ReportingPeriod]:
    """Each financial quarter (Q1 April to June ... Q4 January to March) from the one holding
    ``first`` to the one holding ``last``, keyed like ``2026-27-Q3``."""
    found = []
    start = _quarter_start(first)
    while start <= last:
        following = add_months(start, 3)
        end = date.fromordinal(following.toordinal() - 1)
        year = start.year if start.month >= 4 else start.year - 1
        number = (start.month - 4) % 12 // 3 + 1
        span = f"{MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]} {end.year}"
        found.append(ReportingPeriod(f"{year}-{(year + 1) % 100:02d}-Q{number}",
                                     f"Q{number} {year}-{(year + 1) % 100:02d} ({span})", start, end))
        start = following
    return found


@dataclass(frozen=True)
class DueIndex:
    """One kind's occurrences sorted by due date (then child), so that each period's are cut out by
    bisection instead of looking through them all: a dashboard counts 8 quarters or 12 months of
    the same occurrences. Counts exactly as :func:`share_in_time`, which is built on it."""

    occurrences: tuple[Occurrence, ...]
    dues: tuple[date, ...]

    @classmethod
    def of(cls, occurrences: Iterable[Occurrence], kind: str) -> DueIndex:
        # By child, then stably by due date: the order of sorting by (due, child) in one pass, in two
        # cheaper ones (no key tuples).
        by_child = sorted((o for o in occurrences if o.kind == kind), key=attrgetter("child_id"))
        ordered = tuple(sorted(by_child, key=attrgetter("due")))
        return cls(ordered, tuple(o.due for o in ordered))

    def share_in_time(self, period: ReportingPeriod, today: date) -> Figure:
        """As :func:`share_in_time` for this index's kind."""
        due_in_period = self.occurrences[bisect_left(self.dues, period.start):bisect_right(self.dues, period.end)]
        # A period over before today has every occurrence decided (due before today); only the
        # current one has some to leave out. ``in_time`` written out: it runs for each occurrence.
        considered = due_in_period if period.end < today else tuple(o for o in due_in_period if o.decided(today))
        counted = tuple(o for o in considered if o.met_on is not None and o.met_on <= o.due)
        return Figure(len(counted), len(considered), counted, considered)


def share_in_time(occurrences: Iterable[Occurrence], kind: str, period: ReportingPeriod, today: date) -> Figure:
    """Occurrences of ``kind`` due in ``period`` and decided by ``today``, and how many of
    them were met on or before their due date (both by due date, then child)."""
    return DueIndex.of(occurrences, kind).share_in_time(period, today)


def late_reasons(occurrences: Iterable[Occurrence], period: ReportingPeriod, today: date) -> list[tuple[str, int]]:
    """Why reviews due in ``period`` were late, most common first: the reason recorded, or
    "Not held yet" for one still outstanding after its due date."""
    return late_reasons_of(share_in_time(occurrences, "review", period, today))


def late_reasons_of(reviews: Figure) -> list[tuple[str, int]]:
    """As :func:`late_reasons`, from the period's reviews already counted (:func:`share_in_time`)."""
    reasons: Counter[str] = Counter()
    for occurrence in reviews.considered:
        if occurrence.in_time:
            continue
        if occurrence.met_on is None:
            reasons[NOT_HELD_YET] += 1
        else:
            reasons[occurrence.late_reason or NO_REASON] += 1
    return sorted(reasons.items(), key=lambda item: (-item[1], item[0]))


@dataclass(frozen=True)
class Participation:
    by_code: dict[str, int]
    took_part: int
    of: int
    reviews: tuple[ReviewHeld, ...]

    @property
    def percent(self) -> int | None:
        return None if self.of == 0 else round(100 * self.took_part / self.of)


def participation_by_code(reviews: Sequence[ReviewHeld], period: ReportingPeriod) -> Participation:
    """Reviews held in ``period`` by participation code (SSDA903 REVIEW_CODE, reference.md
    4.4 [primary: code lists]); "took part" is PN1 to PN6 out of the reviews of children
    aged 4 or over (PN1 to PN7), since PN0 records only that the child was under 4."""
    held = tuple(sorted((r for r in reviews if period.covers(r.held_on)), key=lambda r: (r.held_on, r.child_id)))
    by_code = dict.fromkeys(PARTICIPATION_CODES, 0)
    for review in held:
        if review.participation in by_code:
            by_code[review.participation] += 1
    of = sum(count for code, count in by_code.items() if code != "PN0")
    took_part = sum(by_code[code] for code in TOOK_PART)
    return Participation(by_code, took_part, of, held)
