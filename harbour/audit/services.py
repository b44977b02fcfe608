"""Writing the audit trail and the access log. Called inside the caller's transaction, so a change
and its audit row are saved together or not at all."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import models

from .models import AccessLogEntry, AuditEvent

# The key of a change's reason in AuditEvent.changes; no model has a field of that name.
CORRECTION_REASON = "correction_reason"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The stored values of a record, as plain JSON values, keyed by field name."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        values[field.attname] = _plain(getattr(instance, field.attname))
    return values


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    ignored = {"updated_at", "version"}
    keys = (set(before) | set(after)) - ignored
    return {k: [before.get(k), after.get(k)] for k in sorted(keys) if before.get(k) != after.get(k)}


def record_change(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    child_id: uuid.UUID | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    request_id: str = "",
    via: str = "",
    reason: str = "",
) -> AuditEvent:
    """One audit event for a change. `reason`, when given (a correction, a restriction), is kept
    in `changes` under CORRECTION_REASON, beside the fields' [before, after] pairs."""
    before = before or {}
    after = after if after is not None else snapshot(instance)
    if action == AuditEvent.Action.DELETE:
        after = {}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        record_type=instance._meta.label,
        record_id=str(instance.pk),
        child_id=child_id,
        changes={**changed_fields(before, after), **({CORRECTION_REASON: reason} if reason else {})},
        request_id=request_id,
        via=via,
    )


def record_event(
    *, actor: Any, action: str, record_type: str, record_id: str, details: dict[str, Any] | None = None,
    child_id: uuid.UUID | None = None, request_id: str = "",
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        record_type=record_type,
        record_id=record_id,
        child_id=child_id,
        changes=details or {},
        request_id=request_id,
    )


def log_access(
    *, user: Any, child_id: uuid.UUID, route: str, request_id: str = "", purpose: str = "", accessed_by: str = ""
) -> None:
    AccessLogEntry.objects.create(
        user=user if getattr(user, "pk", None) else None, accessed_by=accessed_by[:300],
        child_id=child_id, route=route[:200], request_id=request_id, purpose=purpose,
    )
