"""The lists the council keeps: reasons a review was late, and the areas of the case-file audit."""

from django.contrib import admin

from .models import AuditArea, InvitationWording, LateReviewReason


@admin.register(LateReviewReason)
class LateReviewReasonAdmin(admin.ModelAdmin):
    list_display = ("label", "needs_detail", "active", "position")


@admin.register(AuditArea)
class AuditAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "active", "position")


@admin.register(InvitationWording)
class InvitationWordingAdmin(admin.ModelAdmin):
    list_display = ("language", "subject")
