from __future__ import annotations

import uuid

from django.db.models import QuerySet

from .models import AccessLogEntry, AuditEvent


def access_log_for_child(*, child_id: uuid.UUID) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(child_id=child_id).select_related("user").order_by("-at")


def audit_events_for_child(*, child_id: uuid.UUID) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(child_id=child_id).select_related("actor").order_by("-at")
