"""The end of the transfer: the placement confirmed, the child's arrival and what follows it.

Recording the arrival does everything that follows from the child coming into the council's care
in one transaction, so that nothing is ever half-saved:

* the first placement (`placements.Placement`), starting on the day of arrival;
* the period looked after and the legal status V2 (accommodated under section 20), through
  `children.services`, which start the statutory clocks of the child's record (first review,
  care plan, health assessment, visits);
* the `Arrival`, marked within or outside the transfer deadline (`domain.nts.transfer_outcome`);
* the tasks that follow: the referral for immigration legal advice, due within the council's
  `legal_advice_working_days` (a council practice standard, not a statutory timescale), and the
  request for the initial health assessment, due by the date the domain's health rule gives
  (`domain.timescales.first_health_assessment_due`: by the first review, 20 working days after
  becoming looked after; SI 2010/959 reg 7 and the 2015 statutory guidance, [secondary] on the
  20-working-day link, reference.md 2.4);
* the Home Office funding claim, from the dated rates the administrator keeps and the child's
  age on the day of arrival (`domain.funding.rate_in_force`, reference.md 1.6);
* the referral marked as arrived, and an entry on the child's timeline.

Writes are keyword-only, typed, transactional and audited. They raise ValidationError keyed by
field, in GOV.UK wording, and PermissionDenied for a user whose role may not make the change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Allocation, Role, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.children import services as child_services
from harbour.children.codes import LegalStatus
from harbour.children.models import Child, ChronologyEntry
from harbour.core.models import CouncilSettings
from harbour.domain.ages import age_on
from harbour.domain.calendar import WorkingDayCalendar
from harbour.domain.formatting import long_date
from harbour.domain.funding import OLDEST_AGE_FUNDED_AS_A_CHILD, DatedRate, rate_in_force
from harbour.domain.nts import transfer_outcome
from harbour.domain.timescales import first_health_assessment_due
from harbour.placements.models import Placement

from .models import Arrival, ArrivalTask, FundingClaim, HomeOfficeFundingRate, Referral
from .services_signoff import assert_section20_approved

# Who may do what. The access module decides which referrals a user sees; these decide what their
# role lets them change there.
PLACEMENT_ROLES = frozenset({Role.PLACEMENTS_OFFICER, Role.TEAM_LEADER, Role.TEAM_MANAGER})
ARRIVAL_ROLES = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER})  # and the allocated social worker
TASK_ROLES = frozenset({Role.TEAM_LEADER, Role.TEAM_MANAGER})  # and whoever the task is assigned to

MAX_PROVIDER_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 300
MAX_BASIS_LENGTH = 500
# A UK postcode: outward code (area, district) and inward code (sector, unit).
POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")

_NOT_OPEN = {
    Referral.Status.CONTESTED: "This referral is contested, so no placement is being arranged",
    Referral.Status.WITHDRAWN: "This referral was withdrawn, so no placement is being arranged",
    Referral.Status.ARRIVED: "The child has arrived: change placements on the child's record",
}
_NOT_READY_FOR_ARRIVAL = {
    Referral.Status.RECEIVED: "Accept the referral before recording the child's arrival",
    Referral.Status.CONTESTED: "This referral is contested: accept it before recording the child's arrival",
    Referral.Status.WITHDRAWN: "This referral was withdrawn, so no arrival can be recorded",
    Referral.Status.ARRIVED: "The child's arrival has already been recorded",
}
NO_ALLOCATION = "Allocate a social worker before recording arrival"


# --- Permissions ---------------------------------------------------------------------------------


def may_manage_placement(user: Any) -> bool:
    """Placements officers, team leaders and team managers start the search and confirm the placement."""
    return getattr(user, "role", None) in PLACEMENT_ROLES


def may_record_arrival(user: Any, social_worker: User | None) -> bool:
    """Team leaders, team managers and the child's allocated social worker record the arrival."""
    if getattr(user, "role", None) in ARRIVAL_ROLES:
        return True
    return social_worker is not None and getattr(user, "pk", None) == social_worker.pk


def may_complete_task(user: Any, task: ArrivalTask) -> bool:
    if getattr(user, "role", None) in TASK_ROLES:
        return True
    return task.assigned_to_id is not None and getattr(user, "pk", None) == task.assigned_to_id


# --- Reads ---------------------------------------------------------------------------------------


def allocated_social_worker(child: Child, today: dt.date) -> User | None:
    """The child's allocated social worker today (an allocation ending today has ended), or None."""
    allocation = (
        Allocation.objects.filter(Q(end__isnull=True) | Q(end__gt=today), child=child, start__lte=today,
                                  kind=Allocation.Kind.SOCIAL_WORKER)
        .select_related("worker").first()
    )
    return allocation.worker if allocation else None


def arrival_blockers(referral: Referral, *, social_worker: User | None) -> dict[str, str]:
    """What must happen before the arrival can be recorded, keyed by field; empty when nothing.

    ``referral``: the referral must be accepted (and not already arrived). ``section20``: the
    director's approval (`services_signoff.assert_section20_approved`). ``allocation``: the child
    must have an allocated social worker, who takes the tasks that follow arrival. Pages show
    these before the form; `record_arrival` refuses with them.
    """
    blockers: dict[str, str] = {}
    if referral.status != Referral.Status.ACCEPTED:
        blockers["referral"] = _NOT_READY_FOR_ARRIVAL.get(referral.status, "Accept the referral first")
    try:
        assert_section20_approved(referral)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            blockers[field] = messages[0]
    if social_worker is None:
        blockers["allocation"] = NO_ALLOCATION
    return blockers


def open_arrival_tasks(child: Child) -> list[ArrivalTask]:
    """The child's arrival tasks not done yet, soonest due first, with who has each. One query.

    For the child's page: each task has ``title``, ``due``, ``assigned_to`` (a User or None) and
    ``referral_id`` (for the link to `referrals:arrival_done`, where tasks are marked done).
    """
    return list(
        ArrivalTask.objects.filter(child=child, done_at__isnull=True)
        .select_related("assigned_to").order_by("due", "kind")
    )


def dated_rates(rows: Iterable[HomeOfficeFundingRate]) -> list[DatedRate]:
    """The administrator's rates as the domain's DatedRate, keyed by the row's id."""
    return [
        DatedRate(key=row.pk, start=row.start, end=row.end, min_age=row.min_age, max_age=row.max_age,
                  nightly_rate=row.nightly_rate, one_off_amount=row.one_off_amount)
        for row in rows
    ]


def money(amount: Decimal) -> str:
    """GOV.UK style: "£114", "£95.50", "£6,000"."""
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount:,.2f}"


def outcome_text(arrival: Arrival, referral: Referral) -> str:
    """"Transfer made within 5 working days" or "Transfer made in 7 working days: outside the deadline"."""
    if arrival.within_deadline:
        return f"Transfer made within {referral.transfer_working_days} working days"
    days = arrival.working_days_taken
    return f"Transfer made in {days} working day{'' if days == 1 else 's'}: outside the deadline"


# --- Placement: the search and the confirmation --------------------------------------------------


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked_open_referral(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if locked.status not in Referral.OPEN:
        raise ValidationError({"referral": _NOT_OPEN.get(locked.status, "This referral is closed")})
    return locked


def _save_referral(actor: User, locked: Referral, before: dict[str, Any], fields: list[str],
                   request_id: str, via: str) -> None:
    locked.version += 1
    locked.save(update_fields=[*fields, "version", "updated_at"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=locked.child_id,
                  before=before, request_id=request_id, via=via)


@transaction.atomic
def placement_search_start(
    *, actor: User, referral: Referral, now: dt.datetime, request_id: str = "", via: str = "web",
) -> Referral:
    """Record that the search for the child's first placement has started. Starting it again
    changes nothing (the first start stands). The search itself belongs to the placements work."""
    _require(may_manage_placement(actor), "Only placements officers, team leaders and team managers "
                                          "may start the placement search")
    locked = _locked_open_referral(referral)
    if locked.placement_search_started_at is None:
        before = snapshot(locked)
        locked.placement_search_started_at = now
        _save_referral(actor, locked, before, ["placement_search_started_at"], request_id, via)
    return locked


@transaction.atomic
def placement_confirm(
    *, actor: User, referral: Referral, description: str, now: dt.datetime, request_id: str = "",
    via: str = "web",
) -> Referral:
    """Record where the child will live on arrival. This stops the one-working-day-left alert.

    Confirming again replaces the description and the time (plans change before arrival). A
    search not recorded as started is taken to have started now.
    """
    _require(may_manage_placement(actor), "Only placements officers, team leaders and team managers "
                                          "may confirm a placement")
    description = " ".join(description.split())
    if not description:
        raise ValidationError({"description": "Enter where the child will live, for example Harbourside intake base"})
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise ValidationError({"description": f"Where the child will live must be {MAX_DESCRIPTION_LENGTH} "
                                              "characters or fewer"})
    locked = _locked_open_referral(referral)
    before = snapshot(locked)
    locked.placement_search_started_at = locked.placement_search_started_at or now
    locked.placement_confirmed_at = now
    locked.placement_confirmed_description = description
    _save_referral(actor, locked, before, ["placement_search_started_at", "placement_confirmed_at",
                                           "placement_confirmed_description"], request_id, via)
    return locked


# --- Arrival -------------------------------------------------------------------------------------


def clean_postcode(postcode: str) -> str:
    """"hs1 2ab" -> "HS1 2AB"; "" stays ""; ValidationError for anything that is not a postcode."""
    text = " ".join(postcode.upper().split())
    if not text:
        return ""
    match = POSTCODE.match(text)
    if not match:
        raise ValidationError({"postcode": "Enter a real postcode, like HS1 2AB"})
    return f"{match.group(1)} {match.group(2)}"


def _input_errors(
    *, referral: Referral, arrived_at: dt.datetime, placement_type: str, carer_or_provider: str,
    postcode: str, now: dt.datetime, today: dt.date,
) -> dict[str, ValidationError]:
    errors: dict[str, ValidationError] = {}
    arrived_on = timezone.localtime(arrived_at).date()
    received_at = timezone.localtime(referral.received_at)
    if arrived_on > today:
        errors["arrived_at"] = ValidationError("Date of arrival must be today or in the past", code="future")
    elif arrived_at > now:
        errors["arrived_at"] = ValidationError("Time of arrival must be now or in the past", code="future_time")
    elif arrived_on < received_at.date():
        errors["arrived_at"] = ValidationError(
            "Date of arrival must be on or after the date the referral was received", code="before_referral")
    elif arrived_at < referral.received_at:
        errors["arrived_at"] = ValidationError(
            f"Time of arrival must be after the referral was received, at {_time_of_day(received_at)}",
            code="before_referral_time")
    if placement_type not in Placement.PlacementType.values:
        errors["placement_type"] = ValidationError("Select the type of first placement", code="required")
    if not carer_or_provider:
        errors["carer_or_provider"] = ValidationError(
            "Enter the name of the carer or provider, for example Harbourside intake base", code="required")
    elif len(carer_or_provider) > MAX_PROVIDER_LENGTH:
        errors["carer_or_provider"] = ValidationError(
            f"Carer or provider name must be {MAX_PROVIDER_LENGTH} characters or fewer", code="max_length")
    try:
        clean_postcode(postcode)
    except ValidationError as error:
        errors["postcode"] = ValidationError(error.message_dict["postcode"][0], code="invalid")
    return errors


def _time_of_day(value: dt.datetime) -> str:
    hour = value.hour % 12 or 12
    if value.hour == 12 and value.minute == 0:
        return "midday"
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


def chosen_placement_request(referral: Referral) -> Any:
    """The placement request for this referral whose offer the child chose, if any (harbour.placements)."""
    from harbour.placements.models import PlacementRequest

    return (PlacementRequest.objects.filter(referral=referral, status=PlacementRequest.Status.CHOSEN,
                                            chosen_offer__isnull=False)
            .select_related("chosen_offer__provider").first())


def _as_arrival_error(error: ValidationError) -> ValidationError:
    """The child's record speaks of a period's start; on this form that is the arrival date."""
    if not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, list[str]] = {}
    for field, messages in error.message_dict.items():
        key = "arrived_at" if field in {"start", "end"} else field
        renamed.setdefault(key, []).extend(
            message.replace("Start date", "Date of arrival").replace("start date", "date of arrival")
            for message in messages
        )
    return ValidationError(renamed)


def _audit_create(actor: User, instance: Any, child: Child, request_id: str, via: str) -> None:
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=instance, child_id=child.pk,
                  request_id=request_id, via=via)


@dataclass(frozen=True)
class _Claim:
    rate: HomeOfficeFundingRate | None
    age: int | None
    nightly_rate: Decimal | None
    one_off_amount: Decimal
    basis: str


def _funding_claim(child: Child, arrived_on: dt.date) -> _Claim:
    """The Home Office funding that follows the arrival, or the reason there is none yet."""
    when = long_date(arrived_on)
    dob = child.date_of_birth
    if dob is None:
        return _Claim(None, None, None, Decimal(0),
                      "No date of birth recorded, so no Home Office rate can be chosen — record the "
                      "child's date of birth to claim")
    age = age_on(dob, arrived_on)
    if age > OLDEST_AGE_FUNDED_AS_A_CHILD:
        return _Claim(None, age, None, Decimal(0),
                      f"The child was {age} on arrival ({when}): the Home Office rates for children "
                      "stop at the 18th birthday")
    rows = {row.pk: row for row in HomeOfficeFundingRate.objects.all()}
    chosen = rate_in_force(dated_rates(rows.values()), date_of_birth=dob, on=arrived_on)
    if chosen is None:
        any_that_day = any(rate.in_force_on(arrived_on) for rate in dated_rates(rows.values()))
        basis = (f"No Home Office rate recorded for a child of {age} on {when} — add the rate in force to claim"
                 if any_that_day else f"No Home Office rate recorded for {when} — add the rate in force to claim")
        return _Claim(None, age, None, Decimal(0), basis)
    row = rows[chosen.key]
    basis = f"{money(row.nightly_rate)} a night from {when}, for a child of {age}: {row.description}"
    if row.one_off_amount:
        basis += f", and a one-off {money(row.one_off_amount)}"
    basis += f". Source: {row.source}"
    if len(basis) > MAX_BASIS_LENGTH:
        basis = basis[: MAX_BASIS_LENGTH - 1] + "…"
    return _Claim(row, age, row.nightly_rate, row.one_off_amount, basis)


@transaction.atomic
def record_arrival(
    *,
    actor: User,
    referral: Referral,
    arrived_at: dt.datetime,
    placement_type: str,
    carer_or_provider: str,
    postcode: str = "",
    now: dt.datetime,
    today: dt.date,
    calendar: WorkingDayCalendar,
    request_id: str = "",
    via: str = "web",
) -> Arrival:
    """Record the child arriving in the council's care, and everything that follows (module docstring).

    Refuses with ValidationError keyed by field, every problem at once: ``referral`` (not
    accepted, or arrived already), ``section20`` (not approved), ``allocation`` (no allocated
    social worker), ``arrived_at`` (in the future, before the referral was received, or before
    the child's date of birth or over an earlier period of care), ``placement_type``,
    ``carer_or_provider``, ``postcode``. Each ``arrived_at`` error has a code: ``future``,
    ``future_time``, ``before_referral``, ``before_referral_time`` (the last two and
    ``future_time`` are about the time of day). PermissionDenied unless the actor is a team
    leader, a team manager or the child's allocated social worker.
    """
    if timezone.is_naive(arrived_at):
        arrived_at = timezone.make_aware(arrived_at)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    child = Child.unscoped.get(pk=locked.child_id)
    social_worker = allocated_social_worker(child, today)
    _require(may_record_arrival(actor, social_worker),
             "Only team leaders, team managers and the child's allocated social worker may record the arrival")

    carer_or_provider = " ".join(carer_or_provider.split())
    chosen = chosen_placement_request(locked)
    if chosen is not None and chosen.chosen_offer is not None:
        # The child chose among offers: the placement is that offer's, whatever the form says.
        offer = chosen.chosen_offer
        placement_type, postcode = offer.provider.place_type, offer.provider.postcode
        carer_or_provider = offer.carer_or_unit or offer.provider.name
    errors: dict[str, Any] = dict(arrival_blockers(locked, social_worker=social_worker))
    errors.update(_input_errors(referral=locked, arrived_at=arrived_at, placement_type=placement_type,
                                carer_or_provider=carer_or_provider, postcode=postcode, now=now, today=today))
    if errors:
        raise ValidationError(errors)
    assert social_worker is not None  # arrival_blockers says "allocation" otherwise

    arrived_on = timezone.localtime(arrived_at).date()
    if Placement.objects.filter(Q(end__isnull=True) | Q(end__gte=arrived_on), child=child).exists():
        raise ValidationError({"arrived_at": "The child already has a placement on the date of arrival. "
                                             "End it on the child's record first"})
    referred_on = timezone.localtime(locked.received_at).date()
    outcome = transfer_outcome(referred_on=referred_on, arrived_on=arrived_on, due=locked.transfer_due,
                               calendar=calendar)

    # The statutory clocks: the period of care and the legal status, checked against the record.
    try:
        child_services.period_looked_after_add(actor=actor, child=child, start=arrived_on, end=None, today=today,
                                               request_id=request_id, via=via)
        child_services.legal_status_add(actor=actor, child=child, legal_status=LegalStatus.V2, start=arrived_on,
                                        end=None, today=today, request_id=request_id, via=via)
    except ValidationError as error:
        raise _as_arrival_error(error) from error
    # The first placement: the offer chosen on the placement request when there is one (its provider
    # gives the SSDA903 coding), otherwise what the form says.
    from harbour.placements import services_placements

    try:
        if chosen is not None:
            placement = services_placements.placement_from_offer(actor=actor, request=chosen, start=arrived_on,
                                                                 today=today, request_id=request_id, via=via)
        else:
            placement = services_placements.placement_start(
                actor=actor, child=child, start=arrived_on, placement_type=placement_type,
                carer_or_provider=carer_or_provider, postcode=postcode, today=today, request_id=request_id, via=via)
    except ValidationError as error:
        raise _as_arrival_error(error) from error

    arrival = Arrival.objects.create(
        referral=locked, arrived_at=arrived_at, first_placement=placement,
        within_deadline=outcome.within_deadline, working_days_taken=outcome.working_days_taken, recorded_by=actor,
    )
    _audit_create(actor, arrival, child, request_id, via)

    council = CouncilSettings.current()
    legal_days = council.legal_advice_working_days
    tasks = [
        (ArrivalTask.Kind.LEGAL_ADVICE, ArrivalTask.Kind.LEGAL_ADVICE.label,
         calendar.add_working_days(arrived_on, legal_days) if legal_days else arrived_on),
        (ArrivalTask.Kind.HEALTH_ASSESSMENT, ArrivalTask.Kind.HEALTH_ASSESSMENT.label,
         first_health_assessment_due(arrived_on, calendar)),
    ]
    for kind, title, due in tasks:
        task = ArrivalTask.objects.create(child=child, referral=locked, kind=kind, title=title, due=due,
                                          assigned_to=social_worker)
        _audit_create(actor, task, child, request_id, via)

    claim = _funding_claim(child, arrived_on)
    funding = FundingClaim.objects.create(
        child=child, referral=locked, rate=claim.rate, claim_from=arrived_on, age_on_arrival=claim.age,
        nightly_rate=claim.nightly_rate, one_off_amount=claim.one_off_amount, basis=claim.basis,
    )
    _audit_create(actor, funding, child, request_id, via)

    before = snapshot(locked)
    locked.status = Referral.Status.ARRIVED
    _save_referral(actor, locked, before, ["status"], request_id, via)

    child_services.chronology_add(
        actor=actor, child=child, kind=ChronologyEntry.Kind.SIGNIFICANT_EVENT, occurred_at=arrived_at,
        title="Arrived in the council's care",
        description=(f"Placed with {placement.carer_or_provider} ({placement.get_placement_type_display()}), "
                     f"accommodated under section 20. National Transfer Scheme referral {locked.nts_reference}: "
                     f"{outcome_text(arrival, locked)[:1].lower()}{outcome_text(arrival, locked)[1:]}."),
        request_id=request_id, via=via,
    )
    return arrival


@transaction.atomic
def complete_task(
    *, actor: User, task: ArrivalTask, now: dt.datetime, request_id: str = "", via: str = "web",
) -> ArrivalTask:
    """Mark an arrival task as done. Done already: nothing changes (a second click is harmless).
    PermissionDenied unless the actor has the task, or is a team leader or team manager."""
    locked = ArrivalTask.objects.select_for_update().get(pk=task.pk)
    _require(may_complete_task(actor, locked),
             "Only the person the task is assigned to, team leaders and team managers may mark it done")
    if locked.done_at is None:
        before = snapshot(locked)
        locked.done_at = now
        locked.save(update_fields=["done_at", "updated_at"])
        record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=locked.child_id,
                      before=before, request_id=request_id, via=via)
    return locked
