from __future__ import annotations

from . import views_directory, views_placements, views_provider, views_requests, views_sufficiency

app_name = "placements"

urlpatterns = [
    *views_directory.urlpatterns,  # providers/
    *views_sufficiency.urlpatterns,  # sufficiency/
    *views_requests.urlpatterns,  # requests/
    *views_provider.urlpatterns,  # provider/ (what a provider's own users see)
    *views_placements.urlpatterns,  # child/<child_id>/ (needs profile, starting, changing, ending)
]
