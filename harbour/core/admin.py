from django.contrib import admin

from .models import CouncilSettings


@admin.register(CouncilSettings)
class CouncilSettingsAdmin(admin.ModelAdmin):
    list_display = ("name", "la_code", "nts_transfer_working_days")
