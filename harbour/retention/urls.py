from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("holds/", views.place_hold, name="place_hold"),
    path("holds/<uuid:hold_id>/release/", views.release_hold, name="release_hold"),
    path("proposals/", views.propose, name="propose"),
    path("proposals/<uuid:proposal_id>/approve/", views.approve, name="approve"),
    path("proposals/<uuid:proposal_id>/withdraw/", views.withdraw, name="withdraw"),
]
