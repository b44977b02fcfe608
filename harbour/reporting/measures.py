"""The measure library as the dashboards, the board report and the API use it: the measures
(counted in :mod:`harbour.domain.measures`), the loading of the records they count for one user,
and the national figures shipped with Harbour.

``load`` reads only children the access module lets the user see, in a fixed number of queries
(one per kind of record, never one per child). See docs/adr/0012.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import Allocation
from harbour.children.models import Child, LegalStatusPeriod, PeriodLookedAfter
from harbour.core.calendar import council_calendar
from harbour.core.collector import collector_paused
from harbour.domain.ages import add_months
from harbour.domain.deadlines import CaseTimeline, compute_deadlines
from harbour.domain.measures import (
    MEASURES,
    AllocationSpell,
    CareSpell,
    ChildFacts,
    Figure,
    FundingClaimFacts,
    LeaverContact,
    LegalStatusSpell,
    Measure,
    MeasureData,
    PlacementSpell,
    Transfer,
    figures,
)
from harbour.domain.review_measures import MEASURES as REVIEW_MEASURES
from harbour.domain.review_measures import (
    Occurrence,
    ReportingPeriod,
    ReviewHeld,
    months_between,
    quarters_between,
)
from harbour.leaving_care.models import AdviserContact
from harbour.placements.models import Placement
from harbour.referrals.models import FundingClaim, Referral
from harbour.reviews.models import Review
from harbour.reviews.selectors import DUTY_KINDS, case_view
from harbour.snapshot.checks import checks_between, measured_checks

__all__ = [
    "MEASURES",
    "Figure",
    "Measure",
    "MeasureData",
    "NationalFigure",
    "collector_paused",
    "ReportingPeriod",
    "figures",
    "load",
    "load_children",
    "months_between",
    "national",
    "not_published",
    "quarters_between",
]

NATIONAL_FILE = Path(__file__).with_name("national.json")
# An OC3 contact up to 60 days either side of a birthday answers it (harbour.domain.leaving_care).
CONTACT_MARGIN = dt.timedelta(days=60)
MEASURED_KINDS = frozenset(kind for kind, _ in REVIEW_MEASURES.values())
# A review due in the periods is held at most 6 months early, so older reviews' late reasons and
# participation cannot count; a year leaves room.
REVIEWS_BEFORE = dt.timedelta(days=366)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else timezone.localdate(moment)


def load(user: Any, first: dt.date, last: dt.date, *, today: dt.date,
         measures: Iterable[str] | None = None) -> MeasureData:
    """Every record the measures count for periods from ``first`` to ``last``, for the children
    ``user`` may see (the access module decides). With ``measures``, only the records those
    measures need. A fixed number of queries."""
    return load_children(access.children_visible_to(user), first, last, today=today, measures=measures)


def load_children(visible: QuerySet[Child], first: dt.date, last: dt.date, *, today: dt.date,
                  measures: Iterable[str] | None = None) -> MeasureData:
    """As :func:`load`, for a queryset of children already narrowed by the access module."""
    needs = set().union(*(MEASURES[key].needs for key in (MEASURES if measures is None else measures)))
    # Only the kinds of occurrence the measures count are made; a measure of occurrences naming none gets all.
    kinds = frozenset().union(*((MEASURES[key].kinds or MEASURED_KINDS) for key in
                                (MEASURES if measures is None else measures) if "occurrences" in MEASURES[key].needs))
    ids = visible.values("id")
    text = _Text()
    loaded: dict[str, Any] = {}
    if needs & {"occurrences", "reviews"}:
        # The deadlines engine works through each child's whole history, so only children looked
        # after at some time in the periods are given to it: nothing else can fall due in them.
        in_care = PeriodLookedAfter.objects.filter(Q(end__isnull=True) | Q(end__gte=first), start__lte=last)
        occurrences, held = _checks(visible.filter(id__in=in_care.values("child_id")), today=today,
                                    held_from=first - REVIEWS_BEFORE, due_between=(first, last), text=text,
                                    kinds=kinds)
        loaded["occurrences"] = tuple(occurrences)
        loaded["reviews"] = tuple(r for r in held if first <= r.held_on <= last)
    if "children" in needs:
        loaded["children"] = {text[pk]: ChildFacts(text[pk], born) for pk, born in
                              visible.filter(date_of_birth__isnull=False).values_list("id", "date_of_birth")}
    if "transfers" in needs:
        loaded["transfers"] = tuple(
            Transfer(text[child_id], _day(received_at) or due, due, _day(arrived_at),
                     withdrawn=status in {Referral.Status.WITHDRAWN, Referral.Status.CONTESTED})
            for child_id, received_at, due, status, arrived_at in (
                Referral.objects.filter(child_id__in=ids, transfer_due__range=(first, last))
                .values_list("child_id", "received_at", "transfer_due", "status", "arrival__arrived_at")))
    if "care" in needs:
        loaded["care"] = tuple(CareSpell(text[child_id], start, end) for child_id, start, end in
                               PeriodLookedAfter.objects.filter(child_id__in=ids).values_list("child_id", "start", "end"))
    if "placements" in needs:
        # Back far enough for the long-term stability measure: a run with one carer, or an adoptive
        # placement with the one before it, can reach back 2 years from the first period's start.
        loaded["placements"] = tuple(
            PlacementSpell(text[child_id], start, end, cost, place,
                           str(provider_id) if provider_id else carer)  # the carer as the 903 episodes read it
            for child_id, start, end, cost, place, provider_id, carer in
            Placement.objects.filter(child_id__in=ids).filter(Q(end__isnull=True) | Q(end__gte=add_months(first, -25)))
            .values_list("child_id", "start", "end", "cost_per_week", "placement_type", "provider_id",
                         "carer_or_provider"))
    if "legal_statuses" in needs:
        loaded["legal_statuses"] = tuple(
            LegalStatusSpell(text[child_id], status, start, end) for child_id, status, start, end in
            LegalStatusPeriod.objects.filter(child_id__in=ids).filter(Q(end__isnull=True) | Q(end__gte=first))
            .values_list("child_id", "legal_status", "start", "end"))
    if "contacts" in needs:
        loaded["contacts"] = tuple(
            LeaverContact(text[row[0]], *row[1:]) for row in
            AdviserContact.objects.filter(child_id__in=ids,
                                          contacted_on__range=(first - CONTACT_MARGIN, last + CONTACT_MARGIN))
            .values_list("child_id", "contacted_on", "in_touch", "activity", "accommodation_suitable"))
    if "allocations" in needs:
        loaded["allocations"] = tuple(
            AllocationSpell(text[child_id], text[worker_id], kind, start, end)
            for child_id, worker_id, kind, start, end in
            Allocation.objects.filter(child_id__in=ids).filter(Q(end__isnull=True) | Q(end__gte=first))
            .values_list("child_id", "worker_id", "kind", "start", "end"))
    if "funding" in needs:
        loaded["funding"] = tuple(
            FundingClaimFacts(text[child_id], claim_from, rate, one_off) for child_id, claim_from, rate, one_off in
            FundingClaim.objects.filter(child_id__in=ids)
            .values_list("child_id", "claim_from", "nightly_rate", "one_off_amount"))
    return MeasureData(**loaded)


class _Text(dict[uuid.UUID, str]):
    """Each id as text, worked out once a request: the same children come back in every kind of
    record, and ``str`` of a UUID costs several times a look-up here."""

    def __missing__(self, pk: uuid.UUID) -> str:
        self[pk] = found = str(pk)
        return found


def _checks(visible: QuerySet[Child], *, today: dt.date, held_from: dt.date = dt.date.min,
            due_between: tuple[dt.date, dt.date] = (dt.date.min, dt.date.max), text: _Text | None = None,
            kinds: frozenset[str] = MEASURED_KINDS) -> tuple[list[Occurrence], list[ReviewHeld]]:
    """Every review, visit, health assessment and PEP due for the children, with each late review's
    reason, and every review held: the IRO measures' records (as :func:`reviews.selectors.measure_data`
    reads them). For the council's today from the measured checks snapshot (harbour.snapshot.checks);
    for another day from the engine, each child's deadlines remembered (see :func:`_deadlines`)."""
    now = timezone.now()  # before anything is read: the snapshot's rows are stamped with it
    text = _Text() if text is None else text
    reasons: Reasons = {}
    held: list[ReviewHeld] = []
    for child_id, held_on, code, reason in (Review.objects.filter(child_id__in=visible.values("id"),
                                                                  held_on__gte=held_from)
                                            .values_list("child_id", "held_on", "participation", "late_reason__label")):
        held.append(ReviewHeld(text[child_id], held_on, code))
        if reason:
            reasons[(child_id, held_on)] = reason
    # The council's today: each child's checks from the snapshot, worked out again only for the
    # children changed since (ADR 0012, "Speed"). Another day (a test, a what-if): from scratch.
    from_checks = _from_snapshot if today == timezone.localdate() else _from_engine
    return from_checks(visible, today=today, now=now, reasons=reasons, due_between=due_between, kinds=kinds), held


Reasons = dict[tuple[uuid.UUID, dt.date], str]


def _from_snapshot(visible: QuerySet[Child], *, today: dt.date, now: dt.datetime, reasons: Reasons,
                   due_between: tuple[dt.date, dt.date], kinds: frozenset[str]) -> list[Occurrence]:
    first, last = due_between
    occurrences = []
    for pk, text in measured_checks(visible, today=today, now=now, calendar=council_calendar()).items():
        child_id = str(pk)
        for due, kind, met_on in checks_between(text, first, last, kinds):
            occurrences.append(Occurrence(child_id, kind, due, met_on, _reason(reasons, pk, kind, met_on)))
    return occurrences


def _from_engine(visible: QuerySet[Child], *, today: dt.date, now: dt.datetime, reasons: Reasons,
                 due_between: tuple[dt.date, dt.date], kinds: frozenset[str]) -> list[Occurrence]:
    first, last = due_between
    occurrences = []
    for pk, timeline in case_view(visible, today=today, calendar=council_calendar()).timelines.items():
        checks, dues = _deadlines(timeline, today)
        child_id = str(pk)
        for due, kind, met_on in checks[bisect_left(dues, first):bisect_right(dues, last)]:
            if kind not in kinds:
                continue
            occurrences.append(Occurrence(child_id, kind, due, met_on, _reason(reasons, pk, kind, met_on)))
    return occurrences


def _reason(reasons: Reasons, pk: uuid.UUID, kind: str, met_on: dt.date | None) -> str:
    """The late reason recorded on the review held that day. A reason is a review's, so a visit or
    another check met the same day has none (only the reviews' late reasons are counted)."""
    return reasons.get((pk, met_on), "") if kind == "review" and met_on is not None else ""


@lru_cache(maxsize=10_000)
def _deadlines(timeline: CaseTimeline, today: dt.date) -> tuple[tuple[tuple[dt.date, str, dt.date | None], ...],
                                                               list[dt.date]]:
    """A child's measured checks (due, kind, met on), by due date, with the due dates alone to cut out
    a period; remembered. The deadlines engine is a pure function of the whole timeline (every date of
    the case), the day and the council's calendar, so the same key always gives the same answer and
    any new or changed record makes a new key. It works through the whole history of the case, which
    is what makes a dashboard of thousands of children slow the first time. The school terms are the
    engine's own placeholder terms for the child's years, as the review measures' are for all of
    them (harbour.reviews.selectors.case_view), so the answer does not depend on who is looking.
    Kept small (three values a check) so that 10,000 children's histories fit in tens of megabytes."""
    checks = tuple((deadline.due, str(DUTY_KINDS[deadline.duty]), deadline.met_on)
                   for deadline in compute_deadlines(timeline, today=today, calendar=council_calendar())
                   if DUTY_KINDS.get(deadline.duty) in MEASURED_KINDS)
    return checks, [due for due, _, _ in checks]


# --- National figures ---------------------------------------------------------------------


@dataclass(frozen=True)
class NationalFigure:
    """A figure for England that the DfE publishes, with its year and where it comes from."""

    value: int
    year: str
    source: str
    url: str


@lru_cache(maxsize=1)
def _national_file() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(NATIONAL_FILE.read_text(encoding="utf-8"))
    return loaded


def national(key: str | None) -> NationalFigure | None:
    """The national figure for a measure's ``national_key``, or ``None`` when none is published
    (or none the design reference vouches for)."""
    row = _national_file()["figures"].get(key or "")
    return None if row is None else NationalFigure(row["value"], row["year"], row["source"], row["url"])


def not_published(key: str) -> str:
    """Why a measure has no national figure, in words."""
    reason: str = _national_file()["not_published"].get(key, "No national figure is published.")
    return reason
