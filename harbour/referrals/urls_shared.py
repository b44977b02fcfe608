"""Pages a partner reaches through the link in their copy of the single referral form. No account:
the link's token is the key, and each page shows only that copy of the form."""

from __future__ import annotations

from django.urls import URLPattern, path

from . import views_shared

app_name = "shared"

urlpatterns: list[URLPattern] = [
    path("<str:token>/", views_shared.shared_form, name="form"),
    path("<str:token>/form.pdf", views_shared.shared_form_pdf, name="form_pdf"),
    path("<str:token>/acknowledge/", views_shared.acknowledge, name="acknowledge"),
    path("<str:token>/add/", views_shared.contribute, name="add"),
]
