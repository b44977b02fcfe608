from django.apps import AppConfig


class BoardConfig(AppConfig):
    name = "harbour.reporting.board"
    label = "board"
    verbose_name = "Corporate Parenting Board reports"
    default_auto_field = "django.db.models.BigAutoField"
