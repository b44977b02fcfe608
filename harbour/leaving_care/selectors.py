"""Reads for leaving care: a personal adviser's caseload with each young person's status and clocks,
and the young people due a contact. One query per kind of record, never one per young person, so
the caseload page keeps a fixed number of queries with 10 or 1,000 care leavers."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, Max, OuterRef, QuerySet, Subquery

from harbour.accounts.models import Allocation, User
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain import timescales as ts
from harbour.domain.ages import age_on
from harbour.domain.formatting import long_date
from harbour.domain.leaving_care import (
    OC3_WINDOW_DAYS,
    Clock,
    care_leaver_status,
    oc3_birthdays,
    oc3_contact_for,
    pa_contact_clock,
    pathway_review_clock,
)
from harbour.domain.timescales import LeavingCareStatus
from harbour.domain.types import Period
from harbour.uasc.models import AsylumClaim

from . import services
from .models import (
    AccommodationEnding,
    AdviserContact,
    DutyToRefer,
    HumanRightsAssessment,
    LivingArrangement,
    PathwayPlan,
    PlacementExtension,
    SupportTo25,
)
from .services import awaiting_asylum_decision

DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class CaseloadRow:
    child: Child
    age: int | None
    status: LeavingCareStatus | None
    allocated_on: dt.date
    last_contact: dt.date | None
    contact: Clock | None
    last_plan: dt.date | None
    pathway: Clock | None
    claim: AsylumClaim | None
    awaiting_decision: bool
    extension: PlacementExtension | None

    @property
    def status_label(self) -> str:
        return self.status.value.replace("_", " ").capitalize() if self.status else "Not a care leaver"

    def due_a_contact(self, today: dt.date) -> bool:
        return self.contact is not None and self.contact.due <= today + dt.timedelta(days=DUE_SOON_DAYS)


def _periods_by_child(ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Period]]:
    found: dict[uuid.UUID, list[Period]] = defaultdict(list)
    for child_id, start, end in PeriodLookedAfter.objects.filter(child_id__in=ids).values_list("child_id", "start", "end"):
        found[child_id].append(Period(start, end))
    return found


def _latest(model: type, field: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.date]:
    rows = model.objects.filter(child_id__in=ids).values("child_id").annotate(last=Max(field))  # type: ignore[attr-defined]
    return {row["child_id"]: row["last"] for row in rows}


def caseload_rows(*, adviser: User, visible: QuerySet[Child], today: dt.date) -> list[CaseloadRow]:
    """The adviser's young people (open PERSONAL_ADVISER allocations among the children ``visible``
    to the reader), soonest contact first."""
    allocations = list(
        Allocation.objects.filter(worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER, end__isnull=True,
                                  child__in=visible).select_related("child")
    )
    ids = [a.child_id for a in allocations]
    periods = _periods_by_child(ids)
    contacts = _latest(AdviserContact, "contacted_on", ids)
    plans = _latest(PathwayPlan, "held_on", ids)
    claims = {c.child_id: c for c in AsylumClaim.objects.filter(child_id__in=ids)}
    to_25 = set(SupportTo25.objects.filter(child_id__in=ids, requested_on__lte=today, declined_on__isnull=True)
                .values_list("child_id", flat=True))
    extensions: dict[uuid.UUID, PlacementExtension] = {}
    for extension in PlacementExtension.objects.filter(child_id__in=ids).order_by("starts_on"):
        extensions[extension.child_id] = extension  # the latest wins
    rows = []
    for allocation in allocations:
        child, pk = allocation.child, allocation.child_id
        dob = child.date_of_birth
        spells = periods.get(pk, [])
        status = care_leaver_status(dob, spells, today, support_to_25=pk in to_25) if dob else None
        needs_due = eligible_from = None
        if dob is not None:
            eligible_from = ts.became_eligible_on(dob, [p.clipped_to(today) for p in spells if p.start <= today])
            needs_due = ts.needs_assessment_due(dob, eligible_from) if eligible_from else None
        claim = claims.get(pk)
        rows.append(CaseloadRow(
            child=child, age=age_on(dob, today) if dob and dob <= today else None, status=status,
            allocated_on=allocation.start, last_contact=contacts.get(pk),
            contact=_contact_clock(status, contacts.get(pk), allocation.start, eligible_from, today),
            last_plan=plans.get(pk),
            pathway=pathway_review_clock(last_plan_or_review=plans.get(pk), needs_assessment_due=needs_due, today=today),
            claim=claim, awaiting_decision=awaiting_asylum_decision(claim), extension=extensions.get(pk),
        ))
    rows.sort(key=lambda row: (row.contact is None, row.contact.due if row.contact else today,
                               row.child.family_name, row.child.given_names))
    return rows


def _contact_clock(status: LeavingCareStatus | None, last_contact: dt.date | None, allocated_on: dt.date,
                   eligible_from: dt.date | None, today: dt.date) -> Clock | None:
    """The contact clock runs only for care leavers (a contact for anyone else is refused), from the
    later of the adviser's allocation and the day the young person became eligible."""
    if status is None:
        return None
    counted_from = max(allocated_on, eligible_from) if eligible_from else allocated_on
    return pa_contact_clock(last_contact=last_contact, counted_from=counted_from, today=today)


def advisers_with_caseloads(*, visible: QuerySet[Child]) -> list[tuple[User, int]]:
    """Every personal adviser with the number of young people allocated to them (among those visible)."""
    counts = dict(
        Allocation.objects.filter(kind=Allocation.Kind.PERSONAL_ADVISER, end__isnull=True, child__in=visible)
        .values_list("worker_id").annotate(n=Count("id")).values_list("worker_id", "n")
    )
    advisers = User.objects.filter(role="personal_adviser", is_active=True).order_by("first_name", "last_name")
    return [(adviser, counts.get(adviser.pk, 0)) for adviser in advisers]


@dataclass(frozen=True)
class YoungPersonSummary:
    status: LeavingCareStatus | None
    contact: Clock | None
    pathway: Clock | None
    adviser: Allocation | None
    contacts: list[AdviserContact]
    plans: list[PathwayPlan]
    extensions: list[PlacementExtension]
    claim: AsylumClaim | None
    awaiting_decision: bool
    support_to_25: list[SupportTo25]
    arrangements: list[LivingArrangement]
    human_rights: list[HumanRightsAssessment]
    referrals: list[DutyToRefer]
    endings: list[AccommodationEnding]
    oc3: list[tuple[int, dt.date, AdviserContact | None]]


def _oc3_rows(dob: dt.date | None, contacts: list[AdviserContact], today: dt.date) -> list[tuple[int, dt.date, AdviserContact | None]]:
    """Each OC3 birthday (17 to 21) up to 60 days ahead, with the contact that answers it."""
    if dob is None:
        return []
    by_day = {c.contacted_on: c for c in reversed(contacts)}
    rows = []
    for age, day in oc3_birthdays(dob):
        if day <= today + dt.timedelta(days=OC3_WINDOW_DAYS):
            found = oc3_contact_for(day, list(by_day))
            rows.append((age, day, by_day[found] if found else None))
    return rows


def young_person(*, child: Child, today: dt.date) -> YoungPersonSummary:
    """One young person's leaving-care record: status, clocks, contacts, plans and extensions."""
    spells = [Period(p.start, p.end) for p in PeriodLookedAfter.objects.filter(child=child)]
    dob = child.date_of_birth
    adviser = (Allocation.objects.filter(child=child, kind=Allocation.Kind.PERSONAL_ADVISER, end__isnull=True)
               .select_related("worker").first())
    contacts = list(AdviserContact.objects.filter(child=child).select_related("adviser"))
    plans = list(PathwayPlan.objects.filter(child=child).select_related("recorded_by"))
    extensions = list(PlacementExtension.objects.filter(child=child).select_related("recorded_by", "placement"))
    claim = AsylumClaim.objects.filter(child=child).first()
    needs_due = eligible_from = None
    status = None
    if dob is not None and dob <= today:
        status = care_leaver_status(dob, spells, today, support_to_25=services.asked_for_support_to_25(child, today))
        eligible_from = ts.became_eligible_on(dob, [p.clipped_to(today) for p in spells if p.start <= today])
        needs_due = ts.needs_assessment_due(dob, eligible_from) if eligible_from else None
    last_contact = contacts[0].contacted_on if contacts else None
    contact = _contact_clock(status, last_contact, adviser.start, eligible_from, today) if adviser else None
    pathway = pathway_review_clock(last_plan_or_review=plans[0].held_on if plans else None,
                                   needs_assessment_due=needs_due, today=today)
    return YoungPersonSummary(
        status, contact, pathway, adviser, contacts, plans, extensions, claim, awaiting_asylum_decision(claim),
        support_to_25=list(SupportTo25.objects.filter(child=child)),
        arrangements=list(LivingArrangement.objects.filter(child=child)),
        human_rights=list(HumanRightsAssessment.objects.filter(child=child).select_related("recorded_by")),
        referrals=list(DutyToRefer.objects.filter(child=child)),
        endings=list(AccommodationEnding.objects.filter(child=child)),
        oc3=_oc3_rows(dob, contacts, today) if status is not None or contacts else [],
    )


# Contacts that say the young person has no safe home now (OC3 ACCOM): homeless, emergency
# accommodation, bed and breakfast, or where they live is not known.
NO_SAFE_HOME = {"S", "V", "W", "R"}
THREATENED_DAYS = 56  # Housing Act 1996 s175(4): threatened with homelessness within 56 days (reference 6)


@dataclass(frozen=True)
class AtRisk:
    child: Child
    reasons: list[str]
    ends_on: dt.date | None
    referred: bool

    def refer_now(self, today: dt.date) -> bool:
        """Homeless or threatened with homelessness within 56 days, with no referral yet."""
        threatened = self.ends_on is None or self.ends_on <= today + dt.timedelta(days=THREATENED_DAYS)
        return threatened and not self.referred


def at_risk(*, visible: QuerySet[Child], adviser: User | None, today: dt.date) -> list[AtRisk]:
    """Care leavers with a personal adviser (the adviser's own, or every one the reader may see) who
    have notice served or accommodation ending with no next home, or whose last contact found them
    homeless, in emergency accommodation or unsuitably housed. One query per kind of record."""
    allocations = Allocation.objects.filter(kind=Allocation.Kind.PERSONAL_ADVISER, end__isnull=True, child__in=visible)
    if adviser is not None:
        allocations = allocations.filter(worker=adviser)
    children = {a.child_id: a.child for a in allocations.select_related("child")}
    ids = list(children)
    reasons: dict[uuid.UUID, list[str]] = defaultdict(list)
    ends: dict[uuid.UUID, dt.date] = {}
    recent = today - dt.timedelta(days=28)
    for ending in AccommodationEnding.objects.filter(child_id__in=ids, next_home="", ends_on__gte=recent):
        reasons[ending.child_id].append(f"{ending.get_kind_display()}: must leave by {long_date(ending.ends_on)}, "
                                        f"no next home")
        ends[ending.child_id] = min(ends.get(ending.child_id, ending.ends_on), ending.ends_on)
    latest = AdviserContact.objects.filter(child=OuterRef("child")).order_by("-contacted_on", "-recorded_at")
    contacts = (AdviserContact.objects.filter(child_id__in=ids).annotate(latest=Subquery(latest.values("pk")[:1]))
                .filter(pk=F("latest")))
    for contact in contacts:
        if contact.accommodation in NO_SAFE_HOME or contact.accommodation_suitable is False:
            reasons[contact.child_id].append(
                f"Last contact on {long_date(contact.contacted_on)}: {contact.get_accommodation_display().lower()}"
                + ("" if contact.accommodation_suitable is not False else ", not suitable"))
    referred = set(DutyToRefer.objects.filter(child_id__in=ids, referred_on__gte=recent - dt.timedelta(days=60))
                   .values_list("child_id", flat=True))
    found = [AtRisk(children[pk], why, ends.get(pk), pk in referred) for pk, why in reasons.items()]
    found.sort(key=lambda r: (r.ends_on or today, r.child.family_name, r.child.given_names))
    return found
