from django.apps import AppConfig


class ForecastingConfig(AppConfig):
    name = "harbour.forecasting"
    label = "forecasting"
    default_auto_field = "django.db.models.BigAutoField"
