"""The director's sign-off of section 20 accommodation for an NTS referral (issue 3, item 4).

The director, or someone the director has named as a delegate for a period, approves section 20
accommodation in one step; the time is recorded and the approval audited. The child cannot be
recorded as looked after without it: the arrival work calls assert_section20_approved first.

Writes are keyword-only, typed, one transaction each with their audit rows, and refuse with
ValidationError keyed by field, in GOV.UK wording.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from harbour.accounts.models import Role, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.core.jinja import date_time

from .models import Referral, Section20Approval, SignOffDelegate

__all__ = [
    "DELEGATE_ROLES",
    "approval_for",
    "approve_section20",
    "assert_section20_approved",
    "current_delegations",
    "end_delegation",
    "may_sign_off",
    "name_delegate",
    "sign_off_required",
]

NOT_APPROVED = ("The director must approve section 20 accommodation before the child can be recorded as "
                "looked after")
# Who the director may name as a delegate: senior council staff, never a partner agency or the
# system's administrator (whose role sees no children).
DELEGATE_ROLES = frozenset({Role.TEAM_MANAGER, Role.TEAM_LEADER, Role.IRO_MANAGER, Role.DIRECTOR})


def _in_force(today: dt.date) -> Q:
    return Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gte=today))


def may_sign_off(user: Any, today: dt.date) -> bool:
    """The director, or a delegate whose delegation covers ``today``. One query for a delegate."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.role == Role.DIRECTOR:
        return True
    return SignOffDelegate.objects.filter(_in_force(today), user=user).exists()


def approval_for(referral: Referral) -> Section20Approval | None:
    """The referral's approval, or None (one query, or none if already fetched with select_related)."""
    try:
        return referral.section20_approval
    except Section20Approval.DoesNotExist:
        return None


def sign_off_required(child: Any) -> bool:
    """True while the child has an open NTS referral whose section 20 accommodation has not been
    approved: until then the child cannot be recorded as looked after. One query.

    A contested or withdrawn referral asks for nothing; a child who arrived had the approval first.
    """
    return Referral.objects.filter(child=child, status__in=Referral.OPEN, section20_approval__isnull=True).exists()


def assert_section20_approved(referral: Referral) -> None:
    """The guard for recording the child as looked after (the arrival). Raises ValidationError keyed
    "section20" when the referral has no approval."""
    if not Section20Approval.objects.filter(referral_id=referral.pk).exists():
        raise ValidationError({"section20": NOT_APPROVED})


@transaction.atomic
def approve_section20(
    *, actor: User, referral: Referral, now: dt.datetime, note: str = "", request_id: str = "", via: str = "web"
) -> Section20Approval:
    """Approve section 20 accommodation for the referred child: one step, the time recorded.

    ``as_delegate`` is set when the actor signs as the director's delegate rather than as director.
    Refuses (ValidationError keyed "referral") when the actor may not sign off, when it is already
    approved, or when the referral has been contested or withdrawn.
    """
    # The referral row is locked so that two people approving at once make one approval, and the
    # second is told who approved first rather than meeting a database error.
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not may_sign_off(actor, _local(now)):
        raise ValidationError({"referral": "Only the director or a delegate named by the director can approve "
                                           "section 20 accommodation"})
    existing = Section20Approval.objects.select_related("approved_by").filter(referral=locked).first()
    if existing is not None:
        raise ValidationError({"referral": f"Section 20 accommodation was already approved by "
                                           f"{existing.approved_by.display_name} on {_long(existing.approved_at)}"})
    if locked.status == Referral.Status.CONTESTED:
        raise ValidationError({"referral": "The referral has been contested, so there is nothing to approve"})
    if locked.status == Referral.Status.WITHDRAWN:
        raise ValidationError({"referral": "The referral has been withdrawn, so there is nothing to approve"})
    approval = Section20Approval.objects.create(
        referral=locked, approved_by=actor, approved_at=now, as_delegate=actor.role != Role.DIRECTOR,
        note=note.strip(),
    )
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=approval, child_id=locked.child_id,
                  request_id=request_id, via=via)
    return approval


def _local(moment: dt.datetime) -> dt.date:
    # The delegation is for council days: 11:30pm on the last day is still inside it.
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()


def _long(moment: dt.datetime) -> str:
    return date_time(moment)


# --- Delegates ------------------------------------------------------------------------------------


def _require_director(actor: User) -> None:
    if actor.role != Role.DIRECTOR or not actor.is_active:
        raise ValidationError({"user": "Only the director can name or end a delegate"})


@transaction.atomic
def name_delegate(
    *, actor: User, user: User, start: dt.date, end: dt.date | None = None, request_id: str = "", via: str = "web"
) -> SignOffDelegate:
    """The director names ``user`` to approve section 20 accommodation from ``start`` to ``end``
    (both days included; no end means until the director ends it)."""
    _require_director(actor)
    if not user.is_active or user.role not in DELEGATE_ROLES:
        raise ValidationError({"user": "Select a manager whose account is active"})
    if user.pk == actor.pk:
        raise ValidationError({"user": "Select someone other than yourself"})
    if end is not None and end < start:
        raise ValidationError({"end": "End date must be the same as or after the start date"})
    # Two delegations of one person that overlap would make ending one of them misleading.
    overlapping = SignOffDelegate.objects.select_for_update().filter(user=user).filter(
        Q(end__isnull=True) | Q(end__gte=start))
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        raise ValidationError({"user": f"{user.display_name} is already a delegate for some of those dates"})
    delegation = SignOffDelegate.objects.create(user=user, named_by=actor, start=start, end=end)
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=delegation, child_id=None,
                  request_id=request_id, via=via)
    return delegation


@transaction.atomic
def end_delegation(
    *, actor: User, delegation: SignOffDelegate, today: dt.date, request_id: str = "", via: str = "web"
) -> SignOffDelegate:
    """End a delegation now: the delegate can no longer sign off from today.

    The end date becomes yesterday. A delegation that had not yet begun is left with an end before
    its start: on record, but never in force.
    """
    _require_director(actor)
    locked = SignOffDelegate.objects.select_for_update().get(pk=delegation.pk)
    yesterday = today - dt.timedelta(days=1)
    if locked.end is not None and locked.end <= yesterday:
        return locked  # already ended
    before = snapshot(locked)
    locked.end = yesterday
    locked.save(update_fields=["end"])
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=None, before=before,
                  request_id=request_id, via=via)
    return locked


def current_delegations(today: dt.date) -> QuerySet[SignOffDelegate]:
    """Delegations in force today or still to come."""
    # An end before the start is a delegation ended before it began: never in force, not listed.
    return (SignOffDelegate.objects.filter(Q(end__isnull=True) | (Q(end__gte=today) & Q(end__gte=F("start"))))
            .select_related("user", "named_by").order_by("start"))
