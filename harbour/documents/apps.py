from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "harbour.documents"
    label = "documents"
    verbose_name = "Documents on a child's record"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # When a record is destroyed at the end of its retention, its files go too (after commit).
        from harbour.retention.services import after_destruction

        from .storage import remove_destroyed_files

        if remove_destroyed_files not in after_destruction:
            after_destruction.append(remove_destroyed_files)
