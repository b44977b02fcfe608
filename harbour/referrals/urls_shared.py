"""Pages a partner reaches through the link in their copy of the single referral form. No account:
the link's token is the key, and each page shows only that copy of the form."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "shared"

urlpatterns: list[URLPattern] = []
