from django.apps import AppConfig


class LeavingCareConfig(AppConfig):
    name = "harbour.leaving_care"
    label = "leaving_care"
    default_auto_field = "django.db.models.BigAutoField"
