from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "harbour.audit"
    label = "audit"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from harbour.audit.bulk import capture_bulk_writes

        capture_bulk_writes()
