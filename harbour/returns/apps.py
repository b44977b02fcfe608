from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "harbour.returns"
    label = "returns"
    verbose_name = "SSDA903 return"
    default_auto_field = "django.db.models.BigAutoField"
