from django.apps import AppConfig


class MergingConfig(AppConfig):
    name = "harbour.merging"
    label = "merging"
    verbose_name = "Merging records of the same child"
    default_auto_field = "django.db.models.BigAutoField"
