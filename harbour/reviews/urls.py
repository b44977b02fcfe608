from __future__ import annotations

from .views import urlpatterns as urlpatterns

app_name = "reviews"
