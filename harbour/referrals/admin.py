"""The distribution list for the single referral form: settings the administrator keeps."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot

from .disclosure import section_titles, sections_for
from .models import DistributionEntry


@admin.register(DistributionEntry)
class DistributionEntryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "email", "only_for_16_and_over", "active", "sections_shared")
    list_filter = ("kind", "active")
    search_fields = ("name", "email")
    fields = ("name", "kind", "email", "partner_agency", "only_for_16_and_over", "active")
    # Copies already sent keep their address and sections; an agency is never deleted from here
    # (its copies point at it), only made inactive.
    actions = None

    @admin.display(description="Sections shared")
    def sections_shared(self, entry: DistributionEntry) -> str:
        return ", ".join(section_titles(sections_for(entry.kind)))

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @transaction.atomic
    def save_model(self, request: Any, obj: DistributionEntry, form: Any, change: bool) -> None:
        # Who changed the list, and how, goes into Harbour's own audit trail with the change.
        before = snapshot(DistributionEntry.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        record_change(actor=request.user, action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                      instance=obj, child_id=None, before=before, via="admin")


from . import admin_funding  # noqa: E402,F401  (rates and claims: their own module)
