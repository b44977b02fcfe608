"""Reads for reviews, checks and quality assurance. Each takes the queryset of children the access
module allows and keeps a fixed number of queries whatever the caseload: one per kind of record,
never one per child. The dates come from the deadlines engine, through `children.selectors`.

Compliance lists are built from *sources*: a source is one function that, given the children
in view, yields the open checks it knows about. `COMPLIANCE_SOURCES` lists them and
`CHECK_KINDS` names their kinds. Adding a kind of check (the pathway plan, the personal
adviser's contact) is one function appended to `COMPLIANCE_SOURCES` and its kinds added to
`CHECK_KINDS`; when the new clock is a duty of the deadlines engine, one entry in `DUTY_KINDS`
is enough. See docs/adr/0007.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from harbour.accounts.models import Allocation, Role, Team, User
from harbour.children.models import Child
from harbour.children.selectors import case_timelines
from harbour.domain.ages import add_months
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.deadlines import CaseTimeline, Deadline, Duty, compute_deadlines
from harbour.domain.review_measures import (
    MEASURES,
    Figure,
    Occurrence,
    Participation,
    ReportingPeriod,
    ReviewHeld,
    late_reasons,
    months_between,
    participation_by_code,
    quarters_between,
    share_in_time,
)
from harbour.domain.review_rules import REVIEW_DUTIES, CaseloadBand, caseload_band, next_review
from harbour.domain.timescales import default_school_terms
from harbour.domain.types import SchoolTerm

from .models import QualityAction, Review

DUE_SOON_DAYS = 7
CHILD_FIELDS = ("id", "given_names", "family_name", "preferred_name", "date_of_birth")

# The kinds of check a compliance list shows, in the order of the filter.
CHECK_KINDS: dict[str, str] = {
    "review": "Looked-after review",
    "visit": "Social worker visit",
    "health_assessment": "Health assessment",
    "pep": "Personal education plan",
    "care_plan": "Care plan",
}
# Which of the deadlines engine's duties each kind of check reads.
DUTY_KINDS: dict[str, str] = {
    Duty.FIRST_REVIEW: "review",
    Duty.SECOND_REVIEW: "review",
    Duty.REVIEW: "review",
    Duty.VISIT: "visit",
    Duty.HEALTH_ASSESSMENT: "health_assessment",
    Duty.PEP: "pep",
    Duty.CARE_PLAN: "care_plan",
}


@dataclass(frozen=True)
class CaseView:
    """The children in view, their case timelines, and the day and calendar to count on."""

    children: dict[uuid.UUID, Child]
    timelines: dict[uuid.UUID, CaseTimeline]
    today: dt.date
    calendar: WorkingDayCalendar
    school_terms: list[SchoolTerm]

    def deadlines(self) -> Iterable[tuple[uuid.UUID, Deadline]]:
        for pk, timeline in self.timelines.items():
            for deadline in compute_deadlines(timeline, today=self.today, calendar=self.calendar,
                                              school_terms=self.school_terms):
                yield pk, deadline


def case_view(visible: QuerySet[Child], *, today: dt.date, calendar: WorkingDayCalendar) -> CaseView:
    children = {c.pk: c for c in visible.only(*CHILD_FIELDS).order_by()}
    timelines = case_timelines(visible.values("id"), {pk: c.date_of_birth for pk, c in children.items()})
    # The engine's placeholder terms, made once for every child rather than once per child (the
    # same range compute_deadlines would take for each: a year before the earliest date to two after).
    years = [day.year for timeline in timelines.values() for day in timeline.all_dates()] + [today.year]
    terms = default_school_terms(min(years) - 1, max(years) + 2)
    return CaseView(children, timelines, today, calendar, terms)


@dataclass(frozen=True)
class OpenCheck:
    child_id: uuid.UUID
    kind: str
    due: dt.date
    basis: str


def statutory_checks(view: CaseView) -> Iterable[OpenCheck]:
    """Reviews, visits, health assessments, PEPs and the care plan still to do, from the engine."""
    for pk, deadline in view.deadlines():
        kind = DUTY_KINDS.get(deadline.duty)
        if kind is not None and deadline.met_on is None:
            yield OpenCheck(pk, kind, deadline.due, deadline.basis)


ComplianceSource = Callable[[CaseView], Iterable[OpenCheck]]
COMPLIANCE_SOURCES: list[ComplianceSource] = [statutory_checks]


@dataclass(frozen=True)
class ComplianceRow:
    child: Child
    kind: str
    due: dt.date
    basis: str
    overdue: bool
    social_worker: User | None

    @property
    def label(self) -> str:
        return CHECK_KINDS.get(self.kind, self.kind)


def scoped(visible: QuerySet[Child], *, worker: User | None = None, team: Team | None = None,
           iro: User | None = None) -> QuerySet[Child]:
    """The children in view, narrowed to one social worker's or one team's allocations, or one
    IRO's children."""
    open_allocations = Allocation.objects.filter(end__isnull=True)
    if worker is not None:
        visible = visible.filter(id__in=open_allocations.filter(kind=Allocation.Kind.SOCIAL_WORKER, worker=worker)
                                 .values("child_id"))
    if team is not None:
        visible = visible.filter(id__in=open_allocations.filter(kind=Allocation.Kind.SOCIAL_WORKER,
                                                                worker__team=team).values("child_id"))
    if iro is not None:
        visible = visible.filter(id__in=open_allocations.filter(kind=Allocation.Kind.IRO, worker=iro)
                                 .values("child_id"))
    return visible


def _allocated(child_ids: Iterable[uuid.UUID], kind: str) -> dict[uuid.UUID, User]:
    rows = (Allocation.objects.filter(child_id__in=list(child_ids), kind=kind, end__isnull=True)
            .select_related("worker__team"))
    return {row.child_id: row.worker for row in rows}


def compliance_list(
    visible: QuerySet[Child], *, today: dt.date, calendar: WorkingDayCalendar, kinds: Iterable[str] | None = None,
    window_days: int = DUE_SOON_DAYS,
) -> list[ComplianceRow]:
    """Every check overdue or due within ``window_days``, most urgent (longest overdue) first.
    About a dozen queries whatever the number of children."""
    view = case_view(visible, today=today, calendar=calendar)
    wanted = set(kinds or CHECK_KINDS)
    horizon = today + dt.timedelta(days=window_days)
    found = [check for source in COMPLIANCE_SOURCES for check in source(view)
             if check.kind in wanted and check.due <= horizon]
    workers = _allocated({check.child_id for check in found}, Allocation.Kind.SOCIAL_WORKER)
    rows = [ComplianceRow(view.children[c.child_id], c.kind, c.due, c.basis, c.due < today, workers.get(c.child_id))
            for c in found]
    rows.sort(key=lambda row: (row.due, row.child.family_name, row.child.given_names, row.kind))
    return rows


# --- The IRO's children and caseloads --------------------------------------------------------


@dataclass(frozen=True)
class ChildReview:
    child: Child
    next_review: Deadline | None
    social_worker: User | None

    def state(self, today: dt.date) -> str:
        if self.next_review is None:
            return "none"
        if self.next_review.due < today:
            return "overdue"
        return "soon" if self.next_review.due <= today + dt.timedelta(days=28) else "later"


def reviews_due(visible: QuerySet[Child], *, today: dt.date, calendar: WorkingDayCalendar) -> list[ChildReview]:
    """Each child in view with the review still to hold, soonest (most overdue) first; children
    no longer looked after (no review to hold) last."""
    view = case_view(visible, today=today, calendar=calendar)
    upcoming: dict[uuid.UUID, list[Deadline]] = defaultdict(list)
    for pk, deadline in view.deadlines():
        if deadline.duty in REVIEW_DUTIES:
            upcoming[pk].append(deadline)
    workers = _allocated(view.children, Allocation.Kind.SOCIAL_WORKER)
    rows = [ChildReview(child, next_review(upcoming[pk]), workers.get(pk)) for pk, child in view.children.items()]
    far = dt.date.max
    rows.sort(key=lambda r: (r.next_review.due if r.next_review else far, r.child.family_name, r.child.given_names))
    return rows


@dataclass(frozen=True)
class CalendarMonth:
    label: str
    days: list[tuple[dt.date, list[ChildReview]]]


def by_month(rows: list[ChildReview], *, today: dt.date, months: int) -> list[CalendarMonth]:
    """The reviews due from today, grouped by month and day, for the next ``months`` months."""
    found = []
    for period in months_between(today, add_months(today, months - 1)):
        days: dict[dt.date, list[ChildReview]] = defaultdict(list)
        for row in rows:
            if row.next_review and row.next_review.due >= today and period.covers(row.next_review.due):
                days[row.next_review.due].append(row)
        found.append(CalendarMonth(period.label, sorted(days.items())))
    return found


@dataclass(frozen=True)
class Caseload:
    iro: User
    children: int

    @property
    def band(self) -> CaseloadBand:
        return caseload_band(self.children)


def iro_caseloads() -> list[Caseload]:
    """Every active IRO with the number of children allocated to them now (one query)."""
    iros = (User.objects.filter(role=Role.IRO, is_active=True)
            .annotate(children=Count("allocations", filter=Q(allocations__kind=Allocation.Kind.IRO,
                                                             allocations__end__isnull=True)))
            .order_by("last_name", "first_name"))
    return [Caseload(iro, iro.children) for iro in iros]


def caseload_of(iro: User) -> Caseload:
    count = Allocation.objects.filter(worker=iro, kind=Allocation.Kind.IRO, end__isnull=True).count()
    return Caseload(iro, count)


# --- The child's reviews and checks ----------------------------------------------------------


def child_reviews(child: Child) -> list[Review]:
    return list(Review.objects.filter(child=child).select_related("chair", "late_reason")
                .prefetch_related("actions__owner"))


def child_quality_actions(child: Child) -> list[QualityAction]:
    return list(QualityAction.objects.filter(child=child).select_related("raised_by", "social_worker", "team_manager")
                .order_by("-raised_on", "due_on"))


def quality_actions_for(user: User) -> QuerySet[QualityAction]:
    """Actions raised with this user (as social worker or team manager), or raised by them."""
    return (QualityAction.objects.filter(Q(social_worker=user) | Q(team_manager=user) | Q(raised_by=user))
            .select_related("child", "raised_by", "social_worker", "team_manager")
            .order_by("responded_on", "due_on"))


@dataclass(frozen=True)
class TeamQuality:
    team: str
    raised: int
    answered_in_time: int
    answered_late: int
    unanswered: int
    escalated: int


def quality_report(actions: QuerySet[QualityAction], *, today: dt.date) -> list[TeamQuality]:
    """Actions raised, answered in time, answered late, still unanswered and escalated, by the
    social worker's team when the action was raised (one query)."""
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for team, due_on, responded_on, stage in actions.values_list("team__name", "due_on", "responded_on", "stage"):
        row = rows[team or "No team"]
        row[0] += 1
        if responded_on is not None and responded_on <= due_on:
            row[1] += 1
        elif responded_on is not None:
            row[2] += 1
        else:
            row[3] += 1
        if stage > 0:
            row[4] += 1
    return [TeamQuality(team, *counts) for team, counts in sorted(rows.items())]


# --- Measures ------------------------------------------------------------------------------


def _measure_kind(duty: str) -> str | None:
    if duty in REVIEW_DUTIES:
        return "review"
    return duty if duty in {Duty.VISIT, Duty.HEALTH_ASSESSMENT, Duty.PEP} else None


@dataclass(frozen=True)
class MeasureData:
    view: CaseView
    occurrences: list[Occurrence]
    reviews: list[ReviewHeld]


def measure_data(visible: QuerySet[Child], *, today: dt.date, calendar: WorkingDayCalendar) -> MeasureData:
    """Every occurrence of the measured checks for the children in view, with the late reason of
    each review held late, and every review held (fixed queries)."""
    view = case_view(visible, today=today, calendar=calendar)
    reasons: dict[tuple[uuid.UUID, dt.date], str] = {}
    held: list[ReviewHeld] = []
    for child_id, held_on, code, reason in (Review.objects.filter(child_id__in=visible.values("id"))
                                            .values_list("child_id", "held_on", "participation", "late_reason__label")):
        held.append(ReviewHeld(str(child_id), held_on, code))
        if reason:
            reasons[(child_id, held_on)] = reason
    occurrences = []
    for pk, deadline in view.deadlines():
        kind = _measure_kind(deadline.duty)
        if kind is None:
            continue
        reason = reasons.get((pk, deadline.met_on), "") if deadline.met_on else ""
        occurrences.append(Occurrence(str(pk), kind, deadline.due, deadline.met_on, reason))
    return MeasureData(view, occurrences, held)


def reporting_periods(today: dt.date, *, by: str) -> list[ReportingPeriod]:
    """The last 12 months or the last 4 financial quarters, newest first."""
    if by == "quarter":
        return list(reversed(quarters_between(today.replace(day=1) - dt.timedelta(days=275), today)))[:4]
    return list(reversed(months_between(today.replace(day=1) - dt.timedelta(days=335), today)))[:12]


@dataclass(frozen=True)
class MeasureRow:
    period: ReportingPeriod
    figures: dict[str, Figure]
    participation: Participation
    late_reasons: list[tuple[str, int]]


def measures(data: MeasureData, periods: list[ReportingPeriod], *, today: dt.date) -> list[MeasureRow]:
    return [
        MeasureRow(
            period,
            {key: share_in_time(data.occurrences, kind, period, today) for key, (kind, _) in MEASURES.items()},
            participation_by_code(data.reviews, period),
            late_reasons(data.occurrences, period, today),
        )
        for period in periods
    ]


def period_for(key: str, today: dt.date) -> ReportingPeriod | None:
    """The month or quarter a link names, if it is one the dashboard shows."""
    for by in ("month", "quarter"):
        for period in reporting_periods(today, by=by):
            if period.key == key:
                return period
    return None


def child_names(view: CaseView) -> dict[str, Any]:
    return {str(pk): child for pk, child in view.children.items()}
