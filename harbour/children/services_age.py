"""The age assessment and what its outcome does to the record.

A Merton-compliant assessment (R (B) v LB Merton [2003] EWHC 1689 (Admin) [secondary]) is recorded
with who assessed, when, the interpreter and the young person's response. Its date of birth is
added to the dates of birth and made the one in use, so every age and deadline is worked out from
it from then on; the earlier dates stay. A young person found to be an adult stops being looked
after on the day the assessment was completed, with SSDA903 reason E15 (reference 4.3, 5.1).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts import access
from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.domain.ages import age_on
from harbour.domain.formatting import long_date
from harbour.placements.models import Placement

from .codes import AgeAssessmentOutcome, DateOfBirthSource, ReasonEpisodeCeased
from .models import AgeAssessment, Child, ChronologyEntry, PeriodLookedAfter
from .services import date_of_birth_record

MAX_TEXT = 300


def _errors(
    *, child: Child, started_on: dt.date, completed_on: dt.date, assessors: str, outcome: str,
    assessed_date_of_birth: dt.date, naab_referred_on: dt.date | None, today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if completed_on > today:
        errors["completed_on"] = "Date the assessment was completed must be today or in the past"
    if started_on > completed_on:
        errors["started_on"] = "Date the assessment started must be the same as or before the date it was completed"
    if not assessors.strip():
        errors["assessors"] = "Enter the names and roles of the assessors"
    elif len(assessors) > MAX_TEXT:
        errors["assessors"] = f"Assessors must be {MAX_TEXT} characters or fewer"
    if outcome not in AgeAssessmentOutcome.values:
        errors["outcome"] = "Select what the assessment found"
    if assessed_date_of_birth > completed_on:
        errors["assessed_date_of_birth"] = (
            f"Assessed date of birth must be on or before the date the assessment was completed, "
            f"{long_date(completed_on)}"
        )
    elif outcome in AgeAssessmentOutcome.values:
        age = age_on(assessed_date_of_birth, completed_on)
        if outcome == AgeAssessmentOutcome.ADULT and age < 18:
            errors["assessed_date_of_birth"] = (
                f"This date of birth makes them {age} when the assessment was completed: enter a date of birth "
                f"that makes them 18 or over, or select that they are a child"
            )
        elif outcome != AgeAssessmentOutcome.ADULT and age >= 18:
            errors["assessed_date_of_birth"] = (
                f"This date of birth makes them {age} when the assessment was completed: enter a date of birth "
                f"that makes them under 18, or select that they are an adult"
            )
    if naab_referred_on is not None and naab_referred_on > today:
        errors["naab_referred_on"] = "Date of the referral to the National Age Assessment Board must be today or in the past"
    if child.date_of_death is not None and completed_on > child.date_of_death:
        errors["completed_on"] = "Date the assessment was completed must be on or before the date they died"
    return errors


def _found_adult(*, actor: User, child: Child, on: dt.date, request_id: str, via: str) -> None:
    """End the open period looked after (REC E15) and the open placement on the day of the finding."""
    for period in PeriodLookedAfter.objects.select_for_update().filter(child=child, end__isnull=True):
        if period.start > on:
            raise ValidationError({"completed_on": f"They became looked after on {long_date(period.start)}, after "
                                                   f"this date: check the date the assessment was completed"})
        before = snapshot(period)
        period.end, period.reason_ceased = on, ReasonEpisodeCeased.E15
        period.save(update_fields=["end", "reason_ceased"])
        record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=period, child_id=child.pk,
                      before=before, request_id=request_id, via=via)
    for placement in Placement.objects.select_for_update().filter(child=child, end__isnull=True, start__lte=on):
        before = snapshot(placement)
        placement.end, placement.reason_for_change = on, ""
        placement.end_note = "Age assessment found them to be an adult"
        placement.save(update_fields=["end", "reason_for_change", "end_note"])
        record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=placement, child_id=child.pk,
                      before=before, request_id=request_id, via=via)


@transaction.atomic
def age_assessment_record(
    *,
    actor: User,
    child: Child,
    started_on: dt.date,
    completed_on: dt.date,
    assessors: str,
    interpreter: str = "",
    outcome: str,
    assessed_date_of_birth: dt.date,
    child_response: str = "",
    naab_referred_on: dt.date | None = None,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> AgeAssessment:
    """Record a completed age assessment and put its outcome into effect, all or nothing."""
    if not access.may_edit_child(actor):
        raise PermissionDenied("Only social workers, team leaders, team managers and personal advisers may record "
                               "an age assessment")
    assessors, interpreter = " ".join(assessors.split()), " ".join(interpreter.split())
    errors = _errors(child=child, started_on=started_on, completed_on=completed_on, assessors=assessors,
                     outcome=outcome, assessed_date_of_birth=assessed_date_of_birth,
                     naab_referred_on=naab_referred_on, today=today)
    if len(interpreter) > 200:
        errors["interpreter"] = "Interpreter must be 200 characters or fewer"
    if errors:
        raise ValidationError(errors)
    outcome_label = AgeAssessmentOutcome(outcome).label
    try:
        record = date_of_birth_record(
            actor=actor, child=child, date_of_birth=assessed_date_of_birth, source=DateOfBirthSource.ASSESSED,
            use_it=True, note=f"Age assessment completed on {long_date(completed_on)}: {outcome_label.lower()}",
            today=today, request_id=request_id, via=via,
        )
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise ValidationError({"assessed_date_of_birth": messages}) from error
    assessment = AgeAssessment.objects.create(
        child=child, started_on=started_on, completed_on=completed_on, assessors=assessors, interpreter=interpreter,
        outcome=outcome, assessed_date_of_birth=assessed_date_of_birth, child_response=child_response.strip(),
        naab_referred_on=naab_referred_on, date_of_birth_record=record, recorded_by=actor,
    )
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=assessment, child_id=child.pk,
                  request_id=request_id, via=via)
    if outcome == AgeAssessmentOutcome.ADULT:
        _found_adult(actor=actor, child=child, on=completed_on, request_id=request_id, via=via)
    entry = ChronologyEntry.objects.create(
        child=child, kind=ChronologyEntry.Kind.SIGNIFICANT_EVENT, recorded_by=actor,
        occurred_at=min(timezone.make_aware(dt.datetime.combine(completed_on, dt.time(12))), timezone.now()),
        title=f"Age assessment: {outcome_label.lower()}",
        description=f"Date of birth in use from now: {long_date(assessed_date_of_birth)}. Assessed by {assessors}.",
    )
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=entry, child_id=child.pk,
                  request_id=request_id, via=via)
    return assessment


def age_assessment_fields(assessment: AgeAssessment) -> dict[str, Any]:
    """The assessment as plain values, for the API."""
    return {
        "id": assessment.pk, "started_on": assessment.started_on, "completed_on": assessment.completed_on,
        "assessors": assessment.assessors, "interpreter": assessment.interpreter, "outcome": assessment.outcome,
        "assessed_date_of_birth": assessment.assessed_date_of_birth, "child_response": assessment.child_response,
        "naab_referred_on": assessment.naab_referred_on,
    }
