from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "harbour.allocation"
    label = "allocation"
    verbose_name = "Allocation rota"
    default_auto_field = "django.db.models.BigAutoField"
