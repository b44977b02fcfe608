"""Writes for the asylum claim. Keyword-only, one transaction with the audit row; errors are keyed by
field in GOV.UK wording so that the page and the API both name the field and the fix."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from harbour.accounts import access
from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.children.models import Child
from harbour.core.calendar import council_calendar
from harbour.domain.asylum import DEFAULT_SEF_WORKING_DAYS, sef_due
from harbour.domain.calendar import CalendarCoverageError
from harbour.domain.formatting import long_date
from harbour.domain.trafficking import reasonable_grounds_due

from .models import (
    GRANTS_LEAVE,
    AsylumClaim,
    AsylumDecision,
    GroundsDecision,
    MissingEpisode,
    NrmReferral,
)

CLAIM_DATES = ("claimed_on", "sef_due", "sef_sent_on", "interview_on", "decided_on", "leave_granted_on",
               "leave_expires_on", "appeal_lodged_on", "appeal_rights_exhausted_on")
LABELS = {
    "claimed_on": "Date of the claim",
    "sef_sent_on": "Date the statement of evidence form was sent",
    "interview_on": "Date of the interview",
    "decided_on": "Date of the decision",
    "leave_granted_on": "Date leave was granted",
    "appeal_lodged_on": "Date the appeal was lodged",
    "appeal_rights_exhausted_on": "Date appeal rights were exhausted",
}


def sef_working_days() -> int:
    """The council's period for the statement of evidence form: HARBOUR_SEF_WORKING_DAYS, default 60
    working days (reference 5.2: the official deadline is unconfirmed)."""
    return int(getattr(settings, "HARBOUR_SEF_WORKING_DAYS", DEFAULT_SEF_WORKING_DAYS))


def _errors(values: dict[str, Any], today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    claimed = values["claimed_on"]
    for field, label in LABELS.items():
        day = values.get(field)
        if day is not None and day > today:
            errors[field] = f"{label} must be today or in the past"
        elif day is not None and field != "claimed_on" and day < claimed:
            errors[field] = f"{label} must be on or after the date of the claim, {long_date(claimed)}"
    errors.update(_decision_errors(values, errors))
    if len(values.get("legal_representative", "")) > 300:
        errors["legal_representative"] = "Legal representative must be 300 characters or fewer"
    return errors


def _decision_errors(values: dict[str, Any], found: dict[str, str]) -> dict[str, str]:
    """The decision, leave and appeal must fit together: leave only with a grant, an appeal only after a refusal."""
    errors: dict[str, str] = {}
    decision, decided_on = values.get("decision", ""), values.get("decided_on")
    if decision and decision not in AsylumDecision.values:
        errors["decision"] = "Select the decision from the list"
    if decision and decided_on is None:
        errors.setdefault("decided_on", "Enter the date of the decision")
    if decided_on is not None and not decision:
        errors["decision"] = "Select the decision, or leave the date of the decision empty"
    granted, expires = values.get("leave_granted_on"), values.get("leave_expires_on")
    if (granted or expires) and decision not in GRANTS_LEAVE:
        errors.setdefault("leave_granted_on", "Leave can only be recorded with a decision that grants it")
    if expires is not None and granted is None:
        errors.setdefault("leave_granted_on", "Enter the date leave was granted")
    if granted is not None and expires is not None and expires <= granted:
        errors["leave_expires_on"] = (
            f"Date leave expires must be after the date it was granted, {long_date(granted)}")
    appeal, exhausted = values.get("appeal_lodged_on"), values.get("appeal_rights_exhausted_on")
    if (appeal or exhausted) and decision != AsylumDecision.REFUSED:
        field = "appeal_lodged_on" if appeal else "appeal_rights_exhausted_on"
        errors.setdefault(field, "An appeal can only follow a refusal: record the refusal first")
    if appeal is not None and decided_on is not None and appeal < decided_on and "appeal_lodged_on" not in {**found, **errors}:
        errors["appeal_lodged_on"] = f"Date the appeal was lodged must be on or after the decision, {long_date(decided_on)}"
    if exhausted is not None and decided_on is not None and exhausted < max(decided_on, appeal or decided_on):
        errors.setdefault("appeal_rights_exhausted_on",
                          "Date appeal rights were exhausted must be on or after the decision and any appeal")
    return {key: message for key, message in errors.items() if key not in found}


@transaction.atomic
def asylum_claim_save(
    *, actor: User, child: Child, values: dict[str, Any], today: dt.date, request_id: str = "", via: str = "web",
) -> AsylumClaim:
    """Record the claim or bring its milestones up to date. ``values`` holds the claim's fields; a
    statement of evidence form due date left empty is worked out from the council's setting."""
    if not access.may_edit_child(actor):
        raise PermissionDenied("Only social workers, team leaders, team managers and personal advisers may "
                               "record an asylum claim")
    values = {key: values.get(key) for key in (*CLAIM_DATES, "decision", "legal_representative")}
    values["decision"] = values["decision"] or ""
    values["legal_representative"] = " ".join((values["legal_representative"] or "").split())
    if values["claimed_on"] is None:
        raise ValidationError({"claimed_on": "Enter the date of the claim"})
    errors = _errors(values, today)
    born = child.date_of_birth
    if born is not None and values["claimed_on"] < born and "claimed_on" not in errors:
        errors["claimed_on"] = f"The date of the claim must be on or after the child's date of birth, {long_date(born)}"
    if errors:
        raise ValidationError(errors)
    if values["sef_due"] is None:
        try:
            values["sef_due"] = sef_due(values["claimed_on"], council_calendar(), sef_working_days())
        except CalendarCoverageError:
            # Found by the API fuzz test: a claim dated before the working-day calendar begins.
            raise ValidationError({"claimed_on": "Enter the real date of the claim: the statement of evidence "
                                                 "form's due date cannot be worked out from that date"}) from None
    claim = AsylumClaim.objects.select_for_update().filter(child=child).first()
    before = snapshot(claim) if claim else None
    if claim is None:
        claim = AsylumClaim(child=child)
    for key, value in values.items():
        setattr(claim, key, value)
    claim.updated_by = actor
    claim.save()
    record_change(actor=actor, action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
                  instance=claim, child_id=child.pk, before=before, request_id=request_id, via=via)
    return claim


def _not_future(errors: dict[str, str], field: str, label: str, day: dt.date | None, today: dt.date) -> None:
    if day is not None and day > today and field not in errors:
        errors[field] = f"{label} must be today or in the past"


@transaction.atomic
def nrm_referral_save(
    *, actor: User, child: Child, referral: NrmReferral | None = None, referred_on: dt.date,
    reasonable_grounds: str = "", reasonable_grounds_on: dt.date | None = None, conclusive_grounds: str = "",
    conclusive_grounds_on: dt.date | None = None, safety_plan: str = "", today: dt.date, request_id: str = "",
    via: str = "web",
) -> NrmReferral:
    """Record an NRM referral, or bring an existing one's decisions and safety plan up to date."""
    if not access.may_edit_child(actor):
        raise PermissionDenied("Only social workers, team leaders, team managers and personal advisers may record "
                               "a National Referral Mechanism referral")
    errors: dict[str, str] = {}
    _not_future(errors, "referred_on", "Date of the referral", referred_on, today)
    born = child.date_of_birth
    if born is not None and referred_on < born and "referred_on" not in errors:
        errors["referred_on"] = f"Date of the referral must be on or after the child's date of birth, {long_date(born)}"
    if "referred_on" not in errors:
        try:
            reasonable_grounds_due(referred_on, council_calendar())
        except CalendarCoverageError:
            # Found by the API fuzz test: a referral dated before the working-day calendar begins.
            errors["referred_on"] = ("Enter the real date of the referral: the reasonable-grounds decision's target "
                                     "date cannot be worked out from that date")
    for prefix, label in (("reasonable_grounds", "reasonable-grounds"), ("conclusive_grounds", "conclusive-grounds")):
        decision = {"reasonable_grounds": reasonable_grounds, "conclusive_grounds": conclusive_grounds}[prefix]
        day = {"reasonable_grounds": reasonable_grounds_on, "conclusive_grounds": conclusive_grounds_on}[prefix]
        if decision and decision not in GroundsDecision.values:
            errors[prefix] = f"Select the {label} decision from the list"  # noqa: S608 - a message, not SQL
        if decision and day is None:
            errors[f"{prefix}_on"] = f"Enter the date of the {label} decision"
        if day is not None and not decision:
            errors[prefix] = f"Select the {label} decision, or leave its date empty"
        _not_future(errors, f"{prefix}_on", f"Date of the {label} decision", day, today)
        if day is not None and day < referred_on and f"{prefix}_on" not in errors:
            errors[f"{prefix}_on"] = f"Date of the {label} decision must be on or after the referral, {long_date(referred_on)}"
    if conclusive_grounds and reasonable_grounds != GroundsDecision.POSITIVE:
        errors.setdefault("conclusive_grounds", "A conclusive-grounds decision follows a positive reasonable-grounds "
                                                "decision: record that first")
    if errors:
        raise ValidationError(errors)
    before = snapshot(referral) if referral else None
    referral = referral or NrmReferral(child=child)
    referral.referred_on, referral.safety_plan = referred_on, safety_plan.strip()
    referral.reasonable_grounds, referral.reasonable_grounds_on = reasonable_grounds, reasonable_grounds_on
    referral.conclusive_grounds, referral.conclusive_grounds_on = conclusive_grounds, conclusive_grounds_on
    referral.updated_by = actor
    referral.save()
    record_change(actor=actor, action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
                  instance=referral, child_id=child.pk, before=before, request_id=request_id, via=via)
    return referral


@transaction.atomic
def missing_episode_record(
    *, actor: User, child: Child, kind: str, started_on: dt.date, ended_on: dt.date | None = None,
    return_interview_on: dt.date | None = None, note: str = "", today: dt.date, request_id: str = "",
    via: str = "web",
) -> MissingEpisode:
    """Record a missing or away episode (SSDA903 Missing: MISSING, MIS_START, MIS_END)."""
    if not access.may_edit_child(actor):
        raise PermissionDenied("Only social workers, team leaders, team managers and personal advisers may record "
                               "a missing episode")
    errors: dict[str, str] = {}
    if kind not in MissingEpisode.Kind.values:
        errors["kind"] = "Select whether the child was missing or away"
    _not_future(errors, "started_on", "Date they went missing", started_on, today)
    _not_future(errors, "ended_on", "Date they came back", ended_on, today)
    _not_future(errors, "return_interview_on", "Date of the return interview", return_interview_on, today)
    if ended_on is not None and ended_on < started_on and "ended_on" not in errors:
        errors["ended_on"] = "Date they came back must be the same as or after the date they went missing"
    if return_interview_on is not None and ended_on is None:
        errors.setdefault("return_interview_on", "Enter the date they came back before the return interview")
    elif return_interview_on is not None and ended_on is not None and return_interview_on < ended_on:
        errors.setdefault("return_interview_on", "Date of the return interview must be on or after the date they came back")
    if child.date_of_birth and started_on < child.date_of_birth:
        errors.setdefault("started_on", "Date they went missing must be after their date of birth")
    if errors:
        raise ValidationError(errors)
    episode = MissingEpisode.objects.create(child=child, kind=kind, started_on=started_on, ended_on=ended_on,
                                            return_interview_on=return_interview_on, note=note.strip(),
                                            recorded_by=actor)
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=episode, child_id=child.pk,
                  request_id=request_id, via=via)
    return episode
