from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "harbour.referrals"
    label = "referrals"
    verbose_name = "NTS referrals"
    default_auto_field = "django.db.models.BigAutoField"
