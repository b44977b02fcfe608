"""Writes for life after 18: support to 25 on request, Staying Put and Staying Close, the human rights
assessment when appeal rights are exhausted, the duty to refer to a housing authority, and notice
or an ending accommodation. Keyword-only, atomic, audited; errors keyed by field in GOV.UK wording."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.ages import age_on, birthday
from harbour.domain.formatting import long_date
from harbour.domain.leaving_care import care_leaver_status
from harbour.domain.timescales import LeavingCareStatus
from harbour.domain.types import Period
from harbour.uasc.models import AsylumClaim

from .codes import DutyToReferOutcome, EndingKind, HumanRightsOutcome, LivingArrangementKind
from .models import (
    AccommodationEnding,
    DutyToRefer,
    HumanRightsAssessment,
    LivingArrangement,
    SupportTo25,
)
from .services import MAX_NOTE, _day_errors, _not_a_care_leaver, _require


def _save(actor: User, instance: models.Model, child: Child, request_id: str, via: str) -> Any:
    instance.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=instance, child_id=child.pk,
                  request_id=request_id, via=via)
    return instance


def _text(errors: dict[str, str], field: str, value: str, missing: str, limit: int = MAX_NOTE) -> str:
    value = value.strip()
    if not value:
        errors[field] = missing
    elif len(value) > limit:
        errors[field] = f"This must be {limit} characters or fewer"
    return value


@transaction.atomic
def support_to_25_record(*, actor: User, child: Child, requested_on: dt.date, today: dt.date,
                         request_id: str = "", via: str = "web") -> SupportTo25:
    """A former relevant young person aged 21 to 24 asks for a personal adviser (s23CZB)."""
    _require(actor)
    errors = _day_errors("requested_on", "Date of the request", requested_on, child, today)
    dob = child.date_of_birth
    if not errors and dob is not None:
        periods = [Period(p.start, p.end) for p in PeriodLookedAfter.objects.filter(child=child)]
        age = age_on(dob, requested_on)
        was_former_relevant = care_leaver_status(dob, periods, birthday(dob, 18)) == LeavingCareStatus.FORMER_RELEVANT
        if not 21 <= age < 25:
            errors["requested_on"] = f"Support to 25 is for young people aged 21 to 24: they were {age} on that date"
        elif not was_former_relevant:
            errors["child"] = f"{child.known_as} was not a former relevant child, so support to 25 does not apply"
    if dob is None:
        errors["child"] = f"{child.known_as} has no date of birth recorded: record it first"
    if errors:
        raise ValidationError(errors)
    return _save(actor, SupportTo25(child=child, requested_on=requested_on, recorded_by=actor), child, request_id, via)


@transaction.atomic
def living_arrangement_record(*, actor: User, child: Child, kind: str, starts_on: dt.date, ends_on: dt.date | None,
                              carer_or_provider: str, today: dt.date, request_id: str = "",
                              via: str = "web") -> LivingArrangement:
    """Staying Put (s23CZA, with former foster carers, to 21) or Staying Close (s23CZAA, under 25)."""
    _require(actor)
    errors: dict[str, str] = {}
    if kind not in LivingArrangementKind.values:
        errors["kind"] = "Select Staying Put or Staying Close"
    dob = child.date_of_birth
    if dob is not None and starts_on < birthday(dob, 18):
        errors["starts_on"] = f"Staying Put and Staying Close start at 18 or over: on or after {long_date(birthday(dob, 18))}"
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "End date must be the same as or after the start date"
    limit = 21 if kind == LivingArrangementKind.STAYING_PUT else 25
    if dob is not None and ends_on is not None and ends_on >= birthday(dob, limit) and "kind" not in errors:
        errors.setdefault("ends_on", f"This arrangement lasts until they are {limit} at most: end it before "
                                     f"{long_date(birthday(dob, limit))}")
    carer_or_provider = _text(errors, "carer_or_provider", carer_or_provider,
                              "Enter the former foster carers or the provider", 200)
    if "starts_on" not in errors and (reason := _not_a_care_leaver(child, min(starts_on, today))):
        errors["child"] = reason.replace("contacts are recorded", "these arrangements are")
    if errors:
        raise ValidationError(errors)
    return _save(actor, LivingArrangement(child=child, kind=kind, starts_on=starts_on, ends_on=ends_on,
                                          carer_or_provider=carer_or_provider, recorded_by=actor),
                 child, request_id, via)


@transaction.atomic
def human_rights_assessment_record(*, actor: User, child: Child, completed_on: dt.date, outcome: str, reasons: str,
                                   today: dt.date, request_id: str = "", via: str = "web") -> HumanRightsAssessment:
    """Recorded where appeal rights are exhausted (Nationality, Immigration and Asylum Act 2002 Sch 3)."""
    _require(actor)
    errors = _day_errors("completed_on", "Date the assessment was completed", completed_on, child, today)
    claim = AsylumClaim.objects.filter(child=child).first()
    if claim is None or claim.appeal_rights_exhausted_on is None:
        errors["child"] = (f"A human rights assessment is recorded when appeal rights are exhausted: record that date "
                           f"on {child.known_as}'s asylum claim first")
    elif completed_on < claim.appeal_rights_exhausted_on and "completed_on" not in errors:
        errors["completed_on"] = (f"Date the assessment was completed must be on or after appeal rights were "
                                  f"exhausted, {long_date(claim.appeal_rights_exhausted_on)}")
    if outcome not in HumanRightsOutcome.values:
        errors["outcome"] = "Select the outcome of the assessment"
    reasons = _text(errors, "reasons", reasons, "Enter the reasons for the outcome")
    if errors:
        raise ValidationError(errors)
    return _save(actor, HumanRightsAssessment(child=child, completed_on=completed_on, outcome=outcome,
                                              reasons=reasons, recorded_by=actor), child, request_id, via)


@transaction.atomic
def duty_to_refer_record(*, actor: User, child: Child, referred_on: dt.date, housing_authority: str,
                         consent_to_refer: bool, consent_to_share_contact_details: bool, outcome: str = "awaited",
                         outcome_on: dt.date | None = None, today: dt.date, request_id: str = "",
                         via: str = "web") -> DutyToRefer:
    """Housing Act 1996 s213B: refer only with consent, to the authority the young person chose."""
    _require(actor)
    errors = _day_errors("referred_on", "Date of the referral", referred_on, child, today)
    housing_authority = _text(errors, "housing_authority", housing_authority,
                              "Enter the housing authority the young person chose", 200)
    if not consent_to_refer:
        errors["consent_to_refer"] = "A referral needs the young person's consent: do not refer without it"
    if outcome not in DutyToReferOutcome.values:
        errors["outcome"] = "Select the outcome"
    elif outcome != DutyToReferOutcome.AWAITED and outcome_on is None:
        errors["outcome_on"] = "Enter the date of the outcome"
    if outcome_on is not None and (outcome_on > today or outcome_on < referred_on):
        errors["outcome_on"] = "Date of the outcome must be between the referral and today"
    if "referred_on" not in errors and (reason := _not_a_care_leaver(child, referred_on)):
        errors["child"] = reason.replace("contacts are recorded", "referrals are recorded here")
    if errors:
        raise ValidationError(errors)
    return _save(actor, DutyToRefer(child=child, referred_on=referred_on, housing_authority=housing_authority,
                                    consent_to_refer=True, consent_to_share_contact_details=consent_to_share_contact_details,
                                    outcome=outcome, outcome_on=outcome_on, recorded_by=actor), child, request_id, via)


@transaction.atomic
def accommodation_ending_record(*, actor: User, child: Child, kind: str, known_on: dt.date, ends_on: dt.date,
                                next_home: str = "", today: dt.date, request_id: str = "",
                                via: str = "web") -> AccommodationEnding:
    """Notice served, or accommodation ending; with no next home the young person is at risk."""
    _require(actor)
    errors = _day_errors("known_on", "Date the council found out", known_on, child, today)
    if kind not in EndingKind.values:
        errors["kind"] = "Select whether notice was served or the accommodation is ending"
    if ends_on < known_on:
        errors["ends_on"] = "Date they must leave must be the same as or after the date the council found out"
    next_home = next_home.strip()
    if len(next_home) > 300:
        errors["next_home"] = "Next home must be 300 characters or fewer"
    if "known_on" not in errors and (reason := _not_a_care_leaver(child, known_on)):
        errors["child"] = reason.replace("contacts are recorded", "accommodation endings are recorded here")
    if errors:
        raise ValidationError(errors)
    return _save(actor, AccommodationEnding(child=child, kind=kind, known_on=known_on, ends_on=ends_on,
                                            next_home=next_home, recorded_by=actor), child, request_id, via)
