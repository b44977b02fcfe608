"""The council's forecast settings (caseloads, what posts and placements cost), kept in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot

from .models import ForecastSettings


@admin.register(ForecastSettings)
class ForecastSettingsAdmin(admin.ModelAdmin):
    exclude = ("updated_by",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not ForecastSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ForecastSettings, form: Any, change: bool) -> None:
        # The settings decide the posts and money in every business case: each change is audited.
        before = snapshot(ForecastSettings.objects.get(pk=obj.pk)) if change else None
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        record_change(actor=request.user, action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                      instance=obj, child_id=None, before=before,
                      after=snapshot(ForecastSettings.objects.get(pk=obj.pk)), via="admin")
