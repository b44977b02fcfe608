"""Writes to the child's record. Keyword-only, typed, in one transaction with their audit rows.

Each raises django.core.exceptions.ValidationError keyed by field name, in GOV.UK wording, so
that a page, the API and the command line can each say which field is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Allocation, Role, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.domain.ages import age_on
from harbour.domain.names import NameError_, clean_name, search_key, sound_key

from .models import (
    Child,
    ChildName,
    ChronologyEntry,
    DateOfBirthRecord,
    LegalStatusPeriod,
    PeriodLookedAfter,
)

IDENTITY_FIELDS = (
    "given_names", "family_name", "preferred_name", "names_in_original_script", "sex", "ethnicity",
    "nationality", "first_language", "other_languages", "interpreter_needed", "religion", "upn",
    "upn_unknown_reason", "home_office_reference", "port_reference", "is_uasc",
)
NAME_FIELDS = {
    "given_names": ChildName.Kind.GIVEN,
    "family_name": ChildName.Kind.FAMILY,
    "preferred_name": ChildName.Kind.PREFERRED,
    "names_in_original_script": ChildName.Kind.ORIGINAL_SCRIPT,
}
OLDEST_AGE_IN_CARE_SERVICES = 25
REASON_MAX_LENGTH = 500
# UK GDPR art. 18: restricting processing is a decision about the whole record, so a manager's:
# the team leader (for their team's children), the team manager or the director (ADR 0017).
RESTRICTION_SETTERS = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.DIRECTOR})


class EditConflict(ValidationError):
    """Someone else saved the record after this user opened it."""


def _clean_names(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    for field in NAME_FIELDS:
        if field in values and values[field]:
            try:
                values[field] = clean_name(str(values[field]))
            except NameError_ as exc:
                errors[field] = str(exc)
    if errors:
        raise ValidationError(errors)
    if "given_names" in values or "family_name" in values:
        if not (values.get("given_names") or values.get("family_name")):
            raise ValidationError({"given_names": "Enter the child's name, or a name they are known by"})
    return values


def _validate_date_of_birth(date_of_birth: dt.date, today: dt.date, field: str = "date_of_birth") -> None:
    if date_of_birth > today:
        raise ValidationError({field: "Date of birth must be today or in the past"})
    if age_on(date_of_birth, today) > OLDEST_AGE_IN_CARE_SERVICES:
        raise ValidationError(
            {field: f"Date of birth must make the child {OLDEST_AGE_IN_CARE_SERVICES} or younger"}
        )


def _sync_names(child: Child) -> None:
    ChildName.objects.filter(child=child, kind__in=list(NAME_FIELDS.values())).delete()
    ChildName.objects.bulk_create(
        ChildName(child=child, kind=kind, name=value, search_key=search_key(value), sound_key=sound_key(value))
        for field, kind in NAME_FIELDS.items()
        if (value := getattr(child, field))
    )


def _audit(actor: User, action: str, instance: Any, child_id: uuid.UUID, before: dict[str, Any] | None,
           request_id: str, via: str, reason: str = "") -> None:
    record_change(actor=actor, action=action, instance=instance, child_id=child_id, before=before,
                  request_id=request_id, via=via, reason=reason)


def _required_reason(reason: str, message: str) -> str:
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise ValidationError({"reason": message})
    if len(cleaned) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"Reason must be {REASON_MAX_LENGTH} characters or fewer"})
    return cleaned


@transaction.atomic
def child_create(
    *,
    actor: User,
    identity: dict[str, Any],
    date_of_birth: dt.date | None,
    date_of_birth_source: str,
    social_worker: User,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Child:
    values = _clean_names({k: v for k, v in identity.items() if k in IDENTITY_FIELDS})
    if date_of_birth is not None:
        _validate_date_of_birth(date_of_birth, today)
    child = Child.unscoped.create(**values)
    _audit(actor, AuditEvent.Action.CREATE, child, child.pk, None, request_id, via)
    _sync_names(child)
    if date_of_birth is not None:
        date_of_birth_record(
            actor=actor, child=child, date_of_birth=date_of_birth, source=date_of_birth_source,
            use_it=True, note="Recorded when the child's record was opened", today=today,
            request_id=request_id, via=via,
        )
    allocation = Allocation.objects.create(
        child=child, worker=social_worker, kind=Allocation.Kind.SOCIAL_WORKER, start=today
    )
    _audit(actor, AuditEvent.Action.CREATE, allocation, child.pk, None, request_id, via)
    return child


@transaction.atomic
def child_update_identity(
    *, actor: User, child: Child, changes: dict[str, Any], version: int, reason: str, request_id: str = "",
    via: str = "web",
) -> Child:
    """Change identity details. `version` is what the user loaded; a newer save wins nothing silently.

    A change is a correction of the record (UK GDPR art. 16), so it needs a reason, which is kept in
    its audit event: the record's history of corrections is read from those events."""
    reason = _required_reason(reason, "Enter why the record is being changed")
    locked = Child.unscoped.select_for_update().get(pk=child.pk)
    if locked.version != version:
        raise EditConflict(
            {"__all__": "Someone else changed this record while you were editing it. "
                        "Check their changes below, then make yours again."}
        )
    values = _clean_names({k: v for k, v in changes.items() if k in IDENTITY_FIELDS})
    before = snapshot(locked)
    for key, value in values.items():
        setattr(locked, key, value)
    locked.version += 1
    locked.save()
    _audit(actor, AuditEvent.Action.UPDATE, locked, locked.pk, before, request_id, via, reason)
    _sync_names(locked)
    return locked


def may_restrict_processing(user: Any) -> bool:
    return getattr(user, "role", None) in RESTRICTION_SETTERS


@transaction.atomic
def child_set_processing_restriction(
    *, actor: User, child: Child, restricted: bool, reason: str, request_id: str = "", via: str = "web"
) -> Child:
    """Set or lift the restriction of processing (UK GDPR art. 18(1)(a): while the child, or someone
    for them, contests the record's accuracy, and (d) while an objection is weighed). While set, the
    access module shows the child to no partner and nothing about them is shared (ADR 0017)."""
    if not may_restrict_processing(actor):
        raise PermissionDenied("Only team leaders, team managers and the director may restrict processing")
    reason = _required_reason(
        reason, "Enter why processing is being restricted" if restricted else "Enter why the restriction is being lifted"
    )
    locked = Child.unscoped.select_for_update().get(pk=child.pk)
    if locked.processing_restricted == restricted:
        raise ValidationError({"restricted": "Processing is already restricted" if restricted
                               else "Processing is not restricted"})
    before = snapshot(locked)
    locked.processing_restricted = restricted
    locked.processing_restriction_reason = reason if restricted else ""
    locked.version += 1
    locked.save(update_fields=["processing_restricted", "processing_restriction_reason", "version", "updated_at"])
    _audit(actor, AuditEvent.Action.UPDATE, locked, locked.pk, before, request_id, via, reason)
    child.processing_restricted = locked.processing_restricted
    child.processing_restriction_reason = locked.processing_restriction_reason
    child.version = locked.version
    return locked


@transaction.atomic
def child_add_name(
    *, actor: User, child: Child, name: str, kind: str, request_id: str = "", via: str = "web"
) -> ChildName:
    if kind not in {ChildName.Kind.ALIAS, ChildName.Kind.SPELLING, ChildName.Kind.ORIGINAL_SCRIPT}:
        raise ValidationError({"kind": "Select whether this is an alias or another spelling"})
    try:
        cleaned = clean_name(name)
    except NameError_ as exc:
        raise ValidationError({"name": str(exc)}) from exc
    if not cleaned:
        raise ValidationError({"name": "Enter the name"})
    record = ChildName.objects.create(
        child=child, kind=kind, name=cleaned, search_key=search_key(cleaned), sound_key=sound_key(cleaned)
    )
    _audit(actor, AuditEvent.Action.CREATE, record, child.pk, None, request_id, via)
    return record


@transaction.atomic
def date_of_birth_record(
    *,
    actor: User,
    child: Child,
    date_of_birth: dt.date,
    source: str,
    use_it: bool,
    note: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> DateOfBirthRecord:
    """Add a date of birth from a source. Earlier ones stay; `use_it` makes it the one in use."""
    _validate_date_of_birth(date_of_birth, today)
    record = DateOfBirthRecord.objects.create(
        child=child, date_of_birth=date_of_birth, source=source, note=note, recorded_by=actor,
        in_use_from=timezone.now() if use_it else None,
    )
    _audit(actor, AuditEvent.Action.CREATE, record, child.pk, None, request_id, via)
    if use_it:
        locked = Child.unscoped.select_for_update().get(pk=child.pk)
        before = snapshot(locked)
        locked.date_of_birth = date_of_birth
        locked.date_of_birth_source = source
        locked.version += 1
        locked.save(update_fields=["date_of_birth", "date_of_birth_source", "version", "updated_at"])
        _audit(actor, AuditEvent.Action.UPDATE, locked, locked.pk, before, request_id, via)
        child.date_of_birth, child.date_of_birth_source, child.version = date_of_birth, source, locked.version
    return record


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _overlaps(start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None) -> bool:
    return (other_end is None or start <= other_end) and (end is None or other_start <= end)


def _overlaps_handing_over(start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None) -> bool:
    """Overlap where one period may end on the day the next begins.

    A change of legal status ends one SSDA903 episode and starts the next on the same day (the
    ceased date of one is the start date of the next), so that shared day is not an overlap.
    """
    if start == other_start:
        return True
    return (other_end is None or start < other_end) and (end is None or other_start < end)


def _check_period(start: dt.date, end: dt.date | None, today: dt.date, child: Child) -> None:
    if start > today:
        raise ValidationError({"start": "Start date must be today or in the past"})
    if end is not None and end < start:
        raise ValidationError({"end": "End date must be the same as or after the start date"})
    if end is not None and end > today:
        raise ValidationError({"end": "End date must be today or in the past"})
    if child.date_of_birth and start < child.date_of_birth:
        raise ValidationError({"start": "Start date must be on or after the child's date of birth"})
    if child.date_of_death and start > child.date_of_death:
        raise ValidationError({"start": "Start date must be on or before the date the child died"})
    if child.date_of_death and end is not None and end > child.date_of_death:
        raise ValidationError({"end": "End date must be on or before the date the child died"})


@transaction.atomic
def legal_status_add(
    *, actor: User, child: Child, legal_status: str, start: dt.date, end: dt.date | None, today: dt.date,
    request_id: str = "", via: str = "web",
) -> LegalStatusPeriod:
    _check_period(start, end, today, child)
    for other in LegalStatusPeriod.objects.select_for_update().filter(child=child):
        if _overlaps_handing_over(start, end, other.start, other.end):
            raise ValidationError(
                {"start": f"Legal status must not overlap the {other.legal_status} period that starts on "
                          f"{_long(other.start)}. End that period first, or change these dates"}
            )
    period = LegalStatusPeriod.objects.create(child=child, legal_status=legal_status, start=start, end=end)
    _audit(actor, AuditEvent.Action.CREATE, period, child.pk, None, request_id, via)
    return period


@transaction.atomic
def period_looked_after_add(
    *, actor: User, child: Child, start: dt.date, end: dt.date | None, today: dt.date,
    reason_ceased: str = "", request_id: str = "", via: str = "web",
) -> PeriodLookedAfter:
    _check_period(start, end, today, child)
    # Imported here: the referrals app builds on the child's record, not the other way round.
    from harbour.referrals.services_signoff import sign_off_required

    if sign_off_required(child):
        raise ValidationError({"start": "The director must approve section 20 accommodation for this child's NTS "
                                        "referral before the child can be recorded as looked after"})
    for other in PeriodLookedAfter.objects.select_for_update().filter(child=child):
        if _overlaps(start, end, other.start, other.end):
            raise ValidationError(
                {"start": f"Period of care must not overlap the one that starts on {_long(other.start)}"}
            )
    period = PeriodLookedAfter.objects.create(child=child, start=start, end=end, reason_ceased=reason_ceased)
    _audit(actor, AuditEvent.Action.CREATE, period, child.pk, None, request_id, via)
    return period


@transaction.atomic
def chronology_add(
    *, actor: User, child: Child, kind: str, occurred_at: dt.datetime, title: str, description: str = "",
    request_id: str = "", via: str = "web",
) -> ChronologyEntry:
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "Date must be today or in the past"})
    entry = ChronologyEntry.objects.create(
        child=child, kind=kind, occurred_at=occurred_at, title=title, description=description, recorded_by=actor
    )
    _audit(actor, AuditEvent.Action.CREATE, entry, child.pk, None, request_id, via)
    return entry


# The return asks whether a looked-after girl or young woman aged 12 or over is a mother (SSDA903
# Header MOTHER, validator rules 393 and 607); a younger child's first child is not credible.
YOUNGEST_MOTHER_AGE = 12


@transaction.atomic
def child_record_return_facts(
    *, actor: User, child: Child, category_of_need: str, is_mother: bool | None,
    mother_child_date_of_birth: dt.date | None, today: dt.date, request_id: str = "", via: str = "web",
) -> Child:
    """Record the category of need and, for a girl or young woman, whether she is a mother.

    Category of need: SSDA903 Episodes CIN, N1 to N8 (reference 4.3). Mother: Header MOTHER (1 or 0)
    and MC_DOB, the date of birth of her first child, wanted for looked-after girls aged 12 and over.
    """
    from .codes import CategoryOfNeed, Sex

    errors: dict[str, str] = {}
    if category_of_need not in CategoryOfNeed.values:
        errors["category_of_need"] = "Select the category of need, N1 to N8"
    if is_mother is not None and child.sex != Sex.FEMALE:
        errors["is_mother"] = "Leave whether the child is a mother empty: their sex is not recorded as female"
    if is_mother and mother_child_date_of_birth is None:
        errors["mother_child_date_of_birth"] = "Enter the date of birth of her first child"
    if not is_mother and mother_child_date_of_birth is not None:
        errors["mother_child_date_of_birth"] = ("Leave the date of birth of her first child empty unless "
                                                "she is a mother")
    if mother_child_date_of_birth is not None and "mother_child_date_of_birth" not in errors:
        if mother_child_date_of_birth > today:
            errors["mother_child_date_of_birth"] = "Date of birth of her first child must be today or in the past"
        elif child.date_of_birth and (mother_child_date_of_birth < child.date_of_birth or age_on(
                child.date_of_birth, mother_child_date_of_birth) < YOUNGEST_MOTHER_AGE):
            errors["mother_child_date_of_birth"] = (f"Date of birth of her first child must be after she turned "
                                                    f"{YOUNGEST_MOTHER_AGE}: check both dates of birth")
    if errors:
        raise ValidationError(errors)
    locked = Child.unscoped.select_for_update().get(pk=child.pk)
    before = snapshot(locked)
    locked.category_of_need = category_of_need
    locked.is_mother = is_mother
    locked.mother_child_date_of_birth = mother_child_date_of_birth
    locked.version += 1
    locked.save(update_fields=["category_of_need", "is_mother", "mother_child_date_of_birth", "version", "updated_at"])
    _audit(actor, AuditEvent.Action.UPDATE, locked, locked.pk, before, request_id, via)
    child.category_of_need, child.is_mother = category_of_need, is_mother
    child.mother_child_date_of_birth, child.version = mother_child_date_of_birth, locked.version
    return child
