"""Recording a child's previous permanence (the SSDA903 PrevPerm file) when they come into care:
the rules are in harbour.domain.previous_permanence; this checks who may, saves one row per child
and audits it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from harbour.accounts.access import may_edit_child
from harbour.accounts.models import User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.previous_permanence import previous_permanence_errors

from .models import PreviousPermanence


def came_into_care_on(child: Child) -> dt.date | None:
    """The start of the child's latest period looked after: the order asked about is one before it."""
    return (PeriodLookedAfter.objects.filter(child=child).order_by("-start")
            .values_list("start", flat=True).first())


def needs_previous_permanence(child: Child) -> bool:
    """Whether the journey should ask for it: the child has come into care and nothing is recorded."""
    return (PeriodLookedAfter.objects.filter(child=child).exists()
            and not PreviousPermanence.objects.filter(child=child).exists())


def previous_permanence_record(*, actor: User, child: Child, order: str, local_authority: str = "",
                               made_on: dt.date | None = None, today: dt.date, request_id: str = "",
                               via: str = "web") -> PreviousPermanence:
    """Record (or correct) whether the child had a previous permanence order; refused by field with
    previous_permanence_errors, and for anyone who may not edit the child's record."""
    if not may_edit_child(actor):
        raise PermissionDenied("Only those who keep the child's record may record this")
    local_authority = local_authority.strip().upper()
    errors = previous_permanence_errors(order=order, local_authority=local_authority, made_on=made_on,
                                        came_into_care_on=came_into_care_on(child), today=today)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = PreviousPermanence.objects.select_for_update().filter(child=child).first()
        before = snapshot(existing) if existing else None
        permanence, _ = PreviousPermanence.objects.update_or_create(
            child=child, defaults={"order": order, "local_authority": local_authority, "made_on": made_on})
        record_change(actor=actor, action=AuditEvent.Action.UPDATE if existing else AuditEvent.Action.CREATE,
                      instance=permanence, child_id=child.pk, before=before, request_id=request_id, via=via)
    return permanence
