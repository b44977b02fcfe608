from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "harbour.placements"
    label = "placements"
    default_auto_field = "django.db.models.BigAutoField"
