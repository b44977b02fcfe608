from django.apps import AppConfig


class SnapshotConfig(AppConfig):
    name = "harbour.snapshot"
    label = "snapshot"
    verbose_name = "Deadline snapshot (what to do next, kept for the day)"
    default_auto_field = "django.db.models.BigAutoField"
