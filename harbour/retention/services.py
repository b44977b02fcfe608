"""Legal holds and destruction: proposed by one records manager, approved by another, carried out in
one transaction that deletes every row linked to the child, strips the personal values from the
child's audit events and leaves a tombstone (ADR 0018)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_event
from harbour.children.models import Child
from harbour.core.models import OutboxMessage
from harbour.domain.retention import is_due

from .models import DestructionProposal, LegalHold, Tombstone
from .selectors import record_facts

# Run after the destruction commits (uploaded files on disk are removed this way).
after_destruction: list[Callable[[uuid.UUID, dict[str, list[Any]]], None]] = []


class DestructionRefused(ValidationError):
    pass


def may_manage_retention(user: Any) -> bool:
    """Records management is the administrator's: they see no case content, only identifiers,
    classes and dates, and destruction needs two of them (ADR 0018)."""
    return getattr(user, "role", None) == Role.ADMINISTRATOR and getattr(user, "is_active", False)


def _child_exists(child_id: uuid.UUID) -> bool:
    return Child.unscoped.filter(pk=child_id).exists()


@transaction.atomic
def place_hold(*, actor: Any, child_id: uuid.UUID, reason: str, request_id: str = "") -> LegalHold:
    if not _child_exists(child_id):
        raise ValidationError({"child_id": "Enter the identifier of a record that exists"})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record must be kept"})
    hold = LegalHold.objects.create(child_id=child_id, reason=reason.strip(), placed_by=actor)
    record_event(actor=actor, action=AuditEvent.Action.CREATE, record_type="retention.LegalHold",
                 record_id=str(hold.pk), child_id=child_id, request_id=request_id)
    return hold


@transaction.atomic
def release_hold(*, actor: Any, hold: LegalHold, request_id: str = "") -> None:
    hold.released_by, hold.released_at = actor, timezone.now()
    hold.save(update_fields=["released_by", "released_at"])
    record_event(actor=actor, action=AuditEvent.Action.UPDATE, record_type="retention.LegalHold",
                 record_id=str(hold.pk), child_id=hold.child_id, details={"released_at": hold.released_at.isoformat()},
                 request_id=request_id)


def _refuse_unless_destroyable(child_id: uuid.UUID, today: dt.date) -> tuple[str, dt.date]:
    found = record_facts(child_id)
    if found is None:
        raise DestructionRefused({"child_id": "There is no record with that identifier"})
    _, klass, review = found
    if not is_due(review, today):
        raise DestructionRefused({"child_id": "This record has not reached its retention review date"})
    if LegalHold.objects.filter(child_id=child_id, released_at__isnull=True).exists():
        raise DestructionRefused({"child_id": "This record is under a legal hold: release the hold first"})
    assert review is not None
    return klass.value, review


@transaction.atomic
def propose_destruction(*, actor: Any, child_id: uuid.UUID, today: dt.date, request_id: str = "") -> DestructionProposal:
    klass, review = _refuse_unless_destroyable(child_id, today)
    if DestructionProposal.objects.filter(child_id=child_id, approved_at__isnull=True).exists():
        raise DestructionRefused({"child_id": "Destruction of this record has already been proposed"})
    proposal = DestructionProposal.objects.create(
        child_id=child_id, record_class=klass, review_date=review, proposed_by=actor)
    record_event(actor=actor, action=AuditEvent.Action.CREATE, record_type="retention.DestructionProposal",
                 record_id=str(proposal.pk), child_id=child_id, request_id=request_id)
    return proposal


@transaction.atomic
def withdraw_proposal(*, actor: Any, proposal: DestructionProposal, request_id: str = "") -> None:
    record_event(actor=actor, action=AuditEvent.Action.DELETE, record_type="retention.DestructionProposal",
                 record_id=str(proposal.pk), child_id=proposal.child_id, request_id=request_id)
    proposal.delete()


def rows_linked_to(child_id: uuid.UUID) -> dict[type[models.Model], set[Any]]:
    """Every row with a path of foreign keys to the child, found by walking the model graph from
    Child outwards until nothing new turns up. Whatever the on_delete (PROTECT included): when the
    record goes, everything hanging from it goes. The audit tables hold identifiers, not keys, so
    they are not reached here (they are redacted instead)."""
    found: dict[type[models.Model], set[Any]] = defaultdict(set)
    found[Child].add(child_id)
    frontier: dict[type[models.Model], set[Any]] = {Child: {child_id}}
    relations = [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is not None and (field.many_to_one or field.one_to_one)
    ]
    while frontier:
        new: dict[type[models.Model], set[Any]] = defaultdict(set)
        for model, field in relations:
            target = field.related_model._meta.concrete_model
            if target not in frontier:
                continue
            keys = frontier[target]
            if not field.target_field.primary_key:
                keys = set(target._base_manager.filter(pk__in=keys).values_list(field.target_field.attname, flat=True))
            pks = set(model._base_manager.filter(**{f"{field.attname}__in": keys}).values_list("pk", flat=True))
            new[model._meta.concrete_model] |= pks - found[model._meta.concrete_model]
        frontier = {model: pks for model, pks in new.items() if pks}
        for model, pks in frontier.items():
            found[model] |= pks
    # Emails waiting or sent about any of these rows name them by type and identifier, not by key.
    outbox = set(OutboxMessage.objects.filter(
        _any_of(Q(about_type=model._meta.label, about_id__in=pks) for model, pks in found.items() if pks)
    ).values_list("pk", flat=True))
    if outbox:
        found[OutboxMessage] |= outbox
    return {model: pks for model, pks in found.items() if pks}


def _any_of(conditions: Any) -> Q:
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition
    return combined


def _redact_audit_events(child_id: uuid.UUID, tombstone_id: uuid.UUID) -> int:
    """Replace the before-and-after values of the child's audit events with a pointer to the
    tombstone. The events stay (who did what to which record, when); the values go. On PostgreSQL
    the append-only trigger lets exactly this through, for this child, in this transaction only."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('harbour.destroying_child', %s, true)", [str(child_id)])
    events = AuditEvent.objects.filter(child_id=child_id)
    # The append-only queryset refuses update(); this one path goes round it deliberately.
    return models.QuerySet.update(events, changes={"destroyed": str(tombstone_id)})


@transaction.atomic
def approve_and_destroy(*, actor: Any, proposal: DestructionProposal, today: dt.date, request_id: str = "") -> Tombstone:
    proposal = DestructionProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.proposed_by_id == getattr(actor, "pk", None):
        raise DestructionRefused({"proposal": "Someone other than the person who proposed it must approve destruction"})
    child_id = proposal.child_id
    klass, review = _refuse_unless_destroyable(child_id, today)
    if klass != proposal.record_class or review != proposal.review_date:
        raise DestructionRefused({"proposal": "The record has changed since destruction was proposed: propose it again"})
    rows = rows_linked_to(child_id)
    removed_files: dict[str, list[Any]] = {}
    for model, pks in rows.items():
        if hasattr(model, "stored_name"):
            removed_files[model._meta.label] = list(
                model._base_manager.filter(pk__in=pks).values_list("stored_name", flat=True))
    counts = {model._meta.db_table: len(pks) for model, pks in sorted(rows.items(), key=lambda i: i[0]._meta.db_table)}
    for model, pks in rows.items():
        # Raw deletes: no cascade or PROTECT checks (the walk already found everything) and foreign
        # keys are checked at commit, so the order does not matter.
        model._base_manager.filter(pk__in=pks)._raw_delete(connection.alias)
    tombstone_id = uuid.uuid4()
    redacted = _redact_audit_events(child_id, tombstone_id)
    proposal.approved_by, proposal.approved_at = actor, timezone.now()
    proposal.save(update_fields=["approved_by", "approved_at"])
    tombstone = Tombstone.objects.create(
        id=tombstone_id, child_id=child_id, record_class=proposal.record_class, review_date=proposal.review_date,
        proposed_by_id=proposal.proposed_by_id, proposed_at=proposal.proposed_at, approved_by=actor,
        rows_destroyed=counts, audit_events_redacted=redacted,
    )
    record_event(actor=actor, action=AuditEvent.Action.DELETE, record_type="retention.Tombstone",
                 record_id=str(tombstone.pk), child_id=child_id, request_id=request_id,
                 details={"rows_destroyed": counts, "audit_events_redacted": redacted})
    for hook in after_destruction:
        transaction.on_commit(lambda hook=hook: hook(child_id, removed_files))  # type: ignore[misc]
    return tombstone
