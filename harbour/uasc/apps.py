from django.apps import AppConfig


class UascConfig(AppConfig):
    name = "harbour.uasc"
    label = "uasc"
    verbose_name = "Unaccompanied asylum-seeking children"
    default_auto_field = "django.db.models.BigAutoField"
