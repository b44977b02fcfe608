"""Starting, changing and ending placements, and the child's needs profile: every write keyword-only,
atomic and audited.

The placement carries the SSDA903 episode's placement columns (PLACE, PLACE_PROVIDER, URN, home and
placement postcodes, reason for a change) so the return follows from it without further typing
(reference section 4.3). A change of placement ends the current placement on the day the new one
starts: that day is both the old episode's DEC and the new one's DECOM, as the return counts them.

Each start, change and end appears on the child's timeline (which reads the placements themselves,
so nothing is written twice) and tells the people concerned (the allocated social worker, the IRO
and every partner agency the record is shared with) by email after commit, with no personal details
in the email. The statutory visit clock (reg 28: within one week of any
placement starting) follows from the placement itself: `harbour.domain.timescales` reads it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Allocation, PartnerGrant, Role, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.outbox import queue_email
from harbour.domain.ages import age_on
from harbour.domain.formatting import long_date
from harbour.domain.matching import NEEDS, SUPPORTED_ACCOMMODATION_MINIMUM_AGE

from .codes import (
    NO_PROVIDER_CODE_TYPES,
    NO_URN_TYPES,
    SUPPORTED_ACCOMMODATION_TYPES,
    TEMPORARY_TYPES,
    PlacementProviderCode,
    PlacementType,
    ReasonPlacementChange,
)
from .models import NeedsProfile, Placement, PlacementRequest, Provider

PLACEMENT_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.TEAM_MANAGER, Role.PLACEMENTS_OFFICER})
MAX_NAME_LENGTH = 200
MAX_NOTE_LENGTH = 500
CUSTODY_MINIMUM_AGE = 10  # SSDA903 rule 234 (2025-26): CUSTOD is not a reason for a child under 10


def may_manage_placements(user: Any) -> bool:
    """Social workers, team leaders, team managers and placements officers start, change and end
    placements and keep the needs profile (for the children they may see)."""
    return getattr(user, "role", None) in PLACEMENT_ROLES


def _require(user: Any) -> None:
    if not may_manage_placements(user):
        raise PermissionDenied("Only social workers, team leaders, team managers and placements officers may "
                               "change a child's placements")


def clean_postcode(postcode: str, field: str) -> str:
    from harbour.referrals.services_arrival import clean_postcode as clean

    try:
        return clean(postcode)
    except ValidationError as error:
        raise ValidationError({field: "Enter a real postcode, like HB1 2AB"}) from error


def _audit(actor: User, action: str, instance: Any, child: Child, before: dict[str, Any] | None,
           request_id: str, via: str) -> None:
    record_change(actor=actor, action=action, instance=instance, child_id=child.pk, before=before,
                  request_id=request_id, via=via)


def _looked_after_on(child: Child, day: dt.date) -> bool:
    return PeriodLookedAfter.objects.filter(Q(end__isnull=True) | Q(end__gte=day), child=child,
                                            start__lte=day).exists()


def _start_errors(
    *, child: Child, start: dt.date, placement_type: str, carer_or_provider: str, place_provider: str,
    urn: str, typed: bool, today: dt.date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if start > today:
        errors["start"] = "Start date must be today or in the past"
    elif not _looked_after_on(child, start):
        errors["start"] = (f"The child is not looked after on {long_date(start)}. Record the period of care first, "
                           "or for an NTS transfer record the arrival on the referral")
    if placement_type not in PlacementType.values:
        errors["placement_type"] = "Select the type of placement"
    elif placement_type in SUPPORTED_ACCOMMODATION_TYPES:
        if child.date_of_birth is None:
            errors["placement_type"] = ("Supported accommodation is only for 16 and 17 year olds: record the child's "
                                        "date of birth first")
        elif (age := age_on(child.date_of_birth, start)) < SUPPORTED_ACCOMMODATION_MINIMUM_AGE:
            errors["placement_type"] = (f"Supported accommodation is only for 16 and 17 year olds: the child is {age} "
                                        f"on {long_date(start)}")
    if not carer_or_provider:
        errors["carer_or_provider"] = "Enter the name of the carer or provider"
    elif len(carer_or_provider) > MAX_NAME_LENGTH:
        errors["carer_or_provider"] = f"Carer or provider name must be {MAX_NAME_LENGTH} characters or fewer"
    errors.update(_code_errors(placement_type=placement_type, place_provider=place_provider, urn=urn, typed=typed))
    return errors


def _code_errors(*, placement_type: str, place_provider: str, urn: str, typed: bool) -> dict[str, str]:
    """PLACE_PROVIDER and URN: known codes, and none typed where the type of placement has none."""
    errors: dict[str, str] = {}
    if place_provider and place_provider not in PlacementProviderCode.values:
        errors["place_provider"] = "Select who provides the placement"
    elif typed and place_provider and placement_type in NO_PROVIDER_CODE_TYPES:
        # SSDA903 rules 178 and 213 (2025-26): no PLACE_PROVIDER on T0 to T3 and Z11 to Z14.
        errors["place_provider"] = "Leave who provides the placement blank: this type of placement does not have one"
    if typed and urn and placement_type in NO_URN_TYPES:
        errors["urn"] = "Leave the Ofsted number blank: this type of placement does not have one"
    elif urn and not (urn.isalnum() and 6 <= len(urn) <= 8):
        errors["urn"] = "Enter the Ofsted unique reference number, for example SC123456"
    return errors


def _overlap_error(child: Child, start: dt.date, *, ignoring: Placement | None = None) -> str | None:
    """Two placements at once. A placement may start on the day the previous one ended (a move day)."""
    clash = Placement.objects.filter(Q(end__isnull=True) | Q(end__gt=start), child=child)
    if ignoring is not None:
        clash = clash.exclude(pk=ignoring.pk)
    later = clash.filter(start__gt=start).order_by("start").first()
    current = clash.filter(start__lte=start).order_by("-start").first()
    if current is not None:
        return (f"The child already has a placement with {current.carer_or_provider} from {long_date(current.start)}. "
                "End it first or record a change of placement")
    if later is not None:
        return (f"The child has a later placement with {later.carer_or_provider} from {long_date(later.start)}: "
                "a placement cannot start before it and run over it")
    return None


def _reason_error(child: Child, placement: Placement, reason: str, end: dt.date, *,
                  next_type: str = "") -> str | None:
    """Why `placement` ended. Not needed when it, or the placement that follows it, is a temporary
    T0 to T4 (SSDA903 rule 226, "including on the preceding episode")."""
    if placement.placement_type in TEMPORARY_TYPES or next_type in TEMPORARY_TYPES:
        return None if not reason or reason in ReasonPlacementChange.values else "Select a reason from the list"
    if not reason:
        return "Select why the placement changed"
    if reason not in ReasonPlacementChange.values:
        return "Select a reason from the list"
    if (reason == ReasonPlacementChange.CUSTOD and child.date_of_birth
            and age_on(child.date_of_birth, end) < CUSTODY_MINIMUM_AGE):
        return "Custody arrangement cannot be the reason for a child under 10"
    return None


def _notice(route: str, child: Child) -> str:
    link = settings.HARBOUR_BASE_URL.rstrip("/") + reverse(route, args=[child.pk])
    return ("A child you work with has a change to their placement recorded in Harbour.\n\n"
            f"Sign in to Harbour to see the details:\n{link}\n\n"
            "This email holds no personal details. Do not reply with any.")


def _tell_people_concerned(child: Child, subject: str, today: dt.date) -> None:
    """Email the allocated workers and every agency the record is shared with: no personal details.

    Queued in the caller's transaction, so sent only after it commits (`core.outbox`). Workers get
    the link to the placements page; partner agencies the link to the child's record, which shows
    them only what is shared (the placements page is the council's)."""
    now = timezone.now()
    recipients: dict[str, str] = {}
    workers = Allocation.objects.filter(
        Q(end__isnull=True) | Q(end__gte=today), child=child, start__lte=today,
        kind__in=[Allocation.Kind.SOCIAL_WORKER, Allocation.Kind.IRO],
    ).select_related("worker")
    for allocation in workers:
        if allocation.worker.email:
            recipients.setdefault(allocation.worker.email, "placements:child")
    # While processing is restricted (UK GDPR art. 18) no partner is told anything (ADR 0017).
    grants = PartnerGrant.objects.filter(child=child, revoked_at__isnull=True, expires_at__gt=now,
                                         child__processing_restricted=False).select_related("agency")
    for grant in grants:
        if grant.agency.email:
            recipients.setdefault(grant.agency.email, "children:detail")
    for address, route in recipients.items():
        queue_email(to=address, subject=subject, body=_notice(route, child), about=child)


def _create(
    *, actor: User, child: Child, start: dt.date, placement_type: str, carer_or_provider: str,
    provider: Provider | None, place_provider: str, urn: str, postcode: str, home_postcode: str | None,
    long_term: bool, cost_per_week: Decimal | None, today: dt.date, request_id: str, via: str,
    errors: dict[str, str], ignoring: Placement | None = None,
) -> Placement:
    carer_or_provider = " ".join(carer_or_provider.split())
    typed = provider is None
    if provider is not None:
        placement_type = placement_type or provider.place_type
        place_provider = place_provider or provider.place_provider
        urn = urn or provider.ofsted_urn
        postcode = postcode or provider.postcode
        cost_per_week = cost_per_week if cost_per_week is not None else provider.cost_per_week
        carer_or_provider = carer_or_provider or provider.name
    urn = urn.strip().upper()
    # The provider's own number and code do not belong on these types of placement (SSDA903 rules
    # 178, 213 and 222): dropped when they came from the directory, refused when typed.
    if placement_type in NO_URN_TYPES and not typed:
        urn = ""
    if placement_type in NO_PROVIDER_CODE_TYPES and not typed:
        place_provider = ""
    errors.update(_start_errors(child=child, start=start, placement_type=placement_type,
                                carer_or_provider=carer_or_provider, place_provider=place_provider, urn=urn,
                                typed=typed, today=today))
    try:
        postcode = clean_postcode(postcode, "postcode")
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if home_postcode is None:
        previous = Placement.objects.filter(child=child, start__lte=start).exclude(home_postcode="").order_by(
            "-start").first()
        home_postcode = previous.home_postcode if previous else ""
    try:
        home_postcode = clean_postcode(home_postcode, "home_postcode")
    except ValidationError as error:
        errors.update({key: value[0] for key, value in error.message_dict.items()})
    if cost_per_week is not None and cost_per_week < 0:
        errors["cost_per_week"] = "Cost per week must be 0 or more"
    if "start" not in errors and (overlap := _overlap_error(child, start, ignoring=ignoring)):
        errors["start"] = overlap
    if errors:
        raise ValidationError(errors)
    placement = Placement.objects.create(
        child=child, start=start, placement_type=placement_type, provider=provider,
        carer_or_provider=carer_or_provider, place_provider=place_provider, urn=urn, postcode=postcode,
        home_postcode=home_postcode, out_of_area=provider.out_of_area if provider else False,
        cost_per_week=cost_per_week, long_term=long_term, created_by=actor,
    )
    _audit(actor, AuditEvent.Action.CREATE, placement, child, None, request_id, via)
    return placement


def _locked_child(child: Child) -> Child:
    # One writer at a time per child: two requests cannot both start a placement.
    return Child.unscoped.select_for_update().get(pk=child.pk)


@transaction.atomic
def placement_start(
    *,
    actor: User,
    child: Child,
    start: dt.date,
    placement_type: str,
    carer_or_provider: str,
    provider: Provider | None = None,
    place_provider: str = "",
    urn: str = "",
    postcode: str = "",
    home_postcode: str | None = None,
    long_term: bool = False,
    cost_per_week: Decimal | None = None,
    reason_for_change: str = "",
    end_note: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """Start a placement for a looked-after child with no placement on that day.

    With a provider from the directory its type, provider code, URN, postcode, cost and out-of-area
    flag are copied. Refuses, every problem at once and nothing saved: ``start`` (in the future, not
    looked after, or over another placement), ``placement_type`` (unknown; supported accommodation
    for a child under 16: the Supported Accommodation (England) Regulations 2023, SSDA903 rule 371),
    ``carer_or_provider``, ``place_provider``, ``urn``, ``postcode``, ``home_postcode``. When the child
    has a current placement, use `placement_change`; ``reason_for_change`` and ``end_note`` are
    accepted for that reason and ignored here.
    """
    _require(actor)
    locked = _locked_child(child)
    placement = _create(actor=actor, child=locked, start=start, placement_type=placement_type,
                        carer_or_provider=carer_or_provider, provider=provider, place_provider=place_provider,
                        urn=urn, postcode=postcode, home_postcode=home_postcode, long_term=long_term,
                        cost_per_week=cost_per_week, today=today, request_id=request_id, via=via, errors={})
    _tell_people_concerned(locked, "A placement has started for a child you work with", today)
    return placement


@transaction.atomic
def placement_change(
    *,
    actor: User,
    child: Child,
    start: dt.date,
    placement_type: str,
    carer_or_provider: str,
    reason_for_change: str,
    provider: Provider | None = None,
    place_provider: str = "",
    urn: str = "",
    postcode: str = "",
    home_postcode: str | None = None,
    long_term: bool = False,
    cost_per_week: Decimal | None = None,
    end_note: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """The child moves: the current placement ends on the day the new one starts, with the reason
    for the change (SSDA903 REASON_PLACE_CHANGE; not needed after a temporary T0 to T4 placement;
    CUSTOD refused under 10, rule 234), and the new placement starts. Atomic: both or neither."""
    _require(actor)
    locked = _locked_child(child)
    current = Placement.objects.select_for_update().filter(child=locked, end__isnull=True).first()
    if current is None:
        raise ValidationError({"start": "The child has no current placement to change. Start a placement instead"})
    errors: dict[str, str] = {}
    if start < current.start:
        errors["start"] = (f"The move must be on or after the current placement started, "
                           f"{long_date(current.start)}")
    next_type = placement_type or (provider.place_type if provider is not None else "")
    if reason_error := _reason_error(locked, current, reason_for_change, start, next_type=next_type):
        errors["reason_for_change"] = reason_error
    end_note = " ".join(end_note.split())
    if len(end_note) > MAX_NOTE_LENGTH:
        errors["end_note"] = f"Notes on the change must be {MAX_NOTE_LENGTH} characters or fewer"
    if errors:
        # Check the new placement too, so every problem shows at once; with errors nothing is written.
        _create(actor=actor, child=locked, start=start, placement_type=placement_type,
                carer_or_provider=carer_or_provider, provider=provider, place_provider=place_provider, urn=urn,
                postcode=postcode, home_postcode=home_postcode, long_term=long_term, cost_per_week=cost_per_week,
                today=today, request_id=request_id, via=via, errors=errors, ignoring=current)
    before = snapshot(current)
    current.end = start
    current.reason_for_change = reason_for_change
    current.end_note = end_note
    current.save(update_fields=["end", "reason_for_change", "end_note"])
    _audit(actor, AuditEvent.Action.UPDATE, current, locked, before, request_id, via)
    placement = _create(actor=actor, child=locked, start=start, placement_type=placement_type,
                        carer_or_provider=carer_or_provider, provider=provider, place_provider=place_provider,
                        urn=urn, postcode=postcode, home_postcode=home_postcode, long_term=long_term,
                        cost_per_week=cost_per_week, today=today, request_id=request_id, via=via, errors={})
    _tell_people_concerned(locked, "A child you work with has moved placement", today)
    return placement


@transaction.atomic
def placement_end(
    *,
    actor: User,
    placement: Placement,
    end: dt.date,
    reason_for_change: str = "",
    end_note: str = "",
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """End a placement on a day from its start to today (a planned end in the future is recorded
    when it happens). The reason for the change is needed while the child stays looked after after
    the end day; when the period of care ends that day, the period's own reason says why."""
    _require(actor)
    locked_child = _locked_child(placement.child)
    locked = Placement.objects.select_for_update().get(pk=placement.pk)
    errors: dict[str, str] = {}
    if locked.end is not None:
        errors["end"] = f"This placement already ended on {long_date(locked.end)}"
    elif end < locked.start:
        errors["end"] = f"The placement cannot end before it started, on {long_date(locked.start)}"
    elif end > today:
        errors["end"] = "End date must be today or in the past"
    still_in_care = _looked_after_on(locked_child, end + dt.timedelta(days=1))
    if "end" not in errors and still_in_care and (reason_error := _reason_error(locked_child, locked,
                                                                                  reason_for_change, end)):
        errors["reason_for_change"] = reason_error
    if not still_in_care and reason_for_change and reason_for_change not in ReasonPlacementChange.values:
        errors["reason_for_change"] = "Select a reason from the list"
    end_note = " ".join(end_note.split())
    if len(end_note) > MAX_NOTE_LENGTH:
        errors["end_note"] = f"Notes on the end must be {MAX_NOTE_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    locked.end = end
    # The reason for a placement change is only given while the child stays in care (rule 233).
    locked.reason_for_change = reason_for_change if still_in_care else ""
    locked.end_note = end_note
    locked.save(update_fields=["end", "reason_for_change", "end_note"])
    _audit(actor, AuditEvent.Action.UPDATE, locked, locked_child, before, request_id, via)
    _tell_people_concerned(locked_child, "A placement has ended for a child you work with", today)
    return locked


@transaction.atomic
def placement_from_offer(
    *,
    actor: User,
    request: PlacementRequest,
    start: dt.date,
    long_term: bool = False,
    today: dt.date,
    request_id: str = "",
    via: str = "web",
) -> Placement:
    """Start the placement the child chose: provider, codes, postcode and cost come from the offer.
    When the child has a current placement this is a change of placement carrying out the care plan
    (CARPL). The request is marked placed."""
    # Lock the request row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer
    # join that select_related makes for the chosen offer.
    locked_request = PlacementRequest.objects.select_for_update(of=("self",)).select_related(
        "chosen_offer__provider", "child").get(pk=request.pk)
    offer = locked_request.chosen_offer
    if offer is None:
        raise ValidationError({"request": "Record which offer was chosen before starting the placement"})
    if locked_request.status == PlacementRequest.Status.PLACED:
        raise ValidationError({"request": "The placement has already started"})
    provider = offer.provider
    name = f"{offer.carer_or_unit}, {provider.name}" if offer.carer_or_unit else provider.name
    common: dict[str, Any] = {
        "actor": actor, "child": locked_request.child, "start": start, "placement_type": provider.place_type,
        "carer_or_provider": name[:MAX_NAME_LENGTH], "provider": provider, "long_term": long_term,
        "cost_per_week": offer.cost_per_week, "today": today, "request_id": request_id, "via": via,
    }
    has_current = Placement.objects.filter(child=locked_request.child, end__isnull=True).exists()
    if has_current:
        placement = placement_change(reason_for_change=ReasonPlacementChange.CARPL,
                                     end_note="Moved to the placement the child chose", **common)
    else:
        placement = placement_start(**common)
    before = snapshot(locked_request)
    locked_request.placement = placement
    locked_request.status = PlacementRequest.Status.PLACED
    locked_request.version += 1
    locked_request.save(update_fields=["placement", "status", "version", "updated_at"])
    _audit(actor, AuditEvent.Action.UPDATE, locked_request, locked_request.child, before, request_id, via)
    return placement


# --- The needs profile ---------------------------------------------------------------------------

NEEDS_DETAIL_MAX = 4000


@transaction.atomic
def needs_profile_save(
    *, actor: User, child: Child, needs: list[str], needs_detail: str, request_id: str = "", via: str = "web",
) -> NeedsProfile:
    """Record the child's placement needs once, on their record; every request copies them."""
    _require(actor)
    unknown = [code for code in needs if code not in NEEDS]
    errors: dict[str, str] = {}
    if unknown:
        errors["needs"] = "Select needs from the list"
    if len(needs_detail) > NEEDS_DETAIL_MAX:
        errors["needs_detail"] = f"More about the child's needs must be {NEEDS_DETAIL_MAX:,} characters or fewer"
    if errors:
        raise ValidationError(errors)
    ordered = [code for code in NEEDS if code in set(needs)]
    profile = NeedsProfile.objects.select_for_update().filter(child=child).first()
    if profile is None:
        profile = NeedsProfile.objects.create(child=child, needs=ordered, needs_detail=needs_detail.strip(),
                                              updated_by=actor)
        _audit(actor, AuditEvent.Action.CREATE, profile, child, None, request_id, via)
        return profile
    before = snapshot(profile)
    profile.needs, profile.needs_detail, profile.updated_by = ordered, needs_detail.strip(), actor
    profile.save()
    _audit(actor, AuditEvent.Action.UPDATE, profile, child, before, request_id, via)
    return profile
