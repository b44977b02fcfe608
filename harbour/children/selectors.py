"""Reads of the child's record. Each takes the queryset the access module allows, and each keeps a
fixed number of queries whatever the caseload: one per kind of record, never one per child."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from harbour.allocation.models import RotaTurn
from harbour.domain.deadlines import (
    NEEDS_ASSESSMENT_OWED_UNTIL_AGE,
    CaseTimeline,
    Deadline,
    PlacementSpell,
    compute_deadlines,
    has_open_duties,
    outstanding_deadlines,
)
from harbour.domain.names import search_key, sound_key
from harbour.domain.types import Period
from harbour.leaving_care.models import (
    AccommodationEnding,
    AdviserContact,
    DutyToRefer,
    LivingArrangement,
    NeedsAssessment,
    PathwayPlan,
    SupportTo25,
)
from harbour.placements.models import Placement
from harbour.referrals.models import Arrival, FormCopy, Referral, Section20Approval
from harbour.reviews.models import CarePlan, HealthAssessment, PersonalEducationPlan, Review, Visit

from .models import (
    Child,
    ChildName,
    ChronologyEntry,
    DateOfBirthRecord,
    LegalStatusPeriod,
    PeriodLookedAfter,
)

SEARCH_LIMIT = 50
_DATE_PATTERNS = ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")


def parse_search_date(text: str) -> dt.date | None:
    cleaned = re.sub(r"\s+", " ", text.strip())
    for pattern in _DATE_PATTERNS:
        try:
            return dt.datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    return None


MAX_SEARCH_WORDS = 5


def _sounds_like(sound: str) -> Q:
    return (Q(sound_key=sound) | Q(sound_key__startswith=sound + " ") | Q(sound_key__endswith=" " + sound)
            | Q(sound_key__contains=" " + sound + " "))


def search_children(*, visible: QuerySet[Child], query: str) -> list[Child]:
    """Children matching a name (any recorded spelling or a transliteration), a reference or a date
    of birth. Every word must match one of the child's names. A child whose Home Office reference,
    port reference or UPN is the query comes first (a reference names one child), then children whose
    names contain the words as typed, then those whose names only sound alike. Three queries, whatever the caseload.

    References and names are asked for apart: joined by OR, they kept PostgreSQL from starting at
    the children in view, so a social worker's search read all 480,000 children of the national-scale
    set (benchmarks/README.md, "National scale"). Each part alone uses an index (the upper-case
    reference indexes on Child; the trigram indexes on the name keys, migration 0006)."""
    query = query.strip()[:200]
    if not query:
        return []
    day = parse_search_date(query)
    if day:
        return list(visible.filter(Q(date_of_birth=day) | Q(dates_of_birth__date_of_birth=day)).distinct()[:SEARCH_LIMIT])
    reference = query.upper().replace(" ", "")
    by_reference = Q(home_office_reference__iexact=query) | Q(port_reference__iexact=query) | Q(upn__iexact=reference)
    words = search_key(query).split()[:MAX_SEARCH_WORDS]
    ordering = ("family_name", "given_names")
    found = list(visible.filter(by_reference).order_by(*ordering)[:SEARCH_LIMIT])
    if words:
        as_typed = Q()
        sounding = Q()
        for word in words:
            as_typed &= Q(id__in=ChildName.objects.filter(search_key__contains=word).values("child_id"))
            sound = sound_key(word)
            sounding &= Q(id__in=ChildName.objects.filter(_sounds_like(sound) | Q(search_key__contains=word))
                          .values("child_id"))
        for matching in (as_typed, sounding):  # both always asked: a fixed number of queries
            seen = {child.pk for child in found}
            found += [c for c in visible.filter(matching).order_by(*ordering)[:SEARCH_LIMIT] if c.pk not in seen]
    return found[:SEARCH_LIMIT]


@dataclass(frozen=True)
class TimelineItem:
    kind: str
    title: str
    at: dt.date | dt.datetime
    byline: str
    description: str = ""

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.at, dt.datetime):
            return self.at.replace(tzinfo=None)
        return dt.datetime.combine(self.at, dt.time.max)


TIMELINE_KINDS = {
    "identity": "Identity and age",
    "legal": "Legal status and care",
    "placement": "Placements",
    "review": "Reviews",
    "visit": "Visits",
    "health": "Health",
    "education": "Education",
    "leaving_care": "Leaving care",
    "note": "Notes and events",
    "referral": "NTS transfer",
}


def _identity_items(child: Child) -> list[TimelineItem]:
    return [
        TimelineItem(
            "identity", f"Date of birth recorded: {dob.date_of_birth.day} {dob.date_of_birth:%B %Y}",
            dob.recorded_at, dob.recorded_by.display_name,
            f"Source: {dob.get_source_display()}." + (" Made the date in use." if dob.in_use_from else "")
            + (f" {dob.note}" if dob.note else ""),
        )
        for dob in DateOfBirthRecord.objects.filter(child=child).select_related("recorded_by")
    ]


def _legal_items(child: Child) -> list[TimelineItem]:
    items = []
    for period in PeriodLookedAfter.objects.filter(child=child):
        items.append(TimelineItem("legal", "Became looked after", period.start, "Harbour"))
        if period.end:
            items.append(TimelineItem("legal", "Stopped being looked after", period.end, "Harbour"))
    for status in LegalStatusPeriod.objects.filter(child=child):
        items.append(TimelineItem("legal", f"Legal status {status.get_legal_status_display()}", status.start, "Harbour"))
    return items


def _placement_items(child: Child) -> list[TimelineItem]:
    """Placements are recorded once, as placements; the timeline reads them (with the reason for a move)."""
    items = []
    for placement in Placement.objects.filter(child=child):
        items.append(TimelineItem(
            "placement", f"Placed with {placement.carer_or_provider}", placement.start, "Harbour",
            placement.get_placement_type_display() + (" (long-term)" if placement.long_term else ""),
        ))
        if placement.end:
            reason = placement.get_reason_for_change_display() if placement.reason_for_change else ""
            description = ". ".join(part for part in (f"Reason: {reason}" if reason else "", placement.end_note) if part)
            items.append(TimelineItem("placement", f"Placement with {placement.carer_or_provider} ended", placement.end,
                                      "Harbour", description))
    return items


def _review_items(child: Child) -> list[TimelineItem]:
    items = [
        TimelineItem("review", "Looked-after review held", review.held_on,
                     review.chair.display_name if review.chair else "Harbour",
                     review.get_participation_display() if review.participation else "")
        for review in Review.objects.filter(child=child).select_related("chair")
    ]
    items += [TimelineItem("review", "Care plan agreed", plan.agreed_on, "Harbour") for plan in CarePlan.objects.filter(child=child)]
    return items


def _visit_items(child: Child) -> list[TimelineItem]:
    return [
        TimelineItem("visit", "Statutory visit", visit.visited_on, visit.visitor.display_name if visit.visitor else "Harbour",
                     "Seen alone." if visit.seen_alone else "")
        for visit in Visit.objects.filter(child=child).select_related("visitor")
    ]


def _health_items(child: Child) -> list[TimelineItem]:
    return [TimelineItem("health", "Health assessment", a.assessed_on, "Harbour") for a in HealthAssessment.objects.filter(child=child)]


def _education_items(child: Child) -> list[TimelineItem]:
    return [TimelineItem("education", "Personal education plan reviewed", p.reviewed_on, "Harbour")
            for p in PersonalEducationPlan.objects.filter(child=child)]


def _leaving_care_items(child: Child) -> list[TimelineItem]:
    """The journey to adulthood: assessments, pathway plans, the personal adviser's contacts, where
    the young person lives, support to 25 and the housing duty. One query per kind of record."""
    kind = "leaving_care"
    items = [TimelineItem(kind, "Leaving-care needs assessment completed", n.completed_on, "Harbour")
             for n in NeedsAssessment.objects.filter(child=child)]
    for plan in PathwayPlan.objects.filter(child=child).select_related("recorded_by"):
        items.append(TimelineItem(kind, plan.get_kind_display(), plan.held_on, plan.recorded_by.display_name))
    for contact in AdviserContact.objects.filter(child=child).select_related("adviser"):
        suitable = {True: ", suitable", False: ", not suitable", None: ""}[contact.accommodation_suitable]
        items.append(TimelineItem(
            kind, "Contact with their personal adviser", contact.contacted_on, contact.adviser.display_name,
            f"{contact.get_in_touch_display()}. {contact.get_activity_display()}. "
            f"{contact.get_accommodation_display()}{suitable}.",
        ))
    for arrangement in LivingArrangement.objects.filter(child=child).select_related("recorded_by"):
        label = arrangement.get_kind_display().split(":")[0]
        items.append(TimelineItem(kind, f"{label} began", arrangement.starts_on,
                                  arrangement.recorded_by.display_name, arrangement.carer_or_provider))
        if arrangement.ends_on:
            items.append(TimelineItem(kind, f"{label} ended", arrangement.ends_on, arrangement.recorded_by.display_name))
    for support in SupportTo25.objects.filter(child=child).select_related("recorded_by"):
        items.append(TimelineItem(kind, "Asked for a personal adviser's support to 25", support.requested_on,
                                  support.recorded_by.display_name))
        if support.declined_on:
            items.append(TimelineItem(kind, "Declined support to 25", support.declined_on, support.recorded_by.display_name))
    for referral in DutyToRefer.objects.filter(child=child).select_related("recorded_by"):
        items.append(TimelineItem(kind, f"Referred to {referral.housing_authority} under the duty to refer",
                                  referral.referred_on, referral.recorded_by.display_name,
                                  referral.get_outcome_display()))
    for ending in AccommodationEnding.objects.filter(child=child).select_related("recorded_by"):
        items.append(TimelineItem(kind, ending.get_kind_display(), ending.known_on, ending.recorded_by.display_name,
                                  f"Ends {ending.ends_on.day} {ending.ends_on:%B %Y}. "
                                  + (f"Next home: {ending.next_home}." if ending.next_home else "No next home recorded.")))
    return items


def _note_items(child: Child) -> list[TimelineItem]:
    return [TimelineItem("note", e.title, e.occurred_at,
                         e.source or (e.recorded_by.display_name if e.recorded_by else "Harbour"), e.description)
            for e in ChronologyEntry.objects.filter(child=child).select_related("recorded_by")]


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _referral_steps(referral: Referral) -> list[TimelineItem]:
    """What the referral row itself records: received, decided, placement search and confirmation."""
    ref = referral.nts_reference
    items = [TimelineItem(
        "referral", f"NTS referral {ref} received", referral.received_at, referral.recorded_by.display_name,
        f"From {referral.referring_authority}. Transfer due {referral.transfer_due.day} {referral.transfer_due:%B %Y}.",
    )]
    if referral.decided_at and referral.status != Referral.Status.WITHDRAWN:
        contested = referral.status == Referral.Status.CONTESTED
        items.append(TimelineItem(
            "referral", f"NTS referral {ref} {'contested' if contested else 'accepted'}", referral.decided_at,
            referral.decided_by.display_name if referral.decided_by else "Harbour",
            referral.contest_reason if contested else "",
        ))
    if referral.placement_search_started_at:
        items.append(TimelineItem("referral", "Placement search started", referral.placement_search_started_at,
                                  "Harbour"))
    if referral.placement_confirmed_at:
        items.append(TimelineItem("referral", "Placement confirmed", referral.placement_confirmed_at, "Harbour",
                                  referral.placement_confirmed_description))
    return items


def _form_items(child: Child) -> list[TimelineItem]:
    """One item per sending of the single referral form (copies sent together are one step) and one
    per acknowledgement."""
    items = []
    sendings: dict[tuple[uuid.UUID, dt.datetime], list[FormCopy]] = defaultdict(list)
    for copy in FormCopy.objects.filter(referral__child=child).select_related("entry", "sent_by"):
        sendings[(copy.referral_id, copy.sent_at.replace(second=0, microsecond=0))].append(copy)
        if copy.acknowledged_at:
            items.append(TimelineItem("referral", f"Referral form acknowledged by {copy.entry.name}",
                                      copy.acknowledged_at, copy.acknowledged_by_name or copy.entry.name))
    for copies in sendings.values():
        first = min(copies, key=lambda c: c.sent_at)
        items.append(TimelineItem(
            "referral", f"Referral form sent to {_plural(len(copies), 'agency', 'agencies')}", first.sent_at,
            first.sent_by.display_name, ", ".join(sorted(c.entry.name for c in copies)),
        ))
    return items


def _referral_items(child: Child) -> list[TimelineItem]:
    """The NTS transfer, step by step: one query per kind of record (referrals, form copies,
    section 20 approvals, rota turns, arrivals), whatever the number of steps."""
    items = []
    for referral in Referral.objects.filter(child=child).select_related("recorded_by", "decided_by"):
        items += _referral_steps(referral)
    items += _form_items(child)
    for approval in Section20Approval.objects.filter(referral__child=child).select_related("approved_by"):
        items.append(TimelineItem(
            "referral", "Section 20 accommodation approved", approval.approved_at,
            approval.approved_by.display_name + (", as the director's delegate" if approval.as_delegate else ""),
            approval.note,
        ))
    for turn in RotaTurn.objects.filter(child=child).select_related("allocated", "decided_by"):
        how = "rota overridden: " + turn.override_reason if turn.overridden else "from the rota"
        items.append(TimelineItem("referral", f"Allocated to {turn.allocated.display_name}", turn.decided_at,
                                  turn.decided_by.display_name, f"Allocated {how}."))
    for arrival in Arrival.objects.filter(referral__child=child).select_related("recorded_by", "first_placement"):
        timing = "within the transfer deadline" if arrival.within_deadline else "after the transfer deadline"
        items.append(TimelineItem(
            "referral", f"Arrived in the council's care, {timing}", arrival.arrived_at, arrival.recorded_by.display_name,
            f"First placed with {arrival.first_placement.carer_or_provider}. "
            f"{_plural(arrival.working_days_taken, 'working day', 'working days')} after the referral.",
        ))
    return items


_TIMELINE_SOURCES = {
    "identity": _identity_items,
    "legal": _legal_items,
    "placement": _placement_items,
    "review": _review_items,
    "visit": _visit_items,
    "health": _health_items,
    "education": _education_items,
    "leaving_care": _leaving_care_items,
    "note": _note_items,
    "referral": _referral_items,
}


def child_timeline(*, child: Child, kinds: Iterable[str] | None = None) -> list[TimelineItem]:
    """One timeline of everything recorded about the child, newest first (MoJ timeline pattern).
    One query per kind of record, whatever the length of the child's history."""
    wanted = set(kinds or TIMELINE_KINDS)
    items = [item for kind, source in _TIMELINE_SOURCES.items() if kind in wanted for item in source(child)]
    items.sort(key=lambda item: item.sort_key, reverse=True)
    return items


def case_timelines(child_ids: Any, dates_of_birth: dict[uuid.UUID, dt.date | None]) -> dict[uuid.UUID, CaseTimeline]:
    """The domain's view of each child's history, built with one query per kind of record."""
    ids = child_ids
    collected: dict[str, dict[uuid.UUID, list[object]]] = defaultdict(lambda: defaultdict(list))
    # Tuples, not model instances: a whole service loads tens of thousands of these.
    for child_id, start, end in PeriodLookedAfter.objects.filter(child_id__in=ids).values_list("child_id", "start", "end"):
        collected["periods"][child_id].append(Period(start, end))
    placements = Placement.objects.filter(child_id__in=ids).values_list("child_id", "start", "end", "long_term")
    for child_id, start, end, long_term in placements:
        collected["placements"][child_id].append(PlacementSpell(start, end, long_term))
    simple = {
        "reviews": (Review, "held_on"),
        "visits": (Visit, "visited_on"),
        "health": (HealthAssessment, "assessed_on"),
        "peps": (PersonalEducationPlan, "reviewed_on"),
        "care_plans": (CarePlan, "agreed_on"),
        "needs": (NeedsAssessment, "completed_on"),
    }
    for key, (model, field) in simple.items():
        for child_id, day in model.objects.filter(child_id__in=ids).values_list("child_id", field):
            collected[key][child_id].append(day)
    # The NTS transfer duty runs from each referral still going ahead (a contested or withdrawn one
    # sets no transfer deadline) to the child's arrival, on the council's calendar day.
    referrals = Referral.objects.filter(child_id__in=ids).exclude(
        status__in=[Referral.Status.CONTESTED, Referral.Status.WITHDRAWN])
    for child_id, moment in referrals.values_list("child_id", "received_at"):
        collected["nts_referrals"][child_id].append(timezone.localtime(moment).date())
    for child_id, moment in Arrival.objects.filter(referral__child_id__in=ids).values_list("referral__child_id", "arrived_at"):
        collected["arrivals"][child_id].append(timezone.localtime(moment).date())
    timelines = {}
    for child_id, date_of_birth in dates_of_birth.items():
        def dates(key: str, cid: uuid.UUID = child_id) -> tuple:
            return tuple(sorted(collected[key].get(cid, [])))  # type: ignore[type-var]
        timelines[child_id] = CaseTimeline(
            date_of_birth=date_of_birth,
            nts_referrals=dates("nts_referrals"),
            arrivals=dates("arrivals"),
            periods_looked_after=tuple(sorted(collected["periods"].get(child_id, []), key=lambda p: p.start)),  # type: ignore[attr-defined]
            placements=tuple(sorted(collected["placements"].get(child_id, []), key=lambda p: p.start)),  # type: ignore[attr-defined]
            care_plans=dates("care_plans"),
            reviews=dates("reviews"),
            visits=dates("visits"),
            health_assessments=dates("health"),
            peps=dates("peps"),
            needs_assessments=dates("needs"),
        )
    return timelines


def child_deadlines(*, child: Child, today: dt.date, calendar: object, nts_working_days: int) -> list[Deadline]:
    timeline = case_timelines([child.pk], {child.pk: child.date_of_birth})[child.pk]
    return compute_deadlines(timeline, today=today, calendar=calendar, nts_working_days=nts_working_days)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChildDeadline:
    child: Child
    deadline: Deadline


def may_have_open_duties(visible: QuerySet[Child], today: dt.date) -> QuerySet[Child]:
    """The children in view who may have open duties (``harbour.domain.deadlines.has_open_duties``),
    found in the database so that closed records are never loaded: an open period looked after or
    placement, an NTS referral going ahead, or a young person who could still be owed a needs
    assessment (younger than 22 this year, to be safe on birthdays, and ever looked after). A
    superset: the rule itself, on each candidate's timeline, has the last word."""
    child = OuterRef("pk")
    going_ahead = Referral.objects.filter(child=child).exclude(
        status__in=[Referral.Status.CONTESTED, Referral.Status.WITHDRAWN])
    ever_looked_after = PeriodLookedAfter.objects.filter(child=child)
    young_enough = Q(date_of_birth__gte=dt.date(today.year - NEEDS_ASSESSMENT_OWED_UNTIL_AGE - 1, 1, 1))
    return visible.filter(
        Exists(ever_looked_after.filter(end__isnull=True))
        | Exists(Placement.objects.filter(child=child, end__isnull=True))
        | Exists(going_ahead)
        | (young_enough & Exists(ever_looked_after))
    )


def children_with_open_duties(
    *, visible: QuerySet[Child], today: dt.date,
) -> tuple[dict[uuid.UUID, Child], dict[uuid.UUID, CaseTimeline]]:
    """The children in view with open duties, and their timelines (a fixed number of queries)."""
    candidates = may_have_open_duties(visible, today)
    children = {c.pk: c for c in candidates.only("id", "given_names", "family_name", "preferred_name", "date_of_birth")}
    timelines = case_timelines(candidates.values("id"), {pk: c.date_of_birth for pk, c in children.items()})
    kept = {pk: timeline for pk, timeline in timelines.items() if has_open_duties(timeline, today=today)}
    return {pk: children[pk] for pk in kept}, kept


def deadlines_for_children(
    *, visible: QuerySet[Child], today: dt.date, calendar: object, nts_working_days: int, horizon_days: int = 28,
) -> tuple[list[ChildDeadline], list[ChildDeadline]]:
    """(overdue, due soon) for every child in view: what to do next, soonest first. Only children with
    open duties are worked out: a closed record has nothing to do (ADR 0016). Worked out from
    scratch: the home page reads the same lists from the deadline snapshot (harbour.snapshot)."""
    children, timelines = children_with_open_duties(visible=visible, today=today)
    return overdue_and_due_soon(
        (ChildDeadline(children[pk], deadline)
         for pk, timeline in timelines.items()
         for deadline in outstanding_deadlines(timeline, today=today, calendar=calendar,  # type: ignore[arg-type]
                                               nts_working_days=nts_working_days)),
        today=today, horizon_days=horizon_days,
    )


def overdue_and_due_soon(
    outstanding: Iterable[ChildDeadline], *, today: dt.date, horizon_days: int = 28,
) -> tuple[list[ChildDeadline], list[ChildDeadline]]:
    """Outstanding deadlines split into (overdue, due within ``horizon_days``), soonest first; ties in
    the order of the child's name, so that the first rows shown are the same on every request."""
    horizon = today + dt.timedelta(days=horizon_days)
    overdue: list[ChildDeadline] = []
    due_soon: list[ChildDeadline] = []
    for item in outstanding:
        if item.deadline.status == "overdue":
            overdue.append(item)
        elif item.deadline.due <= horizon:
            due_soon.append(item)

    def order(item: ChildDeadline) -> tuple[dt.date, str, str, str, str]:
        child = item.child
        return (item.deadline.due, child.family_name, child.given_names, str(child.pk), str(item.deadline.duty))

    overdue.sort(key=order)
    due_soon.sort(key=order)
    return overdue, due_soon
