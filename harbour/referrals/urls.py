from __future__ import annotations

from . import views_arrival, views_distribution, views_intake, views_signoff

app_name = "referrals"

# Fixed paths (sign-off/, new/) come before the referral's own <referral_id>/ pages.
urlpatterns = [
    *views_signoff.urlpatterns,
    *views_intake.urlpatterns,
    *views_distribution.urlpatterns,
    *views_arrival.urlpatterns,
]
