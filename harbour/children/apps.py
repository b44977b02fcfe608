from django.apps import AppConfig


class ChildrenConfig(AppConfig):
    name = "harbour.children"
    label = "children"
    default_auto_field = "django.db.models.BigAutoField"
