"""Reads of NTS referrals: who may see which, the referral queue and the workspace's task list.

A referral is seen through its child: a user sees a referral when they may see the child
(harbour.accounts.access), and reading one writes the child's access log like any other read
of the child's record. Every read here keeps a fixed number of queries whatever the number of
referrals: progress is counted by the database in subqueries, never one query per row.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Allocation, Role, Scope
from harbour.allocation.models import RotaTurn
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.models import CouncilSettings
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.nts import (
    TransferClock,
    at_or_above_nts_threshold,
    nts_threshold_count,
    transfer_clock,
)

from .models import Arrival, FormCopy, Referral, Section20Approval

# Who runs NTS intake: they record referrals, decide them and see the referral queue. The
# director sees the queue (and signs off section 20) but does not record or decide referrals.
INTAKE_ROLES = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER})
QUEUE_ROLES = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.DIRECTOR})


def may_record_referral(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in INTAKE_ROLES


def may_see_queue(user: Any) -> bool:
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in QUEUE_ROLES


# --- Scope ----------------------------------------------------------------------------------------


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    """Every referral whose child this user may see. Fails closed.

    Partner agencies are left out even where a child is shared with them: a referral carries
    restricted fields (health, risks, trafficking), and a partner sees only their own copy of the
    single referral form, through its link (referrals.disclosure).
    """
    if getattr(user, "scope", Scope.NONE) == Scope.SHARED:
        return Referral.objects.none()
    return Referral.objects.filter(child_id__in=access.children_visible_to(user).values("id"))


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def open_referral(user: Any, referral_id: Any, *, route: str, request_id: str = "", purpose: str = "") -> Referral:
    """The referral, if this user may see its child, with the read written to the child's access
    log; else 404. A malformed id, a referral that does not exist and one out of scope all give
    the same 404, as access_child does for children."""
    pk = _as_uuid(referral_id)
    referral = (referrals_visible_to(user).select_related("team", "recorded_by", "decided_by")
                .filter(pk=pk).first() if pk else None)
    if referral is None:
        raise Http404("No referral found")
    # access_child checks the scope again and logs the read before anything is returned.
    referral.child = access.access_child(user, referral.child_id, route=route, request_id=request_id,
                                         purpose=purpose or "NTS referral")
    return referral


# --- The NTS threshold ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdFigures:
    """Where the council stands against the NTS threshold (0.1% of its child population)."""

    uasc_looked_after: int
    child_population: int | None
    threshold: int | None  # the number of children that reaches 0.1%, rounded up; None if unknown
    at_or_above: bool

    @property
    def text(self) -> str:
        if self.threshold is None:
            return (f"{self.uasc_looked_after} of an unknown threshold: the council's child population is "
                    "not recorded")
        return f"{self.uasc_looked_after} of {self.threshold}"


def threshold_figures(*, today: dt.date) -> ThresholdFigures:
    """Two queries: the council's settings and the count of looked-after unaccompanied children
    (a child with is_uasc set and a period of care open today)."""
    population = CouncilSettings.current().child_population
    in_care = PeriodLookedAfter.objects.filter(Q(end__isnull=True) | Q(end__gte=today), start__lte=today)
    count = Child.unscoped.filter(is_uasc=True, date_of_death__isnull=True,
                                  id__in=in_care.values("child_id")).count()
    threshold = math.ceil(nts_threshold_count(population)) if population else None
    return ThresholdFigures(
        uasc_looked_after=count, child_population=population, threshold=threshold,
        at_or_above=at_or_above_nts_threshold(uasc_looked_after=count, child_population=population),
    )


# --- Progress of a referral -----------------------------------------------------------------------


def with_progress(referrals: QuerySet[Referral], *, today: dt.date) -> QuerySet[Referral]:
    """The referrals with what has been done for each, counted in the same query.

    Subqueries rather than joins: joining form copies and rota turns together would multiply
    rows. Each annotation is one correlated subquery, so a page of 2 or 200 referrals is still
    one query.
    """
    copies = FormCopy.objects.filter(referral=OuterRef("pk")).order_by().values("referral")
    open_social_worker = Allocation.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today), child=OuterRef("child_id"), kind=Allocation.Kind.SOCIAL_WORKER,
    )
    return referrals.annotate(
        forms_sent=Coalesce(Subquery(copies.annotate(n=Count("pk")).values("n")[:1]), Value(0),
                            output_field=IntegerField()),
        forms_acknowledged=Coalesce(
            Subquery(copies.filter(acknowledged_at__isnull=False).annotate(n=Count("pk")).values("n")[:1]),
            Value(0), output_field=IntegerField()),
        section20_approved=Exists(Section20Approval.objects.filter(referral=OuterRef("pk"))),
        # Allocated from the rota for this referral, or the child already has a social worker.
        allocated=ExpressionWrapper(
            Q(Exists(RotaTurn.objects.filter(referral=OuterRef("pk")))) | Q(Exists(open_social_worker)),
            output_field=BooleanField()),
        arrived=Exists(Arrival.objects.filter(referral=OuterRef("pk"))),
    )


@dataclass(frozen=True)
class Progress:
    decided: bool
    forms_sent: int
    forms_acknowledged: int
    section20_approved: bool
    placement_search_started: bool
    placement_confirmed: bool
    allocated: bool
    arrived: bool

    @classmethod
    def of(cls, referral: Referral) -> Progress:
        """From a referral annotated by with_progress."""
        return cls(
            decided=referral.status != Referral.Status.RECEIVED,
            forms_sent=referral.forms_sent,  # type: ignore[attr-defined]
            forms_acknowledged=referral.forms_acknowledged,  # type: ignore[attr-defined]
            section20_approved=bool(referral.section20_approved),  # type: ignore[attr-defined]
            placement_search_started=referral.placement_search_started_at is not None,
            placement_confirmed=referral.placement_confirmed_at is not None,
            allocated=bool(referral.allocated),  # type: ignore[attr-defined]
            arrived=bool(referral.arrived),  # type: ignore[attr-defined]
        )


# --- The workspace's task list --------------------------------------------------------------------

NOT_STARTED = "Not started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
CANNOT_START = "Cannot start yet"


@dataclass(frozen=True)
class Task:
    key: str
    name: str
    state: str  # NOT_STARTED, IN_PROGRESS, COMPLETED or CANNOT_START
    href: str | None
    hint: str = ""

    @property
    def done(self) -> bool:
        return self.state == COMPLETED


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _allocation_href(referral: Referral, workspace: str) -> str:
    query = urlencode({"referral": str(referral.pk), "next": workspace})
    return f"{reverse('allocation:child', args=[referral.child_id])}?{query}"


def _decision_task(referral: Referral, href: str) -> Task:
    if referral.status == Referral.Status.RECEIVED:
        return Task("decision", "Decision", NOT_STARTED, href, "Accept the referral, or contest it if the council "
                    "is at or above the NTS threshold")
    if referral.status == Referral.Status.WITHDRAWN and referral.decided_at is None:
        return Task("decision", "Decision", CANNOT_START, None, "The Home Office withdrew the referral")
    hint = "Contested" if referral.status == Referral.Status.CONTESTED else "Accepted"
    return Task("decision", "Decision", COMPLETED, href, hint)


def _task_states(progress: Progress) -> dict[str, tuple[str, str]]:
    """(state, hint) of each task after the decision, from what has been done."""
    sent, acknowledged = progress.forms_sent, progress.forms_acknowledged
    if not sent:
        acknowledgements = (CANNOT_START, "Send the referral form first")
    elif acknowledged >= sent:
        acknowledgements = (COMPLETED, f"All {_plural(sent, 'agency', 'agencies')} acknowledged")
    else:
        acknowledgements = (IN_PROGRESS, f"{acknowledged} of {_plural(sent, 'agency', 'agencies')} acknowledged")
    if progress.placement_confirmed:
        placement = (COMPLETED, "Placement confirmed")
    elif progress.placement_search_started:
        placement = (IN_PROGRESS, "Search started")
    else:
        placement = (NOT_STARTED, "")
    return {
        "form": (COMPLETED, f"Sent to {_plural(sent, 'agency', 'agencies')}") if sent else (NOT_STARTED, ""),
        "acknowledgements": acknowledgements,
        "sign_off": (COMPLETED, "Section 20 accommodation approved") if progress.section20_approved
        else (NOT_STARTED, "The director or a named delegate approves section 20 accommodation"),
        "placement": placement,
        "allocation": (COMPLETED, "Social worker allocated") if progress.allocated else (NOT_STARTED, ""),
        # The child cannot become looked after without the section 20 approval (issue 3, item 4).
        "arrival": (COMPLETED, "Child arrived") if progress.arrived
        else (NOT_STARTED, "") if progress.section20_approved
        else (CANNOT_START, "Needs the director's sign-off first"),
    }


TASK_NAMES = {
    "form": ("Send the referral form", "referrals:agencies"),
    "acknowledgements": ("Agencies acknowledged", "referrals:agencies"),
    "sign_off": ("Director's sign-off", "referrals:sign_off"),
    "placement": ("Placement search", "referrals:placement"),
    "allocation": ("Allocation", "allocation:child"),
    "arrival": ("Arrival", "referrals:arrival"),
}


def tasks_for(referral: Referral, progress: Progress) -> list[Task]:
    """The task list of a referral annotated by with_progress (no queries)."""
    workspace = reverse("referrals:workspace", args=[referral.pk])
    tasks = [_decision_task(referral, reverse("referrals:decide", args=[referral.pk]))]
    # A contested or withdrawn referral is not going ahead: what was done stays done, the rest waits.
    stopped = referral.status in {Referral.Status.CONTESTED, Referral.Status.WITHDRAWN}
    for key, (state, hint) in _task_states(progress).items():
        name, url_name = TASK_NAMES[key]
        if stopped and state != COMPLETED:
            state, hint = CANNOT_START, "The referral is not going ahead"
        href = None
        if state != CANNOT_START:
            href = (_allocation_href(referral, workspace) if key == "allocation"
                    else reverse(url_name, args=[referral.pk]))
        tasks.append(Task(key, name, state, href, hint))
    return tasks


def workspace_tasks(referral: Referral, *, today: dt.date | None = None) -> list[Task]:
    """Decision, form, acknowledgements, sign-off, placement search, allocation and arrival, each
    with its state and link. One query."""
    today = today or timezone.localdate()
    annotated = with_progress(Referral.objects.filter(pk=referral.pk), today=today).get()
    return tasks_for(annotated, Progress.of(annotated))


# --- The referral queue ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    referral: Referral
    child: Child
    clock: TransferClock
    progress: Progress
    tasks: list[Task]

    @property
    def tasks_completed(self) -> int:
        return sum(1 for task in self.tasks if task.done)


def referral_queue(*, user: Any, today: dt.date, calendar: WorkingDayCalendar) -> list[QueueRow]:
    """Open referrals (awaiting a decision or accepted) this user may see, least time left first,
    each with its clock and progress. One query whatever the number of referrals."""
    referrals = with_progress(
        referrals_visible_to(user).filter(status__in=Referral.OPEN).select_related("child", "team"), today=today,
    ).order_by("transfer_due", "received_at")
    rows = []
    for referral in referrals:
        progress = Progress.of(referral)
        rows.append(QueueRow(
            referral=referral, child=referral.child,
            clock=transfer_clock(due=referral.transfer_due, today=today, calendar=calendar),
            progress=progress, tasks=tasks_for(referral, progress),
        ))
    return rows


def referral_clock(referral: Referral, *, today: dt.date, calendar: WorkingDayCalendar,
                   arrived_on: dt.date | None = None) -> TransferClock:
    """The clock of one referral: stopped when the child arrived."""
    return transfer_clock(due=referral.transfer_due, today=today, calendar=calendar, arrived_on=arrived_on)


def arrival_of(referral: Referral) -> Arrival | None:
    return Arrival.objects.filter(referral=referral).first()
