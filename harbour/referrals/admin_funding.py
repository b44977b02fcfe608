"""Home Office rates as dated settings the administrator keeps, and the claims made from them.

Imported from `referrals/admin.py` (`from . import admin_funding  # noqa: F401`). Rates are edited
here; a claim is a record of what followed a child's arrival, so it is read-only: correct a rate
and record the arrival's claim again through a service, never by editing the claim.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot

from .models import FundingClaim, HomeOfficeFundingRate
from .services_arrival import money


class HomeOfficeFundingRateForm(forms.ModelForm):
    class Meta:
        model = HomeOfficeFundingRate
        fields = ["description", "start", "end", "min_age", "max_age", "nightly_rate", "one_off_amount", "source"]
        help_texts = {
            "source": "Where the rate comes from, with its confidence: [primary] for gov.uk or legislation, "
                      "[secondary] for anything else.",
            "end": "Leave empty while the rate is in force. A rate that starts later replaces it from its start.",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", "The oldest age must be the same as or more than the youngest age")
        if high is not None and high > 17:
            self.add_error("max_age", "The oldest age must be 17 or less: the rates for children stop at 18")
        for field in ("nightly_rate", "one_off_amount"):
            value = data.get(field)
            if value is not None and value < 0:
                self.add_error(field, "Enter an amount of 0 or more")
        return data


@admin.register(HomeOfficeFundingRate)
class HomeOfficeFundingRateAdmin(admin.ModelAdmin):
    form = HomeOfficeFundingRateForm
    list_display = ("description", "start", "end", "ages", "nightly", "one_off")
    list_filter = ("start",)
    search_fields = ("description", "source")
    ordering = ("-start", "min_age")

    def save_model(self, request: HttpRequest, obj: HomeOfficeFundingRate, form: Any, change: bool) -> None:
        # Rates decide what is claimed: every change is in the audit trail, like any other write.
        before = snapshot(HomeOfficeFundingRate.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        # The values as stored (a typed "0" is kept as 0.00), so the audit shows only real changes.
        after = snapshot(HomeOfficeFundingRate.objects.get(pk=obj.pk))
        record_change(actor=request.user, action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
                      instance=obj, child_id=None, before=before, after=after, via="admin")

    def delete_model(self, request: HttpRequest, obj: HomeOfficeFundingRate) -> None:
        record_change(actor=request.user, action=AuditEvent.Action.DELETE, instance=obj, child_id=None,
                      before=snapshot(obj), via="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for rate in queryset:
            self.delete_model(request, rate)

    @admin.display(description="Ages")
    def ages(self, rate: HomeOfficeFundingRate) -> str:
        return f"{rate.min_age} to {rate.max_age}"

    @admin.display(description="Nightly rate")
    def nightly(self, rate: HomeOfficeFundingRate) -> str:
        return money(rate.nightly_rate)

    @admin.display(description="One-off")
    def one_off(self, rate: HomeOfficeFundingRate) -> str:
        return money(rate.one_off_amount) if rate.one_off_amount else ""


@admin.register(FundingClaim)
class FundingClaimAdmin(admin.ModelAdmin):
    list_display = ("referral", "claim_from", "age_on_arrival", "nightly_rate", "one_off_amount")
    list_filter = ("claim_from",)
    search_fields = ("referral__nts_reference",)
    list_select_related = ("referral",)
    readonly_fields = ("child", "referral", "rate", "claim_from", "age_on_arrival", "nightly_rate",
                       "one_off_amount", "basis", "created_at", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
