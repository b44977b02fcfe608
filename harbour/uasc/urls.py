from django.urls import path

from . import views

app_name = "uasc"
urlpatterns = [
    path("children/<str:child_id>/", views.asylum, name="asylum"),
    path("children/<str:child_id>/claim/", views.edit_claim, name="edit_claim"),
    path("children/<str:child_id>/safety/", views.safety, name="safety"),
    path("children/<str:child_id>/safety/nrm/new/", views.edit_nrm_referral, name="add_nrm_referral"),
    path("nrm-referrals/<int:referral_id>/", views.edit_nrm_referral_by_id, name="edit_nrm_referral"),
    path("children/<str:child_id>/safety/missing/new/", views.add_missing_episode, name="add_missing_episode"),
]
