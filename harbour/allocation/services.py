"""Writes for the allocation rota: allocating a child from it, a manager's override, and keeping
the rota (members, order, training, leave, practice leads). Keyword-only, typed, one transaction
each with its audit rows; ValidationError keyed by field, in GOV.UK wording.

Taking a turn locks the rota's one RotaState row (SELECT ... FOR UPDATE) and works the proposal
out again under that lock, so two allocations at the same moment queue on the row and the second
sees the first's turn: they never take the same one (tests/test_concurrency.py, on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from harbour.accounts.models import Allocation, Role, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.core.models import CouncilSettings
from harbour.domain.oc2 import SW_REASONS

from .models import Leave, PracticeLead, RotaMember, RotaState, RotaTurn
from .selectors import (
    Proposal,
    active_practice_leads,
    may_keep_rota,
    open_social_worker,
    proposal_from,
    propose_worker,
    requires_uasc_training,
    rota_facts,
)

__all__ = [
    "allocate_from_rota",
    "change_social_worker",
    "leave_record",
    "practice_lead_add",
    "practice_lead_stand_down",
    "propose_worker",
    "rota_add_member",
    "rota_move",
    "rota_record_training",
    "rota_set_active",
]

FIRST_CONTACT = "FCONTA"
OVERRIDE_REASON_MISSING = "Enter why you are allocating someone other than the next worker on the rota"


def _require_keeper(actor: User) -> None:
    if not may_keep_rota(actor):
        raise PermissionDenied("Only team leaders and team managers can allocate from or change the rota")


def _locked_state() -> RotaState:
    """The rota's one state row, locked until the transaction ends.

    The row is made on first use. Two first uses at once both try to insert pk 1: the database's
    unique key makes the second wait for the first and then fail inside get_or_create's savepoint,
    after which it reads (and locks) the row the first made. So the row is never made twice and
    the lock is always taken.
    """
    state = RotaState.objects.select_for_update().order_by("pk").first()
    if state is None:
        state, _ = RotaState.objects.select_for_update().get_or_create(pk=1)
    return state


def _audit(actor: User, action: str, instance: Any, *, child_id: Any = None, before: dict[str, Any] | None = None,
           request_id: str = "", via: str = "web") -> None:
    record_change(actor=actor, action=action, instance=instance, child_id=child_id, before=before,
                  request_id=request_id, via=via)


def _check_override_worker(worker: User) -> None:
    if worker.role != Role.SOCIAL_WORKER or not worker.is_active:
        raise ValidationError({"override_worker": "Select an active social worker"})


@transaction.atomic
def allocate_from_rota(
    *,
    actor: User,
    child: Any,
    referral: Any = None,
    today: dt.date,
    now: dt.datetime,
    override_worker: User | None = None,
    override_reason: str = "",
    expected_worker_id: Any = None,
    request_id: str = "",
    via: str = "web",
) -> RotaTurn:
    """Allocate ``child`` a social worker from the rota, or to ``override_worker`` with a reason.

    Under the rota's lock the proposal is worked out again from the facts as they are now. Then:

    * With no override (or an "override" naming the proposed worker), the proposed worker is
      allocated and the rota moves on: their position becomes the last one taken and
      ``turns_taken`` goes up by one.
    * With an override to someone else, that worker is allocated and the rota does **not** move
      on: the proposed worker keeps their turn and is proposed again for the next child. A
      manager's choice for one child should not cost the next worker on the rota their turn
      (nor give the chosen worker a turn they did not take from the rota). The RotaTurn records
      who was proposed, that it was overridden, why, and has no position, because no position's
      turn was used.

    ``expected_worker_id`` is the id of the worker the page showed; if the rota has moved on since (someone
    else allocated in between), nothing is allocated and the error names who is next now.

    Refuses, with ValidationError keyed by field: ``child`` if the child already has an allocated
    social worker, ``referral`` if the referral is another child's, ``override_reason`` for an
    override without a reason, ``override_worker`` if that is not an active social worker,
    ``worker`` if nobody on the rota can take a child today (naming each reason) or the rota moved
    on. Only team leaders and team managers may allocate (PermissionDenied otherwise).
    """
    _require_keeper(actor)
    override_reason = override_reason.strip()
    if referral is not None and referral.child_id != child.pk:
        raise ValidationError({"referral": "This referral is for another child"})
    if override_worker is not None:
        _check_override_worker(override_worker)

    state = _locked_state()
    # After the lock: whatever another allocation did before we got it is visible now.
    current = open_social_worker(child, today)
    if current is not None:
        raise ValidationError({"child": f"{child.known_as} already has an allocated social worker: "
                                        f"{current.worker.display_name}"})
    council = CouncilSettings.current()
    proposal = proposal_from(rota_facts(today=today), last_position=state.last_position, today=today,
                             require_training=requires_uasc_training(child, council),
                             practice_leads=active_practice_leads())
    overriding = override_worker is not None and override_worker != proposal.worker
    if overriding:
        if not override_reason:
            raise ValidationError({"override_reason": OVERRIDE_REASON_MISSING})
        worker = override_worker
    else:
        if proposal.worker is None:
            why = proposal.skipped_text or "the rota is empty"
            raise ValidationError({"worker": f"Nobody on the rota can take a child today: {why}"})
        if expected_worker_id is not None and str(expected_worker_id) != str(proposal.worker.pk):
            raise ValidationError({"worker": f"The rota has moved on since you opened this page: "
                                             f"{proposal.worker.display_name} is next now. Check, then allocate again"})
        worker = proposal.worker
    assert worker is not None

    # From the rota a child has no social worker: a first contact or a re-referral (SSDA903 SW_REASON).
    allocation = Allocation.objects.create(child=child, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, start=today,
                                           change_reason=FIRST_CONTACT)
    _audit(actor, AuditEvent.Action.CREATE, allocation, child_id=child.pk, request_id=request_id, via=via)
    turn = RotaTurn.objects.create(
        child=child, referral=referral, proposed=proposal.worker, allocated=worker,
        position=None if overriding else proposal.position, overridden=overriding,
        override_reason=override_reason if overriding else "",
        skipped=_skipped_json(proposal), decided_by=actor, decided_at=now, allocation=allocation,
    )
    _audit(actor, AuditEvent.Action.CREATE, turn, child_id=child.pk, request_id=request_id, via=via)
    if not overriding:
        before = snapshot(state)
        state.last_position = proposal.position or 0
        state.turns_taken += 1
        state.save(update_fields=["last_position", "turns_taken"])
        _audit(actor, AuditEvent.Action.UPDATE, state, before=before, request_id=request_id, via=via)
    return turn


@transaction.atomic
def change_social_worker(*, actor: User, child: Any, worker: User | None, reason: str, today: dt.date,
                         request_id: str = "", via: str = "web") -> Allocation:
    """Hand a child from their social worker to another, from today, saying why.

    The reason is one of the SSDA903 SW_REASON codes (reference 4.9; rule SW13STG1) and is kept on
    the new allocation, so that SWEpisodes returns it. The old allocation ends today and the new one
    starts today, as the DfE's episodes do (one ends the day the next begins). Refused, by field: no
    social worker now (``worker``: allocate from the rota instead), the same or an inactive worker,
    a reason not in the list. Team leaders and managers only.
    """
    _require_keeper(actor)
    errors: dict[str, str] = {}
    locked = (Allocation.objects.select_for_update()
              .filter(child=child, kind=Allocation.Kind.SOCIAL_WORKER, end__isnull=True).first())
    if locked is None:
        errors["worker"] = f"{child.known_as} has no allocated social worker: allocate one from the rota"
    elif worker is None or worker.role != Role.SOCIAL_WORKER or not worker.is_active:
        errors["worker"] = "Select an active social worker"
    elif worker.pk == locked.worker_id:
        errors["worker"] = f"{worker.display_name} is already {child.known_as}'s social worker: select someone else"
    if reason not in SW_REASONS:
        errors["reason"] = "Select why the social worker is changing"
    if errors:
        raise ValidationError(errors)
    assert locked is not None and worker is not None
    if locked.start > today:
        raise ValidationError({"worker": "The current allocation starts in the future: change it on or after "
                                         "its start"})
    before = snapshot(locked)
    locked.end = today
    locked.save(update_fields=["end"])
    _audit(actor, AuditEvent.Action.UPDATE, locked, child_id=child.pk, before=before, request_id=request_id, via=via)
    allocation = Allocation.objects.create(child=child, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, start=today,
                                           change_reason=reason)
    _audit(actor, AuditEvent.Action.CREATE, allocation, child_id=child.pk, request_id=request_id, via=via)
    return allocation


def _skipped_json(proposal: Proposal) -> list[dict[str, str]]:
    return [{"user_id": str(user.pk), "name": user.display_name, "reason": reason}
            for user, reason in proposal.skipped]


# --- Keeping the rota -----------------------------------------------------------------------------


@transaction.atomic
def rota_add_member(*, actor: User, user: User, uasc_trained_on: dt.date | None = None, today: dt.date,
                    request_id: str = "", via: str = "web") -> RotaMember:
    """Put a social worker at the end of the rota (or back at the end, if they were taken off it)."""
    _require_keeper(actor)
    if user.role != Role.SOCIAL_WORKER or not user.is_active:
        raise ValidationError({"user": "Select an active social worker"})
    if uasc_trained_on is not None and uasc_trained_on > today:
        raise ValidationError({"uasc_trained_on": "Date of UASC training must be today or in the past"})
    _locked_state()  # positions are handed out one at a time
    end = (RotaMember.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    member = RotaMember.objects.filter(user=user).first()
    if member is not None:
        if member.active:
            raise ValidationError({"user": f"{user.display_name} is already on the rota"})
        before = snapshot(member)
        member.active, member.position = True, end
        if uasc_trained_on is not None:
            member.uasc_trained, member.uasc_trained_on = True, uasc_trained_on
        member.save()
        _audit(actor, AuditEvent.Action.UPDATE, member, before=before, request_id=request_id, via=via)
        return member
    member = RotaMember.objects.create(user=user, position=end, uasc_trained=uasc_trained_on is not None,
                                       uasc_trained_on=uasc_trained_on)
    _audit(actor, AuditEvent.Action.CREATE, member, request_id=request_id, via=via)
    return member


@transaction.atomic
def rota_move(*, actor: User, member: RotaMember, direction: str, request_id: str = "", via: str = "web") -> RotaMember:
    """Swap a worker with the one above ("up") or below ("down") them on the rota.

    Positions are places in the order; the rota's pointer stays on its position number, so after
    a move the worker now in the place after the pointer is next.
    """
    _require_keeper(actor)
    if direction not in ("up", "down"):
        raise ValidationError({"direction": "Select whether to move the worker up or down"})
    _locked_state()
    member = RotaMember.objects.get(pk=member.pk)
    neighbours = RotaMember.objects.exclude(pk=member.pk)
    other = (neighbours.filter(position__lt=member.position).order_by("-position") if direction == "up"
             else neighbours.filter(position__gt=member.position).order_by("position")).first()
    if other is None:
        return member  # already at the top (or bottom): nothing to do
    before_member, before_other = snapshot(member), snapshot(other)
    mine, theirs = member.position, other.position
    # Positions are unique: park one out of the way while the other moves.
    parked = (RotaMember.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    RotaMember.objects.filter(pk=member.pk).update(position=parked)
    RotaMember.objects.filter(pk=other.pk).update(position=mine)
    RotaMember.objects.filter(pk=member.pk).update(position=theirs)
    member.position, other.position = theirs, mine
    _audit(actor, AuditEvent.Action.UPDATE, member, before=before_member, request_id=request_id, via=via)
    _audit(actor, AuditEvent.Action.UPDATE, other, before=before_other, request_id=request_id, via=via)
    return member


@transaction.atomic
def rota_record_training(*, actor: User, member: RotaMember, trained_on: dt.date, today: dt.date,
                         request_id: str = "", via: str = "web") -> RotaMember:
    _require_keeper(actor)
    if trained_on > today:
        raise ValidationError({"trained_on": "Date of UASC training must be today or in the past"})
    member = RotaMember.objects.select_for_update().get(pk=member.pk)
    before = snapshot(member)
    member.uasc_trained, member.uasc_trained_on = True, trained_on
    member.save(update_fields=["uasc_trained", "uasc_trained_on"])
    _audit(actor, AuditEvent.Action.UPDATE, member, before=before, request_id=request_id, via=via)
    return member


@transaction.atomic
def rota_set_active(*, actor: User, member: RotaMember, active: bool, request_id: str = "",
                    via: str = "web") -> RotaMember:
    """Take a worker off the rota (they keep their place, and their history) or put them back."""
    _require_keeper(actor)
    member = RotaMember.objects.select_for_update().get(pk=member.pk)
    if member.active == active:
        return member
    before = snapshot(member)
    member.active = active
    member.save(update_fields=["active"])
    _audit(actor, AuditEvent.Action.UPDATE, member, before=before, request_id=request_id, via=via)
    return member


@transaction.atomic
def leave_record(*, actor: User, user: User, start: dt.date, end: dt.date, reason: str = "",
                 request_id: str = "", via: str = "web") -> Leave:
    """Record a worker's leave; the rota passes them over on every day from ``start`` to ``end``."""
    _require_keeper(actor)
    if end < start:
        raise ValidationError({"end": "End date must be the same as or after the start date"})
    reason = reason.strip()
    if len(reason) > Leave._meta.get_field("reason").max_length:  # type: ignore[operator]
        raise ValidationError({"reason": "Reason must be 100 characters or fewer"})
    leave = Leave.objects.create(user=user, start=start, end=end, reason=reason)
    _audit(actor, AuditEvent.Action.CREATE, leave, request_id=request_id, via=via)
    return leave


@transaction.atomic
def practice_lead_add(*, actor: User, user: User, specialism: str = "", request_id: str = "",
                      via: str = "web") -> PracticeLead:
    """Name a UASC practice lead, whom the allocated worker is told to consult."""
    _require_keeper(actor)
    if not user.is_active:
        raise ValidationError({"user": "Select someone whose account is active"})
    lead = PracticeLead.objects.select_for_update().filter(user=user).first()
    if lead is not None:
        if lead.active:
            raise ValidationError({"user": f"{user.display_name} is already a practice lead"})
        before = snapshot(lead)
        lead.active, lead.specialism = True, specialism.strip() or lead.specialism
        lead.save(update_fields=["active", "specialism"])
        _audit(actor, AuditEvent.Action.UPDATE, lead, before=before, request_id=request_id, via=via)
        return lead
    lead = PracticeLead.objects.create(user=user, specialism=specialism.strip())
    _audit(actor, AuditEvent.Action.CREATE, lead, request_id=request_id, via=via)
    return lead


@transaction.atomic
def practice_lead_stand_down(*, actor: User, lead: PracticeLead, request_id: str = "",
                             via: str = "web") -> PracticeLead:
    _require_keeper(actor)
    lead = PracticeLead.objects.select_for_update().get(pk=lead.pk)
    if lead.active:
        before = snapshot(lead)
        lead.active = False
        lead.save(update_fields=["active"])
        _audit(actor, AuditEvent.Action.UPDATE, lead, before=before, request_id=request_id, via=via)
    return lead
