"""Writes for leaving care: the personal adviser's contacts (coded for SSDA903 OC3), pathway plans
and their reviews, and placements extended past 18 while an asylum decision is awaited.

Keyword-only, one transaction with the audit rows; errors keyed by field in GOV.UK wording.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from harbour.accounts import access
from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.ages import birthday
from harbour.domain.formatting import long_date
from harbour.domain.leaving_care import care_leaver_status
from harbour.domain.types import Period
from harbour.placements.models import Placement
from harbour.uasc.models import AsylumClaim, AsylumDecision

from .codes import (
    ADULT_ONLY,
    ALWAYS_UNSUITABLE,
    NOT_IN_TOUCH,
    AccommodationType,
    Activity,
    FundingSource,
    InTouch,
)
from .models import AdviserContact, PathwayPlan, PlacementExtension, SupportTo25

MAX_NOTE = 2000


def _require(actor: User) -> None:
    if not access.may_edit_child(actor):
        raise PermissionDenied("Only personal advisers, social workers, team leaders and team managers may record this")


def _periods(child: Child) -> list[Period]:
    return [Period(p.start, p.end) for p in PeriodLookedAfter.objects.filter(child=child)]


def asked_for_support_to_25(child: Child, on: dt.date) -> bool:
    """An open request for a personal adviser to 25 (s23CZB) made on or before ``on``."""
    return SupportTo25.objects.filter(child=child, requested_on__lte=on, declined_on__isnull=True).exists()


def _not_a_care_leaver(child: Child, on: dt.date) -> str | None:
    if child.date_of_birth is None:
        return f"{child.known_as} has no date of birth recorded, so Harbour cannot tell whether they are a care leaver"
    to_25 = asked_for_support_to_25(child, on)
    if care_leaver_status(child.date_of_birth, _periods(child), on, support_to_25=to_25) is None:
        return (f"{child.known_as} was not a care leaver on {long_date(on)}: contacts are recorded only for "
                f"eligible, relevant, former relevant and qualifying young people")
    return None


def _day_errors(field: str, label: str, day: dt.date, child: Child, today: dt.date) -> dict[str, str]:
    if day > today:
        return {field: f"{label} must be today or in the past"}
    if child.date_of_birth and day < child.date_of_birth:
        return {field: f"{label} must be after their date of birth"}
    return {}


def _accommodation_errors(child: Child, contacted_on: dt.date, accommodation: str,
                          accommodation_suitable: bool | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if accommodation not in ("", AccommodationType.NONE) and accommodation_suitable is None:
        errors["accommodation_suitable"] = "Select whether the accommodation is suitable"
    if accommodation in ALWAYS_UNSUITABLE and accommodation_suitable:
        errors["accommodation_suitable"] = (
            f"{AccommodationType(accommodation).label} is always recorded as not suitable (SSDA903 rule 133)")
    if accommodation in ADULT_ONLY and child.date_of_birth and contacted_on < birthday(child.date_of_birth, 18):
        errors["accommodation"] = "Former foster carers (Staying Put) can only be chosen for someone 18 or over"
    return errors


def _oc3_errors(child: Child, contacted_on: dt.date, in_touch: str, activity: str, accommodation: str,
                accommodation_suitable: bool | None) -> dict[str, str]:
    """The OC3 codes must agree with each other (reference 4.8; SSDA903 validator rules)."""
    errors: dict[str, str] = {}
    if in_touch not in InTouch.values:
        errors["in_touch"] = "Select whether the young person is in touch"
    if activity not in Activity.values:
        errors["activity"] = "Select what the young person is doing"
    if accommodation not in AccommodationType.values:
        errors["accommodation"] = "Select where the young person lives"
    if in_touch in NOT_IN_TOUCH:
        if activity and activity != Activity.NONE:
            errors["activity"] = f"Select \u201c{Activity.NONE.label}\u201d when the answer to in touch is " \
                                 f"\u201c{InTouch(in_touch).label.lower()}\u201d"
        if accommodation and accommodation != AccommodationType.NONE:
            errors["accommodation"] = f"Select \u201c{AccommodationType.NONE.label}\u201d when the answer to in " \
                                      f"touch is \u201c{InTouch(in_touch).label.lower()}\u201d"
    elif in_touch == InTouch.YES:
        if activity == Activity.NONE:
            errors["activity"] = "Select what the young person is doing: they are in touch"
        if accommodation == AccommodationType.NONE:
            errors["accommodation"] = "Select where the young person lives: they are in touch"
    errors.update({k: v for k, v in _accommodation_errors(child, contacted_on, accommodation, accommodation_suitable).items()
                   if k not in errors})
    return errors


@transaction.atomic
def adviser_contact_record(
    *, actor: User, child: Child, contacted_on: dt.date, in_touch: str, activity: str, accommodation: str,
    accommodation_suitable: bool | None, note: str = "", today: dt.date, request_id: str = "", via: str = "web",
) -> AdviserContact:
    """Record a contact, with OC3 IN_TOUCH, ACTIV and ACCOM (reference 4.8)."""
    _require(actor)
    errors = _day_errors("contacted_on", "Date of the contact", contacted_on, child, today)
    if not errors and (reason := _not_a_care_leaver(child, contacted_on)):
        errors["child"] = reason
    errors.update(_oc3_errors(child, contacted_on, in_touch, activity, accommodation, accommodation_suitable))
    note = note.strip()
    if len(note) > MAX_NOTE:
        errors["note"] = f"Notes must be {MAX_NOTE} characters or fewer"
    if errors:
        raise ValidationError(errors)
    contact = AdviserContact.objects.create(
        child=child, contacted_on=contacted_on, adviser=actor, in_touch=in_touch, activity=activity,
        accommodation=accommodation,
        accommodation_suitable=None if accommodation == AccommodationType.NONE else accommodation_suitable,
        note=note,
    )
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=contact, child_id=child.pk,
                  request_id=request_id, via=via)
    return contact


@transaction.atomic
def pathway_plan_record(
    *, actor: User, child: Child, kind: str, held_on: dt.date, plan_if_leave_granted: str = "",
    plan_if_no_decision: str = "", plan_if_refused: str = "", today: dt.date, request_id: str = "", via: str = "web",
) -> PathwayPlan:
    """Record the pathway plan or a review of it, with the triple plan for each immigration outcome."""
    _require(actor)
    errors = _day_errors("held_on", "Date of the plan or review", held_on, child, today)
    if kind not in PathwayPlan.Kind.values:
        errors["kind"] = "Select whether this is the pathway plan or a review of it"
    elif kind == PathwayPlan.Kind.REVIEW and not PathwayPlan.objects.filter(child=child, held_on__lte=held_on).exists():
        errors["kind"] = "There is no pathway plan before this date to review: record the pathway plan first"
    if not errors and (reason := _not_a_care_leaver(child, held_on)):
        errors["child"] = reason.replace("contacts are recorded", "pathway plans are made")
    texts = {"plan_if_leave_granted": plan_if_leave_granted, "plan_if_no_decision": plan_if_no_decision,
             "plan_if_refused": plan_if_refused}
    for field, text in texts.items():
        if len(text) > MAX_NOTE:
            errors[field] = f"The plan must be {MAX_NOTE} characters or fewer"
    if errors:
        raise ValidationError(errors)
    plan = PathwayPlan.objects.create(child=child, kind=kind, held_on=held_on, recorded_by=actor,
                                      **{k: v.strip() for k, v in texts.items()})
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=plan, child_id=child.pk,
                  request_id=request_id, via=via)
    return plan


def awaiting_asylum_decision(claim: AsylumClaim | None) -> bool:
    """No decision yet, or refused with an appeal lodged and appeal rights not yet exhausted."""
    if claim is None:
        return False
    if not claim.decision:
        return True
    return (claim.decision == AsylumDecision.REFUSED and claim.appeal_lodged_on is not None
            and claim.appeal_rights_exhausted_on is None)


@transaction.atomic
def placement_extension_record(
    *, actor: User, child: Child, starts_on: dt.date, review_on: dt.date, weekly_cost: Decimal | None,
    funding_source: str, reason: str, today: dt.date, request_id: str = "", via: str = "web",
) -> PlacementExtension:
    """Keep a young person's placement on past 18 while they wait for an asylum decision."""
    _require(actor)
    errors: dict[str, str] = {}
    claim = AsylumClaim.objects.filter(child=child).first()
    if not awaiting_asylum_decision(claim):
        errors["child"] = (f"{child.known_as} is not waiting for a decision on an asylum claim: an extension is "
                           f"recorded only while a decision or an appeal is awaited")
    if child.date_of_birth is None:
        errors["child"] = f"{child.known_as} has no date of birth recorded: record it first"
    elif starts_on < birthday(child.date_of_birth, 18):
        errors["starts_on"] = (f"The extension must start on or after their 18th birthday, "
                               f"{long_date(birthday(child.date_of_birth, 18))}")
    if review_on < starts_on:
        errors["review_on"] = "Review date must be the same as or after the date the extension starts"
    if weekly_cost is None:
        errors["weekly_cost"] = "Enter the weekly cost to the council, like 450.00"
    elif weekly_cost < 0:
        errors["weekly_cost"] = "Weekly cost must be 0 or more"
    if funding_source not in FundingSource.values:
        errors["funding_source"] = "Select how the extension is funded"
    reason = reason.strip()
    if not reason:
        errors["reason"] = "Enter why the placement is being extended"
    elif len(reason) > MAX_NOTE:
        errors["reason"] = f"Reason must be {MAX_NOTE} characters or fewer"
    placement = Placement.objects.filter(child=child, start__lte=starts_on).order_by("-start").first()
    if placement is None or (placement.end is not None and placement.end < starts_on - dt.timedelta(days=1)):
        errors.setdefault("starts_on", "There is no placement that runs up to this date to extend: check the date, "
                                       "or record the placement first")
    if errors:
        raise ValidationError(errors)
    extension = PlacementExtension.objects.create(
        child=child, placement=placement, starts_on=starts_on, review_on=review_on, weekly_cost=weekly_cost,
        funding_source=funding_source, reason=reason, recorded_by=actor,
    )
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=extension, child_id=child.pk,
                  request_id=request_id, via=via)
    return extension
