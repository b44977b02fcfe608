"""The deadlines engine: every statutory duty occurrence for one child's case.

Every caller (the ``deadlines`` command, the web page, the API and the child's record
page) uses :func:`compute_deadlines`, and the JSON input format through
:func:`parse_case_timeline`.

How occurrences are counted:

* One :class:`Deadline` per occurrence of a duty. It is **met** when the event that
  discharged it happened on or before the due date; **overdue** when it was discharged
  late (``met_on`` is then the late date) or is still undischarged after the due date;
  otherwise **due**.
* A chain of occurrences runs from the date the discharging event actually happened
  (the next review is 6 months after the review actually held). It stops at the first
  undischarged occurrence, so the next thing to do is always visible once, even when
  it is due after today.
* Chains belong to a period looked after (or, for visits, a placement) and end with it:
  an occurrence due after the period ended is not listed unless something discharged
  it. Open periods run to today and beyond.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from harbour.domain import timescales as ts
from harbour.domain.ages import add_months, age_on, anniversary, birthday
from harbour.domain.calendar import WorkingDayCalendar, england_calendar_for
from harbour.domain.formatting import long_date
from harbour.domain.types import Period, PlacementSpell, SchoolTerm

__all__ = [
    "CaseTimeline",
    "Deadline",
    "DeadlineStatus",
    "Duty",
    "PlacementSpell",
    "TimelineInputError",
    "compute_deadlines",
    "deadlines_as_json",
    "england_calendar_for_timeline",
    "NEEDS_ASSESSMENT_OWED_UNTIL_AGE",
    "has_open_duties",
    "outstanding_deadlines",
    "parse_case_timeline",
]

SI = "SI 2010/959"


@dataclass(frozen=True)
class CaseTimeline:
    """What happened in one child's case, as plain dates."""

    date_of_birth: date | None = None
    nts_referrals: tuple[date, ...] = ()
    arrivals: tuple[date, ...] = ()
    periods_looked_after: tuple[Period, ...] = ()
    placements: tuple[PlacementSpell, ...] = ()
    care_plans: tuple[date, ...] = ()
    reviews: tuple[date, ...] = ()
    visits: tuple[date, ...] = ()
    health_assessments: tuple[date, ...] = ()
    peps: tuple[date, ...] = ()
    needs_assessments: tuple[date, ...] = ()

    def all_dates(self) -> list[date]:
        found = [self.date_of_birth] if self.date_of_birth else []
        for spells in (self.periods_looked_after, self.placements):
            for spell in spells:
                found.append(spell.start)
                if spell.end is not None:
                    found.append(spell.end)
        for events in (
            self.nts_referrals, self.arrivals, self.care_plans, self.reviews, self.visits,
            self.health_assessments, self.peps, self.needs_assessments,
        ):  # fmt: skip
            found.extend(events)
        return found


class Duty(StrEnum):
    NTS_TRANSFER = "nts_transfer"
    CARE_PLAN = "care_plan"
    FIRST_REVIEW = "first_review"
    SECOND_REVIEW = "second_review"
    REVIEW = "review"
    VISIT = "visit"
    HEALTH_ASSESSMENT = "health_assessment"
    PEP = "pep"
    NEEDS_ASSESSMENT = "needs_assessment"


class DeadlineStatus(StrEnum):
    MET = "met"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Deadline:
    duty: str
    due: date
    status: DeadlineStatus
    met_on: date | None
    basis: str

    def as_json(self) -> dict[str, str | None]:
        return {
            "duty": str(self.duty),
            "due": self.due.isoformat(),
            "status": str(self.status),
            "met_on": None if self.met_on is None else self.met_on.isoformat(),
            "basis": self.basis,
        }


def deadlines_as_json(deadlines: Sequence[Deadline]) -> dict[str, list[dict[str, str | None]]]:
    """``{"deadlines": [...]}``, the output format every caller returns."""
    return {"deadlines": [deadline.as_json() for deadline in deadlines]}


def england_calendar_for_timeline(timeline: CaseTimeline, today: date) -> WorkingDayCalendar:
    """An England working-day calendar that covers every date the timeline can need."""
    return england_calendar_for(today, *timeline.all_dates())


# --- The engine ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One occurrence of a duty before we know whether it was discharged."""

    duty: Duty
    due: date
    basis: str


def _status(due: date, met_on: date | None, today: date) -> DeadlineStatus:
    if met_on is not None:
        return DeadlineStatus.MET if met_on <= due else DeadlineStatus.OVERDUE
    return DeadlineStatus.OVERDUE if today > due else DeadlineStatus.DUE


def _chain(
    first: _Step,
    events: Sequence[date],
    follow: Callable[[date, int], _Step] | None,
    *,
    ends: date | None,
    today: date,
) -> list[Deadline]:
    """Walk a duty's occurrences, each discharged by the next event in date order.

    ``follow(held_on, count)`` gives the occurrence after one discharged on ``held_on``
    (``count`` occurrences discharged so far); ``None`` means the duty happens once.
    """
    found: list[Deadline] = []
    pending = iter(sorted(events))
    step = first
    count = 0
    while True:
        met_on = next(pending, None)
        if met_on is None and ends is not None and step.due > ends:
            break  # the duty lapsed with the period or placement
        found.append(
            Deadline(step.duty, step.due, _status(step.due, met_on, today), met_on, step.basis)
        )
        if met_on is None or follow is None:
            break
        count += 1
        step = follow(met_on, count)
    return found


def _within(events: Sequence[date], start: date, end: date | None) -> list[date]:
    return [day for day in events if start <= day and (end is None or day <= end)]


def compute_deadlines(
    timeline: CaseTimeline,
    *,
    today: date,
    calendar: WorkingDayCalendar,
    nts_working_days: int = 5,
    school_terms: Sequence[SchoolTerm] | None = None,
) -> list[Deadline]:
    """Every duty occurrence for the case, sorted by due date then duty.

    ``school_terms`` default to :func:`timescales.default_school_terms` [unconfirmed:
    local practice]; pass the council's term dates where known, running at least a
    year past today (a PEP with no later term raises ``ValueError``). The calendar must
    cover the timeline's years plus one either side (see
    :func:`england_calendar_for_timeline`), or ``CalendarCoverageError`` is raised.
    """
    return _deadlines(
        timeline, timeline.periods_looked_after, timeline.placements, today=today, calendar=calendar,
        nts_working_days=nts_working_days, school_terms=school_terms, needs_assessment=True,
    )


def _deadlines(
    timeline: CaseTimeline,
    periods: Sequence[Period],
    placements: Sequence[PlacementSpell],
    *,
    today: date,
    calendar: WorkingDayCalendar,
    nts_working_days: int,
    school_terms: Sequence[SchoolTerm] | None,
    needs_assessment: bool,
) -> list[Deadline]:
    """The occurrences of the duties of ``periods`` and ``placements`` (some or all of the
    timeline's), of every NTS referral and, if asked, of the needs assessment."""
    if school_terms is None:
        years = [day.year for day in timeline.all_dates()] + [today.year]
        school_terms = ts.default_school_terms(min(years) - 1, max(years) + 2)
    found: list[Deadline] = []
    found += _nts_transfers(timeline, today, calendar, nts_working_days)
    for period in periods:
        found += _care_plan(timeline, period, today, calendar)
        found += _reviews(timeline, period, today, calendar)
        found += _health_assessments(timeline, period, today, calendar)
        found += _peps(timeline, period, today, calendar, school_terms)
    for placement in placements:
        found += _visits(timeline, placement, today)
    if needs_assessment:
        found += _needs_assessment(timeline, today)
    return sorted(found, key=lambda deadline: (deadline.due, deadline.duty))


# A needs assessment still missing when the young person stops being a care leaver (21, the end of
# the former relevant duties in Children Act 1989 s23C) is a breach on the record, not a thing to do.
NEEDS_ASSESSMENT_OWED_UNTIL_AGE = 21


def outstanding_deadlines(
    timeline: CaseTimeline,
    *,
    today: date,
    calendar: WorkingDayCalendar,
    nts_working_days: int = 5,
    school_terms: Sequence[SchoolTerm] | None = None,
) -> list[Deadline]:
    """What is still to be done on ``today`` ("What to do next"): the undischarged occurrences of
    the duties still owed, sorted like :func:`compute_deadlines`, of whose output they are a part.

    A duty owed during a period looked after (care plan, reviews, health assessments, PEPs:
    SI 2010/959 regs 4, 33, 7, 5) is owed only while the period is open, and visits (reg 28)
    only while the placement is open: once either has ended (``end`` recorded, even today), an
    occurrence missed in it is a breach the child's record shows, not a thing to do. An NTS
    transfer is owed until the child arrives (NTS protocol). The needs assessment (reg 42) is owed
    until it is done or the young person turns 21 (Children Act 1989 s23C). :func:`has_open_duties`
    says, without working the deadlines out, whether this list is empty.
    """
    dob = timeline.date_of_birth
    found = _deadlines(
        timeline,
        [period for period in timeline.periods_looked_after if period.end is None],
        [placement for placement in timeline.placements if placement.end is None],
        today=today, calendar=calendar, nts_working_days=nts_working_days, school_terms=school_terms,
        needs_assessment=dob is not None and today < birthday(dob, NEEDS_ASSESSMENT_OWED_UNTIL_AGE),
    )
    return [deadline for deadline in found if deadline.met_on is None]


def has_open_duties(timeline: CaseTimeline, *, today: date) -> bool:
    """Whether :func:`outstanding_deadlines` lists anything on ``today``; the rule a whole service's
    "What to do next" selects children by, so that closed records cost nothing.

    A child has open duties when any of these holds (the regulations are cited on
    :func:`outstanding_deadlines`):

    * a period looked after is open (no end): its review chain always ends in an occurrence not
      yet done;
    * a placement is open: likewise its visits;
    * an NTS referral (one going ahead) has no arrival on or after it;
    * they are under 21, were an eligible child (SI 2010/959 reg 40) and have had no needs
      assessment since their 16th birthday.
    """
    if any(period.end is None for period in timeline.periods_looked_after):
        return True
    if any(placement.end is None for placement in timeline.placements):
        return True
    if any(not any(day >= referral for day in timeline.arrivals) for referral in timeline.nts_referrals):
        return True
    dob = timeline.date_of_birth
    if dob is None or today >= birthday(dob, NEEDS_ASSESSMENT_OWED_UNTIL_AGE):
        return False
    so_far = [p.clipped_to(today) for p in timeline.periods_looked_after if p.start <= today]
    if ts.became_eligible_on(dob, so_far) is None:
        return False
    return not any(day >= birthday(dob, 16) for day in timeline.needs_assessments)


def _nts_transfers(
    timeline: CaseTimeline, today: date, calendar: WorkingDayCalendar, council_working_days: int
) -> list[Deadline]:
    found: list[Deadline] = []
    for referral in timeline.nts_referrals:
        days = ts.nts_transfer_working_days(referral, council_working_days)
        if referral < ts.NTS_FIVE_DAY_RULE_FROM:
            source = "NTS protocol before 24 August 2022"
        else:
            source = "NTS protocol; gov.uk announcement of 24 August 2022"
        step = _Step(
            Duty.NTS_TRANSFER,
            ts.nts_transfer_due(referral, calendar, council_working_days),
            f"{days} working days after the National Transfer Scheme referral on {long_date(referral)} ({source})",
        )
        arrivals = [day for day in timeline.arrivals if day >= referral]
        found += _chain(step, arrivals, None, ends=None, today=today)
    return found


def _care_plan(
    timeline: CaseTimeline, period: Period, today: date, calendar: WorkingDayCalendar
) -> list[Deadline]:
    starts = [p.start for p in timeline.placements if period.covers(p.start)]
    if starts:
        counted_from = min(starts)
        basis = f"10 working days after the first placement started on {long_date(counted_from)} ({SI} reg 4(2))"
    else:
        # No placement recorded: count from becoming looked after rather than drop the duty.
        counted_from = period.start
        basis = (
            f"10 working days after becoming looked after on {long_date(counted_from)}, "
            f"as no placement is recorded ({SI} reg 4(2))"
        )
    step = _Step(Duty.CARE_PLAN, ts.care_plan_due(counted_from, calendar), basis)
    plans = _within(timeline.care_plans, period.start, period.end)
    return _chain(step, plans, None, ends=period.end, today=today)


def _reviews(
    timeline: CaseTimeline, period: Period, today: date, calendar: WorkingDayCalendar
) -> list[Deadline]:
    first = _Step(
        Duty.FIRST_REVIEW,
        ts.first_review_due(period.start, calendar),
        f"20 working days after becoming looked after on {long_date(period.start)} ({SI} reg 33)",
    )

    def follow(held_on: date, count: int) -> _Step:
        if count == 1:
            return _Step(
                Duty.SECOND_REVIEW,
                ts.second_review_due(held_on),
                f"3 months after the first review on {long_date(held_on)} ({SI} reg 33)",
            )
        return _Step(
            Duty.REVIEW,
            ts.later_review_due(held_on),
            f"6 months after the previous review on {long_date(held_on)} ({SI} reg 33)",
        )

    reviews = _within(timeline.reviews, period.start, period.end)
    return _chain(first, reviews, follow, ends=period.end, today=today)


def _visits(timeline: CaseTimeline, placement: PlacementSpell, today: date) -> list[Deadline]:
    first = _Step(
        Duty.VISIT,
        ts.first_visit_due(placement.start),
        f"1 week after the placement started on {long_date(placement.start)} ({SI} reg 28(2)(a))",
    )
    first_year_ends = anniversary(placement.start, 1)

    def follow(visited_on: date, _count: int) -> _Step:
        if visited_on < first_year_ends:
            interval, why = "6 weeks", f"in the first year of the placement ({SI} reg 28(2)(b))"
        elif placement.long_term:
            interval = "3 months"
            why = f"the placement is meant to last until 18 and is past its first year ({SI} reg 28(2)(c)(i))"
        else:
            interval = "6 weeks"
            why = f"the placement is not meant to last until 18 ({SI} reg 28(2)(c)(ii))"
        return _Step(
            Duty.VISIT,
            ts.next_visit_due(visited_on, placement.start, placement.long_term),
            f"{interval} after the previous visit on {long_date(visited_on)}: {why}",
        )

    visits = _within(timeline.visits, placement.start, placement.end)
    return _chain(first, visits, follow, ends=placement.end, today=today)


HEALTH_SOURCE = f"{SI} reg 7; statutory guidance on the health of looked-after children, 2015"


def _health_assessments(
    timeline: CaseTimeline, period: Period, today: date, calendar: WorkingDayCalendar
) -> list[Deadline]:
    first = _Step(
        Duty.HEALTH_ASSESSMENT,
        ts.first_health_assessment_due(period.start, calendar),
        f"by the first review, 20 working days after becoming looked after on {long_date(period.start)} "
        f"({HEALTH_SOURCE})",
    )
    dob = timeline.date_of_birth

    def follow(assessed_on: date, _count: int) -> _Step:
        on = long_date(assessed_on)
        if dob is None:
            return _Step(
                Duty.HEALTH_ASSESSMENT,
                add_months(assessed_on, 12),
                f"12 months after the previous health assessment on {on}, assumed because the date of "
                f"birth is not recorded; children under 5 need one every 6 months ({HEALTH_SOURCE})",
            )
        under_5 = age_on(dob, assessed_on) < ts.HEALTH_ASSESSMENT_AGE_THRESHOLD
        interval, who = (
            ("6 months", "the child was under 5")
            if under_5
            else ("12 months", "the child was 5 or over")
        )
        return _Step(
            Duty.HEALTH_ASSESSMENT,
            ts.next_health_assessment_due(assessed_on, dob),
            f"{interval} after the previous health assessment on {on}, as {who} then ({HEALTH_SOURCE})",
        )

    # An assessment in the 3 months before becoming looked after can stand as the first.
    assessments = _within(timeline.health_assessments, add_months(period.start, -3), period.end)
    return _chain(first, assessments, follow, ends=period.end, today=today)


PEP_SOURCE = "virtual school guidance; the PEP is part of the care plan, SI 2010/959 reg 5"


def _peps(
    timeline: CaseTimeline,
    period: Period,
    today: date,
    calendar: WorkingDayCalendar,
    terms: Sequence[SchoolTerm],
) -> list[Deadline]:
    if timeline.date_of_birth is None:
        return []  # school age cannot be known
    school_starts, school_ends = ts.pep_period(timeline.date_of_birth)
    starts = max(period.start, school_starts)
    ends = min(period.end_or(school_ends), school_ends)
    if starts > min(ends, today):
        return []
    since = "becoming looked after" if starts == period.start else "the start of the reception year"
    first = _Step(
        Duty.PEP,
        ts.first_pep_due(starts, calendar),
        f"10 working days after {since} on {long_date(starts)} ({PEP_SOURCE})",
    )

    def follow(held_on: date, _count: int) -> _Step:
        return _Step(
            Duty.PEP,
            ts.pep_review_due(held_on, terms),
            f"by the end of the school term after the PEP on {long_date(held_on)}; PEPs are reviewed "
            f"every term ({PEP_SOURCE})",
        )

    peps = _within(timeline.peps, period.start, ends)
    return _chain(first, peps, follow, ends=ends, today=today)


def _needs_assessment(timeline: CaseTimeline, today: date) -> list[Deadline]:
    dob = timeline.date_of_birth
    if dob is None:
        return []
    so_far = [p.clipped_to(today) for p in timeline.periods_looked_after if p.start <= today]
    eligible_from = ts.became_eligible_on(dob, so_far)
    if eligible_from is None:
        return []
    reaches_16 = birthday(dob, 16)
    if eligible_from > reaches_16:
        counted_from = f"becoming an eligible child on {long_date(eligible_from)}"
    else:
        counted_from = f"the 16th birthday on {long_date(reaches_16)}"
    step = _Step(
        Duty.NEEDS_ASSESSMENT,
        ts.needs_assessment_due(dob, eligible_from),
        f"3 months after {counted_from} ({SI} reg 42(1))",
    )
    assessments = [day for day in timeline.needs_assessments if day >= reaches_16]
    return _chain(step, assessments, None, ends=None, today=today)


# --- The JSON input format -------------------------------------------------------------


class TimelineInputError(ValueError):
    """The case timeline input is not valid; ``message`` says where and why, plainly."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


DATE_EVENTS = (
    "nts_referral", "arrival", "care_plan", "review", "visit",
    "health_assessment", "pep", "needs_assessment",
)  # fmt: skip
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    **{kind: ("date",) for kind in DATE_EVENTS},
    "looked_after": ("start", "end"),
    "placement": ("start", "end", "long_term"),
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _real_date(value: object, where: str, field: str) -> date:
    # fromisoformat alone would also take "20260301" and week dates; insist on YYYY-MM-DD.
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise TimelineInputError(f'{where}"{field}" must be a real date in the format YYYY-MM-DD')


def _reject_unknown_fields(
    given: Mapping[str, object], expected: Sequence[str], where: str
) -> None:
    for field in given:
        if field not in expected:
            raise TimelineInputError(
                f'{where}unknown field "{field}" (expected {", ".join(expected)})'
            )


class _EventReader:
    """Reads one event's fields, checking each against today and the date of birth."""

    def __init__(
        self, event: Mapping[str, object], where: str, today: date, date_of_birth: date | None
    ) -> None:
        self.event = event
        self.where = where
        self.today = today
        self.date_of_birth = date_of_birth

    def required_date(self, field: str) -> date:
        if self.event.get(field) is None:
            raise TimelineInputError(f'{self.where}"{field}" is required')
        return self._checked(field)

    def optional_date(self, field: str) -> date | None:
        return None if self.event.get(field) is None else self._checked(field)

    def flag(self, field: str) -> bool:
        value = self.event.get(field)
        if value is None:
            raise TimelineInputError(f'{self.where}"{field}" is required (true or false)')
        if not isinstance(value, bool):
            raise TimelineInputError(f'{self.where}"{field}" must be true or false')
        return value

    def period(self) -> tuple[date, date | None]:
        start = self.required_date("start")
        end = self.optional_date("end")
        if end is not None and end < start:
            raise TimelineInputError(f'{self.where}"end" must be the same as or after "start"')
        return start, end

    def _checked(self, field: str) -> date:
        day = _real_date(self.event[field], self.where, field)
        if day > self.today:
            raise TimelineInputError(f'{self.where}"{field}" must be the same as or before "today"')
        if self.date_of_birth is not None and day < self.date_of_birth:
            raise TimelineInputError(
                f'{self.where}"{field}" must be the same as or after the child\'s date of birth'
            )
        return day


def parse_case_timeline(data: Mapping[str, object]) -> tuple[date, CaseTimeline]:
    """Read the JSON input format into ``(today, timeline)``.

    ``{"today": "YYYY-MM-DD", "child": {"date_of_birth": "YYYY-MM-DD"}, "events": [...]}``,
    each event being ``{"type": "review", "date": ...}`` or similar, or a
    ``looked_after`` / ``placement`` with ``start``, ``end`` (null or missing while
    open) and, for a placement, ``long_term``. Raises :class:`TimelineInputError` naming
    the event (by index and type) and the field. Events may not be dated after today or
    before the date of birth.
    """
    if not isinstance(data, Mapping):
        raise TimelineInputError(
            'the input must be a JSON object with "today", "child" and "events"'
        )
    _reject_unknown_fields(data, ("today", "child", "events"), "")
    if data.get("today") is None:
        raise TimelineInputError('"today" is required')
    today = _real_date(data["today"], "", "today")
    date_of_birth = _date_of_birth(data.get("child"), today)

    events = data.get("events")
    if events is None:
        raise TimelineInputError('"events" is required (use [] when there are none)')
    if not isinstance(events, list):
        raise TimelineInputError('"events" must be a list')

    dated: dict[str, list[date]] = {kind: [] for kind in DATE_EVENTS}
    periods: list[tuple[int, Period]] = []
    placements: list[PlacementSpell] = []
    for index, given in enumerate(events):
        event, kind = _typed_event(given, index)
        where = f"events[{index}] ({kind}): "
        _reject_unknown_fields(event, ("type", *EVENT_FIELDS[kind]), where)
        reader = _EventReader(event, where, today, date_of_birth)
        if kind == "looked_after":
            periods.append((index, Period(*reader.period())))
        elif kind == "placement":
            start, end = reader.period()
            placements.append(PlacementSpell(start, end, reader.flag("long_term")))
        else:
            dated[kind].append(reader.required_date("date"))
    _reject_overlaps(periods)

    def sorted_dates(kind: str) -> tuple[date, ...]:
        return tuple(sorted(dated[kind]))

    return today, CaseTimeline(
        date_of_birth=date_of_birth,
        nts_referrals=sorted_dates("nts_referral"),
        arrivals=sorted_dates("arrival"),
        periods_looked_after=tuple(
            sorted((period for _, period in periods), key=lambda p: p.start)
        ),
        placements=tuple(sorted(placements, key=lambda p: p.start)),
        care_plans=sorted_dates("care_plan"),
        reviews=sorted_dates("review"),
        visits=sorted_dates("visit"),
        health_assessments=sorted_dates("health_assessment"),
        peps=sorted_dates("pep"),
        needs_assessments=sorted_dates("needs_assessment"),
    )


def _date_of_birth(child: object, today: date) -> date | None:
    if child is None:
        return None
    if not isinstance(child, Mapping):
        raise TimelineInputError('"child" must be an object like {"date_of_birth": "YYYY-MM-DD"}')
    _reject_unknown_fields(child, ("date_of_birth",), "child: ")
    if child.get("date_of_birth") is None:
        return None
    date_of_birth = _real_date(child["date_of_birth"], "child: ", "date_of_birth")
    if date_of_birth > today:
        raise TimelineInputError('child: "date_of_birth" must be the same as or before "today"')
    return date_of_birth


def _typed_event(event: object, index: int) -> tuple[Mapping[str, object], str]:
    """The event as a mapping, with its checked type."""
    if not isinstance(event, Mapping):
        raise TimelineInputError(
            f'events[{index}] must be an object with a "type", like {{"type": "review", "date": "YYYY-MM-DD"}}'
        )
    kind = event.get("type")
    if kind is None:
        raise TimelineInputError(f'events[{index}]: "type" is required')
    if not isinstance(kind, str) or kind not in EVENT_FIELDS:
        raise TimelineInputError(
            f'events[{index}]: unknown event type "{kind}" (expected one of {", ".join(sorted(EVENT_FIELDS))})'
        )
    return event, kind


def _reject_overlaps(periods: Sequence[tuple[int, Period]]) -> None:
    ordered = sorted(periods, key=lambda item: item[1].start)
    for (earlier_index, earlier), (later_index, later) in zip(ordered, ordered[1:], strict=False):
        if earlier.end is None or later.start <= earlier.end:
            raise TimelineInputError(
                f"events[{later_index}] (looked_after) overlaps events[{earlier_index}] (looked_after): "
                "periods looked after must not overlap"
            )
